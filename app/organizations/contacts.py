"""Contact use cases. The designated-contact limit is enforced by the database."""

import uuid

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from app.api_keys import repository as api_keys
from app.api_keys.models import KeyKind
from app.errors import Forbidden, invalid
from app.organizations import repository
from app.organizations.models import Contact
from app.organizations.schemas import ContactCreate, ContactUpdate
from app.pagination import keyset, page
from app.security import Principal, require


async def create(
    session: AsyncSession, *, principal: Principal, organization_id: uuid.UUID, data: ContactCreate
) -> Contact:
    """Adds a contact; a designated one past the organization's limit is a 409."""
    require(principal, KeyKind.admin, KeyKind.integration)
    await repository.get_visible(session, principal=principal, organization_id=organization_id)
    return await repository.insert_contact(session, organization_id, data.model_dump())


async def list_contacts(
    session: AsyncSession,
    *,
    principal: Principal,
    organization_id: uuid.UUID,
    designated: bool | None,
    email: str | None,
    cursor: str | None,
    limit: int,
) -> tuple[list[Contact], str | None]:
    """An organization's live contacts, newest first."""
    await repository.get_visible(session, principal=principal, organization_id=organization_id)
    statement = repository.scoped_contacts(principal).where(
        Contact.organization_id == organization_id
    )
    if designated is not None:
        statement = statement.where(Contact.designated == designated)
    if email is not None:
        statement = statement.where(sa.func.lower(Contact.email) == email.lower())
    statement = keyset(statement, Contact.created_at, Contact.id, cursor, limit)
    return page((await session.execute(statement)).scalars().all(), limit)


async def update(
    session: AsyncSession,
    *,
    principal: Principal,
    organization_id: uuid.UUID,
    contact_id: uuid.UUID,
    data: ContactUpdate,
    expected_version: int | None,
) -> Contact:
    """Applies a partial update (designating past the limit is a 409)."""
    values = data.model_dump(exclude_unset=True)
    _check_rights(principal, contact_id, values)
    contact = await repository.get_visible_contact(
        session, principal=principal, organization_id=organization_id, contact_id=contact_id
    )
    for name, value in values.items():
        if value is None:
            raise invalid(f"body.{name}", f"{name} cannot be null.")
    if values.pop("email_bouncing", None) is False or (
        "email" in values and values["email"].lower() != contact.email.lower()
    ):
        values.update(email_bouncing_at=None, email_bounce_reason=None)
    return await repository.update_contact(
        session, contact_id, values, expected_version=expected_version
    )


SELF_SERVICE = frozenset({"notification_preference"})


def _check_rights(principal: Principal, contact_id: uuid.UUID, values: dict[str, object]) -> None:
    """Managers change anything (an admin alone clears bouncing); a contact, its preference."""
    require(principal, KeyKind.admin, KeyKind.integration, KeyKind.contact)
    if principal.kind is KeyKind.contact:
        if principal.contact_id != contact_id:
            raise Forbidden("A contact key changes only its own contact.")
        if set(values) - SELF_SERVICE:
            raise Forbidden("A contact key changes only its own notification_preference.")
    if "email_bouncing" in values and principal.kind is not KeyKind.admin:
        raise Forbidden("Only an admin clears a bouncing address.")


async def delete(
    session: AsyncSession,
    *,
    principal: Principal,
    organization_id: uuid.UUID,
    contact_id: uuid.UUID,
) -> None:
    """Removes a contact; their tickets keep them as requester, so the row is kept, hidden."""
    require(principal, KeyKind.admin, KeyKind.integration)
    await repository.get_visible_contact(
        session, principal=principal, organization_id=organization_id, contact_id=contact_id
    )
    await repository.delete_contact(session, contact_id)
    await api_keys.revoke_for_contact(session, contact_id)

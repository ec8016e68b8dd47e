"""Contact use cases. The designated-contact limit is enforced by the database."""

import uuid

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from app import timesource
from app.api_keys import service as api_keys
from app.api_keys.models import KeyKind
from app.errors import NotFound, invalid
from app.organizations.models import Contact
from app.organizations.schemas import ContactCreate, ContactUpdate
from app.organizations.service import get_visible
from app.pagination import keyset, page
from app.repository import update_versioned
from app.security import Principal, require


async def create(
    session: AsyncSession, *, principal: Principal, organization_id: uuid.UUID, data: ContactCreate
) -> Contact:
    """Adds a contact; a designated one past the organization's limit is a 409."""
    require(principal, KeyKind.admin, KeyKind.integration)
    await get_visible(session, principal=principal, organization_id=organization_id)
    contact = Contact(organization_id=organization_id, **data.model_dump())
    session.add(contact)
    await session.flush()
    return contact


async def get_visible_contact(
    session: AsyncSession,
    *,
    principal: Principal,
    organization_id: uuid.UUID,
    contact_id: uuid.UUID,
) -> Contact:
    """A live contact of an organization the caller may see."""
    await get_visible(session, principal=principal, organization_id=organization_id)
    contact = (
        await session.execute(
            sa.select(Contact).where(
                Contact.id == contact_id,
                Contact.organization_id == organization_id,
                Contact.deleted_at.is_(None),
            )
        )
    ).scalar_one_or_none()
    if contact is None:
        raise NotFound(f"No contact with id {contact_id} in this organization.")
    return contact


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
    await get_visible(session, principal=principal, organization_id=organization_id)
    statement = sa.select(Contact).where(
        Contact.organization_id == organization_id, Contact.deleted_at.is_(None)
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
    require(principal, KeyKind.admin, KeyKind.integration)
    await get_visible_contact(
        session, principal=principal, organization_id=organization_id, contact_id=contact_id
    )
    values = data.model_dump(exclude_unset=True)
    for name, value in values.items():
        if value is None:
            raise invalid(f"body.{name}", f"{name} cannot be null.")
    return await update_versioned(
        session, Contact, contact_id, values, expected_version=expected_version, what="contact"
    )


async def delete(
    session: AsyncSession,
    *,
    principal: Principal,
    organization_id: uuid.UUID,
    contact_id: uuid.UUID,
) -> None:
    """Removes a contact; their tickets keep them as requester, so the row is kept, hidden."""
    require(principal, KeyKind.admin, KeyKind.integration)
    await get_visible_contact(
        session, principal=principal, organization_id=organization_id, contact_id=contact_id
    )
    await update_versioned(
        session,
        Contact,
        contact_id,
        {"deleted_at": timesource.now(), "designated": False},
        expected_version=None,
        what="contact",
    )
    await api_keys.revoke_for_contact(session, contact_id)

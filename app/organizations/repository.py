"""The organizations and contacts tables: tenant scoping and every write.

No other module writes an organization or contact row: PM assignment (`assignment/pm.py`)
records its choice and its waiting through the functions below.
"""

import uuid
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from app import timesource
from app.errors import NotFound
from app.organizations.models import Contact, Organization
from app.repository import added, get_or_404, tenant_filter, versioned_update
from app.security import Principal
from app.sla.models import Calendar
from app.sla.repository import calendar_join

R = TypeVar("R", Organization, Contact)

# -- organizations ----------------------------------------------------------------------------


def scoped(principal: Principal) -> sa.Select[Any]:
    """Organizations the caller may see."""
    return tenant_filter(sa.select(Organization), Organization.id, principal)


async def get_visible(
    session: AsyncSession, *, principal: Principal, organization_id: uuid.UUID
) -> Organization:
    """The organization if the caller may see it; another tenant's is a 404."""
    if not principal.sees(organization_id):
        raise NotFound(f"No organization with id {organization_id}.")
    return await get(session, organization_id)


async def get(session: AsyncSession, organization_id: uuid.UUID) -> Organization:
    """The organization, whoever asks (a 404 if there is none)."""
    return await get_or_404(session, Organization, organization_id, what="organization")


async def with_calendar(
    session: AsyncSession, organization_id: uuid.UUID, *, lock: bool = False
) -> tuple[Organization, Calendar]:
    """The organization and its calendar (the default one when it has none); 404 if none.

    `lock` locks the organization row only: PM assignment settles on it.
    """
    statement = (
        sa.select(Organization, Calendar)
        .join(Calendar, calendar_join(Organization.calendar_id))
        .where(Organization.id == organization_id)
    )
    if lock:
        statement = statement.with_for_update(of=Organization)
    row = (await session.execute(statement)).one_or_none()
    if row is None:
        raise NotFound(f"No organization with id {organization_id}.")
    return row[0], row[1]


def _waiting_for_pm() -> sa.Select[Any]:
    return sa.select(Organization.id).where(
        Organization.pm_id.is_(None), Organization.pm_requested_at.is_not(None)
    )


async def waits_for_pm(session: AsyncSession, organization_id: uuid.UUID) -> bool:
    """Whether the organization still waits for a PM."""
    statement = _waiting_for_pm().where(Organization.id == organization_id)
    return (await session.execute(statement)).first() is not None


async def waiting_for_pm(session: AsyncSession, limit: int) -> list[uuid.UUID]:
    """Organizations waiting for a PM, oldest request first."""
    statement = (
        _waiting_for_pm().order_by(Organization.pm_requested_at, Organization.id).limit(limit)
    )
    return list((await session.execute(statement)).scalars())


async def insert(session: AsyncSession, values: dict[str, Any]) -> Organization:
    """A new organization, waiting for its PM from the moment it is added."""
    return await added(session, Organization(**values, pm_requested_at=timesource.now()))


update = versioned_update(Organization, "organization")


# -- the organization's PM --------------------------------------------------------------------


def assign_pm_statement(organization_id: uuid.UUID) -> Any:
    """The UPDATE that gives the organization a PM (run by the capacity-checked claim)."""

    def statement(agent_id: uuid.UUID) -> sa.Update:
        return (
            sa.update(Organization)
            .where(Organization.id == organization_id)
            .values(pm_id=agent_id)
            .execution_options(synchronize_session=False)
        )

    return statement


async def set_pm(
    session: AsyncSession, organization: Organization, breakdown: dict[str, Any], *, new: bool
) -> None:
    """Explains the PM the claim wrote; a new PM also ends the organization's wait."""
    organization.pm_assignment = breakdown
    if new:
        organization.pm_assigned_at = timesource.now()
        organization.pm_requested_at = None
        organization.pm_unassigned_notified_at = None
    await session.flush()


async def request_pm(session: AsyncSession, organization: Organization) -> None:
    """The organization waits for a PM since its first request (oldest first), announced."""
    now = timesource.now()
    if organization.pm_requested_at is None:
        organization.pm_requested_at = now
    if organization.pm_unassigned_notified_at is None:
        organization.pm_unassigned_notified_at = now
    await session.flush()


# -- contacts ---------------------------------------------------------------------------------


def scoped_contacts(principal: Principal) -> sa.Select[Any]:
    """Live contacts of the organizations the caller may see."""
    statement = sa.select(Contact).where(Contact.deleted_at.is_(None))
    return tenant_filter(statement, Contact.organization_id, principal)


async def get_visible_contact(
    session: AsyncSession,
    *,
    principal: Principal,
    organization_id: uuid.UUID,
    contact_id: uuid.UUID,
) -> Contact:
    """A live contact of an organization the caller may see."""
    await get_visible(session, principal=principal, organization_id=organization_id)
    statement = scoped_contacts(principal).where(
        Contact.id == contact_id, Contact.organization_id == organization_id
    )
    contact = (await session.execute(statement)).scalar_one_or_none()
    if contact is None:
        raise NotFound(f"No contact with id {contact_id} in this organization.")
    return contact


async def find_contact(session: AsyncSession, contact_id: uuid.UUID) -> Contact | None:
    """The contact with this id, deleted or not; None if there is none."""
    return await session.get(Contact, contact_id)


async def insert_contact(
    session: AsyncSession, organization_id: uuid.UUID, values: dict[str, Any]
) -> Contact:
    """A new contact; a designated one past the organization's limit fails in the database."""
    return await added(session, Contact(organization_id=organization_id, **values))


update_contact = versioned_update(Contact, "contact")


async def delete_contact(session: AsyncSession, contact_id: uuid.UUID) -> None:
    """Hides the contact: their tickets keep them as requester, so the row is kept."""
    values = {"deleted_at": timesource.now(), "designated": False}
    await update_contact(session, contact_id, values, expected_version=None)

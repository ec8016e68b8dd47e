"""Organization use cases."""

import uuid

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from app import timesource
from app.config import get_settings
from app.errors import NotFound, invalid
from app.jobs import after_commit
from app.organizations.models import Organization, Plan
from app.organizations.schemas import OrganizationCreate, OrganizationUpdate
from app.pagination import keyset, page
from app.repository import get_or_404, tenant_filter, update_versioned
from app.security import Principal
from app.sla import recompute
from app.sla.models import Calendar

NON_NULLABLE = frozenset({"name", "plan", "max_designated_contacts"})


async def _check_calendar(session: AsyncSession, calendar_id: uuid.UUID | None) -> None:
    if calendar_id is not None and await session.get(Calendar, calendar_id) is None:
        raise invalid("body.calendar_id", f"No calendar with id {calendar_id}.")


async def create(
    session: AsyncSession, *, principal: Principal, data: OrganizationCreate
) -> Organization:
    """Adds a client organization."""
    await _check_calendar(session, data.calendar_id)
    values = data.model_dump()
    if values["max_designated_contacts"] is None:
        values["max_designated_contacts"] = get_settings().max_designated_contacts
    organization = Organization(**values)
    organization.pm_requested_at = timesource.now()
    session.add(organization)
    await session.flush()
    after_commit(
        session.sync_session,
        "assign_pm",
        str(organization.id),
        job_id=f"assign_pm:{organization.id}",
    )
    return organization


async def get_visible(
    session: AsyncSession, *, principal: Principal, organization_id: uuid.UUID
) -> Organization:
    """The organization if the caller may see it; another tenant's is a 404."""
    if not principal.sees(organization_id):
        raise NotFound(f"No organization with id {organization_id}.")
    return await get_or_404(session, Organization, organization_id, what="organization")


async def list_visible(
    session: AsyncSession,
    *,
    principal: Principal,
    plan: Plan | None,
    cursor: str | None,
    limit: int,
) -> tuple[list[Organization], str | None]:
    """Organizations the caller may see, newest first."""
    statement = tenant_filter(sa.select(Organization), Organization.id, principal)
    if plan is not None:
        statement = statement.where(Organization.plan == plan)
    statement = keyset(statement, Organization.created_at, Organization.id, cursor, limit)
    return page((await session.execute(statement)).scalars().all(), limit)


async def update(
    session: AsyncSession,
    *,
    principal: Principal,
    organization_id: uuid.UUID,
    data: OrganizationUpdate,
    expected_version: int | None,
) -> Organization:
    """Applies a partial update."""
    values = data.model_dump(exclude_unset=True)
    for name in NON_NULLABLE & values.keys():
        if values[name] is None:
            raise invalid(f"body.{name}", f"{name} cannot be null.")
    await _check_calendar(session, values.get("calendar_id"))
    before = await get_or_404(session, Organization, organization_id, what="organization")
    clock_inputs = (before.plan, before.calendar_id)
    updated = await update_versioned(
        session,
        Organization,
        organization_id,
        values,
        expected_version=expected_version,
        what="organization",
    )
    if (updated.plan, updated.calendar_id) != clock_inputs:
        recompute.request(session, organization_id=organization_id)
    return updated

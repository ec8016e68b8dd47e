"""Organization use cases."""

import uuid

from sqlmodel.ext.asyncio.session import AsyncSession

from app.config import get_settings
from app.errors import invalid
from app.jobs import after_commit
from app.organizations import repository
from app.organizations.models import Organization, Plan
from app.organizations.schemas import OrganizationCreate, OrganizationUpdate
from app.pagination import keyset, page
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
    organization = await repository.insert(session, values)
    after_commit(
        session.sync_session,
        "assign_pm",
        str(organization.id),
        job_id=f"assign_pm:{organization.id}",
    )
    return organization


# Reading one organization is the repository's tenant-scoped read, as it is.
get_visible = repository.get_visible


async def list_visible(
    session: AsyncSession,
    *,
    principal: Principal,
    plan: Plan | None,
    cursor: str | None,
    limit: int,
) -> tuple[list[Organization], str | None]:
    """Organizations the caller may see, newest first."""
    statement = repository.scoped(principal)
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
    before = await repository.get(session, organization_id)
    clock_inputs = (before.plan, before.calendar_id)
    updated = await repository.update(
        session, organization_id, values, expected_version=expected_version
    )
    if (updated.plan, updated.calendar_id) != clock_inputs:
        recompute.request(session, organization_id=organization_id)
    return updated

"""Recomputing open tickets' clocks after a calendar or policy change, in batches."""

import uuid

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from app import timesource
from app.organizations.models import Organization
from app.sla import repository as sla_repository
from app.sla import ticket_clocks
from app.sla.models import Calendar, RecomputeRequest
from app.tickets.lifecycle import DONE
from app.tickets.models import Ticket

BATCH = 500


def request(
    session: AsyncSession,
    *,
    calendar_id: uuid.UUID | None = None,
    organization_id: uuid.UUID | None = None,
) -> None:
    """Records (in the caller's transaction) that some open tickets need recomputing."""
    session.add(
        RecomputeRequest(
            calendar_id=calendar_id, organization_id=organization_id, requested_at=timesource.now()
        )
    )


async def _scope(session: AsyncSession, pending: RecomputeRequest) -> sa.ColumnElement[bool]:
    if pending.organization_id is not None:
        return Organization.id == pending.organization_id
    if pending.calendar_id is None:
        return sa.true()
    calendar = await session.get(Calendar, pending.calendar_id)
    if calendar is not None and calendar.is_default:
        return sa.or_(
            Organization.calendar_id == pending.calendar_id, Organization.calendar_id.is_(None)
        )
    return Organization.calendar_id == pending.calendar_id


async def run_batch(session: AsyncSession) -> bool:
    """Recomputes the next batch of the oldest pending request; False when none is pending."""
    pending = (
        await session.execute(
            sa.select(RecomputeRequest)
            .where(RecomputeRequest.done_at.is_(None))
            .order_by(RecomputeRequest.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
    ).scalar_one_or_none()
    if pending is None:
        return False
    statement = (
        sa.select(Ticket, Organization)
        .join(Organization, Organization.id == Ticket.organization_id)
        .where(
            Ticket.status.not_in([status.value for status in DONE]), await _scope(session, pending)
        )
        .order_by(Ticket.id)
        .limit(BATCH)
    )
    if pending.after_ticket_id is not None:
        statement = statement.where(Ticket.id > pending.after_ticket_id)
    batch = (await session.execute(statement)).all()
    rows = await sla_repository.clocks_of(session, [ticket.id for ticket, _ in batch], lock=True)
    contexts: dict[tuple[str, uuid.UUID | None], ticket_clocks.SlaContext] = {}
    for ticket, organization in batch:
        key = (organization.plan, organization.calendar_id)
        if key not in contexts:
            contexts[key] = await sla_repository.context_for(
                session, plan=organization.plan, calendar_id=organization.calendar_id
            )
        ticket_clocks.retarget(rows[ticket.id], priority=ticket.priority, context=contexts[key])
    if batch:
        pending.after_ticket_id = batch[-1][0].id
    if len(batch) < BATCH:
        pending.done_at = timesource.now()
    await session.flush()
    return True

"""SLA reads: a ticket's clock rows, and the calendar and policy targets they run on."""

import uuid
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from app.organizations.models import Organization
from app.sla.calendar import BusinessCalendar
from app.sla.models import Calendar, SlaPolicyRow, TicketClock
from app.sla.ticket_clocks import SlaContext, business_calendar, context_from
from app.statements import among
from app.tickets.models import Ticket


def calendar_join(calendar_id: sa.ColumnElement[uuid.UUID | None]) -> sa.ColumnElement[bool]:
    """Joins a calendar id column to its calendar, or to the default one when it is null."""
    default_id = sa.select(Calendar.id).where(Calendar.is_default).scalar_subquery()
    return Calendar.id == sa.func.coalesce(calendar_id, default_id)


def policy_json(plan: sa.ColumnElement[str]) -> sa.ScalarSelect[Any]:
    """The plan's policy rows as one JSON array, to fetch them in the caller's query."""
    rows = SlaPolicyRow.__table__.alias("policy")
    return (
        sa.select(
            sa.func.coalesce(
                sa.func.jsonb_agg(sa.func.to_jsonb(rows.table_valued())), sa.text("'[]'::jsonb")
            )
        )
        .where(rows.c.plan == plan)
        .scalar_subquery()
    )


async def context_for(
    session: AsyncSession, *, plan: str, calendar_id: uuid.UUID | None
) -> SlaContext:
    """The calendar (the default one when the organization has none) and the plan's targets."""
    statement = sa.select(Calendar, policy_json(sa.literal(plan))).where(
        calendar_join(sa.literal(calendar_id, sa.Uuid))
    )
    calendar, policies = (await session.execute(statement)).one()
    return context_from(plan, calendar, policies)


async def calendar_of_ticket(
    session: AsyncSession, ticket: Ticket
) -> tuple[uuid.UUID, BusinessCalendar]:
    """The id and business calendar of the ticket's organization (or of the default one)."""
    statement = (
        sa.select(Calendar)
        .join(Organization, calendar_join(Organization.calendar_id))
        .where(Organization.id == ticket.organization_id)
    )
    row = (await session.execute(statement)).scalar_one()
    return row.id, business_calendar(row)


async def context_of_ticket(session: AsyncSession, ticket: Ticket) -> SlaContext:
    """What the ticket's clocks are computed against, in one query."""
    statement = (
        sa.select(Organization.plan, Calendar, policy_json(Organization.plan))
        .join(Calendar, calendar_join(Organization.calendar_id))
        .where(Organization.id == ticket.organization_id)
    )
    plan, calendar, policies = (await session.execute(statement)).one()
    return context_from(plan, calendar, policies)


async def clocks_of(
    session: AsyncSession, ticket_ids: Iterable[uuid.UUID], *, lock: bool = False
) -> dict[uuid.UUID, dict[str, TicketClock]]:
    """Each ticket's clocks by metric."""
    ids = list(ticket_ids)
    result: dict[uuid.UUID, dict[str, TicketClock]] = {ticket_id: {} for ticket_id in ids}
    if not ids:
        return result
    known: dict[uuid.UUID, dict[str, TicketClock]] = session.info.setdefault("clocks", {})
    if not lock and all(ticket_id in known for ticket_id in ids):
        return {ticket_id: known[ticket_id] for ticket_id in ids}
    statement = sa.select(TicketClock).where(among(TicketClock.ticket_id, ids))
    if lock:
        statement = statement.with_for_update()
    for row in (await session.execute(statement)).scalars():
        result[row.ticket_id][row.metric] = row
    known.update(result)
    return result


def remember(session: AsyncSession, ticket_id: uuid.UUID, rows: dict[str, TicketClock]) -> None:
    """Keeps clocks created in this session so presenting the ticket needs no query."""
    session.info.setdefault("clocks", {})[ticket_id] = rows

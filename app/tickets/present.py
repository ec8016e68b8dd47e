"""Tickets as the API and events show them, with their SLA clocks."""

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from app import timesource
from app.attachments import repository as attachments
from app.attachments.models import Attachment
from app.attachments.schemas import AttachmentOut
from app.sla.models import TicketClock
from app.sla.repository import clocks_of
from app.sla.ticket_clocks import state_now
from app.tickets.models import Ticket
from app.tickets.schemas import SlaClockOut, TicketOut, TicketSla

ClockRows = dict[str, TicketClock]
_clocks = TicketClock.__table__.c
# What presenting a clock needs; the segments stay in the database.
CLOCK_SUMMARY = sa.select(
    _clocks.ticket_id,
    _clocks.metric,
    _clocks.clock,
    _clocks.target_minutes,
    _clocks.status,
    _clocks.due_at,
    _clocks.at_risk_at,
    _clocks.breached_at,
    _clocks.met_at,
).where(_clocks.ticket_id.in_(sa.bindparam("ids", expanding=True)))


def clock_out(row: TicketClock, now: datetime) -> SlaClockOut:
    return SlaClockOut(
        target_minutes=row.target_minutes,
        clock=row.clock,
        due_at=row.due_at,
        at_risk_at=row.at_risk_at,
        state=state_now(row, now),
        breached_at=row.breached_at,
        met_at=row.met_at,
    )


def ticket_out(
    ticket: Any, rows: Any, now: datetime | None = None, files: Sequence[Attachment] = ()
) -> TicketOut:
    """The ticket with its clocks' current state and the files it was raised with."""
    now = now or timesource.now()
    out = TicketOut.model_validate(ticket)
    out.sla = TicketSla(**{metric: clock_out(row, now) for metric, row in rows.items()})
    out.attachments = [AttachmentOut.model_validate(row) for row in files]
    return out


def snapshot(ticket: Ticket, rows: ClockRows) -> dict[str, Any]:
    """The ticket as events carry it; `ticket.created` lists its files beside it."""
    return ticket_out(ticket, rows).model_dump(mode="json", exclude={"attachments"})


async def present(session: AsyncSession, tickets: Sequence[Any]) -> list[TicketOut]:
    """Tickets (ORM objects or rows) with their clocks and files, one query each."""
    by_ticket: dict[uuid.UUID, ClockRows] = await clocks_of(session, [t.id for t in tickets])
    return await _with_files(session, tickets, by_ticket)


async def present_rows(session: AsyncSession, tickets: Sequence[Any]) -> list[TicketOut]:
    """Ticket rows with their clock rows, read without ORM objects (lists)."""
    ids = [ticket.id for ticket in tickets]
    by_ticket: dict[uuid.UUID, dict[str, Any]] = {ticket_id: {} for ticket_id in ids}
    if ids:
        for row in await session.execute(CLOCK_SUMMARY, {"ids": ids}):
            by_ticket[row.ticket_id][row.metric] = row
    return await _with_files(session, tickets, by_ticket)


async def _with_files(
    session: AsyncSession, tickets: Sequence[Any], clocks: dict[uuid.UUID, Any]
) -> list[TicketOut]:
    files = await attachments.raised_with(session, [ticket.id for ticket in tickets])
    now = timesource.now()
    return [ticket_out(ticket, clocks[ticket.id], now, files[ticket.id]) for ticket in tickets]


async def present_one(session: AsyncSession, ticket: Ticket) -> TicketOut:
    return (await present(session, [ticket]))[0]

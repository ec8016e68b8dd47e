"""Tickets as the API and events show them, with their SLA clocks."""

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from app import clock
from app.sla.clocks import display_state
from app.sla.engine import clocks_of
from app.sla.models import TicketClock
from app.tickets.models import Ticket
from app.tickets.schemas import SlaClockOut, TicketOut, TicketSla

ClockRows = dict[str, TicketClock]


def clock_out(row: TicketClock, now: datetime) -> SlaClockOut:
    return SlaClockOut(
        target_minutes=row.target_minutes,
        clock=row.clock,
        due_at=row.due_at,
        at_risk_at=row.at_risk_at,
        state=display_state(
            row.status,
            breached_at=row.breached_at,
            due_at=row.due_at,
            at_risk_at=row.at_risk_at,
            now=now,
        ),
        breached_at=row.breached_at,
        met_at=row.met_at,
    )


def ticket_out(ticket: Ticket, rows: ClockRows, now: datetime | None = None) -> TicketOut:
    """The ticket with its clocks' current state."""
    now = now or clock.now()
    out = TicketOut.model_validate(ticket)
    out.sla = TicketSla(**{metric: clock_out(row, now) for metric, row in rows.items()})
    return out


def snapshot(ticket: Ticket, rows: ClockRows) -> dict[str, Any]:
    """The ticket as events carry it."""
    return ticket_out(ticket, rows).model_dump(mode="json")


async def present(session: AsyncSession, tickets: Sequence[Ticket]) -> list[TicketOut]:
    """Tickets with their clocks, loaded in one query."""
    by_ticket: dict[uuid.UUID, ClockRows] = await clocks_of(session, [t.id for t in tickets])
    now = clock.now()
    return [ticket_out(ticket, by_ticket[ticket.id], now) for ticket in tickets]


async def present_one(session: AsyncSession, ticket: Ticket) -> TicketOut:
    return (await present(session, [ticket]))[0]

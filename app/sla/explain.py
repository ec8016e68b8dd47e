"""A ticket's clocks explained: targets, instants, elapsed and remaining time, segments."""

import uuid
from datetime import timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from app import timesource
from app.security import Principal
from app.sla import clocks
from app.sla.models import TicketClock
from app.sla.repository import calendar_of_ticket, clocks_of
from app.sla.schemas import SEGMENTS_SHOWN, ClockReport, SegmentOut, TicketSlaReport
from app.sla.ticket_clocks import state_now, to_clock
from app.tickets import repository as tickets

MINUTE = timedelta(minutes=1)


def _report(row: TicketClock, calendar: clocks.BusinessCalendar) -> ClockReport:
    now = timesource.now()
    clock = to_clock(row)
    used = clocks.elapsed(clock, calendar, now)
    return ClockReport(
        metric=row.metric,
        clock=row.clock,
        target_minutes=row.target_minutes,
        at_risk_percent=row.at_risk_percent,
        started_at=row.started_at,
        due_at=row.due_at,
        at_risk_at=row.at_risk_at,
        elapsed_minutes=round(used / MINUTE, 2),
        remaining_minutes=round((clock.target.duration - used) / MINUTE, 2),
        state=state_now(row, now),
        breached_at=row.breached_at,
        met_at=row.met_at,
        cycle=row.cycle,
        segments=[SegmentOut(**each.to_json()) for each in clock.segments[-SEGMENTS_SHOWN:]],
        segments_omitted=max(0, len(clock.segments) - SEGMENTS_SHOWN),
    )


async def report(
    session: AsyncSession, *, principal: Principal, ticket_id: uuid.UUID
) -> TicketSlaReport:
    """Every clock of a ticket the caller may see."""
    ticket = await tickets.get_visible(session, principal=principal, ticket_id=ticket_id)
    calendar_id, calendar = await calendar_of_ticket(session, ticket)
    rows = (await clocks_of(session, [ticket.id]))[ticket.id]
    order = ["first_response", "next_update", "resolution", "escalation_review"]
    reports = [_report(rows[metric], calendar) for metric in order if metric in rows]
    return TicketSlaReport(ticket_id=ticket.id, calendar_id=calendar_id, data=reports)

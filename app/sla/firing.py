"""Firing at-risk and breach transitions when they come due, exactly once per clock cycle."""

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from app.events.models import EventType
from app.events.service import NewEvent, record
from app.sla.engine import clocks_of, next_fire_at, record_firing
from app.sla.models import TicketClock
from app.tickets.models import Ticket

AT_RISK, BREACH = "at_risk", "breach"
BATCH = 500


async def _due_rows(
    session: AsyncSession, now: datetime, limit: int, ticket_id: uuid.UUID | None
) -> list[TicketClock]:
    """Due clocks, locked; their tickets are locked first, in the order every API path uses.

    Tickets held by another transaction are skipped this time (the next pass gets them).
    """
    due = sa.select(TicketClock.ticket_id).where(TicketClock.next_fire_at <= now)
    if ticket_id is not None:
        due = due.where(TicketClock.ticket_id == ticket_id)
    due = due.order_by(TicketClock.next_fire_at).limit(limit)
    ticket_ids = list(dict.fromkeys((await session.execute(due)).scalars()))
    if not ticket_ids:
        return []
    locked = (
        (
            await session.execute(
                sa.select(Ticket.id)
                .where(Ticket.id.in_(ticket_ids))
                .order_by(Ticket.id)
                .with_for_update(skip_locked=True)
            )
        )
        .scalars()
        .all()
    )
    if not locked:
        return []
    statement = (
        sa.select(TicketClock)
        .where(TicketClock.ticket_id.in_(list(locked)), TicketClock.next_fire_at <= now)
        .order_by(TicketClock.next_fire_at)
        .with_for_update()
    )
    return list((await session.execute(statement)).scalars())


async def _fire(session: AsyncSession, row: TicketClock, now: datetime) -> str | None:
    """Marks what is due on one clock; returns the kind fired, if any."""
    fired = None
    if row.due_at is not None and row.due_at <= now and row.breached_at is None:
        if await record_firing(session, row, BREACH, now):
            fired = BREACH
        row.breached_at = now
        row.at_risk_fired_at = row.at_risk_fired_at or now
    elif row.at_risk_at is not None and row.at_risk_at <= now and row.at_risk_fired_at is None:
        if await record_firing(session, row, AT_RISK, now):
            fired = AT_RISK
        row.at_risk_fired_at = now
    row.next_fire_at = next_fire_at(row)
    return fired


async def fire_due(
    session: AsyncSession, *, now: datetime, limit: int = BATCH, ticket_id: uuid.UUID | None = None
) -> int:
    """Fires every due transition among up to `limit` clocks; returns how many events."""
    from app.tickets.service import ticket_event

    rows = await _due_rows(session, now, limit, ticket_id)
    fired = [(row, await _fire(session, row, now)) for row in rows]
    fired = [(row, kind) for row, kind in fired if kind is not None]
    if not fired:
        await session.flush()
        return 0
    ticket_ids = {row.ticket_id for row, _ in fired}
    tickets = {
        t.id: t
        for t in (
            await session.execute(sa.select(Ticket).where(Ticket.id.in_(ticket_ids)))
        ).scalars()
    }
    all_clocks = await clocks_of(session, ticket_ids)
    events: list[NewEvent] = []
    for row, kind in fired:
        ticket = tickets[row.ticket_id]
        event_type = (
            EventType.ticket_sla_breached if kind == BREACH else EventType.ticket_sla_at_risk
        )
        events.append(
            ticket_event(
                event_type,
                ticket,
                None,
                all_clocks[ticket.id],
                metric=row.metric,
                due_at=row.due_at.isoformat() if row.due_at else None,
                cycle=row.cycle,
            )
        )
    await record(session, *events)
    await _escalate_breaches(session, [row for row, kind in fired if kind == BREACH])
    return len(events)


async def _escalate_breaches(session: AsyncSession, rows: list[TicketClock]) -> None:
    """Each breach escalates its ticket once: it happens in the firing's own transaction."""
    from app.escalation import service as escalation

    for row in rows:
        await escalation.on_breach(session, row.ticket_id, row.metric)

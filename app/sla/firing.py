"""Firing at-risk and breach transitions when they come due, exactly once per clock cycle."""

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlmodel.ext.asyncio.session import AsyncSession

from app import statements, timesource
from app.escalation import service as escalation
from app.events.models import EventType
from app.events.service import NewEvent, record
from app.sla.models import SlaFiring, TicketClock
from app.sla.repository import clocks_of
from app.sla.ticket_clocks import next_fire_at
from app.tickets import repository as tickets
from app.tickets.events import ticket_event

AT_RISK, BREACH = "at_risk", "breach"
BATCH = 200


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
    locked = await tickets.lock_free(session, ticket_ids)
    if not locked:
        return []
    statement = (
        sa.select(TicketClock)
        .where(statements.among(TicketClock.ticket_id, locked), TicketClock.next_fire_at <= now)
        .order_by(TicketClock.next_fire_at)
        .with_for_update()
    )
    return list((await session.execute(statement)).scalars())


async def next_due(session: AsyncSession) -> datetime | None:
    """The earliest instant a transition comes due on any clock (the partial index on
    next_fire_at answers it from its first entry)."""
    return await session.scalar(sa.select(sa.func.min(TicketClock.next_fire_at)))


def _due_kind(row: TicketClock, now: datetime) -> str | None:
    """What is due on a clock: its breach, else its at-risk mark, else nothing."""
    if row.due_at is not None and row.due_at <= now and row.breached_at is None:
        return BREACH
    if row.at_risk_at is not None and row.at_risk_at <= now and row.at_risk_fired_at is None:
        return AT_RISK
    return None


def _mark(row: TicketClock, kind: str, now: datetime) -> None:
    if kind == BREACH:
        row.breached_at = now
        row.at_risk_fired_at = row.at_risk_fired_at or now
    else:
        row.at_risk_fired_at = now
    row.next_fire_at = next_fire_at(row)


async def _claim(
    session: AsyncSession, due: list[tuple[TicketClock, str]], now: datetime
) -> set[tuple[uuid.UUID, str, int, str]]:
    """Inserts the firings, in a few statements of fixed sizes (app.statements.chunks); the
    primary key lets each happen only once."""
    table = SlaFiring.__table__
    values = [
        {"ticket_id": r.ticket_id, "metric": r.metric, "cycle": r.cycle, "kind": k, "fired_at": now}
        for r, k in due
    ]
    claimed: set[tuple[uuid.UUID, str, int, str]] = set()
    for chunk in statements.chunks(values):
        rows = await session.execute(
            insert(table)
            .values(list(chunk))
            .on_conflict_do_nothing()
            .returning(table.c.ticket_id, table.c.metric, table.c.cycle, table.c.kind)
        )
        claimed.update(tuple(row) for row in rows)
    return claimed


async def fire_due(
    session: AsyncSession, *, now: datetime, limit: int = BATCH, ticket_id: uuid.UUID | None = None
) -> int:
    """Fires every due transition among up to `limit` clocks; returns how many events."""
    rows = await _due_rows(session, now, limit, ticket_id)
    due = [(row, kind) for row in rows if (kind := _due_kind(row, now)) is not None]
    if not due:
        return 0
    claimed = await _claim(session, due, now)
    for row, kind in due:
        _mark(row, kind, now)
    fired = [(r, k) for r, k in due if (r.ticket_id, r.metric, r.cycle, k) in claimed]
    await session.flush()
    if fired:
        await record(session, *await _events(session, fired))
    return len(fired)


async def _events(session: AsyncSession, fired: list[tuple[TicketClock, str]]) -> list[NewEvent]:
    ticket_ids = {row.ticket_id for row, _ in fired}
    by_id = await tickets.many(session, ticket_ids)
    all_clocks = await clocks_of(session, ticket_ids)
    return [
        ticket_event(
            EventType.ticket_sla_breached if kind == BREACH else EventType.ticket_sla_at_risk,
            by_id[row.ticket_id],
            None,
            all_clocks[row.ticket_id],
            metric=row.metric,
            due_at=row.due_at.isoformat() if row.due_at else None,
            cycle=row.cycle,
        )
        for row, kind in fired
    ]


async def breaches_to_escalate(session: AsyncSession, limit: int) -> list[tuple[Any, ...]]:
    """First-response and resolution breaches not yet escalated, oldest first."""
    rows = await session.execute(
        sa.select(SlaFiring.ticket_id, SlaFiring.metric, SlaFiring.cycle)
        .where(
            SlaFiring.kind == BREACH,
            SlaFiring.escalated_at.is_(None),
            SlaFiring.metric.in_(["first_response", "resolution"]),
        )
        .order_by(SlaFiring.fired_at)
        .limit(limit)
    )
    return [tuple(row) for row in rows]


async def escalate_breach(
    session: AsyncSession, ticket_id: uuid.UUID, metric: str, cycle: int
) -> bool:
    """Escalates one breach exactly once: the ticket is locked first, then the firing is claimed."""
    if not await tickets.lock_free(session, [ticket_id]):
        return False  # busy elsewhere: the next sweep takes it
    claimed = await session.execute(
        sa.update(SlaFiring)
        .where(
            SlaFiring.ticket_id == ticket_id,
            SlaFiring.metric == metric,
            SlaFiring.cycle == cycle,
            SlaFiring.kind == BREACH,
            SlaFiring.escalated_at.is_(None),
        )
        .values(escalated_at=timesource.now())
        .returning(SlaFiring.ticket_id)
    )
    if claimed.first() is None:
        return False
    await escalation.on_breach(session, ticket_id, metric)
    return True

"""The ticket list: filters, the SLA filter, the work order and its cursors (read-only SQL).

The read side of `repository.py` for lists, kept apart because it is most of the tickets'
query code.
"""

import uuid
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from app import timesource
from app.pagination import keyset, opaque, page, unwrap
from app.schemas import EARLIEST
from app.security import Principal
from app.sla.clocks import Status as ClockStatus
from app.sla.models import TicketClock
from app.statements import among
from app.tickets import present, repository
from app.tickets.models import Ticket
from app.tickets.schemas import SlaFilter, TicketSort

# Table columns, not ORM attributes: cheaper to build conditions on, for a page of rows.
COLUMNS = Ticket.__table__.c


async def list_visible(
    session: AsyncSession,
    *,
    principal: Principal,
    filters: dict[str, Any],
    cursor: str | None,
    limit: int,
) -> tuple[list[Any], str | None]:
    """Tickets the caller may see, newest first, filtered (as rows, not ORM objects)."""
    statement = present.with_clocks_and_files(repository.scoped(principal, rows=True))
    for name in ("status", "priority", "category"):
        if filters.get(name):
            statement = statement.where(among(COLUMNS[name], filters[name]))
    for name in ("organization_id", "assignee_id", "requester_id"):
        if filters.get(name) is not None:
            statement = statement.where(COLUMNS[name] == filters[name])
    if filters.get("created_after") is not None:
        statement = statement.where(Ticket.created_at >= filters["created_after"])
    if filters.get("created_before") is not None:
        statement = statement.where(Ticket.created_at < filters["created_before"])
    if filters.get("sla") is not None:
        statement = statement.where(sla_condition(filters["sla"], timesource.now()))
    if filters.get("q"):
        query = sa.func.websearch_to_tsquery("english", filters["q"])
        statement = statement.where(Ticket.search.op("@@")(query))
    if filters.get("sort") is TicketSort.urgency:
        return await work_order_page(session, statement, cursor, limit)
    statement = keyset(statement, COLUMNS.created_at, COLUMNS.id, cursor, limit)
    return page(await rows_of(session, statement), limit)


async def rows_of(session: AsyncSession, statement: sa.Select[Any]) -> list[Any]:
    """A page's rows through the session's connection: a plain select needs none of the
    ORM's execution path."""
    return list((await (await session.connection()).execute(statement)).all())


FAR_FUTURE = datetime(9999, 1, 1, tzinfo=UTC)


LAST_PLACE = 2**31 - 1


# Work order: the most urgent running SLA clock first, then the client's queue position,
# then the oldest. Both keys are made non-null so a row-value cursor can compare them.
URGENCY_KEY = sa.func.coalesce(repository.URGENCY, FAR_FUTURE)


QUEUE_KEY = sa.func.coalesce(Ticket.queue_position, LAST_PLACE)


async def work_order_page(
    session: AsyncSession, statement: sa.Select[Any], cursor: str | None, limit: int
) -> tuple[list[Any], str | None]:
    """A page of tickets in work order, with a cursor over (urgency, queue, created, id)."""
    statement = statement.add_columns(URGENCY_KEY.label("urgency_key"))
    key = sa.tuple_(URGENCY_KEY, QUEUE_KEY, Ticket.created_at, Ticket.id)
    if cursor is not None:
        due, position, created, row_id = decode_work_cursor(cursor)
        after = sa.tuple_(
            sa.literal(due, sa.DateTime(timezone=True)),
            sa.literal(position, sa.Integer),
            sa.literal(created, sa.DateTime(timezone=True)),
            sa.literal(row_id, sa.Uuid),
        )
        statement = statement.where(key > after)
    statement = statement.order_by(URGENCY_KEY, QUEUE_KEY, Ticket.created_at, Ticket.id)
    rows = await rows_of(session, statement.limit(limit + 1))
    items = list(rows[:limit])
    if len(rows) <= limit:
        return items, None
    last = items[-1]
    position = last.queue_position if last.queue_position is not None else LAST_PLACE
    return items, encode_work_cursor(last.urgency_key, position, last.created_at, last.id)


def encode_work_cursor(due: datetime, position: int, created: datetime, row_id: uuid.UUID) -> str:
    return opaque([due.isoformat(), position, created.isoformat(), str(row_id)])


def decode_work_cursor(cursor: str) -> tuple[datetime, int, datetime, uuid.UUID]:
    """The position a work-order cursor points after; anything it could not hold is a 422."""
    return unwrap(cursor, _read_work_cursor)


def _read_work_cursor(value: Any) -> tuple[datetime, int, datetime, uuid.UUID]:
    # Only the types and ranges `encode_work_cursor` writes: a forged cursor must fail here
    # as a ValueError (422), not later in the driver or in a conversion (a 500).
    if not isinstance(value, list) or len(value) != 4:
        raise ValueError("not a work-order position")
    due, position, created, row_id = value
    if type(position) is not int or not 0 <= position <= LAST_PLACE:
        raise ValueError("queue position out of range")
    if not isinstance(row_id, str):
        raise ValueError("not a ticket id")
    return _cursor_instant(due), position, _cursor_instant(created), uuid.UUID(row_id)


def _cursor_instant(value: Any) -> datetime:
    if not isinstance(value, str):
        raise ValueError("not an instant")
    moment = datetime.fromisoformat(value)
    # Compared before any conversion, which could overflow past year 1 or 9999.
    if moment.tzinfo is None or not EARLIEST <= moment <= FAR_FUTURE:
        raise ValueError("instant out of range")
    return moment


def sla_condition(wanted: SlaFilter, now: datetime) -> sa.ColumnElement[bool]:
    """Tickets whose clocks are breached, at risk, or neither, as of `now`."""
    live = TicketClock.status.in_([ClockStatus.running, ClockStatus.paused])
    breached = sa.exists().where(
        TicketClock.ticket_id == Ticket.id,
        live,
        sa.or_(
            TicketClock.breached_at.is_not(None),
            sa.and_(TicketClock.status == ClockStatus.running, TicketClock.due_at <= now),
        ),
    )
    at_risk = sa.exists().where(
        TicketClock.ticket_id == Ticket.id,
        TicketClock.status == ClockStatus.running,
        TicketClock.at_risk_at <= now,
    )
    if wanted is SlaFilter.breached:
        return breached
    if wanted is SlaFilter.at_risk:
        return sa.and_(at_risk, sa.not_(breached))
    return sa.and_(sa.not_(at_risk), sa.not_(breached))

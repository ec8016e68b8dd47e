"""Tickets as the API and events show them, with their SLA clocks."""

import uuid
from collections.abc import Sequence
from datetime import datetime
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from app import timesource
from app.attachments import repository as attachments
from app.attachments.models import Attachment
from app.sla.models import TicketClock
from app.sla.repository import clocks_of
from app.sla.ticket_clocks import state_now
from app.tickets.models import Ticket
from app.tickets.schemas import TicketOut

ClockRows = dict[str, TicketClock]
_clocks = TicketClock.__table__.c
# What presenting a clock needs (the segments stay in the database), as one JSON array
# column of a list's query.
CLOCK_FIELDS = [
    _clocks.metric,
    _clocks.clock,
    _clocks.target_minutes,
    _clocks.status,
    _clocks.due_at,
    _clocks.at_risk_at,
    _clocks.breached_at,
    _clocks.met_at,
]
INSTANTS = [c.name for c in CLOCK_FIELDS if isinstance(c.type, sa.DateTime)]
CLOCKS_JSON = (
    sa.select(
        sa.func.json_agg(
            sa.func.json_build_object(*(x for c in CLOCK_FIELDS for x in (c.name, c))),
            type_=sa.JSON,
        )
    )
    .where(_clocks.ticket_id == Ticket.id)
    .scalar_subquery()
)
# What a ticket row gives its response; the clocks and files are added beside them.
TICKET_FIELDS = [name for name in TicketOut.model_fields if name not in ("sla", "attachments")]


def with_clocks_and_files(statement: sa.Select[Any]) -> sa.Select[Any]:
    """A list's query, each ticket row carrying its clocks and files: one statement a page."""
    return statement.add_columns(
        CLOCKS_JSON.label("clocks_json"),
        attachments.raised_with_json(Ticket.id).label("files_json"),
    )


def clock_out(row: TicketClock, now: datetime) -> dict[str, Any]:
    """A stored clock as tickets carry it, in its state at `now`."""
    return {
        "target_minutes": row.target_minutes,
        "clock": row.clock,
        "due_at": row.due_at,
        "at_risk_at": row.at_risk_at,
        "state": state_now(row, now),
        "breached_at": row.breached_at,
        "met_at": row.met_at,
    }


def ticket_out(ticket: Any, sla: dict[str, Any], files: Sequence[Attachment] = ()) -> TicketOut:
    """The ticket (an ORM object or a row) with its clocks as `clock_out` shows them and the
    files it was raised with, validated in one call from plain values (a row's attributes
    read one by one cost twice that)."""
    mapping = getattr(ticket, "_mapping", None)
    fields = dict(mapping) if mapping is not None else _fields(ticket)
    fields["sla"] = sla
    fields["attachments"] = files
    return TicketOut.model_validate(fields, from_attributes=True)


def _fields(ticket: Ticket) -> dict[str, Any]:
    return {name: getattr(ticket, name) for name in TICKET_FIELDS}


def snapshot(ticket: Ticket, rows: ClockRows) -> dict[str, Any]:
    """The ticket as events carry it; `ticket.created` lists its files beside it."""
    now = timesource.now()
    sla = {metric: clock_out(row, now) for metric, row in rows.items()}
    return ticket_out(ticket, sla).model_dump(mode="json", exclude={"attachments"})


async def present(session: AsyncSession, tickets: Sequence[Any]) -> list[TicketOut]:
    """Tickets (ORM objects or rows) with their clocks and files, one query each."""
    by_ticket: dict[uuid.UUID, ClockRows] = await clocks_of(session, [t.id for t in tickets])
    now = timesource.now()
    slas = {
        ticket_id: {metric: clock_out(row, now) for metric, row in rows.items()}
        for ticket_id, rows in by_ticket.items()
    }
    return await _with_files(session, tickets, slas)


def present_rows(rows: Sequence[Any]) -> list[TicketOut]:
    """A list's rows, made by `with_clocks_and_files`, as responses (no further query)."""
    now = timesource.now()
    return [
        ticket_out(row, _clocks_out(row.clocks_json, now), row.files_json or ()) for row in rows
    ]


def _clocks_out(clocks: list[dict[str, Any]] | None, now: datetime) -> dict[str, Any]:
    return {clock["metric"]: clock_out(_stored(clock), now) for clock in clocks or ()}


def _stored(clock: dict[str, Any]) -> Any:
    """A clock read as JSON, with its instants as datetimes again (the database's session
    time zone is UTC: app/db.py)."""
    instants = {name: _instant(clock[name]) for name in INSTANTS}
    return SimpleNamespace(**{**clock, **instants})


def _instant(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


async def _with_files(
    session: AsyncSession, tickets: Sequence[Any], slas: dict[uuid.UUID, dict[str, Any]]
) -> list[TicketOut]:
    files = await attachments.raised_with(session, [ticket.id for ticket in tickets])
    return [ticket_out(ticket, slas[ticket.id], files[ticket.id]) for ticket in tickets]


async def present_one(session: AsyncSession, ticket: Ticket) -> TicketOut:
    return (await present(session, [ticket]))[0]

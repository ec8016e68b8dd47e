"""Tickets as the API and events show them, with their SLA clocks."""

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple

import orjson
import sqlalchemy as sa
from pydantic import TypeAdapter
from sqlmodel.ext.asyncio.session import AsyncSession

from app import timesource
from app.attachments import repository as attachments
from app.attachments.models import Attachment
from app.sla.models import TicketClock
from app.sla.repository import clocks_of
from app.sla.ticket_clocks import state_now
from app.tickets.models import Ticket
from app.tickets.schemas import TicketList, TicketOut

ClockRows = dict[str, TicketClock]
_clocks = TicketClock.__table__.c


class StoredClock(NamedTuple):
    """What presenting a clock needs (the segments stay in the database), as a list's query
    carries it: one record of the clocks column."""

    metric: str
    clock: str
    target_minutes: int
    status: str
    due_at: datetime | None
    at_risk_at: datetime | None
    breached_at: datetime | None
    met_at: datetime | None


# A ticket's clocks as one array of records: asyncpg reads them as tuples with their
# instants already datetimes (no JSON to parse back).
CLOCKS = (
    sa.select(
        sa.func.array_agg(
            sa.tuple_(*(_clocks[name] for name in StoredClock._fields)), type_=sa.types.NullType()
        )
    )
    .where(_clocks.ticket_id == Ticket.id)
    .scalar_subquery()
    .label("clocks")
)
FILES = attachments.raised_with_json(Ticket.id).label("files_json")
# What a ticket row gives its response; the clocks and files are added beside them.
TICKET_FIELDS = [name for name in TicketOut.model_fields if name not in ("sla", "attachments")]
TICKET_COLUMNS = [Ticket.__table__.c[name] for name in TICKET_FIELDS]
PAGE = TypeAdapter(TicketList)


def with_clocks_and_files(statement: sa.Select[Any]) -> sa.Select[Any]:
    """A list's query, each ticket row carrying what its response shows and no more (not the
    search vector), with its clocks and files: one statement a page."""
    return statement.with_only_columns(*TICKET_COLUMNS, CLOCKS, FILES)


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
    return _page(rows, None).data


def page_json(rows: Sequence[Any], next_cursor: str | None) -> bytes:
    """A list's rows, made by `with_clocks_and_files`, as the JSON of a `TicketList`: the
    response model validates the whole page in one call and writes it, so each entry is what
    reading the ticket shows, without a model built per row in Python."""
    page = _page(rows, next_cursor)
    # orjson writes what the model dumps as pydantic's JSON would, in half the time.
    return orjson.dumps(PAGE.dump_python(page), default=_uuid, option=orjson.OPT_UTC_Z)


def _page(rows: Sequence[Any], next_cursor: str | None) -> TicketList:
    return PAGE.validate_python({"data": entries(rows), "next_cursor": next_cursor})


def _uuid(value: Any) -> str:
    # asyncpg's UUID subclasses uuid.UUID, which orjson writes only exactly.
    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def entries(rows: Sequence[Any]) -> list[dict[str, Any]]:
    """Each row as the plain values of its response, clocks in their state now."""
    if not rows:
        return []
    names, now = rows[0]._fields, timesource.now()
    return [_entry(dict(zip(names, row, strict=True)), now) for row in rows]


def _entry(fields: dict[str, Any], now: datetime) -> dict[str, Any]:
    clocks = map(StoredClock._make, fields.pop("clocks") or ())
    fields["sla"] = {clock.metric: clock_out(clock, now) for clock in clocks}
    fields["attachments"] = fields.pop("files_json") or ()
    return fields


async def _with_files(
    session: AsyncSession, tickets: Sequence[Any], slas: dict[uuid.UUID, dict[str, Any]]
) -> list[TicketOut]:
    files = await attachments.raised_with(session, [ticket.id for ticket in tickets])
    return [ticket_out(ticket, slas[ticket.id], files[ticket.id]) for ticket in tickets]


async def present_one(session: AsyncSession, ticket: Ticket) -> TicketOut:
    return (await present(session, [ticket]))[0]

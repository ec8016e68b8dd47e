"""Ticket use cases: list and update. Creation is `creation`; what follows a change, `flows`."""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from pydantic_core import to_jsonable_python
from sqlmodel.ext.asyncio.session import AsyncSession

from app import timesource
from app.api_keys.models import KeyKind
from app.assignment.models import Agent
from app.errors import Conflict, Forbidden, invalid
from app.events.models import EventType
from app.events.service import NewEvent, record
from app.pagination import keyset, opaque, page, unwrap
from app.repository import changes
from app.schemas import EARLIEST
from app.security import Principal
from app.sla import repository as sla_repository
from app.sla import ticket_clocks
from app.sla.clocks import Status as ClockStatus
from app.sla.models import TicketClock
from app.tickets import repository
from app.tickets.events import ticket_event
from app.tickets.lifecycle import FINAL
from app.tickets.models import Priority, Ticket
from app.tickets.present import ClockRows
from app.tickets.schemas import SlaFilter, TicketSort, TicketUpdate

CLIENT_EDITABLE = frozenset(
    {"subject", "description", "priority", "category", "context", "emergency"}
)


# Reading one ticket is the repository's tenant-scoped select, as it is.
get_visible = repository.get_visible


async def list_visible(
    session: AsyncSession,
    *,
    principal: Principal,
    filters: dict[str, Any],
    cursor: str | None,
    limit: int,
) -> tuple[list[Ticket], str | None]:
    """Tickets the caller may see, newest first, filtered (as rows, not ORM objects)."""
    statement = repository.scoped(principal, rows=True)
    for name in ("status", "priority", "category"):
        if filters.get(name):
            statement = statement.where(getattr(Ticket, name).in_(filters[name]))
    for name in ("organization_id", "assignee_id", "requester_id"):
        if filters.get(name) is not None:
            statement = statement.where(getattr(Ticket, name) == filters[name])
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
    statement = keyset(statement, Ticket.created_at, Ticket.id, cursor, limit)
    return page((await session.execute(statement)).all(), limit)


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
    rows = (await session.execute(statement.limit(limit + 1))).all()
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


async def _check_assignee(session: AsyncSession, agent_id: uuid.UUID | None) -> None:
    if agent_id is None:
        return
    agent = await session.get(Agent, agent_id)
    if agent is None or not agent.active:
        raise invalid("body.assignee_id", f"No active agent with id {agent_id}.")


def _values(principal: Principal, data: TicketUpdate) -> dict[str, Any]:
    values = data.model_dump(exclude_unset=True, mode="json")
    if not principal.is_staff and values.keys() - CLIENT_EDITABLE:
        raise Forbidden("Clients may change subject, description, priority, category and context.")
    for name, value in values.items():
        if value is None and name != "assignee_id":
            raise invalid(f"body.{name}", f"{name} cannot be null.")
    if values.get("emergency"):
        values["priority"] = Priority.critical.value
    if "context" in values:
        values["context"] = {k: v for k, v in values["context"].items() if v is not None}
    if values.get("assignee_id") is not None:
        values["assignee_id"] = uuid.UUID(values["assignee_id"])
    return values


@dataclass(frozen=True)
class Updated:
    """A ticket after an update, and what changed (for what the change sets off)."""

    ticket: Ticket
    changed: frozenset[str]
    became_emergency: bool


async def update(
    session: AsyncSession,
    *,
    principal: Principal,
    ticket_id: uuid.UUID,
    data: TicketUpdate,
    expected_version: int | None,
) -> Updated:
    """Applies a partial update and records what changed."""
    values = _values(principal, data)
    ticket = await repository.get_visible(session, principal=principal, ticket_id=ticket_id)
    if ticket.status in FINAL:
        raise Conflict(f"The ticket is {ticket.status}; it can no longer change.")
    _check_emergency(principal, ticket, values)
    emergency = values.get("emergency", ticket.emergency)
    if emergency and values.get("priority", Priority.critical) != Priority.critical:
        raise invalid(
            "body.priority", "An emergency is always critical; set emergency to false first."
        )
    await _check_assignee(session, values.get("assignee_id"))
    changed, previous = changes(ticket, values)
    if not changed:
        if expected_version not in (None, ticket.version):
            await repository.update_checked(
                session, ticket_id, {}, expected_version=expected_version
            )
        return Updated(ticket, frozenset(), became_emergency=False)
    was_emergency = ticket.emergency
    ticket = await repository.update_checked(
        session, ticket_id, {**changed, **_rerouting(changed)}, expected_version=expected_version
    )
    rows = (await sla_repository.clocks_of(session, [ticket.id], lock=True))[ticket.id]
    if "priority" in changed:
        context = await sla_repository.context_of_ticket(session, ticket)
        ticket_clocks.retarget(rows, priority=ticket.priority, context=context)
    events = _update_events(principal, ticket, rows, previous, was_emergency)
    await record(session, *events)
    return Updated(ticket, frozenset(changed), ticket.emergency and not was_emergency)


def _check_emergency(principal: Principal, ticket: Ticket, values: dict[str, Any]) -> None:
    """Only staff, the organization's integration and the requester raise a ticket to an
    emergency: it pages the on-call seniors, so one contact may not do it for another's."""
    if not values.get("emergency") or ticket.emergency or principal.kind is not KeyKind.contact:
        return
    if ticket.requester_id != principal.contact_id:
        raise Forbidden(
            "Only the ticket's requester or staff may declare it an emergency; "
            "add a comment to ask them."
        )


def _rerouting(changed: dict[str, Any]) -> dict[str, Any]:
    """A chosen assignee ends routing; a new category (another track) or a new emergency
    hands the ticket out again."""
    if "assignee_id" in changed:
        return repository.assigned_to(changed["assignee_id"], timesource.now())
    if "category" in changed or changed.get("emergency"):
        return repository.needs_routing(timesource.now())
    return {}


def _update_events(
    principal: Principal,
    ticket: Ticket,
    rows: ClockRows,
    previous: dict[str, Any],
    was_emergency: bool,
) -> list[NewEvent]:
    previous_json = to_jsonable_python(previous)
    events = [
        ticket_event(EventType.ticket_updated, ticket, principal, rows, previous=previous_json)
    ]
    if "assignee_id" in previous and ticket.assignee_id is not None and principal.is_staff:
        events.append(
            ticket_event(
                EventType.ticket_assigned,
                ticket,
                principal,
                rows,
                previous={"assignee_id": previous_json["assignee_id"]},
            )
        )
    if ticket.emergency and not was_emergency:
        events.append(ticket_event(EventType.ticket_emergency, ticket, principal, rows))
    return events


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

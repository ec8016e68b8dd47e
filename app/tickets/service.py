"""Ticket use cases: create, read, list, update."""

import uuid
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from pydantic_core import to_jsonable_python
from sqlmodel.ext.asyncio.session import AsyncSession

from app import clock
from app.api_keys.models import KeyKind
from app.assignment.models import Agent
from app.errors import Conflict, Forbidden, NotFound, invalid
from app.events.models import EventType
from app.events.service import NewEvent, record
from app.http import keyset, not_ours, opaque, page, unwrap
from app.repository import changes, update_versioned
from app.security import SYSTEM_ACTOR, Principal, require
from app.sla import engine
from app.sla.models import TicketClock
from app.tickets.lifecycle import Status
from app.tickets.models import Priority, Ticket
from app.tickets.present import ClockRows, snapshot
from app.tickets.schemas import SlaFilter, TicketSort, TicketUpdate

CLIENT_EDITABLE = frozenset(
    {"subject", "description", "priority", "category", "context", "emergency"}
)
FINAL = frozenset({Status.closed, Status.cancelled})


def ticket_event(
    type: EventType, ticket: Ticket, principal: Principal | None, clocks: ClockRows, **data: Any
) -> NewEvent:
    """An event about a ticket, carrying its snapshot."""
    return NewEvent(
        type=type,
        actor=principal.actor() if principal else SYSTEM_ACTOR,
        data={"ticket": snapshot(ticket, clocks), **data},
        organization_id=ticket.organization_id,
        ticket_id=ticket.id,
    )


def _scoped(principal: Principal, *, rows: bool = False) -> sa.Select[Any]:
    """Tickets the caller may see: ORM objects, or plain rows (cheaper) for read-only lists."""
    require(principal, *(kind for kind in KeyKind if kind is not KeyKind.widget))
    statement = sa.select(Ticket.__table__ if rows else Ticket)
    if principal.tenant is not None:
        statement = statement.where(Ticket.organization_id == principal.tenant)
    return statement


async def get_visible(
    session: AsyncSession, *, principal: Principal, ticket_id: uuid.UUID, lock: bool = False
) -> Ticket:
    """The ticket if the caller may see it; another tenant's is a 404."""
    statement = _scoped(principal).where(Ticket.id == ticket_id)
    if lock:
        statement = statement.with_for_update()
    ticket = (await session.execute(statement)).scalar_one_or_none()
    if ticket is None:
        raise NotFound(f"No ticket with id {ticket_id}.")
    return ticket


async def list_visible(
    session: AsyncSession,
    *,
    principal: Principal,
    filters: dict[str, Any],
    cursor: str | None,
    limit: int,
) -> tuple[list[Ticket], str | None]:
    """Tickets the caller may see, newest first, filtered (as rows, not ORM objects)."""
    statement = _scoped(principal, rows=True)
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
        statement = statement.where(sla_condition(filters["sla"], clock.now()))
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
URGENCY_KEY = sa.func.coalesce(
    sa.select(sa.func.min(TicketClock.due_at))
    .where(TicketClock.ticket_id == Ticket.id, TicketClock.status == "running")
    .correlate(Ticket.__table__)
    .scalar_subquery(),
    FAR_FUTURE,
)
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
    def read(value: Any) -> tuple[datetime, int, datetime, uuid.UUID]:
        due, position, created, row_id = value
        return (
            datetime.fromisoformat(due),
            int(position),
            datetime.fromisoformat(created),
            uuid.UUID(row_id),
        )

    decoded = unwrap(cursor, read)
    if decoded[0].tzinfo is None or decoded[2].tzinfo is None:
        raise not_ours()
    if not 0 <= decoded[1] <= LAST_PLACE:
        raise not_ours()
    return decoded


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


async def update(
    session: AsyncSession,
    *,
    principal: Principal,
    ticket_id: uuid.UUID,
    data: TicketUpdate,
    expected_version: int | None,
) -> Ticket:
    """Applies a partial update and records what changed."""
    values = _values(principal, data)
    ticket = await get_visible(session, principal=principal, ticket_id=ticket_id)
    if ticket.status in FINAL:
        raise Conflict(f"The ticket is {ticket.status}; it can no longer change.")
    emergency = values.get("emergency", ticket.emergency)
    if emergency and values.get("priority", Priority.critical) != Priority.critical:
        raise invalid(
            "body.priority", "An emergency is always critical; set emergency to false first."
        )
    await _check_assignee(session, values.get("assignee_id"))
    changed, previous = changes(ticket, values)
    if not changed:
        if expected_version not in (None, ticket.version):
            await update_versioned(
                session, Ticket, ticket_id, {}, expected_version=expected_version, what="ticket"
            )
        return ticket
    was_emergency = ticket.emergency
    ticket = await update_versioned(
        session,
        Ticket,
        ticket_id,
        {**changed, **_rerouting(changed, ticket)},
        expected_version=expected_version,
        what="ticket",
    )
    rows = (await engine.clocks_of(session, [ticket.id], lock=True))[ticket.id]
    if "priority" in changed:
        context = await engine.context_of_ticket(session, ticket)
        engine.retarget(rows, priority=ticket.priority, context=context)
    events = _update_events(principal, ticket, rows, previous, was_emergency)
    await record(session, *events)
    await _follow_ups(session, ticket, changed, was_emergency)
    return ticket


def _rerouting(changed: dict[str, Any], ticket: Ticket) -> dict[str, Any]:
    """A new category (another track) or a new emergency hands the ticket out again."""
    if ticket.status in FINAL:
        return {}
    if "assignee_id" in changed:
        return {"routing_requested_at": None if changed["assignee_id"] else clock.now()}
    if "category" in changed or changed.get("emergency"):
        return {"assignee_id": None, "routing_requested_at": clock.now()}
    return {}


async def _follow_ups(
    session: AsyncSession, ticket: Ticket, changed: dict[str, Any], was_emergency: bool
) -> None:
    """What an update sets off at once: a senior for a new emergency, escalation on impact."""
    from app.assignment import routing
    from app.escalation import service as escalation

    if "context" in changed:
        await escalation.on_impact(session, ticket.id)
        await session.refresh(ticket)
    if ticket.emergency and not was_emergency and ticket.routing_requested_at is not None:
        await routing.route(session, ticket)
        await session.refresh(ticket)


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
    live = TicketClock.status.in_(["running", "paused"])
    breached = sa.exists().where(
        TicketClock.ticket_id == Ticket.id,
        live,
        sa.or_(
            TicketClock.breached_at.is_not(None),
            sa.and_(TicketClock.status == "running", TicketClock.due_at <= now),
        ),
    )
    at_risk = sa.exists().where(
        TicketClock.ticket_id == Ticket.id,
        TicketClock.status == "running",
        TicketClock.at_risk_at <= now,
    )
    if wanted is SlaFilter.breached:
        return breached
    if wanted is SlaFilter.at_risk:
        return sa.and_(at_risk, sa.not_(breached))
    return sa.and_(sa.not_(at_risk), sa.not_(breached))

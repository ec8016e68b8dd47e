"""The tickets table: tenant scoping, locks, and every write.

No other module writes a ticket row. Every write here bumps `version` and `updated_at`, and
"needs routing" (`routing_requested_at`) is set and cleared only by the helpers below: a ticket
waits for an assignee from the moment it is raised, re-routed or unassigned, until an agent
takes it or its work is done.
"""

import uuid
from collections.abc import Iterable
from datetime import datetime
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine.interfaces import BindTyping
from sqlmodel.ext.asyncio.session import AsyncSession

from app import statements, timesource
from app.api_keys.models import KeyKind
from app.events.models import Event, OutboxEntry
from app.repository import added, one_or_404, tenant_filter, update_versioned
from app.security import Principal, require
from app.sla.clocks import Status as ClockStatus
from app.sla.models import TicketClock
from app.tickets.lifecycle import DONE, Status
from app.tickets.models import TICKET_NUMBER_SEQUENCE, Comment, Ticket, Visibility

NOT_DONE = Ticket.status.not_in([status.value for status in DONE])
# The most urgent running SLA clock of a ticket: the first key of the work order.
URGENCY = (
    sa.select(sa.func.min(TicketClock.due_at))
    .where(TicketClock.ticket_id == Ticket.id, TicketClock.status == ClockStatus.running)
    .correlate(Ticket.__table__)
    .scalar_subquery()
)


def scoped(principal: Principal, *, rows: bool = False) -> sa.Select[Any]:
    """Tickets the caller may see: ORM objects, or plain rows (cheaper) for read-only lists."""
    require(principal, *(kind for kind in KeyKind if kind is not KeyKind.widget))
    statement = sa.select(Ticket.__table__ if rows else Ticket)
    return tenant_filter(statement, Ticket.organization_id, principal)


async def get_visible(
    session: AsyncSession, *, principal: Principal, ticket_id: uuid.UUID, lock: bool = False
) -> Ticket:
    """The ticket if the caller may see it; another tenant's is a 404."""
    statement = scoped(principal).where(Ticket.id == ticket_id)
    if lock:
        statement = statement.with_for_update()
    return await one_or_404(session, statement, f"No ticket with id {ticket_id}.")


async def lock(session: AsyncSession, ticket_id: uuid.UUID) -> Ticket:
    """The ticket locked and read afresh (whatever the session held before)."""
    statement = (
        sa.select(Ticket)
        .where(Ticket.id == ticket_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return (await session.execute(statement)).scalar_one()


async def get(session: AsyncSession, ticket_id: uuid.UUID) -> Ticket | None:
    """The ticket with this id, whoever may see it (for workers and intake)."""
    return await session.get(Ticket, ticket_id)


async def by_number(
    session: AsyncSession, organization_id: uuid.UUID, number: int
) -> Ticket | None:
    """The organization's ticket SUP-<number>, if there is one."""
    statement = sa.select(Ticket).where(
        Ticket.organization_id == organization_id, Ticket.number == number
    )
    return (await session.execute(statement)).scalar_one_or_none()


async def many(session: AsyncSession, ticket_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Ticket]:
    """The tickets with these ids, by id."""
    statement = sa.select(Ticket).where(statements.among(Ticket.id, ticket_ids))
    return {ticket.id: ticket for ticket in (await session.execute(statement)).scalars()}


async def lock_free(session: AsyncSession, ticket_ids: list[uuid.UUID]) -> list[uuid.UUID]:
    """Locks those of the tickets no other transaction holds, in id order (the order every
    writer locks in); returns their ids."""
    statement = (
        sa.select(Ticket.id)
        .where(statements.among(Ticket.id, ticket_ids))
        .order_by(Ticket.id)
        .with_for_update(skip_locked=True)
    )
    return list((await session.execute(statement)).scalars())


async def lock_open_of(
    session: AsyncSession, organization_id: uuid.UUID
) -> dict[uuid.UUID, Ticket]:
    """An organization's open tickets, locked in id order so concurrent callers queue up."""
    statement = (
        sa.select(Ticket)
        .where(Ticket.organization_id == organization_id, NOT_DONE)
        .order_by(Ticket.id)
        .with_for_update()
    )
    return {ticket.id: ticket for ticket in (await session.execute(statement)).scalars()}


async def queued_ids(session: AsyncSession, organization_id: uuid.UUID) -> list[uuid.UUID]:
    """An organization's open tickets that have a queue position, first first."""
    statement = (
        sa.select(Ticket.id)
        .where(
            Ticket.organization_id == organization_id,
            Ticket.queue_position.is_not(None),
            NOT_DONE,
        )
        .order_by(Ticket.queue_position)
    )
    return list((await session.execute(statement)).scalars())


async def open_in_queue_order(
    session: AsyncSession, organization_id: uuid.UUID, limit: int
) -> list[Ticket]:
    """An organization's open tickets in the client's queue order, then oldest first."""
    statement = (
        sa.select(Ticket)
        .where(Ticket.organization_id == organization_id, NOT_DONE)
        .order_by(Ticket.queue_position.asc().nulls_last(), Ticket.created_at, Ticket.id)
        .limit(limit)
    )
    return list((await session.execute(statement)).scalars())


async def lock_resolved_before(session: AsyncSession, before: datetime, limit: int) -> list[Ticket]:
    """Tickets resolved before `before`, oldest first, skipping any another worker holds."""
    statement = (
        sa.select(Ticket)
        .where(Ticket.status == Status.resolved, Ticket.resolved_at <= before)
        .order_by(Ticket.resolved_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list((await session.execute(statement)).scalars())


def waiting_for_assignee(limit: int) -> sa.Select[Any]:
    """Tickets that need routing: most urgent SLA first, then the client's order, then oldest."""
    return (
        sa.select(
            Ticket.id,
            Ticket.escalation_level,
            Ticket.emergency,
            Ticket.category,
            Ticket.unassigned_notified_at,
        )
        .where(Ticket.routing_requested_at.is_not(None), NOT_DONE)
        .order_by(
            URGENCY.asc().nulls_last(),
            Ticket.queue_position.asc().nulls_last(),
            Ticket.created_at,
            Ticket.id,
        )
        .limit(limit)
    )


async def lock_pair(
    session: AsyncSession, first: uuid.UUID, second: uuid.UUID
) -> dict[uuid.UUID, Ticket]:
    """Two tickets of any organization, locked in id order (the order every writer locks in)
    and read afresh; a missing one is left out."""
    statement = (
        sa.select(Ticket)
        .where(Ticket.id.in_([first, second]))
        .order_by(Ticket.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return {ticket.id: ticket for ticket in (await session.execute(statement)).scalars()}


# -- problems and their incidents -------------------------------------------------------------


async def has_incidents(session: AsyncSession, problem_id: uuid.UUID) -> bool:
    """Whether any ticket is an incident of this one (ix_tickets_problem_id serves it)."""
    statement = sa.select(sa.exists().where(Ticket.problem_id == problem_id))
    return bool((await session.execute(statement)).scalar())


def incidents_of(problem_id: uuid.UUID) -> sa.Select[Any]:
    """A problem's incidents, whatever their organization, as plain rows (staff lists)."""
    return sa.select(Ticket.__table__).where(Ticket.problem_id == problem_id)


async def open_incident_ids(session: AsyncSession, problem_id: uuid.UUID) -> list[uuid.UUID]:
    """A problem's incidents whose work is not done, in id order (the order to lock them in)."""
    statement = (
        sa.select(Ticket.id).where(Ticket.problem_id == problem_id, NOT_DONE).order_by(Ticket.id)
    )
    return list((await session.execute(statement)).scalars())


async def set_problem(
    session: AsyncSession, ticket_id: uuid.UUID, problem_id: uuid.UUID | None
) -> Ticket:
    """Makes the (locked) ticket an incident of `problem_id`, or no incident when None."""
    return await update_checked(
        session, ticket_id, {"problem_id": problem_id}, expected_version=None
    )


# -- what "needs routing" means, in one place ------------------------------------------------


def needs_routing(
    at: datetime, *, keep_assignee: bool = False, announce_again: bool = False
) -> dict[str, Any]:
    """Values that hand a ticket out again; `announce_again` re-announces it if no one can
    take it (a new escalation level is a new search)."""
    values: dict[str, Any] = {"routing_requested_at": at}
    if not keep_assignee:
        values["assignee_id"] = None
    if announce_again:
        values["unassigned_notified_at"] = None
    return values


def assigned_to(agent_id: uuid.UUID | None, at: datetime) -> dict[str, Any]:
    """Values for an explicit assignee: a person ends routing, nobody starts it (a ticket
    already announced as unassigned is not announced again)."""
    if agent_id is None:
        return needs_routing(at)
    return {"assignee_id": agent_id, "routing_requested_at": None}


def _derived(values: dict[str, Any]) -> dict[str, Any]:
    """A ticket whose work is done no longer waits for anyone."""
    status = values.get("status")
    if status is not None and Status(status) in DONE:
        return {"routing_requested_at": None}
    return {}


# -- writes -----------------------------------------------------------------------------------


def new_values(*, opened_at: datetime, **columns: Any) -> dict[str, Any]:
    """A new ticket's row: status new, level 1, waiting for routing since it was opened."""
    return {
        "id": uuid.uuid4(),
        **columns,
        "status": Status.new.value,
        "assignee_id": None,
        "escalation_level": 1,
        "queue_position": None,
        "resolved_at": None,
        "closed_at": None,
        "merged_into_id": None,
        "problem_id": None,
        "revision_count": 0,
        "satisfaction_score": None,
        "satisfaction_comment": None,
        "satisfaction_rated_at": None,
        "routing_requested_at": opened_at,
        "unassigned_notified_at": None,
        "created_at": opened_at,
        "updated_at": opened_at,
        "version": 1,
    }


async def insert(
    session: AsyncSession,
    values: dict[str, Any],
    clock_rows: list[dict[str, Any]],
    event_rows: list[dict[str, Any]],
) -> None:
    """The ticket, its clocks, its events and their outbox rows in one statement."""
    statement = statements.recording(
        tuple(event_rows[0]),
        len(event_rows),
        ticket_columns=tuple(values),
        clock_columns=tuple(clock_rows[0]) if clock_rows else (),
        clocks=len(clock_rows),
    )
    parameters = {
        **statements.bind_rows("t", [values]),
        **statements.bind_rows("c", clock_rows),
        **statements.bind_rows("e", event_rows),
        "outbox_created_at": timesource.now(),
    }
    await session.execute(statement, parameters)


async def insert_checked(
    session: AsyncSession,
    check: sa.Select[Any],
    check_parameters: dict[str, Any],
    *,
    values: dict[str, Any],
    clock_rows: list[dict[str, Any]],
    event_rows: list[dict[str, Any]],
    number_prefix: str,
) -> int | None:
    """Like `insert`, in one statement, only if `check` finds a row; returns the ticket's
    number (taken here, so a refusal uses none), or None when nothing was written.

    `values` carry no number: the events' `data.ticket.number` is set to the number taken,
    shown as `number_prefix` + the number. `check` may use the ticket's parameters
    (t0_<column>) besides `check_parameters`.
    """
    statement = _checked(
        check,
        ticket_columns=tuple(values),
        clock_columns=tuple(clock_rows[0]) if clock_rows else (),
        clocks=len(clock_rows),
        event_columns=tuple(event_rows[0]),
        events=len(event_rows),
    )
    parameters = {
        **check_parameters,
        **statements.bind_rows("t", [values]),
        **statements.bind_rows("c", clock_rows),
        **statements.bind_rows("e", event_rows),
        "outbox_created_at": timesource.now(),
        "number_prefix": number_prefix,
    }
    return (await session.execute(statement, parameters)).scalar_one_or_none()


def _selected(
    table: sa.Table,
    prefix: str,
    columns: statements.Columns,
    rows: int,
    source: str,
    computed: dict[str, str] | None = None,
) -> tuple[str, list[sa.BindParameter[Any]]]:
    """`SELECT <row's parameters> FROM source`, once per row, as one query (no rows when the
    source has none). `computed`: SQL for some columns, where `{name}` is the parameter."""
    computed = computed or {}
    selects, binds = [], []
    for row in range(rows):
        names = [f"{prefix}{row}_{column}" for column in columns]
        pairs = list(zip(names, columns, strict=True))
        expressions = [computed.get(column, ":{name}").format(name=name) for name, column in pairs]
        selects.append(f"SELECT {', '.join(expressions)} FROM {source}")
        binds += [
            sa.bindparam(name, type_=table.c[column].type)
            for name, column in pairs
            if "{name}" in computed.get(column, "{name}")
        ]
    return " UNION ALL ".join(selects), binds


# Renders a check's parameters as plain `:name`, typed by the text statement that holds it.
_NAMED_PARAMETERS = postgresql.dialect(paramstyle="named")
_NAMED_PARAMETERS.bind_typing = BindTyping.NONE
# A new ticket's events carry it, number and all; the number is known only in the statement.
_NUMBERED_DATA = (
    "jsonb_set(:{name}, '{{ticket,number}}', to_jsonb(:number_prefix || new_ticket.number))"
)


@lru_cache(maxsize=64)
def _checked(
    check: sa.Select[Any],
    *,
    ticket_columns: statements.Columns,
    clock_columns: statements.Columns,
    clocks: int,
    event_columns: statements.Columns,
    events: int,
) -> sa.TextClause:
    """Built once per shape: the check, then ticket, clocks, events and outbox rows."""
    compiled = check.compile(dialect=_NAMED_PARAMETERS)
    binds = {bind.key: bind for bind in compiled.binds.values()}
    # The number is taken in the check's select: for a row it found, never for a refusal.
    source = f"(SELECT nextval('{TICKET_NUMBER_SEQUENCE.name}') AS number FROM checked) AS taken"
    ticket, ticket_binds = _selected(
        Ticket.__table__, "t", (*ticket_columns, "number"), 1, source, {"number": "taken.number"}
    )
    parts = [
        f"checked AS ({compiled})",
        f"new_ticket AS (INSERT INTO {Ticket.__tablename__} ({', '.join(ticket_columns)}, number)"
        f" {ticket} RETURNING number)",
    ]
    rows = [ticket_binds]
    if clocks:
        sql, clock_binds = _selected(
            TicketClock.__table__, "c", clock_columns, clocks, "new_ticket"
        )
        parts.append(
            f"new_clocks AS (INSERT INTO {TicketClock.__tablename__}"
            f" ({', '.join(clock_columns)}) {sql})"
        )
        rows.append(clock_binds)
    sql, event_binds = _selected(
        Event.__table__, "e", event_columns, events, "new_ticket", {"data": _NUMBERED_DATA}
    )
    parts.append(
        f"new_events AS (INSERT INTO {Event.__tablename__} ({', '.join(event_columns)}) {sql}"
        " RETURNING id)"
    )
    rows.append(event_binds)
    parts.append(
        f"new_outbox AS (INSERT INTO {OutboxEntry.__tablename__} (event_id, created_at)"
        " SELECT id, :outbox_created_at FROM new_events)"
    )
    for bind in (bind for group in rows for bind in group):
        binds.setdefault(bind.key, bind)
    binds["outbox_created_at"] = sa.bindparam("outbox_created_at", type_=sa.DateTime(True))
    binds["number_prefix"] = sa.bindparam("number_prefix", type_=sa.Text)
    sql = f"WITH {', '.join(parts)} SELECT number FROM new_ticket"
    return sa.text(sql).bindparams(*binds.values())


async def update(
    session: AsyncSession, ticket_id: uuid.UUID, values: dict[str, Any], *conditions: Any
) -> Ticket | None:
    """Writes `values` if the row still meets `conditions`; None when it no longer does."""
    statement = (
        sa.update(Ticket)
        .where(Ticket.id == ticket_id, *conditions)
        .values(
            **values, **_derived(values), updated_at=timesource.now(), version=Ticket.version + 1
        )
        .returning(Ticket)
        .execution_options(synchronize_session=False, populate_existing=True)
    )
    return (await session.execute(statement)).scalar_one_or_none()


async def update_checked(
    session: AsyncSession,
    ticket_id: uuid.UUID,
    values: dict[str, Any],
    *,
    expected_version: int | None,
) -> Ticket:
    """Writes `values` if the ticket is still at `expected_version` (412 otherwise)."""
    return await update_versioned(
        session,
        Ticket,
        ticket_id,
        {**values, **_derived(values)},
        expected_version=expected_version,
        what="ticket",
    )


def assign_statement(ticket_id: uuid.UUID) -> Any:
    """The UPDATE that hands the ticket to an agent (run by the capacity-checked claim)."""

    def statement(agent_id: uuid.UUID) -> sa.Update:
        return (
            sa.update(Ticket)
            .where(Ticket.id == ticket_id)
            .values(**_routed_to(agent_id))
            .execution_options(synchronize_session=False)
        )

    return statement


def _routed_to(agent: Any) -> dict[str, Any]:
    """The values of an assignment by routing (`agent`: an id or a column of ids)."""
    now = timesource.now()
    return {
        **assigned_to(agent, now),
        # Routed: should it wait again later (a new level), that wait is announced anew.
        "unassigned_notified_at": None,
        "updated_at": now,
        "version": Ticket.version + 1,
    }


async def mark_unassigned(session: AsyncSession, ticket: Ticket, at: datetime) -> None:
    """No one could take the ticket: remember it was announced, and keep it waiting."""
    ticket.unassigned_notified_at = at
    if ticket.routing_requested_at is None:
        ticket.routing_requested_at = at
    await session.flush()


async def set_queue_positions(
    session: AsyncSession, tickets: list[Ticket], positions: dict[uuid.UUID, int]
) -> None:
    """Gives each ticket its position in the client's queue (none if not listed)."""
    now = timesource.now()
    for ticket in tickets:
        ticket.queue_position = positions.get(ticket.id)
        ticket.updated_at = now
        ticket.version += 1
    await session.flush()


async def merge_links(session: AsyncSession, source: uuid.UUID, target: uuid.UUID) -> None:
    """`source` is a duplicate of `target`: its comments, split children and earlier
    duplicates now belong to `target`, and it points at `target`."""
    await session.execute(
        sa.update(Comment).where(Comment.ticket_id == source).values(ticket_id=target)
    )
    await session.execute(
        sa.update(Ticket).where(Ticket.id == source).values(merged_into_id=target)
    )
    await session.execute(
        sa.update(Ticket).where(Ticket.split_from_id == source).values(split_from_id=target)
    )
    await session.execute(
        sa.update(Ticket).where(Ticket.merged_into_id == source).values(merged_into_id=target)
    )


# -- comments ---------------------------------------------------------------------------------


async def add_comment(session: AsyncSession, comment: Comment) -> Comment:
    """A new comment, flushed so its id and time are there to read."""
    return await added(session, comment)


def comments_of(ticket_id: uuid.UUID, *, public_only: bool) -> sa.Select[Any]:
    """A ticket's comments; internal notes left out for clients."""
    statement = sa.select(Comment).where(Comment.ticket_id == ticket_id)
    if public_only:
        statement = statement.where(Comment.visibility == Visibility.public)
    return statement


async def lock_first_waiting(
    session: AsyncSession, ticket_ids: list[uuid.UUID], limit: int
) -> list[Ticket]:
    """The first `limit` of these tickets, in the order given, that still need routing and no
    other transaction holds: locked (SKIP LOCKED) and read afresh, in one statement."""
    ids = sa.literal(ticket_ids, ARRAY(sa.Uuid))
    statement = (
        sa.select(Ticket)
        .where(Ticket.id == sa.any_(ids), Ticket.routing_requested_at.is_not(None))
        .order_by(sa.func.array_position(ids, Ticket.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)
    )
    return list((await session.execute(statement)).scalars())


async def read_afresh(session: AsyncSession, ticket_ids: list[uuid.UUID]) -> None:
    """Reloads these tickets into the session, as this transaction's writes left them."""
    if ticket_ids:
        statement = (
            sa.select(Ticket)
            .where(statements.among(Ticket.id, ticket_ids))
            .execution_options(populate_existing=True)
        )
        (await session.execute(statement)).scalars().all()


async def assign_many(session: AsyncSession, agents: dict[uuid.UUID, uuid.UUID]) -> None:
    """Hands each (locked) ticket to its agent (ticket id -> agent id) in one statement, and
    reads the tickets back into the session as it left them."""
    if not agents:
        return
    # Two bound arrays, not a VALUES list, so the statement compiles once whatever the count.
    chosen = (
        sa.func.unnest(
            sa.literal(list(agents), ARRAY(sa.Uuid)),
            sa.literal(list(agents.values()), ARRAY(sa.Uuid)),
        )
        .table_valued("ticket_id", "agent_id")
        .render_derived(name="chosen")
    )
    statement = (
        sa.update(Ticket)
        .where(Ticket.id == chosen.c.ticket_id)
        .values(**_routed_to(chosen.c.agent_id))
        .returning(Ticket)
        .execution_options(synchronize_session=False, populate_existing=True)
    )
    (await session.execute(statement)).scalars().all()

"""Agents, their time off and PM change requests: every select and write of those tables,
the candidates with room, and claims that the capacity constraint settles."""

import uuid
from collections.abc import Callable, Collection, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from app import timesource
from app.assignment import scoring
from app.assignment.models import Agent, ChangeRequestStatus, PmChangeRequest, Role, TimeOff
from app.errors import NotFound
from app.pagination import keyset, page
from app.repository import added, get_or_404, versioned_update
from app.statements import among

CAPACITY_CONSTRAINT = "ck_agents_within_capacity"
# Room for one more ticket: what the capacity constraint allows every role but a PM.
HAS_ROOM = Agent.open_ticket_count < Agent.capacity
# How many agents of one group `leading` keeps (see there).
PER_GROUP = 3
Row = TypeVar("Row", Agent, TimeOff, PmChangeRequest)

# -- agents -----------------------------------------------------------------------------------


async def find(session: AsyncSession, agent_id: uuid.UUID) -> Agent | None:
    """The agent, or None when there is no such agent."""
    return await session.get(Agent, agent_id)


async def get(session: AsyncSession, agent_id: uuid.UUID) -> Agent:
    """The agent; a 404 when there is none."""
    return await get_or_404(session, Agent, agent_id, what="agent")


async def listed(
    session: AsyncSession,
    *,
    role: Role | None,
    active: bool | None,
    expertise: str | None,
    cursor: str | None,
    limit: int,
) -> tuple[list[Agent], str | None]:
    """A page of agents, newest first, filtered."""
    statement = sa.select(Agent)
    if role is not None:
        statement = statement.where(Agent.role == role)
    if active is not None:
        statement = statement.where(Agent.active == active)
    if expertise is not None:
        statement = statement.where(Agent.expertise.contains([expertise.lower()]))
    statement = keyset(statement, Agent.created_at, Agent.id, cursor, limit)
    return page((await session.execute(statement)).scalars().all(), limit)


async def insert(session: AsyncSession, values: dict[str, Any]) -> Agent:
    """A new agent."""
    return await added(session, Agent(**values))


update = versioned_update(Agent, "agent")


async def candidates(
    session: AsyncSession, roles: frozenset[str], at: datetime, *, for_tickets: bool = False
) -> list[scoring.Candidate]:
    """Active agents of these roles, with their load and out-of-office windows around `at`.

    A PM's capacity counts organizations; for tickets a PM is weighed by open tickets and is
    never full (the database does not cap PMs' tickets either).
    """
    agents = list(
        (
            await session.execute(
                sa.select(Agent).where(among(Agent.role, roles), Agent.active.is_(True))
            )
        ).scalars()
    )
    windows: dict[uuid.UUID, list[tuple[datetime, datetime]]] = {a.id: [] for a in agents}
    if agents:
        rows = await session.execute(
            sa.select(TimeOff.agent_id, TimeOff.starts_at, TimeOff.ends_at).where(
                among(TimeOff.agent_id, windows), TimeOff.ends_at > at
            )
        )
        for agent_id, starts_at, ends_at in rows:
            windows[agent_id].append((starts_at, ends_at))
    return [_candidate(agent, windows[agent.id], for_tickets) for agent in agents]


# The leading agents of each group that the score cannot tell apart but by load. A group
# shares working hours and how many wanted tags its agents have (each wanted tag is distinct);
# an agent with a tag that scoring's normalisation would change (capitals, extra spaces,
# non-ASCII: SQL compares tags as stored) is a group of its own. In a group, the score orders
# by load share, then load, age and id, as this window does.
LEADING = sa.text(
    f"""
    WITH pool AS (
        SELECT id, open_ticket_count, capacity, created_at, timezone,
               working_hours::text AS hours,
               (SELECT count(*) FROM unnest(CAST(:wanted AS text[])) AS tag
                WHERE tag = ANY(expertise)) AS matched,
               CASE WHEN expertise::text ~ '[^ -~]|[A-Z]|" | "|  ' THEN id END AS alone
        FROM agents
        WHERE role = ANY(:roles) AND active AND {HAS_ROOM}
          AND NOT EXISTS (SELECT FROM agent_time_off o WHERE o.agent_id = agents.id
                          AND o.starts_at <= :at AND o.ends_at > :at)
    ), numbered AS (
        SELECT id, row_number() OVER w AS n, lead(id) OVER w AS next
        FROM pool
        WINDOW w AS (PARTITION BY matched, alone, timezone, hours
                     ORDER BY open_ticket_count::float8 / capacity, open_ticket_count,
                              created_at, id)
    )
    SELECT agents.id, role, capacity, expertise, timezone, working_hours::text AS hours,
           agents.created_at, open_ticket_count, n = :per_group AND next IS NOT NULL AS cut
    FROM numbered JOIN agents ON agents.id = numbered.id
    WHERE n <= :per_group
    """
)


async def leading(
    session: AsyncSession,
    roles: frozenset[str],
    at: datetime,
    *,
    wanted: Sequence[str],
    per_group: int = PER_GROUP,
) -> tuple[list[scoring.Candidate], set[uuid.UUID]]:
    """The few agents (no PM) the ranking can put first: active, with room, not away at `at`,
    the `per_group` lowest loaded of each group; and those that stand for more of their group.

    Ranked, these candidates give the full ranking's order up to and including the first one
    that stands for more; past it, an agent left out here might come next.
    """
    params = {"roles": list(roles), "at": at, "wanted": list(wanted), "per_group": per_group}
    rows = (await session.execute(LEADING, params)).all()
    pool = [
        scoring.stored_candidate(
            row.id,
            row.role,
            row.capacity,
            row.open_ticket_count,
            tuple(row.expertise or ()),
            row.timezone,
            row.hours,
            row.created_at,
        )
        for row in rows
    ]
    return pool, {row.id for row in rows if row.cut}


def _candidate(
    agent: Agent, windows: list[tuple[datetime, datetime]], for_tickets: bool
) -> scoring.Candidate:
    candidate = scoring.candidate_from_agent(agent, load=agent.load, time_off=windows)
    if for_tickets and agent.role == Role.pm:
        load = agent.open_ticket_count
        return replace(candidate, load=load, capacity=load + max(agent.capacity, 1))
    return candidate


async def claim(session: AsyncSession, statement: sa.Update) -> bool:
    """Runs an assignment in a savepoint; False when the agent's capacity refuses it.

    The counters' triggers lock the agent's row, so concurrent claims queue up and each sees
    the load the previous one left: no agent ever goes over capacity.
    """
    try:
        async with session.begin_nested():
            await session.execute(statement)
    except IntegrityError as error:
        constraint = getattr(getattr(error.orig, "__cause__", None), "constraint_name", None)
        if constraint != CAPACITY_CONSTRAINT:
            raise
        return False
    return True


async def first_claimed(
    session: AsyncSession,
    ranked: list[scoring.Ranked],
    assign: Callable[[uuid.UUID], sa.Update],
) -> scoring.Ranked | None:
    """Tries the ranked candidates in order; the first whose capacity allows it wins."""
    for choice in ranked:
        if await claim(session, assign(choice.candidate.id)):
            return choice
    return None


async def first_free(
    session: AsyncSession,
    ranked: list[scoring.Ranked],
    assign: Callable[[uuid.UUID], sa.Update],
) -> scoring.Ranked | None:
    """Assigns to the first ranked agent (no PM) with room that no one else is claiming.

    The agent's row is locked first (`lock_first_free`) and holds room, so the assignment
    needs no savepoint; the capacity constraint still guards it.
    """
    choice = await lock_first_free(session, ranked)
    if choice is not None:
        await session.execute(assign(choice.candidate.id))
    return choice


async def lock_first_free(
    session: AsyncSession,
    ranked: list[scoring.Ranked],
    *,
    leaving: Collection[uuid.UUID] = (),
) -> scoring.Ranked | None:
    """Locks the first ranked agent (no PM), but those `leaving`, with room that no one else
    is claiming: SKIP LOCKED, an agent another transaction is filling is passed over, not
    waited for. The caller then assigns to them within this transaction."""
    ids = [choice.candidate.id for choice in ranked if choice.candidate.id not in leaving]
    if not ids:
        return None
    listed = sa.literal(ids, ARRAY(sa.Uuid))  # one bound array: compiled once, any length
    statement = (
        sa.select(Agent.id)
        .where(Agent.id == sa.any_(listed), HAS_ROOM)
        .order_by(sa.func.array_position(listed, Agent.id))
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    agent_id = (await session.execute(statement)).scalar_one_or_none()
    if agent_id is None:
        return None
    return next(choice for choice in ranked if choice.candidate.id == agent_id)


# -- time off ---------------------------------------------------------------------------------


async def insert_time_off(
    session: AsyncSession, agent_id: uuid.UUID, values: dict[str, Any]
) -> TimeOff:
    """A new out-of-office window for the agent."""
    return await added(session, TimeOff(agent_id=agent_id, **values))


async def time_off_listed(
    session: AsyncSession,
    agent_id: uuid.UUID,
    *,
    ending_after: datetime | None,
    cursor: str | None,
    limit: int,
) -> tuple[list[TimeOff], str | None]:
    """A page of the agent's windows, soonest first; `ending_after` hides the past ones."""
    statement = sa.select(TimeOff).where(TimeOff.agent_id == agent_id)
    if ending_after is not None:
        statement = statement.where(TimeOff.ends_at > ending_after)
    statement = keyset(statement, TimeOff.created_at, TimeOff.id, cursor, limit, newest_first=False)
    return page((await session.execute(statement)).scalars().all(), limit)


async def delete_time_off(
    session: AsyncSession, agent_id: uuid.UUID, time_off_id: uuid.UUID
) -> None:
    """Removes the agent's window; a 404 when the agent has no such window."""
    deleted = await session.execute(
        sa.delete(TimeOff).where(TimeOff.id == time_off_id, TimeOff.agent_id == agent_id)
    )
    if not deleted.rowcount:
        raise NotFound(f"No time off with id {time_off_id} for this agent.")


# -- PM change requests -----------------------------------------------------------------------


async def insert_change_request(session: AsyncSession, **values: Any) -> PmChangeRequest:
    """A pending request for a different PM (organization, contact, reason, previous PM)."""
    return await added(session, PmChangeRequest(**values))


async def lock_pending_change(
    session: AsyncSession, change_id: uuid.UUID
) -> PmChangeRequest | None:
    """The request, locked, if it is still pending and no other worker holds it."""
    statement = (
        sa.select(PmChangeRequest)
        .where(
            PmChangeRequest.id == change_id,
            PmChangeRequest.status == ChangeRequestStatus.pending,
        )
        .with_for_update(skip_locked=True)
    )
    return (await session.execute(statement)).scalar_one_or_none()


async def complete_change(
    session: AsyncSession, change: PmChangeRequest, *, new_pm_id: uuid.UUID, outcome: str
) -> None:
    """The request is done: it names the new PM and how it ended."""
    change.status, change.new_pm_id = ChangeRequestStatus.done, new_pm_id
    change.outcome = outcome
    change.completed_at = timesource.now()
    await session.flush()


async def pending_changes(session: AsyncSession, limit: int) -> list[uuid.UUID]:
    """Pending change requests, oldest first."""
    rows = await session.execute(
        sa.select(PmChangeRequest.id)
        .where(PmChangeRequest.status == ChangeRequestStatus.pending)
        .order_by(PmChangeRequest.created_at)
        .limit(limit)
    )
    return list(rows.scalars())

"""Agents, their time off and PM change requests: every select and write of those tables,
the candidates with room, and claims that the capacity constraint settles."""

import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from app import timesource
from app.assignment import scoring
from app.assignment.models import Agent, ChangeRequestStatus, PmChangeRequest, Role, TimeOff
from app.errors import NotFound
from app.pagination import keyset, page
from app.repository import added, get_or_404, versioned_update

CAPACITY_CONSTRAINT = "ck_agents_within_capacity"
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
                sa.select(Agent).where(Agent.role.in_(list(roles)), Agent.active.is_(True))
            )
        ).scalars()
    )
    windows: dict[uuid.UUID, list[tuple[datetime, datetime]]] = {a.id: [] for a in agents}
    if agents:
        rows = await session.execute(
            sa.select(TimeOff.agent_id, TimeOff.starts_at, TimeOff.ends_at).where(
                TimeOff.agent_id.in_(list(windows)), TimeOff.ends_at > at
            )
        )
        for agent_id, starts_at, ends_at in rows:
            windows[agent_id].append((starts_at, ends_at))
    return [_candidate(agent, windows[agent.id], for_tickets) for agent in agents]


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

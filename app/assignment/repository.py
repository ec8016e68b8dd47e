"""Agents for work: the candidates with room, and claims that the capacity constraint settles."""

import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from app.assignment import scoring
from app.assignment.models import Agent, Role, TimeOff

CAPACITY_CONSTRAINT = "ck_agents_within_capacity"


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

"""Agent use cases: create, read, list and update agents."""

import uuid

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from app.assignment.models import Agent, Role
from app.assignment.schemas import AgentCreate, AgentUpdate
from app.errors import invalid
from app.pagination import keyset, page
from app.repository import get_or_404, update_versioned
from app.sla.calendar import validate_weekly_hours

NULLABLE = frozenset({"backup_agent_id"})


async def _check_backup(
    session: AsyncSession, backup_id: uuid.UUID | None, agent_id: uuid.UUID | None = None
) -> None:
    if backup_id is None:
        return
    if backup_id == agent_id:
        raise invalid("body.backup_agent_id", "An agent cannot be their own backup.")
    if await session.get(Agent, backup_id) is None:
        raise invalid("body.backup_agent_id", f"No agent with id {backup_id}.")


def _check_hours(values: dict) -> None:
    hours = values.get("working_hours")
    if hours is None:
        return
    problems = validate_weekly_hours(hours)
    if problems:
        raise invalid("body.working_hours", "; ".join(problems))


async def create(session: AsyncSession, *, data: AgentCreate) -> Agent:
    """Adds an agent."""
    values = data.model_dump()
    _check_hours(values)
    await _check_backup(session, data.backup_agent_id)
    agent = Agent(**values)
    session.add(agent)
    await session.flush()
    return agent


async def get(session: AsyncSession, *, agent_id: uuid.UUID) -> Agent:
    return await get_or_404(session, Agent, agent_id, what="agent")


async def list_agents(
    session: AsyncSession,
    *,
    role: Role | None,
    active: bool | None,
    expertise: str | None,
    cursor: str | None,
    limit: int,
) -> tuple[list[Agent], str | None]:
    """Agents, newest first, filtered."""
    statement = sa.select(Agent)
    if role is not None:
        statement = statement.where(Agent.role == role)
    if active is not None:
        statement = statement.where(Agent.active == active)
    if expertise is not None:
        statement = statement.where(Agent.expertise.contains([expertise.lower()]))
    statement = keyset(statement, Agent.created_at, Agent.id, cursor, limit)
    return page((await session.execute(statement)).scalars().all(), limit)


async def update(
    session: AsyncSession,
    *,
    agent_id: uuid.UUID,
    data: AgentUpdate,
    expected_version: int | None,
) -> Agent:
    """Applies a partial update."""
    values = data.model_dump(exclude_unset=True)
    for name, value in values.items():
        if value is None and name not in NULLABLE:
            raise invalid(f"body.{name}", f"{name} cannot be null.")
    _check_hours(values)
    await _check_backup(session, values.get("backup_agent_id"), agent_id)
    return await update_versioned(
        session, Agent, agent_id, values, expected_version=expected_version, what="agent"
    )

"""Agent use cases: create, read, list and update agents."""

import uuid

from sqlmodel.ext.asyncio.session import AsyncSession

from app.assignment import repository as agents
from app.assignment.models import Agent
from app.assignment.schemas import AgentCreate, AgentUpdate
from app.errors import invalid
from app.sla.calendar import validate_weekly_hours

NULLABLE = frozenset({"backup_agent_id"})


async def _check_backup(
    session: AsyncSession, backup_id: uuid.UUID | None, agent_id: uuid.UUID | None = None
) -> None:
    if backup_id is None:
        return
    if backup_id == agent_id:
        raise invalid("body.backup_agent_id", "An agent cannot be their own backup.")
    if await agents.find(session, backup_id) is None:
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
    return await agents.insert(session, values)


async def get(session: AsyncSession, *, agent_id: uuid.UUID) -> Agent:
    return await agents.get(session, agent_id)


# Listing agents (newest first, filtered) is the repository's select, as it is.
list_agents = agents.listed


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
    return await agents.update(session, agent_id, values, expected_version=expected_version)

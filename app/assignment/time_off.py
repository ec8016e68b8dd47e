"""Out-of-office windows: recorded by an admin or by the agent themself."""

import uuid
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from app.api_keys.models import KeyKind
from app.assignment import repository as agents
from app.assignment.models import Agent, TimeOff
from app.assignment.schemas import TimeOffCreate
from app.errors import Forbidden, invalid
from app.security import Principal


async def _agent_for(session: AsyncSession, principal: Principal, agent_id: uuid.UUID) -> Agent:
    """The agent whose calendar this is; an agent key may manage only its own."""
    if principal.kind is KeyKind.agent and principal.agent_id != agent_id:
        raise Forbidden("An agent key manages only its own time off.")
    return await agents.get(session, agent_id)


async def create(
    session: AsyncSession, *, principal: Principal, agent_id: uuid.UUID, data: TimeOffCreate
) -> TimeOff:
    """Records a window; it must end after it starts."""
    await _agent_for(session, principal, agent_id)
    if data.ends_at <= data.starts_at:
        raise invalid("body.ends_at", "Time off must end after it starts.")
    return await agents.insert_time_off(session, agent_id, data.model_dump())


async def list_windows(
    session: AsyncSession,
    *,
    principal: Principal,
    agent_id: uuid.UUID,
    ending_after: datetime | None,
    cursor: str | None,
    limit: int,
) -> tuple[list[TimeOff], str | None]:
    """An agent's windows, soonest first; `ending_after` hides the past ones."""
    await _agent_for(session, principal, agent_id)
    return await agents.time_off_listed(
        session, agent_id, ending_after=ending_after, cursor=cursor, limit=limit
    )


async def delete(
    session: AsyncSession, *, principal: Principal, agent_id: uuid.UUID, time_off_id: uuid.UUID
) -> None:
    """Removes a window (plans change)."""
    await _agent_for(session, principal, agent_id)
    await agents.delete_time_off(session, agent_id, time_off_id)

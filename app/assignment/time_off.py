"""Out-of-office windows: recorded by an admin or by the agent themself."""

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from app.api_keys.models import KeyKind
from app.assignment.models import Agent, TimeOff
from app.assignment.schemas import TimeOffCreate
from app.errors import Forbidden, NotFound, invalid
from app.pagination import keyset, page
from app.repository import get_or_404
from app.security import Principal


async def _agent_for(session: AsyncSession, principal: Principal, agent_id: uuid.UUID) -> Agent:
    """The agent whose calendar this is; an agent key may manage only its own."""
    if principal.kind is KeyKind.agent and principal.agent_id != agent_id:
        raise Forbidden("An agent key manages only its own time off.")
    return await get_or_404(session, Agent, agent_id, what="agent")


async def create(
    session: AsyncSession, *, principal: Principal, agent_id: uuid.UUID, data: TimeOffCreate
) -> TimeOff:
    """Records a window; it must end after it starts."""
    await _agent_for(session, principal, agent_id)
    if data.ends_at <= data.starts_at:
        raise invalid("body.ends_at", "Time off must end after it starts.")
    window = TimeOff(agent_id=agent_id, **data.model_dump())
    session.add(window)
    await session.flush()
    return window


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
    statement = sa.select(TimeOff).where(TimeOff.agent_id == agent_id)
    if ending_after is not None:
        statement = statement.where(TimeOff.ends_at > ending_after)
    statement = keyset(statement, TimeOff.created_at, TimeOff.id, cursor, limit, newest_first=False)
    return page((await session.execute(statement)).scalars().all(), limit)


async def delete(
    session: AsyncSession, *, principal: Principal, agent_id: uuid.UUID, time_off_id: uuid.UUID
) -> None:
    """Removes a window (plans change)."""
    await _agent_for(session, principal, agent_id)
    deleted = await session.execute(
        sa.delete(TimeOff).where(TimeOff.id == time_off_id, TimeOff.agent_id == agent_id)
    )
    if not deleted.rowcount:
        raise NotFound(f"No time off with id {time_off_id} for this agent.")


async def away_at(
    session: AsyncSession, agent_ids: list[uuid.UUID], at: datetime
) -> set[uuid.UUID]:
    """Which of the agents are out of office at `at`."""
    if not agent_ids:
        return set()
    rows = await session.execute(
        sa.select(TimeOff.agent_id).where(
            TimeOff.agent_id.in_(agent_ids), TimeOff.starts_at <= at, TimeOff.ends_at > at
        )
    )
    return set(rows.scalars())

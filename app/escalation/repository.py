"""The escalations table: a ticket's chain, the triggers it has used, and each new step."""

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from app.escalation.models import Escalation, Trigger
from app.statements import among


async def chain(session: AsyncSession, ticket_id: uuid.UUID) -> list[Escalation]:
    """The escalations of a ticket, lowest level first."""
    rows = await session.execute(
        sa.select(Escalation).where(Escalation.ticket_id == ticket_id).order_by(Escalation.level)
    )
    return list(rows.scalars())


async def last_at(
    session: AsyncSession, ticket_id: uuid.UUID, triggers: Iterable[Trigger]
) -> datetime | None:
    """When the ticket was last escalated by one of these triggers; None if never."""
    return await session.scalar(
        sa.select(sa.func.max(Escalation.created_at)).where(
            Escalation.ticket_id == ticket_id, among(Escalation.trigger, triggers)
        )
    )


async def has_trigger(session: AsyncSession, ticket_id: uuid.UUID, trigger: Trigger) -> bool:
    """Whether this trigger has already escalated the ticket."""
    already = await session.execute(
        sa.select(Escalation.id).where(
            Escalation.ticket_id == ticket_id, Escalation.trigger == trigger
        )
    )
    return already.first() is not None


async def insert(
    session: AsyncSession,
    *,
    ticket_id: uuid.UUID,
    level: int,
    reason: str,
    trigger: Trigger,
    actor: dict[str, Any],
    assignee_id: uuid.UUID | None,
    at: datetime,
) -> Escalation:
    """Records one step up the chain (the unique (ticket, level) refuses a second one)."""
    escalation = Escalation(
        ticket_id=ticket_id,
        level=level,
        reason=reason,
        trigger=trigger,
        actor=actor,
        assignee_id=assignee_id,
        created_at=at,
        updated_at=at,
    )
    session.add(escalation)
    await session.flush()
    return escalation

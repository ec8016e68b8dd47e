"""The events table and its outbox: every write, and the timeline and change-feed selects."""

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from app import statements
from app.events.models import Event, EventType, EventVisibility, FeedState
from app.repository import tenant_filter
from app.security import Principal


async def insert(session: AsyncSession, rows: list[dict[str, Any]], now: datetime) -> None:
    """The event rows and their outbox rows in the current transaction: one statement for a
    few, a handful for a batch (statements.chunks)."""
    for chunk in statements.chunks(rows):
        statement = statements.recording(tuple(chunk[0]), len(chunk))
        parameters = {**statements.bind_rows("e", chunk), "outbox_created_at": now}
        await session.execute(statement, parameters)


async def of_ticket(
    session: AsyncSession,
    ticket_id: uuid.UUID,
    *,
    public_only: bool,
    after: int | None,
    limit: int,
) -> list[Event]:
    """Up to `limit` of a ticket's events after the sequence number `after`, oldest first."""
    statement = sa.select(Event).where(Event.ticket_id == ticket_id)
    if public_only:
        statement = statement.where(Event.visibility == EventVisibility.public)
    if after is not None:
        statement = statement.where(Event.seq > after)
    statement = statement.order_by(Event.seq).limit(limit)
    return list((await session.execute(statement)).scalars().all())


async def in_feed(
    session: AsyncSession,
    *,
    principal: Principal,
    public_only: bool,
    after: int,
    types: Sequence[EventType],
    limit: int,
    upto: int | None = None,
    ticket_id: uuid.UUID | None = None,
    tickets_only: bool = False,
) -> list[Event]:
    """Up to `limit` events the caller's tenancy allows, in change-feed order after `after`
    (and up to `upto`; of one ticket when given).

    Events still waiting in the outbox have no position yet, so they are not in the feed.
    """
    statement = sa.select(Event).where(Event.position.is_not(None), Event.position > after)  # type: ignore[union-attr,operator]
    if upto is not None:
        statement = statement.where(Event.position <= upto)  # type: ignore[operator]
    if ticket_id is not None:
        statement = statement.where(Event.ticket_id == ticket_id)
    if tickets_only:  # what contacts follow (`audience.for_contacts`)
        statement = statement.where(Event.ticket_id.is_not(None))
    statement = tenant_filter(statement, Event.organization_id, principal)
    if public_only:
        statement = statement.where(Event.visibility == EventVisibility.public)
    if types:
        statement = statement.where(statements.among(Event.type, [kind.value for kind in types]))
    statement = statement.order_by(Event.position).limit(limit)
    return list((await session.execute(statement)).scalars().all())


async def feed_end(session: AsyncSession) -> int:
    """The last position the relay has numbered."""
    return (await session.execute(sa.select(FeedState.last_position))).scalar_one()


async def numbered_after(session: AsyncSession, position: int, limit: int) -> list[Event]:
    """Up to `limit` events after `position` in feed order, of every organization: for a
    reader that scopes each event itself (the stream hub)."""
    statement = (
        sa.select(Event)
        .where(Event.position > position)  # type: ignore[operator]
        .order_by(Event.position)
        .limit(limit)
    )
    return list((await session.execute(statement)).scalars())


async def has_event(session: AsyncSession, ticket_id: uuid.UUID, type: EventType) -> bool:
    """Whether the ticket's timeline has an event of this type."""
    statement = sa.select(Event.id).where(Event.ticket_id == ticket_id, Event.type == type)
    return (await session.execute(statement.limit(1))).first() is not None

"""Recording events: one timeline row and one outbox row each, in the caller's transaction."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from app import timesource
from app.events import repository
from app.events.audience import ClientEvent, client_view
from app.events.models import Event, EventType, EventVisibility
from app.logs import request_id
from app.pagination import decode_seq_cursor, encode_seq_cursor
from app.security import Principal
from app.tickets import repository as tickets


@dataclass
class NewEvent:
    """An event about to be recorded."""

    type: EventType
    actor: dict[str, Any]
    data: dict[str, Any]
    organization_id: uuid.UUID | None = None
    ticket_id: uuid.UUID | None = None
    visibility: EventVisibility = EventVisibility.public
    id: uuid.UUID = field(default_factory=uuid.uuid4)


def event_rows(events: Sequence[NewEvent], now: datetime) -> list[dict[str, Any]]:
    """The events as rows of the events table."""
    origin = request_id.get()
    return [
        {
            "id": event.id,
            "type": event.type.value,
            "ticket_id": event.ticket_id,
            "organization_id": event.organization_id,
            "visibility": event.visibility.value,
            "actor": event.actor,
            "data": event.data,
            "created_at": now,
            "request_id": origin,
        }
        for event in events
    ]


async def record(session: AsyncSession, *events: NewEvent) -> None:
    """Writes the events and their outbox rows in one statement of the current transaction."""
    if not events:
        return
    now = timesource.now()
    await repository.insert(session, event_rows(events, now), now)


def seen_by(principal: Principal, events: Sequence[Event]) -> list[Event | ClientEvent]:
    """The events as this caller may see them: staff as recorded, clients their view."""
    if principal.is_staff:
        return list(events)
    return [client_view(event) for event in events]


async def timeline(
    session: AsyncSession,
    *,
    principal: Principal,
    ticket_id: uuid.UUID,
    cursor: str | None,
    limit: int,
) -> tuple[list[Event | ClientEvent], str | None]:
    """A ticket's events, oldest first; clients see only client-facing ones."""
    await tickets.get_visible(session, principal=principal, ticket_id=ticket_id)
    rows = await repository.of_ticket(
        session,
        ticket_id,
        public_only=not principal.is_staff,
        after=decode_seq_cursor(cursor) if cursor is not None else None,
        limit=limit + 1,
    )
    if len(rows) <= limit:
        return seen_by(principal, rows), None
    return seen_by(principal, rows[:limit]), encode_seq_cursor(rows[limit - 1].seq)


async def feed(
    session: AsyncSession,
    *,
    principal: Principal,
    cursor: str | None,
    types: Sequence[EventType],
    limit: int,
) -> tuple[list[Event | ClientEvent], str, bool]:
    """Events in change-feed order after the cursor: the page, the cursor to continue from
    (always given, so a consumer can poll with it) and whether more are waiting.

    Integration keys see their organization's client-facing events only.
    """
    after = decode_seq_cursor(cursor) if cursor is not None else 0
    rows = await repository.in_feed(
        session,
        principal=principal,
        public_only=not principal.is_staff,
        after=after,
        types=types,
        limit=limit + 1,
    )
    more = len(rows) > limit
    rows = rows[:limit]
    last = rows[-1].position if rows else after
    return seen_by(principal, rows), encode_seq_cursor(last or 0), more

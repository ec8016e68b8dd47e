"""A stream's frames: what the feed holds after the client's last id, then what arrives
live, each position once and in order (the replay stops where live delivery began)."""

from collections.abc import AsyncIterator

from sse_starlette import ServerSentEvent

from app.api_keys.models import KeyKind
from app.db import SessionFactory
from app.events import repository as events
from app.events.models import EventType
from app.stream import presence
from app.stream.hub import Hub
from app.stream.subscription import CLOSE, Message, Subscription, render

REPLAY_PAGE = 200
# What a browser waits before reconnecting (it then sends Last-Event-ID), told at once.
RETRY_MS = 2000


async def frames(
    hub: Hub, sessions: SessionFactory, subscription: Subscription, after: int | None
) -> AsyncIterator[bytes]:
    await hub.subscribe(subscription)
    try:
        yield _connected(subscription, after)
        last = subscription.start if after is None else after
        async for message in _replay(sessions, subscription, last):
            last = message.position or last
            yield message.frame
        while (message := await subscription.next()) is not CLOSE:
            if message.position is not None:
                if message.position <= last:
                    continue  # replayed already
                last = message.position
            yield message.frame
    finally:
        subscription.close()
        hub.unsubscribe(subscription)


def _connected(subscription: Subscription, after: int | None) -> bytes:
    """The first frame. A new stream's carries the position it starts from as its id, so a
    browser that reconnects before any event came resumes from there, missing nothing; a
    resumed stream's carries none (the browser keeps the id it sent)."""
    start = None if after is not None else str(subscription.start)
    return ServerSentEvent(id=start, retry=RETRY_MS, comment="connected").encode()


async def _replay(
    sessions: SessionFactory, subscription: Subscription, after: int
) -> AsyncIterator[Message]:
    """What the feed holds after `after`, up to where this process's live messages begin."""
    principal = subscription.principal
    wanted = subscription.filters.types
    types = [EventType(name) for name in wanted if name != presence.EVENT]
    if wanted and not types:
        return  # only ephemeral messages asked for: the feed holds none
    while after < subscription.start:
        async with sessions() as session:
            rows = await events.in_feed(
                session,
                principal=principal,
                public_only=not principal.is_staff,
                after=after,
                upto=subscription.start,
                types=types,
                ticket_id=subscription.filters.ticket_id,
                tickets_only=principal.kind is KeyKind.contact,
                limit=REPLAY_PAGE,
            )
        for row in rows:
            yield render(row, principal.is_staff)
        if len(rows) < REPLAY_PAGE or subscription.closed:
            return  # caught up, or the client hung up meanwhile
        after = rows[-1].position

"""One open stream: whom it is for, what it asked for, and the messages waiting to be sent.

Messages are rendered and framed once per view (staff, or one organization's clients) and
shared by every subscription that sees that view, so a thousand consoles cost one
serialization; sse-starlette's ServerSentEvent does the framing.
"""

import asyncio
import uuid
from collections import deque
from dataclasses import dataclass
from typing import Any

from sse_starlette import ServerSentEvent

from app.api_keys.models import KeyKind
from app.events.audience import client_view, for_contacts
from app.events.models import EventVisibility
from app.events.schemas import EventOut
from app.security import Principal

# Messages a slow client may fall behind by before its stream is closed; it reconnects with
# Last-Event-ID and catches up from the feed, so closing loses nothing.
QUEUE_LIMIT = 2000


@dataclass(frozen=True)
class Message:
    """One SSE message, framed: `position` is its id (None: ephemeral, e.g. presence)."""

    frame: bytes
    position: int | None = None


def message(event: str, data: str, position: int | None = None) -> Message:
    frame = ServerSentEvent(data, event=event, id=None if position is None else str(position))
    return Message(frame.encode(), position)


CLOSE = Message(b"")
# A comment line that keeps proxies from closing an idle stream (app/stream/hub.py sends it).
PING = Message(ServerSentEvent(comment="ping").encode())


@dataclass(frozen=True)
class Filters:
    types: frozenset[str] = frozenset()
    ticket_id: uuid.UUID | None = None

    def admit(self, event_type: str, ticket_id: uuid.UUID | None) -> bool:
        if self.ticket_id is not None and ticket_id != self.ticket_id:
            return False
        return not self.types or event_type in self.types


@dataclass(eq=False)
class Subscription:
    principal: Principal
    filters: Filters
    # The feed position this process had dispatched when the subscription began: what came
    # before is replayed from the database, what comes after arrives here.
    start: int = 0
    limit: int = QUEUE_LIMIT
    # Messages not sent yet, and the stream's wait for one: made when needed (an idle stream
    # holds neither; an asyncio.Queue would be four deques of 760 bytes each, idle or not).
    pending: deque[Message] | None = None
    waiter: asyncio.Future[None] | None = None
    closed: bool = False
    # Which of the hub's keep-alive ticks this stream's comment line goes out on.
    slot: int = 0

    async def next(self) -> Message:
        """The next message to send, once there is one."""
        while not self.pending:
            self.waiter = asyncio.get_running_loop().create_future()
            try:
                await self.waiter
            finally:
                self.waiter = None
        message = self.pending.popleft()
        if not self.pending:
            self.pending = None
        return message

    def _put(self, message: Message) -> None:
        if self.pending is None:
            self.pending = deque()
        self.pending.append(message)
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result(None)

    def sees(self, row: Any) -> bool:
        """Whether this subscriber may see a stored event (the feed's own scoping)."""
        principal = self.principal
        if principal.is_staff:
            return True
        if principal.kind is KeyKind.contact and not for_contacts(row.ticket_id):
            return False
        return row.organization_id == principal.tenant and row.visibility == EventVisibility.public

    def offer(self, message: Message) -> None:
        """Queues a message; a subscriber too far behind is closed (it resumes by id)."""
        if self.closed:
            return
        if self.pending is not None and len(self.pending) >= self.limit:
            self.close()
        else:
            self._put(message)

    def close(self) -> None:
        """Ends the stream after what is queued; when the queue is full, at once and with
        nothing of it sent, so the client resumes from the last message it got and misses
        none (dropping only the oldest would skip it for good)."""
        if self.closed:
            return
        self.closed = True
        if self.pending is not None and len(self.pending) >= self.limit:
            self.pending.clear()
        self._put(CLOSE)


def render(row: Any, staff: bool) -> Message:
    """A stored event as the feed shows it to staff, or to its organization's clients."""
    view = row if staff else client_view(row)
    return message(str(row.type), EventOut.model_validate(view).model_dump_json(), row.position)

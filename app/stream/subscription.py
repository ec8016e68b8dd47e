"""One open stream: whom it is for, what it asked for, and the messages waiting to be sent.

Messages are rendered once per view (staff, or one organization's clients) and shared by
every subscription that sees that view, so a thousand consoles cost one serialization.
"""

import asyncio
import uuid
from dataclasses import dataclass, field
from typing import Any

from app.events.audience import client_view
from app.events.models import EventVisibility
from app.events.schemas import EventOut
from app.security import Principal

# Messages a slow client may fall behind by before its stream is closed; it reconnects with
# Last-Event-ID and catches up from the feed, so closing loses nothing.
QUEUE_LIMIT = 2000


@dataclass(frozen=True)
class Message:
    """One SSE message: `position` is its id (None: ephemeral, e.g. presence)."""

    event: str
    data: str
    position: int | None = None


CLOSE = Message(event="", data="")


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
    queue: asyncio.Queue[Message] = field(default_factory=lambda: asyncio.Queue(QUEUE_LIMIT))
    closed: bool = False

    def sees(self, row: Any) -> bool:
        """Whether this subscriber may see a stored event (the feed's own scoping)."""
        if self.principal.is_staff:
            return True
        return (
            row.organization_id == self.principal.tenant
            and row.visibility == EventVisibility.public
        )

    def offer(self, message: Message) -> None:
        """Queues a message; a subscriber too far behind is closed (it resumes by id)."""
        if self.closed:
            return
        try:
            self.queue.put_nowait(message)
        except asyncio.QueueFull:
            self.close()

    def close(self) -> None:
        """Ends the stream after what is queued (or at once, when the queue is full)."""
        if self.closed:
            return
        self.closed = True
        while True:
            try:
                self.queue.put_nowait(CLOSE)
                return
            except asyncio.QueueFull:
                self.queue.get_nowait()  # the client resumes from the feed anyway


def render(row: Any, staff: bool) -> Message:
    """A stored event as the feed shows it to staff, or to its organization's clients."""
    view = row if staff else client_view(row)
    data = EventOut.model_validate(view).model_dump_json()
    return Message(event=str(row.type), data=data, position=row.position)

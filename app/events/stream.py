"""The messages of GET /v1/stream as the spec documents them (app/stream/ writes them)."""

import uuid
from typing import Annotated

from pydantic import BaseModel, Field
from pydantic.json_schema import SkipJsonSchema

from app.events.schemas import Event
from app.routers.presence import PresenceOut  # what PUT …/presence answers, entry by entry


class PresenceChange(BaseModel):
    """Who is on a ticket now (staff streams only): everyone present, earliest first."""

    ticket_id: uuid.UUID
    data: list[PresenceOut] = Field(max_length=1000)


class StreamMessage(BaseModel):
    """One message of the stream. The body is a sequence of them in the Server-Sent Events
    format: an `id:` line (events only), an `event:` line, one `data:` line holding a JSON
    document, and a blank line. Comment lines (`: ping`) keep an idle stream open."""

    id: Annotated[str, Field(max_length=19, pattern=r"^[0-9]+$")] | SkipJsonSchema[None] = Field(
        default=None,
        description="The event's change-feed position: what `Last-Event-ID` resumes after. "
        "Absent for `ticket.presence`.",
    )
    event: str = Field(
        max_length=40,
        description="The event's `type`, or `ticket.presence` for a presence change.",
    )
    data: Annotated[Event | PresenceChange, Field(union_mode="left_to_right")] = Field(
        description="An `Event`, exactly as the change feed shows it to the same key, or a "
        "`PresenceChange` when `event` is `ticket.presence`."
    )

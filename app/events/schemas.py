"""Events as the API shows them (timeline and change feed)."""

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.events.models import EventType


class Actor(BaseModel):
    type: str
    id: uuid.UUID | None = None
    key_id: uuid.UUID | None = None


class EventOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    type: EventType
    ticket_id: uuid.UUID | None
    organization_id: uuid.UUID | None
    actor: Actor
    created_at: datetime
    data: dict[str, Any]
    request_id: str | None = Field(
        default=None, description="The X-Request-ID of the API call (or job) that caused it."
    )


class EventList(BaseModel):
    data: list[EventOut]
    next_cursor: str | None


class FeedPage(BaseModel):
    data: list[EventOut]
    next_cursor: str = Field(
        description="Where to continue: always set, so a consumer that has caught up polls "
        "with it and gets only what is new."
    )
    has_more: bool = Field(description="More events are waiting after this page.")

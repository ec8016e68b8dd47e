"""Webhook endpoints and deliveries as the API shows them; the secret appears only when made."""

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from app.events.models import EventType
from app.schemas import (
    CURSOR_LENGTH,
    PAGE_MAX,
    Count,
    Counter,
    Input,
    Instant,
    Listed,
    Output,
    Text,
    Whole,
)
from app.webhooks.models import DeliveryStatus

# Attempts a delivery shows: far more than one run of the retry schedule (app/webhooks/retry.py).
ATTEMPTS_SHOWN = 100

Url = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2048)]
Description = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]
# An HTTP status as h11 reads it: three digits.
HttpStatus = Whole(0, 999)
EventTypes = Annotated[
    list[EventType],
    Field(
        max_length=len(EventType),
        description="Event types to receive; empty (the default) for all of them.",
    ),
]


class WebhookEndpointCreate(Input):
    url: Url = Field(examples=["https://hooks.example.com/support-desk"])
    event_types: EventTypes = Field(default_factory=list)
    description: Description | None = None
    enabled: bool = True
    organization_id: uuid.UUID | None = Field(
        default=None,
        description="Admins only: receive one organization's client-facing events instead of "
        "the operator's view of all of them. Integration keys always get their own.",
    )


class WebhookEndpointUpdate(Input):
    url: Url | None = None
    event_types: EventTypes | None = None
    description: Description | None = None
    enabled: bool | None = Field(
        default=None,
        description="Re-enabling resumes the endpoint's pending deliveries at once.",
    )


class WebhookEndpointOut(Output):
    url: Text(2048)
    event_types: Listed(EventType, len(EventType))
    description: Text(500) | None
    enabled: bool
    organization_id: uuid.UUID | None
    disabled_reason: Text(500) | None
    disabled_at: datetime | None
    failing_since: datetime | None


class WebhookEndpointWithSecret(WebhookEndpointOut):
    # whsec_ and 24 bytes in base64 (app/webhooks/service.py).
    secret: Text(len("whsec_") + 32) = Field(
        description="The signing secret (whsec_…). Shown only now: store it.",
        examples=["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
    )


class WebhookEndpointList(BaseModel):
    data: Listed(WebhookEndpointOut, PAGE_MAX)
    next_cursor: Text(CURSOR_LENGTH) | None


class WebhookAttemptOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    attempted_at: datetime
    status_code: HttpStatus | None = Field(description="The receiver's status; null if none came.")
    duration_ms: Counter
    error: Text(500) | None
    response_body: Text(2048) | None = Field(description="The start of the receiver's response.")


class WebhookDeliveryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    endpoint_id: uuid.UUID
    event_id: uuid.UUID | None = Field(description="Null for a test ping.")
    # evt_ and the event's (or the test ping's) id.
    webhook_id: Text(len("evt_") + 36) = Field(
        description="The `webhook-id` header: the same on every attempt."
    )
    event_type: Text(40)
    status: DeliveryStatus
    attempt_count: Counter
    attempts: list[WebhookAttemptOut] = Field(
        max_length=ATTEMPTS_SHOWN,
        description=f"The latest {ATTEMPTS_SHOWN} attempts (every one, until a delivery has "
        "been retried that often), oldest first.",
    )
    next_attempt_at: datetime | None
    last_status_code: HttpStatus | None
    last_error: Text(500) | None
    delivered_at: datetime | None
    created_at: datetime
    updated_at: datetime


class WebhookDeliveryList(BaseModel):
    data: Listed(WebhookDeliveryOut, PAGE_MAX)
    next_cursor: Text(CURSOR_LENGTH) | None


class ReplayRequest(Input):
    since: Instant = Field(description="Resend every matching event from this time on.")
    until: Instant | None = Field(default=None, description="…up to this time (default: now).")


class ReplayResult(BaseModel):
    deliveries: Count = Field(description="Deliveries queued (new, or reset to pending).")

"""Webhook endpoints and deliveries as the API shows them; the secret appears only when made."""

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from app.events.models import EventType
from app.schemas import Input, Instant, Output
from app.webhooks.models import DeliveryStatus

Url = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2048)]
Description = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]
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
    url: str
    event_types: list[EventType]
    description: str | None
    enabled: bool
    organization_id: uuid.UUID | None
    disabled_reason: str | None
    disabled_at: datetime | None
    failing_since: datetime | None


class WebhookEndpointWithSecret(WebhookEndpointOut):
    secret: str = Field(
        description="The signing secret (whsec_…). Shown only now: store it.",
        examples=["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
    )


class WebhookEndpointList(BaseModel):
    data: list[WebhookEndpointOut]
    next_cursor: str | None


class WebhookAttemptOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    attempted_at: datetime
    status_code: int | None = Field(description="The receiver's status; null if none came.")
    duration_ms: int
    error: str | None
    response_body: str | None = Field(description="The start of the receiver's response.")


class WebhookDeliveryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    endpoint_id: uuid.UUID
    event_id: uuid.UUID | None = Field(description="Null for a test ping.")
    webhook_id: str = Field(description="The `webhook-id` header: the same on every attempt.")
    event_type: str
    status: DeliveryStatus
    attempt_count: int
    attempts: list[WebhookAttemptOut] = Field(description="Every attempt, oldest first.")
    next_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    delivered_at: datetime | None
    created_at: datetime
    updated_at: datetime


class WebhookDeliveryList(BaseModel):
    data: list[WebhookDeliveryOut]
    next_cursor: str | None


class ReplayRequest(Input):
    since: Instant = Field(description="Resend every matching event from this time on.")
    until: Instant | None = Field(default=None, description="…up to this time (default: now).")


class ReplayResult(BaseModel):
    deliveries: int = Field(description="Deliveries queued (new, or reset to pending).")

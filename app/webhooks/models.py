"""Webhook endpoints, their deliveries (one per endpoint and event) and every attempt."""

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlmodel import Field, SQLModel

from app.base import TIMESTAMP, Resource, created_field, enum_check, id_field


class WebhookEndpoint(Resource, table=True):
    __tablename__ = "webhook_endpoints"

    # Null for an operator's endpoint (every organization, internal events included).
    organization_id: uuid.UUID | None = Field(
        default=None,
        sa_column=sa.Column(
            sa.Uuid, sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True
        ),
    )
    url: str = Field(sa_type=sa.String(2048), nullable=False)
    description: str | None = Field(default=None, sa_type=sa.String(500))
    # Empty: every event type.
    event_types: list[str] = Field(
        default_factory=list,
        sa_column=sa.Column(ARRAY(sa.String(40)), nullable=False, server_default="{}"),
    )
    enabled: bool = Field(default=True, nullable=False)
    disabled_reason: str | None = Field(default=None, sa_type=sa.String(500))
    disabled_at: datetime | None = Field(default=None, sa_type=TIMESTAMP)
    # Set by the first failed attempt after a success; an endpoint failing for days is disabled.
    failing_since: datetime | None = Field(default=None, sa_type=TIMESTAMP)
    # Signing secrets, encrypted (app.crypto); the previous one signs too until it expires.
    secret_sealed: str = Field(sa_type=sa.Text, nullable=False)
    previous_secret_sealed: str | None = Field(default=None, sa_type=sa.Text)
    previous_secret_expires_at: datetime | None = Field(default=None, sa_type=TIMESTAMP)
    # The last bulk replay: the next one waits out SUPPORTDESK_WEBHOOK_REPLAY_COOLDOWN_SECONDS.
    replayed_at: datetime | None = Field(default=None, sa_type=TIMESTAMP)


class DeliveryStatus(StrEnum):
    pending = "pending"  # waiting for its (next) attempt, or being attempted
    delivered = "delivered"
    failed = "failed"  # retries exhausted, endpoint gone (410), or a one-shot test that failed


class WebhookDelivery(SQLModel, table=True):
    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        enum_check("status", DeliveryStatus),
        sa.UniqueConstraint("endpoint_id", "event_id"),
        sa.Index(
            "ix_webhook_deliveries_due",
            "next_attempt_at",
            postgresql_where=sa.text("status = 'pending'"),
        ),
        # "This endpoint's oldest due deliveries": a claim's probe of an endpoint with room.
        sa.Index(
            "ix_webhook_deliveries_endpoint_due",
            "endpoint_id",
            "next_attempt_at",
            postgresql_where=sa.text("status = 'pending'"),
        ),
        # "Is an earlier event for this ticket still pending at this endpoint?"
        sa.Index(
            "ix_webhook_deliveries_pending_order",
            "endpoint_id",
            "ticket_id",
            "position",
            postgresql_where=sa.text("status = 'pending'"),
        ),
        sa.Index("ix_webhook_deliveries_endpoint_created", "endpoint_id", "created_at", "id"),
    )

    id: uuid.UUID = id_field()
    endpoint_id: uuid.UUID = Field(
        sa_column=sa.Column(
            sa.Uuid, sa.ForeignKey("webhook_endpoints.id", ondelete="CASCADE"), nullable=False
        )
    )
    # Null for a test ping, whose payload is kept here instead.
    event_id: uuid.UUID | None = Field(
        default=None,
        sa_column=sa.Column(sa.Uuid, sa.ForeignKey("events.id", ondelete="CASCADE"), index=True),
    )
    event_type: str = Field(sa_type=sa.String(40), nullable=False)
    ticket_id: uuid.UUID | None = Field(default=None, sa_type=sa.Uuid)
    position: int | None = Field(default=None, sa_type=sa.BigInteger)
    payload: dict[str, Any] | None = Field(default=None, sa_type=JSONB)
    status: DeliveryStatus = Field(
        default=DeliveryStatus.pending, sa_type=sa.String(16), nullable=False
    )
    attempt_count: int = Field(default=0, nullable=False)
    # Failures since the schedule last started over (a manual retry starts it over).
    failures: int = Field(default=0, nullable=False)
    # When pending: the next attempt, or the end of the current attempt's lease.
    next_attempt_at: datetime | None = Field(default=None, sa_type=TIMESTAMP)
    last_status_code: int | None = None
    last_error: str | None = Field(default=None, sa_type=sa.String(500))
    delivered_at: datetime | None = Field(default=None, sa_type=TIMESTAMP)
    created_at: datetime = created_field()
    updated_at: datetime = created_field()


class WebhookAttempt(SQLModel, table=True):
    __tablename__ = "webhook_attempts"
    __table_args__ = (sa.Index("ix_webhook_attempts_delivery_id_id", "delivery_id", "id"),)

    id: int | None = Field(
        default=None, sa_column=sa.Column(sa.BigInteger, sa.Identity(), primary_key=True)
    )
    delivery_id: uuid.UUID = Field(
        sa_column=sa.Column(
            sa.Uuid, sa.ForeignKey("webhook_deliveries.id", ondelete="CASCADE"), nullable=False
        )
    )
    attempted_at: datetime = Field(sa_type=TIMESTAMP, nullable=False)
    status_code: int | None = None
    duration_ms: int = Field(nullable=False)
    error: str | None = Field(default=None, sa_type=sa.String(500))
    response_body: str | None = Field(default=None, sa_type=sa.String(2048))

"""The timeline/change-feed events and the transactional outbox."""

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from app.base import created_field, enum_check, id_field


class EventType(StrEnum):
    ticket_created = "ticket.created"
    ticket_updated = "ticket.updated"
    ticket_status_changed = "ticket.status_changed"
    ticket_assigned = "ticket.assigned"
    ticket_unassigned = "ticket.unassigned"
    ticket_comment_added = "ticket.comment_added"
    ticket_sla_at_risk = "ticket.sla_at_risk"
    ticket_sla_breached = "ticket.sla_breached"
    ticket_escalated = "ticket.escalated"
    ticket_emergency = "ticket.emergency"
    ticket_split = "ticket.split"
    ticket_merged = "ticket.merged"
    ticket_linked = "ticket.linked"
    ticket_satisfaction_rated = "ticket.satisfaction_rated"
    ticket_chat_ended = "ticket.chat_ended"
    organization_pm_assigned = "organization.pm_assigned"
    organization_pm_changed = "organization.pm_changed"
    organization_pm_unassigned = "organization.pm_unassigned"
    intake_refused = "intake.refused"
    webhook_endpoint_disabled = "webhook_endpoint.disabled"


class EventVisibility(StrEnum):
    """`public` events are client-facing; `internal` ones are for the operator only."""

    public = "public"
    internal = "internal"


class Event(SQLModel, table=True):
    __tablename__ = "events"
    __table_args__ = (
        enum_check("visibility", EventVisibility),
        sa.Index("ix_events_ticket_id_seq", "ticket_id", "seq"),
        sa.Index("ix_events_organization_id_seq", "organization_id", "seq"),
        sa.Index(
            "uq_events_position",
            "position",
            unique=True,
            postgresql_where=sa.text("position IS NOT NULL"),
        ),
        # Replays find "events since T" with it; BRIN costs almost nothing to keep.
        sa.Index("ix_events_created_at_brin", "created_at", postgresql_using="brin"),
        sa.Index(
            "ix_events_organization_id_position",
            "organization_id",
            "position",
            postgresql_where=sa.text("position IS NOT NULL"),
        ),
    )

    id: uuid.UUID = id_field()
    # Insertion order (per ticket this is commit order: writers lock the ticket first).
    seq: int = Field(
        sa_column=sa.Column(sa.BigInteger, sa.Identity(always=True), nullable=False, unique=True)
    )
    # Change-feed order, assigned by the relay once the event's transaction has committed;
    # null while the event waits in the outbox.
    position: int | None = Field(default=None, sa_type=sa.BigInteger)
    type: EventType = Field(sa_type=sa.String(40), nullable=False, index=True)
    ticket_id: uuid.UUID | None = Field(default=None, foreign_key="tickets.id")
    organization_id: uuid.UUID | None = Field(default=None, foreign_key="organizations.id")
    visibility: EventVisibility = Field(sa_type=sa.String(16), nullable=False)
    actor: dict[str, Any] = Field(sa_type=JSONB, nullable=False)
    data: dict[str, Any] = Field(sa_type=JSONB, nullable=False)
    created_at: datetime = created_field()
    # The API request (X-Request-ID) or job whose work recorded the event.
    request_id: str | None = Field(default=None, sa_type=sa.String(64))


class OutboxEntry(SQLModel, table=True):
    """Events not yet relayed; the relay deletes a row once its event has a feed position
    and its webhook deliveries exist."""

    __tablename__ = "outbox"

    id: int | None = Field(
        default=None, sa_column=sa.Column(sa.BigInteger, sa.Identity(), primary_key=True)
    )
    event_id: uuid.UUID = Field(foreign_key="events.id", nullable=False, unique=True)
    created_at: datetime = created_field()


class FeedState(SQLModel, table=True):
    """One row: the last change-feed position handed out. Its row lock serializes the relay."""

    __tablename__ = "feed_state"
    __table_args__ = (sa.CheckConstraint("id = 1", name="single_row"),)

    id: int = Field(default=1, primary_key=True)
    last_position: int = Field(default=0, sa_type=sa.BigInteger, nullable=False)

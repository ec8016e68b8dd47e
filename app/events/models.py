"""The timeline/change-feed events and the transactional outbox."""

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from app.base import TIMESTAMP, created_field, enum_check, id_field


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
    ticket_satisfaction_rated = "ticket.satisfaction_rated"
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
    )

    id: uuid.UUID = id_field()
    # Feed order; the transaction id lets the feed hold back rows of still-open transactions.
    seq: int = Field(
        sa_column=sa.Column(sa.BigInteger, sa.Identity(always=True), nullable=False, unique=True)
    )
    txid: int | None = Field(
        default=None,
        sa_column=sa.Column(
            sa.BigInteger, server_default=sa.text("pg_current_xact_id()::text::bigint")
        ),
    )
    type: EventType = Field(sa_type=sa.String(40), nullable=False, index=True)
    ticket_id: uuid.UUID | None = Field(default=None, foreign_key="tickets.id")
    organization_id: uuid.UUID | None = Field(default=None, foreign_key="organizations.id")
    visibility: EventVisibility = Field(sa_type=sa.String(16), nullable=False)
    actor: dict[str, Any] = Field(sa_type=JSONB, nullable=False)
    data: dict[str, Any] = Field(sa_type=JSONB, nullable=False)
    created_at: datetime = created_field()


class OutboxEntry(SQLModel, table=True):
    __tablename__ = "outbox"
    __table_args__ = (
        sa.Index("ix_outbox_pending", "id", postgresql_where=sa.text("relayed_at IS NULL")),
    )

    id: int | None = Field(
        default=None, sa_column=sa.Column(sa.BigInteger, sa.Identity(), primary_key=True)
    )
    event_id: uuid.UUID = Field(foreign_key="events.id", nullable=False, unique=True)
    created_at: datetime = created_field()
    relayed_at: datetime | None = Field(default=None, sa_type=TIMESTAMP)

"""Tickets and their comments."""

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR
from sqlmodel import Field

from app.base import TIMESTAMP, Resource, created_field, enum_check, id_field
from app.tickets.lifecycle import Status

TICKET_NUMBER_SEQUENCE = sa.Sequence("ticket_number_seq", start=1000)


class Priority(StrEnum):
    critical = "critical"
    high = "high"
    medium = "medium"
    low = "low"


class Category(StrEnum):
    technical = "technical"
    account = "account"
    billing = "billing"
    request = "request"
    project = "project"
    feature_request = "feature_request"
    bug_report = "bug_report"
    general = "general"


class Channel(StrEnum):
    api = "api"
    widget = "widget"
    email = "email"
    portal = "portal"
    phone = "phone"
    chat = "chat"


class Visibility(StrEnum):
    public = "public"
    internal = "internal"


class AuthorType(StrEnum):
    agent = "agent"
    contact = "contact"
    system = "system"


SEARCH_DOCUMENT = (
    "setweight(to_tsvector('english', coalesce(subject, '')), 'A') || "
    "setweight(to_tsvector('english', coalesce(description, '')), 'B')"
)


class Ticket(Resource, table=True):
    __tablename__ = "tickets"
    __table_args__ = (
        enum_check("priority", Priority),
        enum_check("category", Category),
        enum_check("channel", Channel),
        enum_check("status", Status),
        sa.CheckConstraint("escalation_level BETWEEN 1 AND 4", name="escalation_level_range"),
        sa.CheckConstraint("satisfaction_score BETWEEN 1 AND 5", name="satisfaction_score_range"),
        sa.Index(
            "ix_tickets_split_from_id",
            "split_from_id",
            postgresql_where=sa.text("split_from_id IS NOT NULL"),
        ),
        sa.Index(
            "ix_tickets_merged_into_id",
            "merged_into_id",
            postgresql_where=sa.text("merged_into_id IS NOT NULL"),
        ),
        sa.Index(
            "ix_tickets_problem_id",
            "problem_id",
            postgresql_where=sa.text("problem_id IS NOT NULL"),
        ),
        sa.Index(
            "ix_tickets_auto_close",
            "resolved_at",
            postgresql_where=sa.text("status = 'resolved'"),
        ),
        sa.Index("ix_tickets_created_at_id", "created_at", "id"),
        sa.Index("ix_tickets_organization_id_created_at_id", "organization_id", "created_at", "id"),
        sa.Index("ix_tickets_status_priority_created_at", "status", "priority", "created_at", "id"),
        sa.Index("ix_tickets_assignee_id_status", "assignee_id", "status"),
        sa.Index("ix_tickets_search", "search", postgresql_using="gin"),
        sa.Index(
            "ix_tickets_routing",
            "routing_requested_at",
            postgresql_where=sa.text("routing_requested_at IS NOT NULL"),
        ),
    )

    number: int = Field(
        sa_column=sa.Column(
            sa.BigInteger,
            TICKET_NUMBER_SEQUENCE,
            server_default=TICKET_NUMBER_SEQUENCE.next_value(),
            nullable=False,
            unique=True,
        )
    )
    organization_id: uuid.UUID = Field(foreign_key="organizations.id", nullable=False)
    requester_id: uuid.UUID = Field(foreign_key="contacts.id", nullable=False, index=True)
    subject: str = Field(sa_type=sa.String(300), nullable=False)
    description: str = Field(sa_type=sa.Text, nullable=False)
    priority: Priority = Field(sa_type=sa.String(16), nullable=False)
    category: Category = Field(sa_type=sa.String(24), nullable=False)
    channel: Channel = Field(sa_type=sa.String(16), nullable=False)
    status: Status = Field(default=Status.new, sa_type=sa.String(24), nullable=False)
    assignee_id: uuid.UUID | None = Field(default=None, foreign_key="agents.id")
    emergency: bool = Field(default=False, nullable=False)
    context: dict[str, Any] = Field(default_factory=dict, sa_type=JSONB, nullable=False)
    escalation_level: int = Field(default=1, sa_type=sa.SmallInteger, nullable=False)
    queue_position: int | None = Field(default=None)
    # Routing: set when the ticket needs an assignee; workers hand these out by urgency.
    routing_requested_at: datetime | None = Field(default=None, sa_type=TIMESTAMP)
    unassigned_notified_at: datetime | None = Field(default=None, sa_type=TIMESTAMP)
    resolved_at: datetime | None = Field(default=None, sa_type=TIMESTAMP)
    closed_at: datetime | None = Field(default=None, sa_type=TIMESTAMP)
    # One issue per ticket: the ticket this one was split from, or merged into (as a duplicate).
    split_from_id: uuid.UUID | None = Field(default=None, foreign_key="tickets.id")
    merged_into_id: uuid.UUID | None = Field(default=None, foreign_key="tickets.id")
    # One outage, many tickets: the problem ticket this one is an incident of (any organization's).
    problem_id: uuid.UUID | None = Field(default=None, foreign_key="tickets.id")
    # Times the client sent work back from awaiting_approval.
    revision_count: int = Field(default=0, nullable=False)
    # Customer satisfaction, once, by the requester after resolution.
    satisfaction_score: int | None = Field(default=None, sa_type=sa.SmallInteger)
    satisfaction_comment: str | None = Field(default=None, sa_type=sa.String(2000))
    satisfaction_rated_at: datetime | None = Field(default=None, sa_type=TIMESTAMP)
    search: str | None = Field(
        default=None,
        sa_column=sa.Column(TSVECTOR, sa.Computed(SEARCH_DOCUMENT, persisted=True)),
    )


class Comment(Resource, table=True):
    __tablename__ = "comments"
    __table_args__ = (
        enum_check("author_type", AuthorType),
        enum_check("visibility", Visibility),
        sa.Index("ix_comments_ticket_id_created_at", "ticket_id", "created_at", "id"),
    )

    ticket_id: uuid.UUID = Field(foreign_key="tickets.id", nullable=False)
    author_type: AuthorType = Field(sa_type=sa.String(16), nullable=False)
    author_id: uuid.UUID | None = Field(default=None)
    body: str = Field(sa_type=sa.Text, nullable=False)
    visibility: Visibility = Field(sa_type=sa.String(16), nullable=False)
    mentions: list[uuid.UUID] = Field(default_factory=list, sa_type=ARRAY(sa.Uuid), nullable=False)


__all__ = ["Comment", "Status", "Ticket", "created_field", "id_field"]

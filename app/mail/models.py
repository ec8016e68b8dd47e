"""Notifications (one mail to one contact, rendered when planned) and the planner's place in
the change feed."""

import uuid
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.base import TIMESTAMP, created_field, enum_check, id_field


class NotificationStatus(StrEnum):
    pending = "pending"  # waiting for its (next) attempt, or being sent
    sent = "sent"
    failed = "failed"  # refused for good (SMTP 5xx) or retries exhausted
    skipped = "skipped"  # recorded, not sent: mail is off, the preference, or a bouncing address


class Kind(StrEnum):
    acknowledgment = "acknowledgment"
    reply = "reply"
    pending = "pending"
    awaiting_approval = "awaiting_approval"
    resolved = "resolved"
    reopened = "reopened"
    cancelled = "cancelled"
    split = "split"
    pm_welcome = "pm_welcome"
    pm_changed = "pm_changed"
    escalation = "escalation"
    broadcast = "broadcast"
    weekly_summary = "weekly_summary"
    chat_transcript = "chat_transcript"


class Notification(SQLModel, table=True):
    __tablename__ = "notifications"
    __table_args__ = (
        enum_check("status", NotificationStatus),
        enum_check("kind", Kind),
        # Never twice for one event (or one week's summary) and one contact.
        sa.UniqueConstraint("source", "contact_id"),
        sa.Index(
            "ix_notifications_due",
            "next_attempt_at",
            postgresql_where=sa.text("status = 'pending'"),
        ),
        sa.Index("ix_notifications_ticket_id_created_at", "ticket_id", "created_at", "id"),
    )

    id: uuid.UUID = id_field()
    # What it answers: an event's id, or `summary:<organization>:<ISO week>`.
    source: str = Field(sa_type=sa.String(100), nullable=False)
    event_id: uuid.UUID | None = Field(default=None, sa_type=sa.Uuid)
    kind: Kind = Field(sa_type=sa.String(24), nullable=False)
    organization_id: uuid.UUID = Field(
        sa_column=sa.Column(
            sa.Uuid, sa.ForeignKey("organizations.id", ondelete="CASCADE"), nullable=False
        )
    )
    ticket_id: uuid.UUID | None = Field(
        default=None,
        sa_column=sa.Column(sa.Uuid, sa.ForeignKey("tickets.id", ondelete="CASCADE")),
    )
    contact_id: uuid.UUID = Field(
        sa_column=sa.Column(
            sa.Uuid, sa.ForeignKey("contacts.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    recipient: str = Field(sa_type=sa.String(320), nullable=False)
    subject: str = Field(sa_type=sa.String(998), nullable=False)
    message_id: str = Field(sa_type=sa.String(998), nullable=False)
    in_reply_to: str | None = Field(default=None, sa_type=sa.String(998))
    references: str | None = Field(default=None, sa_type=sa.Text)
    text_body: str = Field(sa_type=sa.Text, nullable=False)
    html_body: str = Field(sa_type=sa.Text, nullable=False)
    status: NotificationStatus = Field(sa_type=sa.String(16), nullable=False)
    attempts: int = Field(default=0, nullable=False)
    # When pending: the next attempt, or the end of the current attempt's lease.
    next_attempt_at: datetime | None = Field(default=None, sa_type=TIMESTAMP)
    # The SMTP server's last reply ("250 2.0.0 Ok: queued"), or why it was not sent.
    smtp_code: int | None = None
    smtp_reply: str | None = Field(default=None, sa_type=sa.String(1000))
    sent_at: datetime | None = Field(default=None, sa_type=TIMESTAMP)
    created_at: datetime = created_field()
    updated_at: datetime = created_field()


class MailState(SQLModel, table=True):
    """The last change-feed position the mail planner has planned (one row)."""

    __tablename__ = "mail_state"

    id: int = Field(default=1, primary_key=True)
    last_position: int = Field(default=0, sa_type=sa.BigInteger, nullable=False)

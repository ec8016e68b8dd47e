"""Client organizations and their contacts."""

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field

from app.base import TIMESTAMP, Resource, enum_check


class Plan(StrEnum):
    standard = "standard"
    enterprise = "enterprise"


class Organization(Resource, table=True):
    __tablename__ = "organizations"
    __table_args__ = (
        enum_check("plan", Plan),
        sa.Index(
            "ix_organizations_pm_waiting",
            "pm_requested_at",
            postgresql_where=sa.text("pm_id IS NULL AND pm_requested_at IS NOT NULL"),
        ),
        # The designated-contact limit lives in the database: a trigger on contacts keeps
        # designated_count, and this check refuses the row that would pass the limit.
        sa.CheckConstraint(
            "designated_count <= max_designated_contacts", name="designated_within_limit"
        ),
        sa.CheckConstraint("designated_count >= 0", name="designated_count_not_negative"),
    )

    name: str = Field(sa_type=sa.String(200), nullable=False)
    plan: Plan = Field(default=Plan.standard, sa_type=sa.String(16), nullable=False)
    industry: str | None = Field(default=None, sa_type=sa.String(100))
    platform: str | None = Field(default=None, sa_type=sa.String(100))
    calendar_id: uuid.UUID | None = Field(default=None, foreign_key="calendars.id")
    pm_id: uuid.UUID | None = Field(default=None, foreign_key="agents.id", index=True)
    max_designated_contacts: int = Field(default=5, nullable=False)
    designated_count: int = Field(default=0, nullable=False)
    # PM assignment: wanted since pm_requested_at (null once assigned); the choice explained.
    pm_requested_at: datetime | None = Field(default=None, sa_type=TIMESTAMP)
    pm_assigned_at: datetime | None = Field(default=None, sa_type=TIMESTAMP)
    pm_assignment: dict[str, Any] | None = Field(default=None, sa_type=JSONB)
    pm_unassigned_notified_at: datetime | None = Field(default=None, sa_type=TIMESTAMP)


class NotificationPreference(StrEnum):
    """How much mail a contact wants (app/mail/kinds.py says which kinds each one gets)."""

    all = "all"
    important = "important"  # acknowledgments, replies, status changes, escalations, broadcasts
    digest = "digest"  # the weekly summary and what needs their action
    none = "none"


class Contact(Resource, table=True):
    __tablename__ = "contacts"
    __table_args__ = (
        enum_check("notification_preference", NotificationPreference),
        sa.Index(
            "uq_contacts_organization_id_email",
            "organization_id",
            sa.text("lower(email)"),
            unique=True,
            postgresql_where=sa.text("deleted_at IS NULL"),
        ),
    )

    organization_id: uuid.UUID = Field(foreign_key="organizations.id", nullable=False, index=True)
    email: str = Field(sa_type=sa.String(320), nullable=False)
    name: str = Field(sa_type=sa.String(200), nullable=False)
    designated: bool = Field(default=False, nullable=False)
    notification_preference: NotificationPreference = Field(
        default=NotificationPreference.all,
        sa_type=sa.String(16),
        nullable=False,
        sa_column_kwargs={"server_default": "all"},
    )
    # Set when mail to the address bounced (an SMTP 5xx or a bounce report): no more mail
    # goes there until an admin clears it.
    email_bouncing_at: datetime | None = Field(default=None, sa_type=TIMESTAMP)
    email_bounce_reason: str | None = Field(default=None, sa_type=sa.String(500))
    deleted_at: datetime | None = Field(default=None, sa_type=TIMESTAMP)

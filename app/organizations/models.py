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


class Contact(Resource, table=True):
    __tablename__ = "contacts"
    __table_args__ = (
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
    deleted_at: datetime | None = Field(default=None, sa_type=TIMESTAMP)

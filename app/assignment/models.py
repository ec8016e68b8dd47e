"""Agents: the operator's staff."""

import uuid
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlmodel import Field

from app.base import TIMESTAMP, Resource, enum_check
from app.sla.models import WeeklyHours


class Role(StrEnum):
    pm = "pm"
    senior_pm = "senior_pm"
    ops_manager = "ops_manager"
    leadership = "leadership"
    support_tier1 = "support_tier1"
    support_tier2 = "support_tier2"
    support_tier3 = "support_tier3"


class Agent(Resource, table=True):
    __tablename__ = "agents"
    __table_args__ = (
        enum_check("role", Role),
        sa.CheckConstraint("capacity >= 0", name="capacity_not_negative"),
        # Triggers keep the counters exact; this check makes over-assignment impossible,
        # however many processes assign at once (each assignment locks the agent's row).
        sa.CheckConstraint(
            "(CASE WHEN role = 'pm' THEN organization_count ELSE open_ticket_count END)"
            " <= capacity",
            name="within_capacity",
        ),
        sa.CheckConstraint("backup_agent_id <> id", name="backup_not_self"),
        sa.Index("uq_agents_email", sa.text("lower(email)"), unique=True),
    )

    name: str = Field(sa_type=sa.String(200), nullable=False)
    email: str = Field(sa_type=sa.String(320), nullable=False)
    role: Role = Field(sa_type=sa.String(24), nullable=False)
    expertise: list[str] = Field(default_factory=list, sa_type=ARRAY(sa.String(64)), nullable=False)
    timezone: str = Field(sa_type=sa.String(64), nullable=False)
    working_hours: WeeklyHours = Field(sa_type=JSONB, nullable=False)
    capacity: int = Field(nullable=False)
    backup_agent_id: uuid.UUID | None = Field(default=None, foreign_key="agents.id")
    active: bool = Field(default=True, nullable=False)
    organization_count: int = Field(
        default=0, nullable=False, sa_column_kwargs={"server_default": "0"}
    )
    open_ticket_count: int = Field(
        default=0, nullable=False, sa_column_kwargs={"server_default": "0"}
    )

    @property
    def load(self) -> int:
        """What capacity limits: organizations for a PM, open tickets for everyone else."""
        return self.organization_count if self.role == Role.pm else self.open_ticket_count


class TimeOff(Resource, table=True):
    """An out-of-office window: the agent gets no new work, their backup takes it."""

    __tablename__ = "agent_time_off"
    __table_args__ = (
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.Index("ix_agent_time_off_agent_id_ends_at", "agent_id", "ends_at"),
    )

    agent_id: uuid.UUID = Field(foreign_key="agents.id", nullable=False)
    starts_at: datetime = Field(sa_type=TIMESTAMP, nullable=False)
    ends_at: datetime = Field(sa_type=TIMESTAMP, nullable=False)
    reason: str | None = Field(default=None, sa_type=sa.String(500))


class ChangeRequestStatus(StrEnum):
    pending = "pending"
    done = "done"


class PmChangeRequest(Resource, table=True):
    """A designated contact's request for a different PM, and how it ended."""

    __tablename__ = "pm_change_requests"
    __table_args__ = (
        sa.Index(
            "ix_pm_change_requests_pending",
            "created_at",
            postgresql_where=sa.text("status = 'pending'"),
        ),
    )

    organization_id: uuid.UUID = Field(foreign_key="organizations.id", nullable=False, index=True)
    contact_id: uuid.UUID | None = Field(default=None, foreign_key="contacts.id")
    reason: str = Field(sa_type=sa.String(2000), nullable=False)
    status: str = Field(default=ChangeRequestStatus.pending, sa_type=sa.String(16), nullable=False)
    previous_pm_id: uuid.UUID | None = Field(default=None, foreign_key="agents.id")
    new_pm_id: uuid.UUID | None = Field(default=None, foreign_key="agents.id")
    outcome: str | None = Field(default=None, sa_type=sa.String(500))
    completed_at: datetime | None = Field(default=None, sa_type=TIMESTAMP)

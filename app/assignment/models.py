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

"""Escalations: each step up the chain, who asked, why and when."""

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from app.base import created_field, enum_check, id_field


class Trigger(StrEnum):
    client = "client"
    agent = "agent"
    sla_breach = "sla_breach"
    impact = "impact"


class Escalation(SQLModel, table=True):
    __tablename__ = "escalations"
    __table_args__ = (
        enum_check("trigger", Trigger),
        # One step per level: two concurrent escalations cannot both take the same level.
        sa.UniqueConstraint("ticket_id", "level"),
        # The high-impact trigger escalates a ticket once.
        sa.Index(
            "uq_escalations_impact",
            "ticket_id",
            unique=True,
            postgresql_where=sa.text("trigger = 'impact'"),
        ),
    )

    id: uuid.UUID = id_field()
    ticket_id: uuid.UUID = Field(foreign_key="tickets.id", nullable=False)
    level: int = Field(nullable=False)
    reason: str = Field(sa_type=sa.String(2000), nullable=False)
    trigger: Trigger = Field(sa_type=sa.String(16), nullable=False)
    actor: dict[str, Any] = Field(sa_type=JSONB, nullable=False)
    assignee_id: uuid.UUID | None = Field(default=None, foreign_key="agents.id")
    created_at: datetime = created_field()
    updated_at: datetime = created_field()

"""Calendars, the SLA policy table, tickets' clocks and their firings."""

import uuid
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlmodel import Field, SQLModel

from app.base import TIMESTAMP, Resource, created_field

WeeklyHours = dict[str, list[list[str]]]


class Calendar(Resource, table=True):
    __tablename__ = "calendars"
    __table_args__ = (
        sa.Index(
            "uq_calendars_default",
            "is_default",
            unique=True,
            postgresql_where=sa.text("is_default"),
        ),
    )

    name: str = Field(sa_type=sa.String(200), nullable=False)
    timezone: str = Field(sa_type=sa.String(64), nullable=False)
    weekly_hours: WeeklyHours = Field(sa_type=JSONB, nullable=False)
    holiday_country: str | None = Field(default=None, sa_type=sa.String(8))
    holiday_subdivision: str | None = Field(default=None, sa_type=sa.String(16))
    closed_dates: list[date] = Field(default_factory=list, sa_type=ARRAY(sa.Date), nullable=False)
    open_dates: list[date] = Field(default_factory=list, sa_type=ARRAY(sa.Date), nullable=False)
    is_default: bool = Field(default=False, nullable=False)


class SlaPolicyRow(SQLModel, table=True):
    """One target of the policy table: plan x priority x metric."""

    __tablename__ = "sla_policies"
    __table_args__ = (
        sa.UniqueConstraint("plan", "priority", "metric"),
        sa.CheckConstraint("target_minutes > 0", name="target_positive"),
        sa.CheckConstraint("at_risk_percent BETWEEN 1 AND 99", name="at_risk_percent_range"),
    )

    id: int | None = Field(
        default=None, sa_column=sa.Column(sa.Integer, sa.Identity(), primary_key=True)
    )
    plan: str = Field(sa_type=sa.String(16), nullable=False)
    priority: str = Field(sa_type=sa.String(16), nullable=False)
    metric: str = Field(sa_type=sa.String(24), nullable=False)
    clock: str = Field(sa_type=sa.String(16), nullable=False)
    target_minutes: int = Field(nullable=False)
    after_hours_minutes: int | None = None
    closed_day_minutes: int | None = None
    at_risk_percent: int = Field(default=80, nullable=False)
    updated_at: datetime = created_field()


class TicketClock(SQLModel, table=True):
    """A ticket's SLA clock. `next_fire_at` is the next at-risk or breach instant to act on."""

    __tablename__ = "ticket_clocks"
    __table_args__ = (
        sa.Index(
            "ix_ticket_clocks_next_fire_at",
            "next_fire_at",
            postgresql_where=sa.text("next_fire_at IS NOT NULL"),
        ),
        # The SLA report reads a date range of tickets' clocks (started when the ticket was
        # opened) from this index alone.
        sa.Index(
            "ix_ticket_clocks_report",
            "started_at",
            postgresql_include=[
                "ticket_id",
                "metric",
                "status",
                "target_minutes",
                "elapsed_minutes",
                "breached_at",
                "due_at",
            ],
            postgresql_where=sa.text("metric IN ('first_response', 'resolution')"),
        ),
    )

    ticket_id: uuid.UUID = Field(foreign_key="tickets.id", primary_key=True)
    metric: str = Field(sa_type=sa.String(24), primary_key=True)
    clock: str = Field(sa_type=sa.String(16), nullable=False)
    target_minutes: int = Field(nullable=False)
    at_risk_percent: int = Field(nullable=False)
    status: str = Field(sa_type=sa.String(16), nullable=False)
    cycle: int = Field(default=0, nullable=False)
    segments: list[dict[str, Any]] = Field(sa_type=JSONB, nullable=False)
    started_at: datetime = Field(sa_type=TIMESTAMP, nullable=False)
    due_at: datetime | None = Field(default=None, sa_type=TIMESTAMP)
    at_risk_at: datetime | None = Field(default=None, sa_type=TIMESTAMP)
    at_risk_fired_at: datetime | None = Field(default=None, sa_type=TIMESTAMP)
    breached_at: datetime | None = Field(default=None, sa_type=TIMESTAMP)
    met_at: datetime | None = Field(default=None, sa_type=TIMESTAMP)
    # Time counted once the clock is met or stopped, in its own minutes (business minutes on
    # a business clock), so reports aggregate it in SQL instead of replaying segments.
    elapsed_minutes: float | None = Field(default=None, sa_type=sa.Double)
    next_fire_at: datetime | None = Field(default=None, sa_type=TIMESTAMP)
    revision: int = Field(default=1, nullable=False)
    updated_at: datetime = created_field()


class SlaFiring(SQLModel, table=True):
    """At most one at-risk and one breach per clock cycle: the primary key guarantees it."""

    __tablename__ = "sla_firings"
    __table_args__ = (
        sa.Index(
            "ix_sla_firings_to_escalate",
            "fired_at",
            postgresql_where=sa.text(
                "kind = 'breach' AND escalated_at IS NULL"
                " AND metric IN ('first_response', 'resolution')"
            ),
        ),
    )

    ticket_id: uuid.UUID = Field(foreign_key="tickets.id", primary_key=True)
    metric: str = Field(sa_type=sa.String(24), primary_key=True)
    cycle: int = Field(primary_key=True)
    kind: str = Field(sa_type=sa.String(16), primary_key=True)
    fired_at: datetime = Field(sa_type=TIMESTAMP, nullable=False)
    # Breaches that escalate are escalated by a separate job, ticket by ticket, so a burst
    # of breaches never slows firing; this marks the escalation as done (exactly once).
    escalated_at: datetime | None = Field(default=None, sa_type=TIMESTAMP)


class RecomputeRequest(SQLModel, table=True):
    """A durable request to recompute open tickets' clocks after a calendar or policy change."""

    __tablename__ = "sla_recompute_requests"
    __table_args__ = (
        sa.Index(
            "ix_sla_recompute_requests_pending", "id", postgresql_where=sa.text("done_at IS NULL")
        ),
    )

    id: int | None = Field(
        default=None, sa_column=sa.Column(sa.BigInteger, sa.Identity(), primary_key=True)
    )
    # Which open tickets: those of one calendar, of one organization, or (both None) all.
    calendar_id: uuid.UUID | None = None
    organization_id: uuid.UUID | None = None
    requested_at: datetime = created_field()
    after_ticket_id: uuid.UUID | None = None
    done_at: datetime | None = Field(default=None, sa_type=TIMESTAMP)

"""Calendars, SLA policies and clock reports as the API shows them."""

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from pydantic.json_schema import SkipJsonSchema

from app.organizations.models import Plan
from app.schemas import (
    CURSOR_LENGTH,
    OFFICE_HOURS,
    PAGE_MAX,
    Count,
    Counter,
    Input,
    Listed,
    Name,
    Output,
    Text,
    TimeZone,
    WeeklyHours,
    WeeklyHoursOut,
    Whole,
)
from app.sla.clocks import State
from app.sla.policy import ClockKind, Metric
from app.tickets.models import Priority

Country = Annotated[str, StringConstraints(max_length=3, pattern=r"^[A-Z]{2,3}$")]
Subdivision = Annotated[str, StringConstraints(max_length=16, pattern=r"^[A-Z0-9-]{1,16}$")]
DATES_MAX = 1000
DateList = Annotated[list[date], Field(max_length=DATES_MAX)]
YEAR_MINUTES = 525_600
# A clock explained lists its latest stretches; a ticket moved back and forth for years has more.
SEGMENTS_SHOWN = 200
Minutes = Annotated[int, Field(ge=1, le=YEAR_MINUTES)]
TargetMinutes = Whole(1, YEAR_MINUTES)


class CalendarCreate(Input):
    name: Name
    timezone: TimeZone
    weekly_hours: WeeklyHours = Field(default_factory=lambda: OFFICE_HOURS.model_copy())
    holiday_country: Country | None = Field(default=None, examples=["US"])
    holiday_subdivision: Subdivision | None = Field(default=None, examples=["NY"])
    closed_dates: DateList = Field(default_factory=list)
    open_dates: DateList = Field(default_factory=list)


class CalendarUpdate(Input):
    name: Name | SkipJsonSchema[None] = None
    timezone: TimeZone | SkipJsonSchema[None] = None
    weekly_hours: WeeklyHours | SkipJsonSchema[None] = None
    holiday_country: Country | None = None
    holiday_subdivision: Subdivision | None = None
    closed_dates: DateList | SkipJsonSchema[None] = None
    open_dates: DateList | SkipJsonSchema[None] = None


class CalendarOut(Output):
    name: Text(200)
    timezone: Text(64)
    weekly_hours: WeeklyHoursOut
    holiday_country: Text(8) | None
    holiday_subdivision: Text(16) | None
    closed_dates: Listed(date, DATES_MAX)
    open_dates: Listed(date, DATES_MAX)
    is_default: bool


class CalendarList(BaseModel):
    data: Listed(CalendarOut, PAGE_MAX)
    next_cursor: Text(CURSOR_LENGTH) | None


class SegmentOut(BaseModel):
    """A stretch during which the clock ran, was paused, met or stopped, and why."""

    state: Text(16) = Field(description="`running`, `paused`, `met` or `stopped`.")
    start: datetime
    end: datetime | None
    # The status moved to, or a fixed word ("created", "public reply", "escalated", …).
    reason: Text(64)


class ClockReport(BaseModel):
    """One clock, explained."""

    metric: Metric
    clock: ClockKind
    target_minutes: TargetMinutes
    at_risk_percent: Whole(1, 99)
    started_at: datetime
    due_at: datetime | None
    at_risk_at: datetime | None
    elapsed_minutes: float = Field(description="Time counted so far, on the clock's terms.")
    remaining_minutes: float = Field(description="Negative once breached.")
    state: State
    breached_at: datetime | None
    met_at: datetime | None
    cycle: Counter = Field(description="How many times a recurring clock was re-armed.")
    segments: Listed(SegmentOut, SEGMENTS_SHOWN) = Field(
        description=f"The clock's stretches, oldest first: the latest {SEGMENTS_SHOWN}."
    )
    segments_omitted: Count = Field(
        description="Earlier stretches not listed; the figures above count them."
    )


class TicketSlaReport(BaseModel):
    ticket_id: uuid.UUID
    calendar_id: uuid.UUID
    data: Listed(ClockReport, len(Metric))


class PolicyTargetIn(Input):
    plan: Plan
    priority: Priority
    metric: Metric
    clock: ClockKind
    target_minutes: Minutes = Field(description="The target for tickets arriving in hours.")
    after_hours_minutes: Minutes | None = Field(
        default=None, description="Arrived outside business hours on a working day."
    )
    closed_day_minutes: Minutes | None = Field(
        default=None, description="Arrived on a weekend or holiday (falls back to after hours)."
    )
    at_risk_percent: int = Field(default=80, ge=1, le=99)


class PolicyTargetOut(PolicyTargetIn):
    model_config = ConfigDict(
        extra="ignore", from_attributes=True, json_schema_serialization_defaults_required=True
    )


class SlaPolicyTable(Input):
    """The whole policy table; every plan x priority needs first_response and resolution."""

    targets: list[PolicyTargetIn] = Field(min_length=1, max_length=200)


# One row per plan, priority and metric (the table's unique key).
POLICY_ROWS = len(Plan) * len(Priority) * len(Metric)


class SlaPolicyTableOut(BaseModel):
    targets: Listed(PolicyTargetOut, POLICY_ROWS)
    updated_at: datetime | None

    @classmethod
    def of(cls, rows: Sequence[Any]) -> "SlaPolicyTableOut":
        """The table as the API shows it: its targets and when it last changed."""
        return cls(
            targets=[PolicyTargetOut.model_validate(row) for row in rows],
            updated_at=max((row.updated_at for row in rows), default=None),
        )

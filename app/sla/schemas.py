"""Calendars, SLA policies and clock reports as the API shows them."""

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, Field, StringConstraints
from pydantic.json_schema import SkipJsonSchema

from app.organizations.models import Plan
from app.schemas import OFFICE_HOURS, Input, Name, Output, TimeZone, WeeklyHours
from app.sla.clocks import State
from app.sla.policy import ClockKind, Metric
from app.tickets.models import Priority

Country = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2,3}$")]
Subdivision = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9-]{1,16}$")]
DateList = Annotated[list[date], Field(max_length=1000)]


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
    name: str
    timezone: str
    weekly_hours: WeeklyHours
    holiday_country: str | None
    holiday_subdivision: str | None
    closed_dates: list[date]
    open_dates: list[date]
    is_default: bool


class CalendarList(BaseModel):
    data: list[CalendarOut]
    next_cursor: str | None


class SegmentOut(BaseModel):
    """A stretch during which the clock ran, was paused, met or stopped, and why."""

    state: str
    start: datetime
    end: datetime | None
    reason: str


class ClockReport(BaseModel):
    """One clock, explained."""

    metric: Metric
    clock: ClockKind
    target_minutes: int
    at_risk_percent: int
    started_at: datetime
    due_at: datetime | None
    at_risk_at: datetime | None
    elapsed_minutes: float = Field(description="Time counted so far, on the clock's terms.")
    remaining_minutes: float = Field(description="Negative once breached.")
    state: State
    breached_at: datetime | None
    met_at: datetime | None
    cycle: int = Field(description="How many times a recurring clock was re-armed.")
    segments: list[SegmentOut]


class TicketSlaReport(BaseModel):
    ticket_id: uuid.UUID
    calendar_id: uuid.UUID
    data: list[ClockReport]


Minutes = Annotated[int, Field(ge=1, le=525_600)]


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
    model_config = {"extra": "ignore", "from_attributes": True}


class SlaPolicyTable(Input):
    """The whole policy table; every plan x priority needs first_response and resolution."""

    targets: list[PolicyTargetIn] = Field(min_length=1, max_length=200)


class SlaPolicyTableOut(BaseModel):
    targets: list[PolicyTargetOut]
    updated_at: datetime | None

    @classmethod
    def of(cls, rows: Sequence[Any]) -> "SlaPolicyTableOut":
        """The table as the API shows it: its targets and when it last changed."""
        return cls(
            targets=[PolicyTargetOut.model_validate(row) for row in rows],
            updated_at=max((row.updated_at for row in rows), default=None),
        )

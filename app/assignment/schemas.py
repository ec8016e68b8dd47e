"""Agents as the API shows them."""

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, StringConstraints
from pydantic.json_schema import SkipJsonSchema

from app.assignment.models import Role
from app.events.documented import DocumentedAs
from app.schemas import (
    CURSOR_LENGTH,
    OFFICE_HOURS,
    PAGE_MAX,
    Email,
    Input,
    Instant,
    Listed,
    Name,
    Output,
    Tag,
    Text,
    TimeZone,
    WeeklyHours,
    WeeklyHoursOut,
    Whole,
)


class AgentCreate(Input):
    name: Name
    email: Email
    role: Role
    expertise: list[Tag] = Field(default_factory=list, max_length=50)
    timezone: TimeZone = "America/New_York"
    working_hours: WeeklyHours = Field(
        default_factory=lambda: OFFICE_HOURS.model_copy(),
        description="Same shape as a calendar's weekly_hours, in the agent's time zone.",
    )
    capacity: int = Field(
        default=10,
        ge=0,
        le=10_000,
        description="Organizations a PM can own, or open tickets a support agent can hold.",
    )
    backup_agent_id: uuid.UUID | None = None
    active: bool = True


class AgentUpdate(Input):
    name: Name | SkipJsonSchema[None] = None
    email: Email | SkipJsonSchema[None] = None
    role: Role | SkipJsonSchema[None] = None
    expertise: Annotated[list[Tag], Field(max_length=50)] | SkipJsonSchema[None] = None
    timezone: TimeZone | SkipJsonSchema[None] = None
    working_hours: WeeklyHours | SkipJsonSchema[None] = None
    capacity: Annotated[int, Field(ge=0, le=10_000)] | SkipJsonSchema[None] = None
    backup_agent_id: uuid.UUID | None = None
    active: bool | SkipJsonSchema[None] = None


class AgentOut(Output):
    name: Text(200)
    email: Text(320)
    role: Role
    expertise: Listed(Text(64), 50)
    timezone: Text(64)
    working_hours: WeeklyHoursOut
    capacity: Whole(0, 10_000)
    backup_agent_id: uuid.UUID | None
    active: bool


class AgentList(BaseModel):
    data: Listed(AgentOut, PAGE_MAX)
    next_cursor: Text(CURSOR_LENGTH) | None


class TimeOffCreate(Input):
    starts_at: Instant
    ends_at: Instant
    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] | None = None


class TimeOffOut(Output):
    agent_id: uuid.UUID
    starts_at: datetime
    ends_at: datetime
    reason: Text(500) | None


class TimeOffList(BaseModel):
    data: Listed(TimeOffOut, PAGE_MAX)
    next_cursor: Text(CURSOR_LENGTH) | None


WEEK_MINUTES = 7 * 24 * 60 + 60  # a week that leaves daylight saving time is an hour longer
Share = Annotated[float, Field(ge=0, le=1)]


class ScoreParts(BaseModel):
    """One number per component of the score: expertise, overlap, low load."""

    expertise: float = Field(ge=0)
    overlap: float = Field(ge=0)
    load: float = Field(ge=0)


class ReferenceWeek(BaseModel):
    """The organization's local Monday-to-Monday week the overlap was measured over (UTC)."""

    start: datetime
    end: datetime


OrganizationTag = Annotated[str, StringConstraints(max_length=100)]


class ScoreBreakdown(BaseModel):
    """Why an agent was chosen (app/assignment/scoring.py): the ranked candidate's score,
    every component in 0..1, combined as a weighted average."""

    position: int = Field(ge=1, le=2**31 - 1, description="1 for the best eligible agent.")
    agent_id: uuid.UUID
    summary: str = Field(max_length=1000, description="The breakdown in one line.")
    total: Share
    expertise: Share = Field(description="Share of `expertise_wanted` in the agent's tags.")
    expertise_wanted: list[OrganizationTag] = Field(
        max_length=2, description="The organization's industry and platform, normalised."
    )
    expertise_matched: list[OrganizationTag] = Field(max_length=2)
    overlap_minutes_per_week: int = Field(ge=0, le=WEEK_MINUTES)
    agent_minutes_per_week: int = Field(ge=0, le=WEEK_MINUTES)
    organization_minutes_per_week: int = Field(ge=0, le=WEEK_MINUTES)
    overlap_share: Share
    load: int = Field(ge=0, le=2**31 - 1, description="Work the agent held when chosen.")
    capacity: int = Field(ge=0, le=2**31 - 1)
    load_share: float = Field(ge=0, description="`load / capacity` (1 at no capacity).")
    weights: ScoreParts
    contributions: ScoreParts = Field(description="Each component's weighted share of `total`.")
    reference_week: ReferenceWeek


class ExplicitAssignment(BaseModel):
    """An admin chose the PM (POST /v1/organizations/{id}/pm/assign with `agent_id`)."""

    explicit: Literal[True]
    agent_id: uuid.UUID


Assignment = ScoreBreakdown | ExplicitAssignment
"""The explanation stored with an assignment: a score breakdown, or an admin's choice."""

# Each reason `scoring.eligible` gives: a fixed form with the values that decided it.
REFUSAL_FORMS = (
    r"role \S+ is not one of: .+",
    "inactive",
    "excluded for this assignment",
    r"out of office from \S+ until \S+",
    r"at capacity \(\d+ of \d+\)",
    r"off duty \(outside working hours\) at \S+",
)
RefusalReason = Annotated[
    str,
    StringConstraints(max_length=300, pattern="^(" + "|".join(REFUSAL_FORMS) + ")$"),
]
Refusals = dict[
    uuid.UUID,
    Annotated[list[RefusalReason], Field(min_length=1, max_length=len(REFUSAL_FORMS))],
]
"""Each agent who could not take the work, by id, with every reason they could not."""


class PmView(BaseModel):
    """An organization's dedicated PM, or its wait for one, with the choice explained."""

    organization_id: uuid.UUID
    state: Literal["assigned", "waiting"]
    pm_id: uuid.UUID | None
    pm: AgentOut | None
    requested_at: datetime | None = Field(description="When a PM was wanted (while waiting).")
    due_at: datetime | None = Field(description="The assignment target (24 h by default).")
    assigned_at: datetime | None
    # Shown as stored (an explanation written by an older release keeps its own form).
    assignment: Annotated[dict[str, Any] | None, DocumentedAs(Assignment | None)] = Field(
        description="Why this PM: the score breakdown of the choice (expertise, overlap, "
        "load), or `explicit` when an admin chose them; null until a PM is first chosen."
    )

    @classmethod
    def of(cls, organization: Any, agent: Any, *, due_at: datetime | None) -> "PmView":
        """The view of an organization and its PM (None while it waits for one)."""
        return cls(
            organization_id=organization.id,
            state="assigned" if agent else "waiting",
            pm_id=organization.pm_id,
            pm=AgentOut.model_validate(agent) if agent else None,
            requested_at=organization.pm_requested_at,
            due_at=due_at,
            assigned_at=organization.pm_assigned_at,
            assignment=organization.pm_assignment,
        )


class PmAssign(Input):
    agent_id: uuid.UUID | None = Field(
        default=None, description="Set this PM; leave out to re-run the choice."
    )


class PmChangeRequestCreate(Input):
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class PmChangeRequestOut(Output):
    organization_id: uuid.UUID
    contact_id: uuid.UUID | None
    reason: Text(2000)
    status: Text(16) = Field(description="`pending` until a different PM is assigned, then `done`.")
    previous_pm_id: uuid.UUID | None
    new_pm_id: uuid.UUID | None
    outcome: Text(500) | None
    completed_at: datetime | None

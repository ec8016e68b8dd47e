"""Agents as the API shows them."""

import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, Field, StringConstraints
from pydantic.json_schema import SkipJsonSchema

from app.assignment.models import Role
from app.schemas import (
    OFFICE_HOURS,
    Email,
    Input,
    Instant,
    Name,
    Output,
    Tag,
    TimeZone,
    WeeklyHours,
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
    name: str
    email: str
    role: Role
    expertise: list[str]
    timezone: str
    working_hours: WeeklyHours
    capacity: int
    backup_agent_id: uuid.UUID | None
    active: bool


class AgentList(BaseModel):
    data: list[AgentOut]
    next_cursor: str | None


class TimeOffCreate(Input):
    starts_at: Instant
    ends_at: Instant
    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] | None = None


class TimeOffOut(Output):
    agent_id: uuid.UUID
    starts_at: datetime
    ends_at: datetime
    reason: str | None


class TimeOffList(BaseModel):
    data: list[TimeOffOut]
    next_cursor: str | None


class PmView(BaseModel):
    """An organization's dedicated PM, or its wait for one, with the choice explained."""

    organization_id: uuid.UUID
    state: str = Field(description="`assigned` or `waiting`.")
    pm_id: uuid.UUID | None
    pm: AgentOut | None
    requested_at: datetime | None = Field(description="When a PM was wanted (while waiting).")
    due_at: datetime | None = Field(description="The assignment target (24 h by default).")
    assigned_at: datetime | None
    assignment: dict[str, Any] | None = Field(
        description="The score breakdown of the chosen PM (expertise, overlap, load)."
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
    reason: str
    status: str = Field(description="`pending` until a different PM is assigned, then `done`.")
    previous_pm_id: uuid.UUID | None
    new_pm_id: uuid.UUID | None
    outcome: str | None
    completed_at: datetime | None

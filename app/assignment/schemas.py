"""Agents as the API shows them."""

import uuid

from pydantic import BaseModel, Field

from app.assignment.models import Role
from app.schemas import OFFICE_HOURS, Email, Input, Name, Output, Tag, TimeZone, WeeklyHours


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
    name: Name | None = None
    email: Email | None = None
    role: Role | None = None
    expertise: list[Tag] | None = Field(default=None, max_length=50)
    timezone: TimeZone | None = None
    working_hours: WeeklyHours | None = None
    capacity: int | None = Field(default=None, ge=0, le=10_000)
    backup_agent_id: uuid.UUID | None = None
    active: bool | None = None


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

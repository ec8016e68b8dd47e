"""Tickets and comments as the API shows them."""

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
)
from pydantic.json_schema import SkipJsonSchema

from app.attachments.models import MAX_PER_OWNER
from app.attachments.schemas import AttachmentIds, AttachmentOut
from app.schemas import (
    CURSOR_LENGTH,
    PAGE_MAX,
    Clipped,
    ClippedList,
    Counter,
    Input,
    Instant,
    Listed,
    Output,
    Shown,
    Text,
    Whole,
)
from app.sla.clocks import State
from app.sla.policy import ClockKind
from app.sla.schemas import TargetMinutes
from app.tickets.lifecycle import Status
from app.tickets.models import AuthorType, Category, Channel, Priority, Visibility

Subject = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
BODY_LENGTH = 50_000
Body = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=BODY_LENGTH)
]
# Each @mention takes at least three characters ("@a "), so a body names at most this many.
MENTIONS_MAX = (BODY_LENGTH + 1) // 3
QUEUE_MAX = 500
Line = Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)]
Url = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]


class Location(StrEnum):
    office = "office"
    home = "home"
    other = "other"


class TicketContext(Input):
    """What the client's environment looked like when the problem happened."""

    url: Url | None = None
    browser: Line | None = None
    os: Line | None = None
    app_version: Line | None = None
    users_affected: int | None = Field(default=None, ge=0, le=1_000_000_000)
    location: Location | None = None
    steps: Annotated[str, StringConstraints(max_length=20_000)] | None = None
    attachments: list[Url] = Field(default_factory=list, max_length=20)


class TicketContextOut(Shown):
    """The context as responses carry it: cut to TicketContext's limits, since contexts
    captured from browser headers were once stored as they came."""

    url: Clipped(2000) | None = None
    browser: Clipped(300) | None = None
    os: Clipped(300) | None = None
    app_version: Clipped(300) | None = None
    users_affected: Whole(0, 1_000_000_000) | None = None
    location: Location | None = None
    steps: Clipped(20_000) | None = None
    attachments: ClippedList(Clipped(2000), 20) = Field(default_factory=list)


class TicketCreate(Input):
    subject: Subject
    description: Body
    priority: Priority = Priority.medium
    category: Category = Category.general
    channel: Channel | None = Field(
        default=None,
        description="Defaults to `api` (`portal` for contact keys, `widget` for widget keys).",
    )
    requester_id: uuid.UUID | None = Field(
        default=None, description="A designated contact; implied for contact keys."
    )
    emergency: bool = Field(
        default=False, description="Site down, data loss, security incident: critical, 24/7."
    )
    context: TicketContext = Field(default_factory=TicketContext)
    created_at: Instant | None = Field(
        default=None,
        description="Admin imports only: a past instant; the ticket's clocks start then.",
    )
    attachment_ids: AttachmentIds = Field(default_factory=list)


class TicketUpdate(Input):
    subject: Subject | SkipJsonSchema[None] = None
    description: Body | SkipJsonSchema[None] = None
    priority: Priority | SkipJsonSchema[None] = None
    category: Category | SkipJsonSchema[None] = None
    emergency: bool | SkipJsonSchema[None] = None
    context: TicketContext | SkipJsonSchema[None] = None
    assignee_id: uuid.UUID | None = Field(default=None, description="Staff only.")


class Transition(Input):
    to: Status
    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] | None = None


class SlaClockOut(BaseModel):
    """One SLA clock as tickets carry it."""

    target_minutes: TargetMinutes
    clock: ClockKind
    due_at: datetime | None = Field(description="Null while paused, met or stopped.")
    at_risk_at: datetime | None
    state: State
    breached_at: datetime | None
    met_at: datetime | None


class TicketSla(Shown):
    first_response: SlaClockOut | None = None
    next_update: SlaClockOut | None = Field(
        default=None, description="Armed by the first public reply, for priorities that have it."
    )
    resolution: SlaClockOut | None = None
    escalation_review: SlaClockOut | None = Field(
        default=None, description="Started by an escalation; met by the next public reply."
    )


def _ticket_number(value: object) -> object:
    return f"SUP-{value}" if isinstance(value, int) else value


# Stored as the sequence number; shown everywhere as SUP-<n>.
TicketNumber = Annotated[
    Text(len("SUP-") + len(str(2**63 - 1))),
    BeforeValidator(_ticket_number),
    Field(examples=["SUP-1042"]),
]


class TicketOut(Output):
    number: TicketNumber
    subject: Text(300)
    description: Text(BODY_LENGTH)
    priority: Priority
    category: Category
    channel: Channel
    status: Status
    organization_id: uuid.UUID
    requester_id: uuid.UUID
    assignee_id: uuid.UUID | None
    emergency: bool
    context: TicketContextOut
    escalation_level: Whole(1, 4)
    queue_position: Whole(1, QUEUE_MAX) | None
    resolved_at: datetime | None
    closed_at: datetime | None
    split_from_id: uuid.UUID | None = Field(
        default=None, description="The ticket this one was split from."
    )
    merged_into_id: uuid.UUID | None = Field(
        default=None, description="Set on a duplicate: the ticket it was merged into."
    )
    problem_id: uuid.UUID | None = Field(
        default=None, description="Set on an incident: the problem ticket it is linked to."
    )
    revision_count: Counter = Field(
        default=0, description="Times the client sent the work back from awaiting_approval."
    )
    satisfaction_score: Whole(1, 5) | None = Field(
        default=None, description="CSAT 1-5, once rated."
    )
    satisfaction_comment: Text(2000) | None = None
    satisfaction_rated_at: datetime | None = None
    sla: TicketSla = Field(
        default_factory=TicketSla, description="The ticket's clocks; a clock not armed is null."
    )
    attachments: Listed(AttachmentOut, MAX_PER_OWNER) = Field(
        default_factory=list,
        description="The files the ticket was raised with (comments list their own; "
        "GET /v1/tickets/{id}/attachments lists them all).",
    )


class TicketList(BaseModel):
    data: Listed(TicketOut, PAGE_MAX)
    next_cursor: Text(CURSOR_LENGTH) | None


class CommentCreate(Input):
    body: Body
    visibility: Visibility = Visibility.public
    author_id: uuid.UUID | None = Field(
        default=None,
        description="Admin: the agent to post as; integration: the contact to post as.",
    )
    broadcast: bool = Field(
        default=False,
        description="Staff, public, on a problem with incidents: also copied onto every open "
        "incident, as a public comment on each.",
    )
    attachment_ids: AttachmentIds = Field(default_factory=list)


class CommentOut(Output):
    model_config = ConfigDict(from_attributes=True)

    ticket_id: uuid.UUID
    author_type: AuthorType
    author_id: uuid.UUID | None
    body: Text(BODY_LENGTH)
    visibility: Visibility
    mentions: Listed(uuid.UUID, MENTIONS_MAX)
    attachments: Listed(AttachmentOut, MAX_PER_OWNER) = Field(
        default_factory=list, description="Files attached to this comment (metadata)."
    )


class CommentList(BaseModel):
    data: Listed(CommentOut, PAGE_MAX)
    next_cursor: Text(CURSOR_LENGTH) | None


class SlaFilter(StrEnum):
    on_track = "on_track"
    at_risk = "at_risk"
    breached = "breached"


class SplitPart(Input):
    subject: Subject
    description: Body
    category: Category | None = Field(default=None, description="Default: the original's.")
    priority: Priority | None = Field(default=None, description="Default: the original's.")


class SplitRequest(Input):
    parts: list[SplitPart] = Field(min_length=1, max_length=20)


class MergeRequest(Input):
    into: uuid.UUID = Field(description="The ticket that stays; this one closes as its duplicate.")


class LinkRequest(Input):
    problem_id: uuid.UUID = Field(description="The problem ticket this one is an incident of.")


class SatisfactionCreate(Input):
    score: int = Field(ge=1, le=5)
    comment: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] | None = None
    token: Annotated[str, StringConstraints(min_length=1, max_length=100)] | None = Field(
        default=None,
        description="The token of the rating link mailed with the resolution; with it, no API "
        "key is needed (it rates this ticket once, as its requester).",
    )


class QueueUpdate(Input):
    ticket_ids: list[uuid.UUID] = Field(
        max_length=QUEUE_MAX,
        description="The organization's open requests in the order the client wants them; "
        "tickets left out keep no position and come after.",
    )


class QueueOut(BaseModel):
    organization_id: uuid.UUID
    ticket_ids: Listed(uuid.UUID, QUEUE_MAX) = Field(description="Positioned tickets, first first.")


class TicketSort(StrEnum):
    newest = "newest"
    urgency = "urgency"

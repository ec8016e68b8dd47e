"""What each event type's `data` holds, as the timeline, the change feed, the stream and
webhooks carry it.

Staff (admin and agent keys, the operator's webhook endpoints) see the data as recorded;
clients (contacts, integration keys, an organization's endpoints) see the keys
`app/events/audience.CLIENT_DATA` allows. So a field only staff see is optional here and says
"Staff only"; every other field is in both views and required (nullable where it can be null).

These models document the data; they are not run on the way out (tests/events/ hold every
event the API produces to them, with no key left undocumented).
"""

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints
from pydantic.json_schema import SkipJsonSchema

from app.assignment.models import Role
from app.assignment.schemas import Assignment, Refusals
from app.attachments.models import MAX_PER_OWNER
from app.attachments.schemas import AttachmentOut
from app.chat.models import EndReason
from app.escalation.models import Trigger
from app.organizations.schemas import OrganizationOut
from app.schemas import INT32_MAX
from app.sla.policy import Metric
from app.tickets.lifecycle import Status
from app.tickets.models import Category, Priority
from app.tickets.schemas import CommentOut, Location, TicketOut

STAFF_ONLY = "Staff only."


def Chars(max_length: int) -> type[str]:
    """Text of at most `max_length` characters (checked: these models only run in tests)."""
    return Annotated[str, StringConstraints(max_length=max_length)]  # type: ignore[return-value]


def staff_only(description: str = "") -> str:
    return f"{STAFF_ONLY} {description}".strip()


class TicketSnapshot(TicketOut):
    """The ticket as it stood after the event: what GET /v1/tickets/{id} returned then, but for
    `attachments` (`ticket.created` lists the files beside it)."""

    attachments: SkipJsonSchema[list[AttachmentOut]] = Field(default_factory=list, exclude=True)


class TicketReference(BaseModel):
    id: uuid.UUID
    number: str = Field(max_length=24, pattern=r"^SUP-[0-9]+$", examples=["SUP-1042"])


class _TicketData(BaseModel):
    ticket: TicketSnapshot


class TicketCreatedData(_TicketData):
    attachments: list[AttachmentOut] = Field(
        max_length=MAX_PER_OWNER, description="The files the ticket was raised with (metadata)."
    )


class PreviousContext(BaseModel):
    """A ticket's context as it was stored: only the values that were given."""

    url: Chars(2000) | SkipJsonSchema[None] = None
    browser: Chars(300) | SkipJsonSchema[None] = None
    os: Chars(300) | SkipJsonSchema[None] = None
    app_version: Chars(300) | SkipJsonSchema[None] = None
    users_affected: Annotated[int, Field(ge=0, le=1_000_000_000)] | SkipJsonSchema[None] = None
    location: Location | SkipJsonSchema[None] = None
    steps: Chars(20_000) | SkipJsonSchema[None] = None
    attachments: Annotated[list[Chars(2000)], Field(max_length=20)] | SkipJsonSchema[None] = None


class TicketPrevious(BaseModel):
    """The fields the update changed, as they were before it (only those)."""

    subject: Chars(300) | SkipJsonSchema[None] = None
    description: Chars(50_000) | SkipJsonSchema[None] = None
    priority: Priority | SkipJsonSchema[None] = None
    category: Category | SkipJsonSchema[None] = None
    emergency: bool | SkipJsonSchema[None] = None
    context: PreviousContext | SkipJsonSchema[None] = None
    assignee_id: uuid.UUID | None = None
    queue_position: Annotated[int, Field(ge=1, le=INT32_MAX)] | None = Field(
        default=None, description="Set when the client reordered its queue (PUT …/queue)."
    )


class TicketUpdatedData(_TicketData):
    previous: TicketPrevious


class PreviousStatus(BaseModel):
    status: Status


class TicketStatusChangedData(_TicketData):
    previous: PreviousStatus
    reason: Chars(2000) | SkipJsonSchema[None] = Field(
        default=None, description="Why, when one was given (`reply`, a merge, a caller's own)."
    )


class PreviousAssignee(BaseModel):
    assignee_id: uuid.UUID | None


class TicketAssignedData(_TicketData):
    previous: PreviousAssignee | SkipJsonSchema[None] = Field(
        default=None, description="Set when staff chose the assignee (PATCH `assignee_id`)."
    )
    assignment: Assignment | SkipJsonSchema[None] = Field(
        default=None, description=staff_only("Why routing chose this agent.")
    )


class TicketUnassignedData(_TicketData):
    roles: Annotated[list[Role], Field(max_length=len(Role))] | SkipJsonSchema[None] = Field(
        default=None, description=staff_only("The roles that may hold the ticket.")
    )
    refusals: Refusals | SkipJsonSchema[None] = Field(
        default=None, description=staff_only("Why each agent of those roles could not take it.")
    )


class TicketCommentAddedData(_TicketData):
    comment: CommentOut
    broadcast: Literal[True] | SkipJsonSchema[None] = Field(
        default=None, description=staff_only("A problem's broadcast, copied onto its incidents.")
    )
    live_chat: Literal[True] | SkipJsonSchema[None] = Field(
        default=None, description=staff_only("Said in the ticket's live chat.")
    )


class _SlaData(_TicketData):
    metric: Metric
    due_at: datetime | None = Field(description="The clock's due time when it fired.")
    cycle: int = Field(ge=0, le=INT32_MAX, description="Which run of the clock (next_update).")


class TicketSlaAtRiskData(_SlaData):
    pass


class TicketSlaBreachedData(_SlaData):
    pass


class EscalationSummary(BaseModel):
    id: uuid.UUID
    level: int = Field(ge=1, le=4)
    role: Role = Field(description="The role of the level reached.")
    trigger: Trigger
    reason: Chars(2000)
    assignee_id: uuid.UUID | None


class TicketEscalatedData(_TicketData):
    escalation: EscalationSummary


class TicketEmergencyData(_TicketData):
    attachments: (
        Annotated[list[AttachmentOut], Field(max_length=MAX_PER_OWNER)] | SkipJsonSchema[None]
    ) = Field(
        default=None,
        description=staff_only("Set when the ticket was raised as an emergency: its files."),
    )


class TicketSplitData(_TicketData):
    split_from: TicketReference


class TicketMergedData(_TicketData):
    merged: TicketReference = Field(description="The duplicate, now closed.")


class TicketLinkedData(_TicketData):
    problem: TicketReference | None = Field(
        default=None, description=staff_only("The problem ticket; null when unlinked.")
    )


class Satisfaction(BaseModel):
    score: int = Field(ge=1, le=5)
    comment: Chars(2000) | None


class TicketSatisfactionRatedData(_TicketData):
    satisfaction: Satisfaction


class TranscriptLine(BaseModel):
    author: Chars(200) = Field(description="`You` (the client), the agent's name or `Support`.")
    body: Chars(50_000)
    at: datetime


class TicketChatEndedData(_TicketData):
    reason: EndReason
    transcript: list[TranscriptLine] = Field(
        max_length=501, description="The chat's public messages, oldest first."
    )


class PreviousPm(BaseModel):
    pm_id: uuid.UUID | None


class _OrganizationData(BaseModel):
    organization: OrganizationOut


class _PmChosenData(_OrganizationData):
    previous: PreviousPm
    reason: Chars(2000) | SkipJsonSchema[None] = Field(
        default=None, description="Why, when asked for (a change request, `set by admin`)."
    )
    assignment: Assignment | SkipJsonSchema[None] = Field(
        default=None, description=staff_only("Why this PM.")
    )


class OrganizationPmAssignedData(_PmChosenData):
    pass


class OrganizationPmChangedData(_PmChosenData):
    pass


class OrganizationPmUnassignedData(_OrganizationData):
    refusals: Refusals | SkipJsonSchema[None] = Field(
        default=None, description=staff_only("Why each PM could not take the organization.")
    )


RefusedBecause = Literal["unknown_contact", "not_designated"]


class WidgetIntakeRefusedData(BaseModel):
    """Someone who is not a designated contact asked through the widget."""

    channel: Literal["widget"]
    email: Chars(320)
    name: Chars(200) | SkipJsonSchema[None] = Field(default=None, description="When they gave it.")
    reason: RefusedBecause


class EmailIntakeRefusedData(BaseModel):
    """A mail from someone who is not a designated contact."""

    channel: Literal["email"]
    email: Chars(320) | None = Field(description="The sender's address; null when unreadable.")
    from_: Chars(998) = Field(alias="from", description="The From header.")
    subject: Chars(998)
    message_id: Chars(998)
    reason: RefusedBecause
    detail: Chars(2000) = Field(description="What the sender was told.")


IntakeRefusedData = Annotated[
    WidgetIntakeRefusedData | EmailIntakeRefusedData, Field(discriminator="channel")
]


class EndpointReference(BaseModel):
    id: uuid.UUID
    url: Chars(2000)


class WebhookEndpointDisabledData(BaseModel):
    endpoint: EndpointReference
    reason: Chars(200) = Field(description="A 410 Gone, or failing for days.")


class WebhookTestData(BaseModel):
    endpoint: EndpointReference

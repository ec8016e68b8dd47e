"""Events as the API shows them (timeline, change feed, stream) and as webhooks carry them.

Each event type has its own model (`TicketCreatedEvent`: `type` "ticket.created", `data` a
`TicketCreatedData`), and `Event` is their union, discriminated by `type`. The responses are
written from `EventOut` as stored, without a model per event (app/events/documented.py); the
spec shows the union, and tests/events/ hold every event the API produces to it.
"""

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, create_model
from typing_extensions import TypeAliasType

from app.events import data as d
from app.events.documented import DocumentedAs
from app.events.models import EventType
from app.schemas import CURSOR_LENGTH, PAGE_MAX, Text

REQUEST_ID = "The X-Request-ID of the API call (or job) that caused it."


class ActorType(StrEnum):
    """Who acted: a key's kind, the bootstrap admin key, or the system (jobs, routing)."""

    admin = "admin"
    agent = "agent"
    contact = "contact"
    integration = "integration"
    widget = "widget"
    bootstrap = "bootstrap"
    system = "system"


class Actor(BaseModel):
    type: ActorType
    id: uuid.UUID | None = Field(description="The agent or contact the key acts as.")
    key_id: uuid.UUID | None = Field(
        description="The API key used; clients see only their own organization's keys."
    )


# What each type's data is, and which resource it is about: a ticket (its ticket_id and
# organization), an organization, or neither (an endpoint of the operator has none).
TICKET, ORGANIZATION, ENDPOINT = "ticket", "organization", "endpoint"
DATA: dict[EventType, tuple[Any, str]] = {
    EventType.ticket_created: (d.TicketCreatedData, TICKET),
    EventType.ticket_updated: (d.TicketUpdatedData, TICKET),
    EventType.ticket_status_changed: (d.TicketStatusChangedData, TICKET),
    EventType.ticket_assigned: (d.TicketAssignedData, TICKET),
    EventType.ticket_unassigned: (d.TicketUnassignedData, TICKET),
    EventType.ticket_comment_added: (d.TicketCommentAddedData, TICKET),
    EventType.ticket_sla_at_risk: (d.TicketSlaAtRiskData, TICKET),
    EventType.ticket_sla_breached: (d.TicketSlaBreachedData, TICKET),
    EventType.ticket_escalated: (d.TicketEscalatedData, TICKET),
    EventType.ticket_emergency: (d.TicketEmergencyData, TICKET),
    EventType.ticket_split: (d.TicketSplitData, TICKET),
    EventType.ticket_merged: (d.TicketMergedData, TICKET),
    EventType.ticket_linked: (d.TicketLinkedData, TICKET),
    EventType.ticket_satisfaction_rated: (d.TicketSatisfactionRatedData, TICKET),
    EventType.ticket_chat_ended: (d.TicketChatEndedData, TICKET),
    EventType.organization_pm_assigned: (d.OrganizationPmAssignedData, ORGANIZATION),
    EventType.organization_pm_changed: (d.OrganizationPmChangedData, ORGANIZATION),
    EventType.organization_pm_unassigned: (d.OrganizationPmUnassignedData, ORGANIZATION),
    EventType.intake_refused: (d.IntakeRefusedData, ORGANIZATION),
    EventType.webhook_endpoint_disabled: (d.WebhookEndpointDisabledData, ENDPOINT),
}
SUMMARIES = {
    EventType.ticket_created: "A ticket was raised.",
    EventType.ticket_updated: "A ticket's fields changed (`previous` holds the old values).",
    EventType.ticket_status_changed: "A ticket moved through its lifecycle.",
    EventType.ticket_assigned: "A ticket got its assignee.",
    EventType.ticket_unassigned: "No agent with capacity could take a ticket (said once).",
    EventType.ticket_comment_added: "A comment was added to a ticket.",
    EventType.ticket_sla_at_risk: "An SLA clock of a ticket passed its at-risk point.",
    EventType.ticket_sla_breached: "An SLA clock of a ticket ran past its target.",
    EventType.ticket_escalated: "A ticket went up a level of the escalation chain.",
    EventType.ticket_emergency: "A ticket was declared an emergency.",
    EventType.ticket_split: "A ticket was raised by splitting another (one per new ticket).",
    EventType.ticket_merged: "A duplicate was merged into this ticket.",
    EventType.ticket_linked: "A ticket was linked to a problem ticket, or unlinked.",
    EventType.ticket_satisfaction_rated: "The requester rated a resolved ticket.",
    EventType.ticket_chat_ended: "A ticket's live chat ended, with its transcript.",
    EventType.organization_pm_assigned: "An organization got its dedicated PM.",
    EventType.organization_pm_changed: "An organization's dedicated PM changed.",
    EventType.organization_pm_unassigned: "No PM could take an organization (said once).",
    EventType.intake_refused: "Someone who is not a designated contact was refused at intake.",
    EventType.webhook_endpoint_disabled: "A webhook endpoint was disabled.",
}
TEST_TYPE = "webhook.test"  # app/webhooks/service.TEST_EVENT_TYPE: a ping, never recorded


def _scoped(scope: str) -> dict[str, Any]:
    """The `ticket_id` and `organization_id` fields of events about this kind of resource."""
    if scope == TICKET:
        return {"ticket_id": (uuid.UUID, ...), "organization_id": (uuid.UUID, ...)}
    organization = uuid.UUID if scope == ORGANIZATION else uuid.UUID | None
    return {
        "ticket_id": (None, Field(description="Not about a ticket: always null.")),
        "organization_id": (organization, ...),
    }


def model_name(type: str, suffix: str) -> str:
    """`ticket.sla_at_risk` -> `TicketSlaAtRisk` + suffix."""
    words = type.replace(".", "_").split("_")
    return "".join(word.capitalize() for word in words) + suffix


class EventBase(BaseModel):
    """What every event carries beside its type and data."""

    id: uuid.UUID
    type: str
    ticket_id: uuid.UUID | None
    organization_id: uuid.UUID | None
    actor: Actor
    created_at: datetime
    data: Any
    request_id: str | None = Field(max_length=64, description=REQUEST_ID)


class WebhookPayloadBase(BaseModel):
    """The JSON body of a webhook request: the event as the endpoint's audience sees it."""

    id: str = Field(
        max_length=40,
        pattern=r"^evt_[0-9a-f-]{36}$",
        description="`evt_<event id>`; also the `webhook-id` header, the same on every retry.",
    )
    type: str
    created_at: datetime
    ticket_id: uuid.UUID | None
    organization_id: uuid.UUID | None
    actor: Actor
    data: Any


def _model(base: type[BaseModel], type: str, data: Any, scope: str, doc: str) -> Any:
    return create_model(  # type: ignore[call-overload]
        model_name(type, "Event" if base is EventBase else "WebhookPayload"),
        __base__=base,
        __doc__=doc,
        type=(Literal[type], ...),
        data=(data, ...),
        **_scoped(scope),
    )


EVENT_MODELS: dict[str, type[EventBase]] = {
    kind.value: _model(EventBase, kind.value, data, scope, SUMMARIES[kind])
    for kind, (data, scope) in DATA.items()
}
WEBHOOK_MODELS: dict[str, type[WebhookPayloadBase]] = {
    kind.value: _model(WebhookPayloadBase, kind.value, data, scope, SUMMARIES[kind])
    for kind, (data, scope) in DATA.items()
}
WEBHOOK_MODELS[TEST_TYPE] = _model(
    WebhookPayloadBase,
    TEST_TYPE,
    d.WebhookTestData,
    ENDPOINT,
    "A test ping (POST /v1/webhook-endpoints/{id}/test); never in the feed.",
)

Event = TypeAliasType(
    "Event",
    Annotated[Union[tuple(EVENT_MODELS.values())], Field(discriminator="type")],  # noqa: UP007
)
"""Any event, as the timeline, the change feed and the stream show it."""
WebhookPayload = TypeAliasType(
    "WebhookPayload",
    Annotated[Union[tuple(WEBHOOK_MODELS.values())], Field(discriminator="type")],  # noqa: UP007
)
"""Any webhook body: what a receiver parses a verified request into."""


class StoredActor(BaseModel):
    type: str
    id: uuid.UUID | None = None
    key_id: uuid.UUID | None = None


class EventOut(BaseModel):
    """An event as responses write it: the stored event (or a client's view of it), unchecked
    beyond its envelope; `Event` is what it is documented as."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    type: EventType
    ticket_id: uuid.UUID | None
    organization_id: uuid.UUID | None
    actor: StoredActor
    created_at: datetime
    data: dict[str, Any]
    request_id: str | None = Field(default=None, description=REQUEST_ID)


# A page's events are `EventOut`s, shown in the spec as the exact union.
Events = Annotated[list[Any], DocumentedAs(Annotated[list[Event], Field(max_length=PAGE_MAX)])]


class EventList(BaseModel):
    data: Events
    next_cursor: Text(CURSOR_LENGTH) | None


class FeedPage(BaseModel):
    data: Events
    next_cursor: Text(CURSOR_LENGTH) = Field(
        description="Where to continue: always set, so a consumer that has caught up polls "
        "with it and gets only what is new.",
    )
    has_more: bool = Field(description="More events are waiting after this page.")

"""What a client may see of an event: the one place that decides it.

Clients are contacts, integration keys and an organization's webhook endpoints. Staff (admin
and agent keys, the operator's endpoints) see events as recorded, with the full explanation of
an assignment; a client sees the resource snapshot and what changed, never the score
breakdown, the refusals (which name agents' time off, load and capacity) nor a staff key's id.

The data is an allow-list per event type, so a field added to an event later stays on the staff
side until someone decides here that clients may see it.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.events.models import EventType
from app.security import CLIENT

_SNAPSHOTS = frozenset({"ticket", "organization"})

CLIENT_DATA: dict[str, frozenset[str]] = {
    # The files the ticket was raised with (metadata; a ticket's own files are never internal).
    EventType.ticket_created: frozenset({"ticket", "attachments"}),
    EventType.ticket_updated: frozenset({"ticket", "previous"}),
    EventType.ticket_status_changed: frozenset({"ticket", "previous", "reason"}),
    # Who holds the ticket is `ticket.assignee_id`; why them (`assignment`) is staff's.
    EventType.ticket_assigned: frozenset({"ticket", "previous"}),
    # `refusals` names each agent's time off, load and capacity; `roles` is internal routing.
    EventType.ticket_unassigned: frozenset({"ticket"}),
    EventType.ticket_comment_added: frozenset({"ticket", "comment"}),
    EventType.ticket_sla_at_risk: frozenset({"ticket", "metric", "due_at", "cycle"}),
    EventType.ticket_sla_breached: frozenset({"ticket", "metric", "due_at", "cycle"}),
    EventType.ticket_escalated: frozenset({"ticket", "escalation"}),
    EventType.ticket_emergency: frozenset({"ticket"}),
    EventType.ticket_split: frozenset({"ticket", "split_from"}),
    EventType.ticket_merged: frozenset({"ticket", "merged"}),
    # The problem may be another organization's ticket: its number is staff's.
    EventType.ticket_linked: frozenset({"ticket"}),
    EventType.ticket_satisfaction_rated: frozenset({"ticket", "satisfaction"}),
    # The public messages of the chat, as the client saw them (its transcript mail).
    EventType.ticket_chat_ended: frozenset({"ticket", "reason", "transcript"}),
    # The new PM is `organization.pm_id`; the breakdown of the choice stays with staff.
    EventType.organization_pm_assigned: frozenset({"organization", "previous", "reason"}),
    EventType.organization_pm_changed: frozenset({"organization", "previous", "reason"}),
    EventType.organization_pm_unassigned: frozenset({"organization"}),
    EventType.intake_refused: frozenset(
        {"channel", "email", "name", "reason", "from", "subject", "message_id", "detail"}
    ),
    EventType.webhook_endpoint_disabled: frozenset({"endpoint", "reason"}),
}

# Keys of the client's own organization (only its events reach it): an integration uses them
# to recognise its own writes. A staff key's id stays with staff.
_CLIENT_ACTORS = frozenset(kind.value for kind in CLIENT)


def client_actor(actor: Mapping[str, Any]) -> dict[str, Any]:
    """The actor as a client sees it: who acted, and the key only if it is a client's."""
    kind = actor.get("type")
    return {
        "type": kind,
        "id": actor.get("id"),
        "key_id": actor.get("key_id") if kind in _CLIENT_ACTORS else None,
    }


def for_contacts(ticket_id: Any) -> bool:
    """Contacts follow tickets: an organization's other events (an endpoint disabled, a
    stranger refused at intake) are for its integrations, as GET /v1/events is."""
    return ticket_id is not None


def client_data(type: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """The event's data as a client sees it; an unlisted type shows only its snapshots."""
    allowed = CLIENT_DATA.get(type, _SNAPSHOTS)  # EventType is a StrEnum: a str finds it
    return {key: value for key, value in data.items() if key in allowed}


@dataclass(frozen=True)
class ClientEvent:
    """An event as a client sees it, shaped like the stored one for presenting and sending."""

    id: Any
    type: str
    ticket_id: Any
    organization_id: Any
    actor: dict[str, Any]
    data: dict[str, Any]
    created_at: datetime
    request_id: str | None = None


def client_view(event: Any) -> ClientEvent:
    """A copy of the event (a stored row or any object with its fields) for a client.

    A copy, never the row itself: the session would write a changed row back.
    """
    return ClientEvent(
        id=event.id,
        type=str(event.type),
        ticket_id=event.ticket_id,
        organization_id=event.organization_id,
        actor=client_actor(event.actor),
        data=client_data(str(event.type), event.data),
        created_at=event.created_at,
        request_id=getattr(event, "request_id", None),
    )

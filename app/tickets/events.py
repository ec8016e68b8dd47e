"""Events about a ticket: each carries the ticket's snapshot as the API shows it."""

from typing import Any

from app.events.models import EventType
from app.events.service import NewEvent
from app.security import SYSTEM_ACTOR, Principal
from app.tickets.models import Ticket
from app.tickets.present import ClockRows, snapshot


def ticket_event(
    type: EventType, ticket: Ticket, principal: Principal | None, clocks: ClockRows, **data: Any
) -> NewEvent:
    """An event about a ticket, carrying its snapshot."""
    return NewEvent(
        type=type,
        actor=principal.actor() if principal else SYSTEM_ACTOR,
        data={"ticket": snapshot(ticket, clocks), **data},
        organization_id=ticket.organization_id,
        ticket_id=ticket.id,
    )

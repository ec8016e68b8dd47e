"""Ticket use cases: list and update. Creation is `creation`; what follows a change, `flows`."""

import uuid
from dataclasses import dataclass
from typing import Any

from pydantic_core import to_jsonable_python
from sqlmodel.ext.asyncio.session import AsyncSession

from app import timesource
from app.api_keys.models import KeyKind
from app.assignment.models import Agent
from app.errors import Conflict, Forbidden, invalid
from app.events import repository as events_repository
from app.events.models import EventType
from app.events.service import NewEvent, record
from app.repository import changes
from app.security import Principal
from app.sla import repository as sla_repository
from app.sla import ticket_clocks
from app.tickets import listing, repository
from app.tickets.events import ticket_event
from app.tickets.lifecycle import FINAL
from app.tickets.models import Priority, Ticket
from app.tickets.present import ClockRows
from app.tickets.schemas import TicketUpdate

CLIENT_EDITABLE = frozenset(
    {"subject", "description", "priority", "category", "context", "emergency"}
)


# Reading one ticket is the repository's tenant-scoped select, as it is.
get_visible = repository.get_visible
list_visible = listing.list_visible


async def _check_assignee(session: AsyncSession, agent_id: uuid.UUID | None) -> None:
    if agent_id is None:
        return
    agent = await session.get(Agent, agent_id)
    if agent is None or not agent.active:
        raise invalid("body.assignee_id", f"No active agent with id {agent_id}.")


def _values(principal: Principal, data: TicketUpdate) -> dict[str, Any]:
    values = data.model_dump(exclude_unset=True, mode="json")
    if not principal.is_staff and values.keys() - CLIENT_EDITABLE:
        raise Forbidden("Clients may change subject, description, priority, category and context.")
    for name, value in values.items():
        if value is None and name != "assignee_id":
            raise invalid(f"body.{name}", f"{name} cannot be null.")
    if values.get("emergency"):
        values["priority"] = Priority.critical.value
    if "context" in values:
        values["context"] = {k: v for k, v in values["context"].items() if v is not None}
    if values.get("assignee_id") is not None:
        values["assignee_id"] = uuid.UUID(values["assignee_id"])
    return values


@dataclass(frozen=True)
class Updated:
    """A ticket after an update, and what changed (for what the change sets off)."""

    ticket: Ticket
    changed: frozenset[str]
    became_emergency: bool


async def update(
    session: AsyncSession,
    *,
    principal: Principal,
    ticket_id: uuid.UUID,
    data: TicketUpdate,
    expected_version: int | None,
) -> Updated:
    """Applies a partial update and records what changed."""
    values = _values(principal, data)
    ticket = await repository.get_visible(session, principal=principal, ticket_id=ticket_id)
    if ticket.status in FINAL:
        raise Conflict(f"The ticket is {ticket.status}; it can no longer change.")
    await _check_emergency(session, principal, ticket, values)
    emergency = values.get("emergency", ticket.emergency)
    if emergency and values.get("priority", Priority.critical) != Priority.critical:
        raise invalid(
            "body.priority", "An emergency is always critical; set emergency to false first."
        )
    await _check_assignee(session, values.get("assignee_id"))
    changed, previous = changes(ticket, values)
    if not changed:
        if expected_version not in (None, ticket.version):
            await repository.update_checked(
                session, ticket_id, {}, expected_version=expected_version
            )
        return Updated(ticket, frozenset(), became_emergency=False)
    was_emergency = ticket.emergency
    ticket = await repository.update_checked(
        session, ticket_id, {**changed, **_rerouting(changed)}, expected_version=expected_version
    )
    rows = (await sla_repository.clocks_of(session, [ticket.id], lock=True))[ticket.id]
    if "priority" in changed:
        context = await sla_repository.context_of_ticket(session, ticket)
        ticket_clocks.retarget(rows, priority=ticket.priority, context=context)
    events = _update_events(principal, ticket, rows, previous, was_emergency)
    await record(session, *events)
    return Updated(ticket, frozenset(changed), ticket.emergency and not was_emergency)


async def _check_emergency(
    session: AsyncSession, principal: Principal, ticket: Ticket, values: dict[str, Any]
) -> None:
    """Only staff, the organization's integration and the requester raise a ticket to an
    emergency: it pages the on-call seniors, so one contact may not do it for another's, and
    the client side declares it once per ticket (switching it off and on pages them again)."""
    if not values.get("emergency") or ticket.emergency or principal.is_staff:
        return
    if principal.kind is KeyKind.contact and ticket.requester_id != principal.contact_id:
        raise Forbidden(
            "Only the ticket's requester or staff may declare it an emergency; "
            "add a comment to ask them."
        )
    if await events_repository.has_event(session, ticket.id, EventType.ticket_emergency):
        raise Forbidden(
            "This ticket was declared an emergency once already; only support can declare it "
            "again. Add a comment to ask them: the team sees it at once."
        )


def _rerouting(changed: dict[str, Any]) -> dict[str, Any]:
    """A chosen assignee ends routing; a new category (another track) or a new emergency
    hands the ticket out again."""
    if "assignee_id" in changed:
        return repository.assigned_to(changed["assignee_id"], timesource.now())
    if "category" in changed or changed.get("emergency"):
        return repository.needs_routing(timesource.now())
    return {}


def _update_events(
    principal: Principal,
    ticket: Ticket,
    rows: ClockRows,
    previous: dict[str, Any],
    was_emergency: bool,
) -> list[NewEvent]:
    previous_json = to_jsonable_python(previous)
    events = [
        ticket_event(EventType.ticket_updated, ticket, principal, rows, previous=previous_json)
    ]
    if "assignee_id" in previous and ticket.assignee_id is not None and principal.is_staff:
        events.append(
            ticket_event(
                EventType.ticket_assigned,
                ticket,
                principal,
                rows,
                previous={"assignee_id": previous_json["assignee_id"]},
            )
        )
    if ticket.emergency and not was_emergency:
        events.append(ticket_event(EventType.ticket_emergency, ticket, principal, rows))
    return events

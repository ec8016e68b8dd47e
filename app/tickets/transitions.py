"""Moving a ticket through its lifecycle."""

import uuid
from datetime import timedelta
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from app import timesource
from app.api_keys.models import KeyKind
from app.errors import Conflict, Forbidden, IllegalTransition, invalid
from app.events.models import EventType
from app.events.service import record
from app.security import Principal
from app.sla import repository as sla_repository
from app.sla import ticket_clocks
from app.tickets import repository
from app.tickets.events import ticket_event
from app.tickets.lifecycle import Side, Status, is_legal, legal_targets, may_move
from app.tickets.models import Ticket


def _timestamps(target: Status) -> dict[str, Any]:
    now = timesource.now()
    if target is Status.resolved:
        return {"resolved_at": now}
    if target is Status.closed:
        return {"closed_at": now}
    if target is Status.open:
        return {"resolved_at": None}
    return {}


def _revision(source: Status, target: Status) -> dict[str, Any]:
    """Work sent back from awaiting_approval counts as one more revision."""
    if source is Status.awaiting_approval and target is Status.open:
        return {"revision_count": Ticket.revision_count + 1}
    return {}


async def move(
    session: AsyncSession,
    ticket: Ticket,
    target: Status,
    *,
    principal: Principal | None,
    reason: str | None = None,
) -> Ticket:
    """Moves `ticket` to `target` if it is still where it was read; records the change."""
    source = Status(ticket.status)
    now = timesource.now()
    values = {"status": target, **_timestamps(target), **_revision(source, target)}
    moved = await repository.update(session, ticket.id, values, Ticket.status == source)
    if moved is None:
        raise Conflict("The ticket's status changed meanwhile; fetch it and try again.")
    rows = (await sla_repository.clocks_of(session, [moved.id], lock=True))[moved.id]
    _, calendar = await sla_repository.calendar_of_ticket(session, moved)
    ticket_clocks.on_status_change(rows, source, target, now, calendar)
    data: dict[str, Any] = {"previous": {"status": source.value}}
    if reason:
        data["reason"] = reason
    event = ticket_event(EventType.ticket_status_changed, moved, principal, rows, **data)
    await record(session, event)
    return moved


async def transition(
    session: AsyncSession,
    *,
    principal: Principal,
    ticket_id: uuid.UUID,
    target: Status,
    reason: str | None,
) -> Ticket:
    """A caller's request to move a ticket: 409 when the lifecycle has no such move."""
    ticket = await repository.get_visible(session, principal=principal, ticket_id=ticket_id)
    source = Status(ticket.status)
    if not is_legal(source, target):
        allowed = ", ".join(legal_targets(source)) or "none: it is final"
        raise IllegalTransition(
            f"A {source.value} ticket cannot move to {target.value}; it can move to: {allowed}."
        )
    if not may_move(principal.side, source, target):
        who = "the client" if principal.side is Side.client else "staff"
        raise Forbidden(f"Moving a {source.value} ticket to {target.value} is not for {who}.")
    if source is Status.awaiting_approval:
        _check_approval(principal, ticket, target, reason)
    return await move(session, ticket, target, principal=principal, reason=reason)


def _check_approval(
    principal: Principal, ticket: Ticket, target: Status, reason: str | None
) -> None:
    """Approving or sending back work is the requester's call on the client side, and a
    revision request says what to change."""
    if principal.kind is KeyKind.contact and principal.contact_id != ticket.requester_id:
        raise Forbidden("Only the ticket's requester may approve the work or ask for a revision.")
    if target is Status.open and principal.side is Side.client and not reason:
        raise invalid("body.reason", "Say what should change when asking for a revision.")


async def close_resolved(session: AsyncSession, *, older_than: timedelta, limit: int) -> int:
    """Closes tickets resolved longer ago than `older_than` (the auto-close); returns how many.

    Locked with SKIP LOCKED, so several workers share the work and a ticket being reopened
    right now is left for the next run.
    """
    tickets = await repository.lock_resolved_before(session, timesource.now() - older_than, limit)
    days = older_than / timedelta(days=1)
    for ticket in tickets:
        await move(
            session,
            ticket,
            Status.closed,
            principal=None,
            reason=f"Closed automatically {days:g} days after resolution.",
        )
    return len(tickets)

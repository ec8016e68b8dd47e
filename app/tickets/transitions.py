"""Moving a ticket through its lifecycle."""

import uuid
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from app import clock
from app.api_keys.models import KeyKind
from app.errors import Conflict, Forbidden, IllegalTransition, invalid
from app.events.models import EventType
from app.events.service import record
from app.security import Principal
from app.sla import engine
from app.tickets.lifecycle import Side, Status, is_legal, legal_targets, may_move
from app.tickets.models import Ticket
from app.tickets.service import get_visible, ticket_event


def _timestamps(target: Status) -> dict[str, Any]:
    now = clock.now()
    if target is Status.resolved:
        return {"resolved_at": now, "routing_requested_at": None}
    if target is Status.closed:
        return {"closed_at": now, "routing_requested_at": None}
    if target is Status.cancelled:
        return {"routing_requested_at": None}
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
    now = clock.now()
    moved = (
        await session.execute(
            sa.update(Ticket)
            .where(Ticket.id == ticket.id, Ticket.status == source)
            .values(
                status=target,
                updated_at=now,
                version=Ticket.version + 1,
                **_timestamps(target),
                **_revision(source, target),
            )
            .returning(Ticket)
            .execution_options(synchronize_session=False, populate_existing=True)
        )
    ).scalar_one_or_none()
    if moved is None:
        raise Conflict("The ticket's status changed meanwhile; fetch it and try again.")
    rows = (await engine.clocks_of(session, [moved.id], lock=True))[moved.id]
    calendar = await engine.calendar_of_ticket(session, moved)
    engine.on_status_change(rows, source, target, now, calendar)
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
    ticket = await get_visible(session, principal=principal, ticket_id=ticket_id)
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
    statement = (
        sa.select(Ticket)
        .where(Ticket.status == Status.resolved, Ticket.resolved_at <= clock.now() - older_than)
        .order_by(Ticket.resolved_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    tickets = list((await session.execute(statement)).scalars())
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

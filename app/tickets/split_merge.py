"""One issue per ticket: split a ticket into several, merge a duplicate into another."""

import uuid

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from app.api_keys.models import KeyKind
from app.errors import Conflict, NotFound, invalid
from app.events.models import EventType
from app.events.service import NewEvent, record
from app.security import Principal, require
from app.sla import engine
from app.tickets import creation
from app.tickets.lifecycle import Status
from app.tickets.models import Comment, Ticket
from app.tickets.schemas import SplitRequest, TicketContext, TicketCreate, TicketOut
from app.tickets.service import FINAL, get_visible, ticket_event
from app.tickets.transitions import move

STAFF = (KeyKind.admin, KeyKind.agent)


def _reference(ticket: Ticket) -> dict[str, str]:
    return {"id": str(ticket.id), "number": f"SUP-{ticket.number}"}


async def split(
    session: AsyncSession, *, principal: Principal, ticket_id: uuid.UUID, data: SplitRequest
) -> list[TicketOut]:
    """New tickets, one per part, linked to the original, each with its own SLA clocks and a
    `ticket.split` event (the client's confirmation for each). The original stays as it is."""
    require(principal, *STAFF)
    original = await get_visible(session, principal=principal, ticket_id=ticket_id, lock=True)
    if original.status in FINAL:
        raise Conflict(f"A {original.status} ticket cannot be split.")
    created = []
    for part in data.parts:
        request = TicketCreate(
            subject=part.subject,
            description=part.description,
            priority=part.priority or original.priority,
            category=part.category or original.category,
            channel=original.channel,
            requester_id=original.requester_id,
            # Stored context was validated when it came in; copy it as it is.
            context=TicketContext.model_construct(**original.context),
        )
        ticket = await creation.create(
            session, principal=principal, data=request, split_from=original.id
        )
        created.append(ticket)
    await record(
        session,
        *(
            NewEvent(
                type=EventType.ticket_split,
                actor=principal.actor(),
                data={"ticket": ticket.model_dump(mode="json"), "split_from": _reference(original)},
                organization_id=ticket.organization_id,
                ticket_id=ticket.id,
            )
            for ticket in created
        ),
    )
    return created


async def merge(
    session: AsyncSession, *, principal: Principal, ticket_id: uuid.UUID, into: uuid.UUID
) -> Ticket:
    """Closes the ticket as a duplicate of `into`: its comments and links move there, and
    `into` records `ticket.merged`. Returns the ticket that stays."""
    require(principal, *STAFF)
    if into == ticket_id:
        raise invalid("body.into", "A ticket cannot be merged into itself.")
    # Lock both in a fixed order so two opposite merges cannot deadlock.
    locked = {}
    for each in sorted((ticket_id, into)):
        try:
            locked[each] = await get_visible(
                session, principal=principal, ticket_id=each, lock=True
            )
        except NotFound:
            if each == into:
                raise invalid("body.into", f"No ticket with id {into}.") from None
            raise
    duplicate, target = locked[ticket_id], locked[into]
    _check_mergeable(duplicate, target)
    await _move_history(session, duplicate.id, target.id)
    await session.execute(
        sa.update(Ticket).where(Ticket.id == duplicate.id).values(merged_into_id=target.id)
    )
    await move(
        session,
        duplicate,
        Status.closed,
        principal=principal,
        reason=f"Merged into SUP-{target.number}",
    )
    await session.refresh(target)
    rows = (await engine.clocks_of(session, [target.id]))[target.id]
    await record(
        session,
        ticket_event(
            EventType.ticket_merged, target, principal, rows, merged=_reference(duplicate)
        ),
    )
    return target


def _check_mergeable(duplicate: Ticket, target: Ticket) -> None:
    if duplicate.organization_id != target.organization_id:
        raise invalid("body.into", "Tickets of different organizations cannot be merged.")
    for ticket in (duplicate, target):
        if ticket.status in FINAL:
            raise Conflict(f"SUP-{ticket.number} is {ticket.status}; it cannot be merged.")


async def _move_history(session: AsyncSession, source: uuid.UUID, target: uuid.UUID) -> None:
    """Comments, split children and earlier duplicates of `source` now belong to `target`."""
    await session.execute(
        sa.update(Comment).where(Comment.ticket_id == source).values(ticket_id=target)
    )
    await session.execute(
        sa.update(Ticket).where(Ticket.split_from_id == source).values(split_from_id=target)
    )
    await session.execute(
        sa.update(Ticket).where(Ticket.merged_into_id == source).values(merged_into_id=target)
    )

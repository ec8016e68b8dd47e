"""What a ticket change sets off in other domains, at once and in the same transaction.

Routers, intake and workers call these instead of the ticket services when a change may route
or escalate the ticket. Imports run one way: flows → services → repositories → models.
"""

import uuid

from sqlmodel.ext.asyncio.session import AsyncSession

from app.assignment import routing
from app.errors import Conflict
from app.escalation import service as escalation
from app.events.models import EventType
from app.events.service import record
from app.security import Principal, require
from app.sla import repository as sla_repository
from app.tickets import comments, creation, problems, repository, service, split_merge, transitions
from app.tickets.events import ticket_event
from app.tickets.lifecycle import FINAL, Status
from app.tickets.models import Comment, Ticket
from app.tickets.schemas import (
    CommentCreate,
    SplitRequest,
    TicketContext,
    TicketCreate,
    TicketUpdate,
)


async def create(
    session: AsyncSession,
    *,
    principal: Principal,
    data: TicketCreate,
    split_from: uuid.UUID | None = None,
    requester_email: str | None = None,
) -> Ticket:
    """Raises a ticket; an emergency gets a senior and a high impact escalates, at once."""
    ticket = await creation.create(
        session,
        principal=principal,
        data=data,
        split_from=split_from,
        requester_email=requester_email,
    )
    if creation.acts_at_once(ticket):
        return await act_at_once(session, ticket.id)
    return ticket


async def update(
    session: AsyncSession,
    *,
    principal: Principal,
    ticket_id: uuid.UUID,
    data: TicketUpdate,
    expected_version: int | None,
) -> Ticket:
    """A partial update; new impact escalates and a new emergency gets a senior now."""
    updated = await service.update(
        session,
        principal=principal,
        ticket_id=ticket_id,
        data=data,
        expected_version=expected_version,
    )
    ticket = updated.ticket
    if "context" in updated.changed:
        await escalation.on_impact(session, ticket.id, by=principal)
        await session.refresh(ticket)
    if updated.became_emergency and ticket.routing_requested_at is not None:
        await routing.route(session, ticket)
        await session.refresh(ticket)
    return ticket


async def act_at_once(session: AsyncSession, ticket_id: uuid.UUID) -> Ticket:
    """A new ticket's emergency gets a senior now and its impact escalates now, not on the
    next sweep."""
    ticket = await repository.lock(session, ticket_id)
    await escalation.on_impact(session, ticket_id)
    await session.refresh(ticket)
    if ticket.routing_requested_at is not None and ticket.emergency:
        await routing.route(session, ticket)
        await session.refresh(ticket)
    return ticket


async def split(
    session: AsyncSession, *, principal: Principal, ticket_id: uuid.UUID, data: SplitRequest
) -> list[Ticket]:
    """New tickets, one per part, linked to the original, each with its own SLA clocks and a
    `ticket.split` event (the client's confirmation for each). The original stays as it is."""
    require(principal, *split_merge.STAFF)
    original = await repository.get_visible(
        session, principal=principal, ticket_id=ticket_id, lock=True
    )
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
        ticket = await create(session, principal=principal, data=request, split_from=original.id)
        created.append(ticket)
    clocks = await sla_repository.clocks_of(session, [ticket.id for ticket in created])
    await record(
        session,
        *(
            ticket_event(
                EventType.ticket_split,
                ticket,
                principal,
                clocks[ticket.id],
                split_from=split_merge.reference(original),
            )
            for ticket in created
        ),
    )
    return created


async def comment(
    session: AsyncSession, *, principal: Principal, ticket_id: uuid.UUID, data: CommentCreate
) -> Comment:
    """A comment; a broadcast on a problem is also copied onto each of its open incidents."""
    if data.broadcast:
        await problems.check_broadcast(session, principal=principal, ticket_id=ticket_id, data=data)
    added = await comments.add(session, principal=principal, ticket_id=ticket_id, data=data)
    if data.broadcast:
        await problems.broadcast(session, principal=principal, comment=added, data=data)
    return added


async def transition(
    session: AsyncSession,
    *,
    principal: Principal,
    ticket_id: uuid.UUID,
    target: Status,
    reason: str | None,
) -> Ticket:
    """A lifecycle move; resolving a problem resolves its open incidents too."""
    ticket = await transitions.transition(
        session, principal=principal, ticket_id=ticket_id, target=target, reason=reason
    )
    if target is Status.resolved:
        await problems.resolve_incidents(session, principal=principal, problem=ticket)
    return ticket

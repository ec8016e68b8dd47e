"""The client's own order of its open requests (queue_position)."""

import uuid

from sqlmodel.ext.asyncio.session import AsyncSession

from app.errors import invalid
from app.events.models import EventType
from app.events.service import record
from app.security import Principal
from app.sla import repository as sla_repository
from app.tickets import repository
from app.tickets.events import ticket_event
from app.tickets.models import Ticket


async def current(session: AsyncSession, organization_id: uuid.UUID) -> list[uuid.UUID]:
    """The positioned open tickets, first first."""
    return await repository.queued_ids(session, organization_id)


async def reorder(
    session: AsyncSession,
    *,
    principal: Principal,
    organization_id: uuid.UUID,
    ticket_ids: list[uuid.UUID],
) -> list[uuid.UUID]:
    """Positions the listed open tickets 1..n, clears the others' positions, and records a
    `ticket.updated` for each ticket whose position changed."""
    if len(set(ticket_ids)) != len(ticket_ids):
        raise invalid("body.ticket_ids", "A ticket may appear only once.")
    # Locked, so two reorders apply one after the other.
    tickets = await repository.lock_open_of(session, organization_id)
    unknown = [str(ticket_id) for ticket_id in ticket_ids if ticket_id not in tickets]
    if unknown:
        raise invalid(
            "body.ticket_ids", f"Not open requests of this organization: {', '.join(unknown[:5])}."
        )
    wanted = {ticket_id: index for index, ticket_id in enumerate(ticket_ids, start=1)}
    changed = {
        ticket_id: ticket.queue_position
        for ticket_id, ticket in tickets.items()
        if ticket.queue_position != wanted.get(ticket_id)
    }
    if changed:
        await _apply(session, principal, tickets, wanted, changed)
    return ticket_ids


async def _apply(
    session: AsyncSession,
    principal: Principal,
    tickets: dict[uuid.UUID, Ticket],
    wanted: dict[uuid.UUID, int],
    previous: dict[uuid.UUID, int | None],
) -> None:
    await repository.set_queue_positions(session, [tickets[each] for each in previous], wanted)
    clocks = await sla_repository.clocks_of(session, list(previous))
    await record(
        session,
        *(
            ticket_event(
                EventType.ticket_updated,
                tickets[ticket_id],
                principal,
                clocks[ticket_id],
                previous={"queue_position": position},
            )
            for ticket_id, position in previous.items()
        ),
    )

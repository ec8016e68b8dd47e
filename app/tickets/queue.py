"""The client's own order of its open requests (queue_position)."""

import uuid

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from app import clock
from app.errors import invalid
from app.events.models import EventType
from app.events.service import record
from app.security import Principal
from app.sla import engine
from app.tickets.lifecycle import DONE
from app.tickets.models import Ticket
from app.tickets.service import ticket_event

NOT_DONE = Ticket.status.not_in([status.value for status in DONE])


async def current(session: AsyncSession, organization_id: uuid.UUID) -> list[uuid.UUID]:
    """The positioned open tickets, first first."""
    statement = (
        sa.select(Ticket.id)
        .where(
            Ticket.organization_id == organization_id,
            Ticket.queue_position.is_not(None),
            NOT_DONE,
        )
        .order_by(Ticket.queue_position)
    )
    return list((await session.execute(statement)).scalars())


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
    # Lock the organization's open tickets so two reorders apply one after the other.
    statement = (
        sa.select(Ticket)
        .where(Ticket.organization_id == organization_id, NOT_DONE)
        .order_by(Ticket.id)
        .with_for_update()
    )
    tickets = {ticket.id: ticket for ticket in (await session.execute(statement)).scalars()}
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
    now = clock.now()
    for ticket_id in previous:
        ticket = tickets[ticket_id]
        ticket.queue_position = wanted.get(ticket_id)
        ticket.updated_at = now
        ticket.version += 1
    await session.flush()
    clocks = await engine.clocks_of(session, list(previous))
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

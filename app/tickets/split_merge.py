"""One issue per ticket: merge a duplicate into another (splitting raises tickets: `flows`)."""

import uuid

from sqlmodel.ext.asyncio.session import AsyncSession

from app.api_keys.models import KeyKind
from app.errors import Conflict, NotFound, invalid
from app.events.models import EventType
from app.events.service import record
from app.security import Principal, require
from app.sla import repository as sla_repository
from app.tickets import repository
from app.tickets.events import ticket_event
from app.tickets.lifecycle import FINAL, Status
from app.tickets.models import Ticket
from app.tickets.transitions import move

STAFF = (KeyKind.admin, KeyKind.agent)


def reference(ticket: Ticket) -> dict[str, str]:
    return {"id": str(ticket.id), "number": f"SUP-{ticket.number}"}


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
            locked[each] = await repository.get_visible(
                session, principal=principal, ticket_id=each, lock=True
            )
        except NotFound:
            if each == into:
                raise invalid("body.into", f"No ticket with id {into}.") from None
            raise
    duplicate, target = locked[ticket_id], locked[into]
    _check_mergeable(duplicate, target)
    await _move_history(session, duplicate.id, target.id)
    await move(
        session,
        duplicate,
        Status.closed,
        principal=principal,
        reason=f"Merged into SUP-{target.number}",
    )
    await session.refresh(target)
    rows = (await sla_repository.clocks_of(session, [target.id]))[target.id]
    await record(
        session,
        ticket_event(EventType.ticket_merged, target, principal, rows, merged=reference(duplicate)),
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
    await repository.merge_links(session, source, target)

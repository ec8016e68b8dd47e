"""Problems and incidents: one outage, many tickets.

A problem is an ordinary ticket that others are linked to as its incidents. Outages cross
clients, so a problem's incidents may belong to several organizations: only staff link them,
and what reaches an incident (a broadcast reply, the resolution) is written on the incident
itself, in its own organization, carrying nothing of the problem's or the other incidents'.

Locks: a link locks both tickets in id order; a broadcast or a resolution holds the problem
and then locks its incidents one at a time, in id order.
"""

import uuid
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from app.errors import Conflict, Forbidden, invalid
from app.events.models import EventType
from app.events.service import record
from app.pagination import keyset, page
from app.security import STAFF, Principal, require
from app.sla import repository as sla_repository
from app.tickets import comments, present, repository
from app.tickets.events import ticket_event
from app.tickets.lifecycle import FINAL, Status, is_legal, may_move
from app.tickets.models import Comment, Ticket, Visibility
from app.tickets.schemas import CommentCreate
from app.tickets.transitions import move

_TICKET = Ticket.__table__.c


async def link(
    session: AsyncSession, *, principal: Principal, ticket_id: uuid.UUID, problem_id: uuid.UUID
) -> Ticket:
    """Makes the ticket an incident of `problem_id` (any organization's ticket); records
    `ticket.linked` on the incident."""
    require(principal, *STAFF)
    if problem_id == ticket_id:
        raise invalid("body.problem_id", "A ticket cannot be an incident of itself.")
    ticket = await repository.get_visible(session, principal=principal, ticket_id=ticket_id)
    if ticket.problem_id == problem_id:
        return ticket  # linked already: nothing changes, nothing to record
    locked = await repository.lock_pair(session, ticket_id, problem_id)
    problem = locked.get(problem_id)
    if problem is None:
        raise invalid("body.problem_id", f"No ticket with id {problem_id}.")
    ticket = locked[ticket_id]
    await _check_linkable(session, ticket, problem)
    linked = await repository.set_problem(session, ticket.id, problem.id)
    await _record_link(session, principal, linked, problem)
    return linked


async def _check_linkable(session: AsyncSession, ticket: Ticket, problem: Ticket) -> None:
    """One level only: a problem is no incident, an incident is no problem."""
    if problem.problem_id is not None:
        raise invalid(
            "body.problem_id",
            f"SUP-{problem.number} is itself an incident; link to its problem instead.",
        )
    if await repository.has_incidents(session, ticket.id):
        raise invalid(
            "body.problem_id", f"SUP-{ticket.number} is a problem with incidents of its own."
        )
    for each in (ticket, problem):
        if each.status in FINAL:
            raise Conflict(f"SUP-{each.number} is {each.status}; it cannot be linked.")


async def unlink(session: AsyncSession, *, principal: Principal, ticket_id: uuid.UUID) -> Ticket:
    """The ticket is no longer an incident; records `ticket.linked` with no problem."""
    require(principal, *STAFF)
    ticket = await repository.get_visible(
        session, principal=principal, ticket_id=ticket_id, lock=True
    )
    if ticket.problem_id is None:
        return ticket  # not linked: nothing changes, nothing to record
    if ticket.status in FINAL:
        raise Conflict(f"SUP-{ticket.number} is {ticket.status}; it cannot be unlinked.")
    unlinked = await repository.set_problem(session, ticket.id, None)
    await _record_link(session, principal, unlinked, None)
    return unlinked


async def _record_link(
    session: AsyncSession, principal: Principal, ticket: Ticket, problem: Ticket | None
) -> None:
    rows = (await sla_repository.clocks_of(session, [ticket.id]))[ticket.id]
    reference = {"id": str(problem.id), "number": f"SUP-{problem.number}"} if problem else None
    await record(
        session, ticket_event(EventType.ticket_linked, ticket, principal, rows, problem=reference)
    )


async def incidents(
    session: AsyncSession,
    *,
    principal: Principal,
    ticket_id: uuid.UUID,
    cursor: str | None,
    limit: int,
) -> tuple[list[Any], str | None]:
    """A problem's incidents, of every organization, newest first (staff only)."""
    require(principal, *STAFF)
    await repository.get_visible(session, principal=principal, ticket_id=ticket_id)
    incidents = present.with_clocks_and_files(repository.incidents_of(ticket_id))
    statement = keyset(incidents, _TICKET.created_at, _TICKET.id, cursor, limit)
    return page((await session.execute(statement)).all(), limit)


async def check_broadcast(
    session: AsyncSession, *, principal: Principal, ticket_id: uuid.UUID, data: CommentCreate
) -> None:
    """A broadcast is a staff reply, public, on a problem that has incidents."""
    await repository.get_visible(session, principal=principal, ticket_id=ticket_id)
    if not principal.is_staff:
        raise Forbidden("Only staff broadcast to a problem's incidents.")
    if data.visibility is not Visibility.public:
        raise invalid("body.broadcast", "Only a public reply can be broadcast to incidents.")
    if not await repository.has_incidents(session, ticket_id):
        raise invalid("body.broadcast", "This ticket has no incidents to broadcast to.")


async def broadcast(
    session: AsyncSession, *, principal: Principal, comment: Comment, data: CommentCreate
) -> list[Comment]:
    """Copies the problem's reply onto each open incident as that incident's own public
    reply: same author, same text, its own `ticket.comment_added` in its organization."""
    copy = CommentCreate(body=comment.body, author_id=data.author_id)
    copies = []
    for incident_id in await repository.open_incident_ids(session, comment.ticket_id):
        copies.append(
            await comments.add(
                session, principal=principal, ticket_id=incident_id, data=copy, broadcast=True
            )
        )
    return copies


async def resolve_incidents(
    session: AsyncSession, *, principal: Principal, problem: Ticket
) -> None:
    """Resolves the problem's open incidents, each by its own lifecycle move and events; an
    incident whose status has no move to resolved is left as it is."""
    for incident_id in await repository.open_incident_ids(session, problem.id):
        incident = await repository.lock(session, incident_id)
        source = Status(incident.status)
        if not is_legal(source, Status.resolved):
            continue
        if not may_move(principal.side, source, Status.resolved):
            continue
        await move(
            session,
            incident,
            Status.resolved,
            principal=principal,
            reason=_resolution_reason(problem, incident),
        )


def _resolution_reason(problem: Ticket, incident: Ticket) -> str:
    """Clients see the reason: another organization's ticket number is not theirs to see."""
    if incident.organization_id == problem.organization_id:
        return f"Resolved with problem SUP-{problem.number}"
    return "Resolved with the problem it was linked to"

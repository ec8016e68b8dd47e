"""Customer satisfaction: the requester rates a resolved ticket once."""

import uuid
from urllib.parse import quote

from sqlmodel.ext.asyncio.session import AsyncSession

from app import crypto, timesource
from app.api_keys.models import KeyKind
from app.config import Settings
from app.errors import Conflict, Forbidden, NotFound
from app.events.models import EventType
from app.events.service import record
from app.security import Principal, require
from app.sla import repository as sla_repository
from app.tickets import repository
from app.tickets.events import ticket_event
from app.tickets.lifecycle import Status
from app.tickets.models import Ticket
from app.tickets.schemas import SatisfactionCreate

RATEABLE = frozenset({Status.resolved, Status.closed})
_PURPOSE = "satisfaction"


def token_for(ticket_id: uuid.UUID) -> str:
    """The token of the rating link mailed with a resolution: it rates this ticket only, as
    its requester, once (a ticket is rated once)."""
    return crypto.sign(_PURPOSE, str(ticket_id))


def satisfaction_url(settings: Settings, ticket_id: uuid.UUID) -> str:
    base = settings.public_url.rstrip("/")
    return f"{base}/satisfaction/{ticket_id}?token={quote(token_for(ticket_id))}"


async def rate_with_token(
    session: AsyncSession, *, ticket_id: uuid.UUID, token: str, data: SatisfactionCreate
) -> Ticket:
    """A rating from the mailed link, with no API key: the token stands for the requester."""
    if not crypto.verify(_PURPOSE, str(ticket_id), token):
        raise Forbidden("This rating link is not valid for this ticket.")
    ticket = await repository.get(session, ticket_id)
    if ticket is None:
        raise NotFound(f"No ticket with id {ticket_id}.")
    requester = Principal(
        kind=KeyKind.contact,
        organization_id=ticket.organization_id,
        contact_id=ticket.requester_id,
    )
    return await rate(session, principal=requester, ticket_id=ticket_id, data=data)


async def rate(
    session: AsyncSession, *, principal: Principal, ticket_id: uuid.UUID, data: SatisfactionCreate
) -> Ticket:
    """Records the rating; a second one is a 409, whoever sends it."""
    require(principal, KeyKind.contact, KeyKind.integration)
    ticket = await repository.get_visible(
        session, principal=principal, ticket_id=ticket_id, lock=True
    )
    if principal.kind is KeyKind.contact and principal.contact_id != ticket.requester_id:
        raise Forbidden("Only the ticket's requester may rate it.")
    if ticket.status not in RATEABLE:
        raise Conflict(f"A {ticket.status} ticket cannot be rated yet; rate it once resolved.")
    values = {
        "satisfaction_score": data.score,
        "satisfaction_comment": data.comment,
        "satisfaction_rated_at": timesource.now(),
    }
    rated = await repository.update(session, ticket.id, values, Ticket.satisfaction_score.is_(None))
    if rated is None:
        raise Conflict("This ticket has already been rated; a rating is given once.")
    rows = (await sla_repository.clocks_of(session, [rated.id]))[rated.id]
    satisfaction = {"score": data.score, "comment": data.comment}
    await record(
        session,
        ticket_event(
            EventType.ticket_satisfaction_rated, rated, principal, rows, satisfaction=satisfaction
        ),
    )
    return rated

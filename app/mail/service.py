"""What staff read of outbound mail: which mails a ticket sent, to whom, with what reply."""

import uuid
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from app.mail import repository
from app.mail.models import Notification
from app.pagination import keyset, page
from app.security import STAFF, Principal, require
from app.tickets import repository as tickets


async def of_ticket(
    session: AsyncSession,
    *,
    principal: Principal,
    ticket_id: uuid.UUID,
    cursor: str | None,
    limit: int,
) -> tuple[list[Any], str | None]:
    """The ticket's mails, newest first (staff only)."""
    require(principal, *STAFF)
    await tickets.get_visible(session, principal=principal, ticket_id=ticket_id)
    statement = keyset(
        repository.for_ticket(ticket_id), Notification.created_at, Notification.id, cursor, limit
    )
    return page((await session.execute(statement)).scalars().all(), limit)

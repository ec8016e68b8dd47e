"""/v1/tickets/{ticket_id}/notifications: the mail a ticket sent."""

import uuid

from fastapi import Depends

from app.db import get_session
from app.errors import problem_responses
from app.mail import service
from app.mail.schemas import NotificationList, NotificationOut
from app.pagination import PAGE_DEFAULT, Cursor, Limit
from app.routers import resource_router
from app.security import STAFF, Principal, requires

router = resource_router("/v1/tickets", "tickets")


@router.get(
    "/{ticket_id}/notifications",
    operation_id="list_ticket_notifications",
    responses=problem_responses(401, 403, 404, 422),
)
async def list_ticket_notifications(
    ticket_id: uuid.UUID,
    limit: Limit = PAGE_DEFAULT,
    cursor: Cursor = None,
    principal: Principal = Depends(requires(*STAFF)),
    session=Depends(get_session),
) -> NotificationList:
    """Staff: every mail the ticket sent or held back — to whom, which kind, its status,
    attempts and the SMTP server's reply (or why it was not sent) — newest first."""
    rows, next_cursor = await service.of_ticket(
        session, principal=principal, ticket_id=ticket_id, cursor=cursor, limit=limit
    )
    return NotificationList(
        data=[NotificationOut.model_validate(row) for row in rows], next_cursor=next_cursor
    )

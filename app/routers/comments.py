"""/v1/tickets/{ticket_id}/comments and /events"""

import uuid

from fastapi import Depends

from app.db import get_session
from app.errors import problem_responses
from app.events import service as events
from app.events.schemas import EventList, EventOut
from app.pagination import Cursor, Limit
from app.routers import resource_router
from app.security import NOT_WIDGET, Principal, requires
from app.tickets import comments, flows
from app.tickets.schemas import CommentCreate, CommentList, CommentOut

router = resource_router("/v1/tickets/{ticket_id}", "tickets")
# Widget keys only raise tickets, through /v1/intake/widget (Origin check, rate limits, a
# narrow body); every route here refuses them before validating the body.
Caller = Depends(requires(*NOT_WIDGET))


@router.post(
    "/comments",
    status_code=201,
    operation_id="create_comment",
    responses=problem_responses(401, 403, 404, 409, 413, 422),
)
async def create_comment(
    ticket_id: uuid.UUID,
    body: CommentCreate,
    principal: Principal = Caller,
    session=Depends(get_session),
) -> CommentOut:
    """Reply publicly or add an internal note (staff); @mention agents by email or handle.

    An integration key posts for one of its organization's contacts, named in `author_id`.
    Staff may `broadcast` a public reply on a problem: it is copied onto each open incident.
    """
    comment = await flows.comment(session, principal=principal, ticket_id=ticket_id, data=body)
    return (await comments.present(session, [comment]))[0]


@router.get(
    "/comments", operation_id="list_comments", responses=problem_responses(401, 403, 404, 422)
)
async def list_comments(
    ticket_id: uuid.UUID,
    limit: Limit = 50,
    cursor: Cursor = None,
    principal: Principal = Caller,
    session=Depends(get_session),
) -> CommentList:
    """A ticket's comments, oldest first; contacts never see internal notes."""
    rows, next_cursor = await comments.list_comments(
        session, principal=principal, ticket_id=ticket_id, cursor=cursor, limit=limit
    )
    return CommentList(data=await comments.present(session, rows), next_cursor=next_cursor)


@router.get(
    "/events", operation_id="list_ticket_events", responses=problem_responses(401, 403, 404, 422)
)
async def list_ticket_events(
    ticket_id: uuid.UUID,
    limit: Limit = 50,
    cursor: Cursor = None,
    principal: Principal = Caller,
    session=Depends(get_session),
) -> EventList:
    """A ticket's timeline, oldest first; clients see client-facing events only."""
    rows, next_cursor = await events.timeline(
        session, principal=principal, ticket_id=ticket_id, cursor=cursor, limit=limit
    )
    return EventList(data=[EventOut.model_validate(row) for row in rows], next_cursor=next_cursor)

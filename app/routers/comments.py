"""/v1/tickets/{ticket_id}/comments and /events"""

import uuid

from fastapi import APIRouter, Depends, Response

from app.api_keys.models import KeyKind
from app.chat import access
from app.chat import service as chat
from app.chat.models import EndReason
from app.db import get_session
from app.errors import problem_responses
from app.events import service as events
from app.events.schemas import EventList, EventOut
from app.intake import cors
from app.pagination import PAGE_DEFAULT, Cursor, Limit
from app.routers import resource_router
from app.security import NOT_WIDGET, Principal, requires
from app.tickets import comments, flows
from app.tickets import repository as tickets
from app.tickets.schemas import CommentCreate, CommentList, CommentOut

router = resource_router("/v1/tickets/{ticket_id}", "tickets")
# The routes a live chat's browser uses too, with its conversation token (app/chat/access).
chat_routes = APIRouter(
    prefix="/v1/tickets/{ticket_id}", tags=["tickets"], route_class=access.ChatRoute
)
# Widget keys only raise tickets, through /v1/intake/widget (Origin check, rate limits, a
# narrow body); every route here refuses them before validating the body.
Caller = Depends(requires(*NOT_WIDGET))
ChatCaller = Depends(access.caller(*NOT_WIDGET))


@chat_routes.post(
    "/comments",
    status_code=201,
    operation_id="create_comment",
    responses=problem_responses(401, 403, 404, 409, 413, 422),
)
async def create_comment(
    ticket_id: uuid.UUID,
    body: CommentCreate,
    principal: Principal = ChatCaller,
    session=Depends(get_session),
) -> CommentOut:
    """Reply publicly or add an internal note (staff); @mention agents by email or handle.

    An integration key posts for one of its organization's contacts, named in `author_id`.
    Staff may `broadcast` a public reply on a problem: it is copied onto each open incident.
    A live chat's browser posts its messages here with its conversation token.
    """
    comment = await flows.comment(session, principal=principal, ticket_id=ticket_id, data=body)
    return (await comments.present(session, [comment]))[0]


@chat_routes.get(
    "/comments", operation_id="list_comments", responses=problem_responses(401, 403, 404, 422)
)
async def list_comments(
    ticket_id: uuid.UUID,
    limit: Limit = PAGE_DEFAULT,
    cursor: Cursor = None,
    principal: Principal = ChatCaller,
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
    limit: Limit = PAGE_DEFAULT,
    cursor: Cursor = None,
    principal: Principal = Caller,
    session=Depends(get_session),
) -> EventList:
    """A ticket's timeline, oldest first; clients see client-facing events only."""
    rows, next_cursor = await events.timeline(
        session, principal=principal, ticket_id=ticket_id, cursor=cursor, limit=limit
    )
    return EventList(data=[EventOut.model_validate(row) for row in rows], next_cursor=next_cursor)


@chat_routes.post(
    "/chat/end",
    status_code=204,
    operation_id="end_chat",
    responses=problem_responses(401, 403, 404, 422),
)
async def end_chat(
    ticket_id: uuid.UUID,
    principal: Principal = Depends(access.caller(KeyKind.admin, KeyKind.agent)),
    session=Depends(get_session),
) -> Response:
    """End the ticket's live chat: its browser when the client leaves (a beacon with
    `?conversation_token=`), or staff. The client gets the transcript by mail; the ticket
    goes on as any other. Ending a chat that has ended already changes nothing."""
    ticket = await tickets.get_visible(session, principal=principal, ticket_id=ticket_id)
    reason = EndReason.closed if principal.conversation_id else EndReason.agent
    await chat.end(session, ticket.id, reason, principal)
    return Response(status_code=204)


cors.add_preflights(chat_routes, access.preflight, "/comments", "/chat/end")

"""/v1/stream: the change feed, live, as Server-Sent Events."""

import re
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import JSONResponse

from app.api_keys.models import KeyKind
from app.chat import access
from app.db import get_session
from app.errors import PROBLEM_MEDIA_TYPE, invalid, problem_responses
from app.events.stream import StreamMessage
from app.intake import cors
from app.pagination import decode_seq_cursor
from app.routers.events import Types, event_types
from app.schemas import Maybe
from app.security import Principal
from app.stream import feed, presence
from app.stream.response import EventStream
from app.stream.subscription import Filters, Subscription
from app.tickets import repository as tickets

# A live chat's browser streams its ticket with its conversation token (app/chat/access).
router = APIRouter(prefix="/v1", tags=["stream"], route_class=access.ChatStreamRoute)

# A feed position: ASCII digits within a bigint (str.isdigit() would take "²").
POSITION = re.compile(r"[0-9]{1,18}")
STREAM_RESPONSE = {
    200: {
        "description": "Server-Sent Events, each message a `StreamMessage`: `id: <feed "
        "position>`, `event: <type>`, `data: <the event as in the change feed, an Event>`; "
        "presence changes as `event: ticket.presence` without an id, `data: <a "
        "PresenceChange>`. A new stream opens with `retry: 2000`, its start position as `id:` "
        "and a `: connected` comment; a `: ping` comment follows every "
        "SUPPORTDESK_STREAM_PING_SECONDS (15 s).",
        "model": StreamMessage,
    }
}


class DocumentedStream(JSONResponse):
    """How the spec shows the stream's response: its media type and, as for a JSON response,
    only the schema of its `model`. Never made: the route returns its `EventStream`."""

    media_type = "text/event-stream"


def _problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The route's problem documents, with their media type said (its responses' own is the
    stream's)."""
    schema = {"$ref": "#/components/schemas/Problem"}
    return {
        status: {
            "description": entry["description"],
            "content": {PROBLEM_MEDIA_TYPE: {"schema": schema}},
        }
        for status, entry in problem_responses(*statuses).items()
    }


# No `types` asked for: every type (one shared empty set; a stream may live for hours).
ALL_TYPES: frozenset[str] = frozenset()


def _stream_types(values: list[str], principal: Principal) -> frozenset[str]:
    """The feed's event types, and `ticket.presence` (staff streams only hear it)."""
    names = {name.strip() for value in values for name in value.split(",")}
    ephemeral = {presence.EVENT} & names if principal.is_staff else set()
    wanted = {*(str(kind) for kind in event_types(list(names - ephemeral))), *ephemeral}
    return frozenset(wanted) if wanted else ALL_TYPES


def resume_after(last_event_id: str | None, cursor: str | None) -> int | None:
    """The feed position to resume after: Last-Event-ID (what a browser sends when it
    reconnects) over `cursor` (a position, or a cursor of GET /v1/events); None: from now."""
    if last_event_id is not None:
        if not POSITION.fullmatch(last_event_id.strip()):
            raise invalid("header.last-event-id", "Last-Event-ID is a feed position (digits).")
        return int(last_event_id)
    if cursor is None:
        return None
    return int(cursor) if POSITION.fullmatch(cursor) else decode_seq_cursor(cursor)


@router.get(
    "/stream",
    operation_id="open_stream",
    status_code=200,
    response_class=DocumentedStream,
    responses={**STREAM_RESPONSE, **_problems(401, 403, 404, 422)},
)
async def open_stream(
    request: Request,
    types: Types = [],  # noqa: B006 (FastAPI copies defaults)
    ticket_id: Maybe(uuid.UUID) = None,
    cursor: Annotated[Maybe(str), Query(max_length=200)] = None,
    last_event_id: Annotated[str | None, Header(alias="Last-Event-ID", max_length=20)] = None,
    principal: Principal = Depends(
        access.caller(KeyKind.admin, KeyKind.agent, KeyKind.integration, KeyKind.contact)
    ),
    session=Depends(get_session),
) -> EventStream:
    """The change feed as it happens, scoped like the feed and the timeline (clients see their
    organization's client-facing events; staff everything). Resume with `Last-Event-ID` (or
    `cursor`): everything after that position is replayed from the feed, then live events
    follow, without a gap or a repeat. Filter with `types` and `ticket_id`. A live chat's
    browser streams its own ticket with `?ticket_id=…&conversation_token=…` (EventSource
    cannot send headers). Staff streams also
    carry `ticket.presence` (who is viewing or replying to a ticket; not in the feed): its
    `data` lists everyone present, each until `expires_at` unless refreshed."""
    filters = Filters(_stream_types(types, principal), ticket_id)
    if ticket_id is not None:
        await tickets.get_visible(session, principal=principal, ticket_id=ticket_id)
    after = resume_after(last_event_id, cursor)
    subscription = Subscription(principal, filters)
    state = request.app.state
    body = feed.frames(state.stream_hub, state.sessions, subscription, after)
    # The session authentication used is closed by now; nothing of it stays with the stream.
    request.state.session = None
    return EventStream(body, subscription.close)


cors.add_preflights(router, access.preflight, "/stream")

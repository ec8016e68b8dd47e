"""/v1/events: the change feed"""

import logging
from typing import Annotated

from fastapi import Depends, Query, Request
from pydantic import StringConstraints

from app.api_keys.models import KeyKind
from app.db import get_session
from app.errors import invalid, problem_responses
from app.events import service
from app.events.models import EventType
from app.events.schemas import EventOut, FeedPage
from app.pagination import PAGE_DEFAULT, Cursor, Limit
from app.routers import resource_router
from app.security import Principal, requires
from app.webhooks import relay

router = resource_router("/v1/events", "events")
log = logging.getLogger("supportdesk.feed")

# One value may name every type, comma-separated (about 400 characters today).
Types = Annotated[
    list[Annotated[str, StringConstraints(max_length=1000)]],
    Query(
        description="Only these event types (repeat the parameter or separate with commas).",
        max_length=50,
    ),
]


def event_types(values: list[str]) -> list[EventType]:
    """The event types a `types` query names (comma-separated or repeated); unknown: 422."""
    names = [name.strip() for value in values for name in value.split(",") if name.strip()]
    known = {kind.value: kind for kind in EventType}
    unknown = [name for name in names if name not in known]
    if unknown:
        raise invalid("query.types", f"Unknown event types: {', '.join(unknown[:5])}.")
    return [known[name] for name in names]


@router.get("", operation_id="list_events", responses=problem_responses(401, 403, 422))
async def list_events(
    request: Request,
    cursor: Cursor = None,
    types: Types = [],  # noqa: B006 (FastAPI copies defaults)
    limit: Limit = PAGE_DEFAULT,
    principal: Principal = Depends(requires(KeyKind.admin, KeyKind.integration)),
    session=Depends(get_session),
) -> FeedPage:
    """Every event in commit order from a cursor, without gaps or repeats: a consumer that
    was offline continues from its last `next_cursor`. Integration keys get their
    organization's client-facing events, as clients see them: no assignment score
    breakdowns or refusals, and no staff key ids."""
    wanted = event_types(types)
    # Number what has committed since the workers last did, so the feed never lags them.
    try:
        await relay.relay(request.app.state.engine, max_batches=1, wait=True)
    except Exception:
        # The workers relay too: a page without the newest events is still a correct page.
        log.warning("the feed could not relay before reading", exc_info=True)
    rows, next_cursor, more = await service.feed(
        session, principal=principal, cursor=cursor, types=wanted, limit=limit
    )
    return FeedPage(
        data=[EventOut.model_validate(row) for row in rows], next_cursor=next_cursor, has_more=more
    )

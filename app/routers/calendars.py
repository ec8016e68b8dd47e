"""/v1/calendars"""

import uuid

from fastapi import Depends, Response

from app.api_keys.models import KeyKind
from app.db import get_session
from app.errors import problem_responses
from app.http import IfMatch, expected_version, set_etag
from app.pagination import PAGE_DEFAULT, Cursor, Limit
from app.routers import resource_router
from app.security import requires
from app.sla import service
from app.sla.schemas import CalendarCreate, CalendarList, CalendarOut, CalendarUpdate

router = resource_router("/v1/calendars", "calendars")
Admin = Depends(requires(KeyKind.admin))


@router.post(
    "",
    status_code=201,
    operation_id="create_calendar",
    responses=problem_responses(401, 403, 413, 422),
    dependencies=[Admin],
)
async def create_calendar(
    body: CalendarCreate, response: Response, session=Depends(get_session)
) -> CalendarOut:
    """Add a business calendar: time zone, weekly hours, holidays, exceptions."""
    calendar = await service.create(session, data=body)
    set_etag(response, calendar.version)
    return CalendarOut.model_validate(calendar)


@router.get(
    "",
    operation_id="list_calendars",
    responses=problem_responses(401, 403, 422),
    dependencies=[Admin],
)
async def list_calendars(
    limit: Limit = PAGE_DEFAULT, cursor: Cursor = None, session=Depends(get_session)
) -> CalendarList:
    """Calendars, newest first."""
    rows, next_cursor = await service.list_calendars(session, cursor=cursor, limit=limit)
    return CalendarList(
        data=[CalendarOut.model_validate(row) for row in rows], next_cursor=next_cursor
    )


@router.get(
    "/{calendar_id}",
    operation_id="get_calendar",
    responses=problem_responses(401, 403, 404, 422),
    dependencies=[Admin],
)
async def get_calendar(
    calendar_id: uuid.UUID, response: Response, session=Depends(get_session)
) -> CalendarOut:
    """One calendar."""
    calendar = await service.get(session, calendar_id=calendar_id)
    set_etag(response, calendar.version)
    return CalendarOut.model_validate(calendar)


@router.patch(
    "/{calendar_id}",
    operation_id="update_calendar",
    responses=problem_responses(401, 403, 404, 412, 413, 422),
    dependencies=[Admin],
)
async def update_calendar(
    calendar_id: uuid.UUID,
    body: CalendarUpdate,
    response: Response,
    if_match: IfMatch = None,
    session=Depends(get_session),
) -> CalendarOut:
    """Change a calendar; send If-Match to refuse a stale write."""
    calendar = await service.update(
        session, calendar_id=calendar_id, data=body, expected_version=expected_version(if_match)
    )
    set_etag(response, calendar.version)
    return CalendarOut.model_validate(calendar)

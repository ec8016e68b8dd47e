"""/v1/agents/{agent_id}/time-off"""

import uuid

from fastapi import Depends, Response

from app.api_keys.models import KeyKind
from app.assignment import time_off
from app.assignment.schemas import TimeOffCreate, TimeOffList, TimeOffOut
from app.db import get_session
from app.errors import problem_responses
from app.pagination import PAGE_DEFAULT, Cursor, Limit
from app.routers import resource_router
from app.schemas import Instant, Maybe
from app.security import Principal, requires

router = resource_router("/v1/agents/{agent_id}/time-off", "agents")
Staff = Depends(requires(KeyKind.admin, KeyKind.agent))


@router.post(
    "",
    status_code=201,
    operation_id="create_time_off",
    responses=problem_responses(401, 403, 404, 413, 422),
)
async def create_time_off(
    agent_id: uuid.UUID,
    body: TimeOffCreate,
    principal: Principal = Staff,
    session=Depends(get_session),
) -> TimeOffOut:
    """Record an out-of-office window (admin, or the agent themself)."""
    window = await time_off.create(session, principal=principal, agent_id=agent_id, data=body)
    return TimeOffOut.model_validate(window)


@router.get("", operation_id="list_time_off", responses=problem_responses(401, 403, 404, 422))
async def list_time_off(
    agent_id: uuid.UUID,
    ending_after: Maybe(Instant) = None,
    limit: Limit = PAGE_DEFAULT,
    cursor: Cursor = None,
    principal: Principal = Staff,
    session=Depends(get_session),
) -> TimeOffList:
    """An agent's windows in the order they were recorded; `ending_after` hides past ones."""
    rows, next_cursor = await time_off.list_windows(
        session,
        principal=principal,
        agent_id=agent_id,
        ending_after=ending_after,
        cursor=cursor,
        limit=limit,
    )
    return TimeOffList(data=[TimeOffOut.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.delete(
    "/{time_off_id}",
    status_code=204,
    operation_id="delete_time_off",
    responses=problem_responses(401, 403, 404, 422),
)
async def delete_time_off(
    agent_id: uuid.UUID,
    time_off_id: uuid.UUID,
    principal: Principal = Staff,
    session=Depends(get_session),
) -> Response:
    """Remove a window."""
    await time_off.delete(session, principal=principal, agent_id=agent_id, time_off_id=time_off_id)
    return Response(status_code=204)

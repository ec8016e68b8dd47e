"""/v1/agents"""

import uuid

from fastapi import Depends, Query, Response

from app.api_keys.models import KeyKind
from app.assignment import service
from app.assignment.models import Role
from app.assignment.schemas import AgentCreate, AgentList, AgentOut, AgentUpdate
from app.db import get_session
from app.errors import problem_responses
from app.http import IfMatch, expected_version, set_etag
from app.pagination import PAGE_DEFAULT, Cursor, Limit
from app.routers import resource_router
from app.schemas import Maybe, NoNulText
from app.security import requires

router = resource_router("/v1/agents", "agents")
Admin = Depends(requires(KeyKind.admin))
Staff = Depends(requires(KeyKind.admin, KeyKind.agent))


@router.post(
    "",
    status_code=201,
    operation_id="create_agent",
    responses=problem_responses(401, 403, 409, 413, 422),
    dependencies=[Admin],
)
async def create_agent(
    body: AgentCreate, response: Response, session=Depends(get_session)
) -> AgentOut:
    """Add a staff member."""
    agent = await service.create(session, data=body)
    set_etag(response, agent.version)
    return AgentOut.model_validate(agent)


@router.get(
    "", operation_id="list_agents", responses=problem_responses(401, 403, 422), dependencies=[Staff]
)
async def list_agents(
    role: Maybe(Role) = None,
    active: Maybe(bool) = None,
    expertise: Maybe(NoNulText) = Query(default=None, max_length=64),
    limit: Limit = PAGE_DEFAULT,
    cursor: Cursor = None,
    session=Depends(get_session),
) -> AgentList:
    """Agents, newest first."""
    rows, next_cursor = await service.list_agents(
        session, role=role, active=active, expertise=expertise, cursor=cursor, limit=limit
    )
    return AgentList(data=[AgentOut.model_validate(row) for row in rows], next_cursor=next_cursor)


@router.get(
    "/{agent_id}",
    operation_id="get_agent",
    responses=problem_responses(401, 403, 404, 422),
    dependencies=[Staff],
)
async def get_agent(
    agent_id: uuid.UUID, response: Response, session=Depends(get_session)
) -> AgentOut:
    """One agent."""
    agent = await service.get(session, agent_id=agent_id)
    set_etag(response, agent.version)
    return AgentOut.model_validate(agent)


@router.patch(
    "/{agent_id}",
    operation_id="update_agent",
    responses=problem_responses(401, 403, 404, 409, 412, 413, 422),
    dependencies=[Admin],
)
async def update_agent(
    agent_id: uuid.UUID,
    body: AgentUpdate,
    response: Response,
    if_match: IfMatch = None,
    session=Depends(get_session),
) -> AgentOut:
    """Change an agent; send If-Match to refuse a stale write."""
    agent = await service.update(
        session, agent_id=agent_id, data=body, expected_version=expected_version(if_match)
    )
    set_etag(response, agent.version)
    return AgentOut.model_validate(agent)

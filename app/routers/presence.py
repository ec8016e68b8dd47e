"""/v1/tickets/{ticket_id}/presence: who is viewing or replying to a ticket right now."""

import uuid

from fastapi import Depends, Request, Response
from pydantic import BaseModel, Field

from app.api_keys.models import KeyKind
from app.assignment import repository as agents
from app.db import get_session
from app.errors import problem_responses
from app.routers import resource_router
from app.schemas import INSTANT_LENGTH, Input, Text
from app.security import Principal, requires
from app.stream import presence
from app.stream.presence import PresenceState
from app.tickets import repository as tickets

router = resource_router("/v1/tickets/{ticket_id}/presence", "presence")
Staff = Depends(requires(KeyKind.admin, KeyKind.agent))
AgentOnly = Depends(requires(KeyKind.agent))
RESPONSES = problem_responses(401, 403, 404, 422, 503)


class PresenceIn(Input):
    state: PresenceState = Field(description="What the agent is doing on the ticket.")


class PresenceOut(BaseModel):
    agent_id: uuid.UUID
    name: Text(200)
    state: PresenceState
    since: Text(INSTANT_LENGTH) = Field(
        description="When the agent began this state (UTC, ISO 8601)."
    )
    expires_at: Text(INSTANT_LENGTH) = Field(
        description=f"Gone then unless refreshed (PUT again within {presence.LIFETIME_SECONDS} s)."
    )


class PresenceList(BaseModel):
    data: list[PresenceOut] = Field(max_length=presence.SHOWN)


@router.put("", operation_id="set_presence", responses=RESPONSES)
async def set_presence(
    request: Request,
    ticket_id: uuid.UUID,
    body: PresenceIn,
    principal: Principal = AgentOnly,
    session=Depends(get_session),
) -> PresenceList:
    """Say you are viewing or replying to the ticket (agent keys): other agents' consoles see it
    at once on their streams (`ticket.presence`) and here. Refresh it every 10-20 s; it is
    gone 30 s after the last refresh, or at once with DELETE. Everyone present is returned."""
    await tickets.get_visible(session, principal=principal, ticket_id=ticket_id)
    assert principal.agent_id is not None  # agent keys name their agent
    agent = await agents.get(session, principal.agent_id)
    redis = request.app.state.redis
    return _listed(await presence.arrive(redis, ticket_id, agent.id, agent.name, body.state))


@router.get("", operation_id="get_presence", responses=RESPONSES)
async def get_presence(
    request: Request,
    ticket_id: uuid.UUID,
    principal: Principal = Staff,
    session=Depends(get_session),
) -> PresenceList:
    """Who is viewing or replying to the ticket now (staff)."""
    await tickets.get_visible(session, principal=principal, ticket_id=ticket_id)
    return _listed(await presence.current(request.app.state.redis, ticket_id))


@router.delete("", status_code=204, operation_id="leave_presence", responses=RESPONSES)
async def leave_presence(
    request: Request,
    ticket_id: uuid.UUID,
    principal: Principal = AgentOnly,
    session=Depends(get_session),
) -> Response:
    """Leave the ticket (closing it in the console); others see it at once."""
    await tickets.get_visible(session, principal=principal, ticket_id=ticket_id)
    assert principal.agent_id is not None  # agent keys name their agent
    await presence.depart(request.app.state.redis, ticket_id, principal.agent_id)
    return Response(status_code=204)


def _listed(everyone: list[presence.Presence]) -> PresenceList:
    return PresenceList(
        data=[PresenceOut.model_validate(p, from_attributes=True) for p in everyone]
    )

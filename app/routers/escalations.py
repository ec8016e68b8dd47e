"""/v1/tickets/{ticket_id}/escalations"""

import uuid

from fastapi import Depends

from app.db import get_session
from app.errors import problem_responses
from app.escalation import service
from app.escalation.models import Escalation
from app.escalation.schemas import EscalationCreate, EscalationList, EscalationOut
from app.events.audience import client_actor
from app.routers import resource_router
from app.security import NOT_WIDGET, Principal, requires

router = resource_router("/v1/tickets/{ticket_id}/escalations", "escalations")
# Widget keys only raise tickets, through /v1/intake/widget (Origin check, rate limits, a
# narrow body); every route here refuses them before validating the body.
Caller = Depends(requires(*NOT_WIDGET))


@router.post(
    "",
    status_code=201,
    operation_id="escalate_ticket",
    responses=problem_responses(401, 403, 404, 409, 413, 422, 429),
)
async def escalate_ticket(
    ticket_id: uuid.UUID,
    body: EscalationCreate,
    principal: Principal = Caller,
    session=Depends(get_session),
) -> EscalationOut:
    """Move the ticket one level up the chain; 409 past the last level.

    A contact escalates a ticket at most once per review period (default 4 h): 429 with
    `Retry-After` until then. Staff are not limited.
    """
    escalation = await service.request(
        session, principal=principal, ticket_id=ticket_id, reason=body.reason
    )
    return _present(escalation, principal)


@router.get("", operation_id="list_escalations", responses=problem_responses(401, 403, 404, 422))
async def list_escalations(
    ticket_id: uuid.UUID,
    principal: Principal = Caller,
    session=Depends(get_session),
) -> EscalationList:
    """The chain so far, lowest level first."""
    rows = await service.chain_of(session, principal=principal, ticket_id=ticket_id)
    return EscalationList(data=[_present(row, principal) for row in rows])


def _present(escalation: Escalation, principal: Principal) -> EscalationOut:
    """Clients see who escalated, never a staff key's id."""
    out = EscalationOut.model_validate(escalation)
    if not principal.is_staff:
        out.actor = client_actor(out.actor)
    return out

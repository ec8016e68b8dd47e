"""/v1/tickets/{ticket_id}/escalations"""

import uuid

from fastapi import Depends

from app.db import get_session
from app.errors import problem_responses
from app.escalation import service
from app.escalation.schemas import EscalationCreate, EscalationList, EscalationOut
from app.routers import resource_router
from app.security import Principal, authenticate

router = resource_router("/v1/tickets/{ticket_id}/escalations", "escalations")


@router.post(
    "",
    status_code=201,
    operation_id="escalate_ticket",
    responses=problem_responses(401, 403, 404, 409, 413, 422),
)
async def escalate_ticket(
    ticket_id: uuid.UUID,
    body: EscalationCreate,
    principal: Principal = Depends(authenticate),
    session=Depends(get_session),
) -> EscalationOut:
    """Move the ticket one level up the chain; 409 past the last level."""
    escalation = await service.request(
        session, principal=principal, ticket_id=ticket_id, reason=body.reason
    )
    return EscalationOut.model_validate(escalation)


@router.get("", operation_id="list_escalations", responses=problem_responses(401, 403, 404, 422))
async def list_escalations(
    ticket_id: uuid.UUID,
    principal: Principal = Depends(authenticate),
    session=Depends(get_session),
) -> EscalationList:
    """The chain so far, lowest level first."""
    rows = await service.chain_of(session, principal=principal, ticket_id=ticket_id)
    return EscalationList(data=[EscalationOut.model_validate(row) for row in rows])

"""/v1/intake/email: inbound email from a mail provider's webhook (JSON)"""

from fastapi import Depends, Request
from fastapi.responses import JSONResponse

from app.api_keys.models import KeyKind
from app.db import get_session
from app.errors import problem_response, problem_responses
from app.intake import inbound
from app.intake.email_schemas import EmailResult, InboundEmail
from app.routers import resource_router
from app.security import Principal, requires

router = resource_router("/v1/intake", "intake")


@router.post(
    "/email",
    operation_id="receive_email",
    status_code=200,
    responses={
        201: {"model": EmailResult, "description": "A new ticket was opened"},
        **problem_responses(401, 403, 413, 422),
    },
)
async def receive_email(
    body: InboundEmail,
    request: Request,
    principal: Principal = Depends(requires(KeyKind.integration)),
    session=Depends(get_session),
) -> EmailResult:
    """A message from a designated contact opens a ticket (channel `email`); a reply that
    names `[SUP-n]` or answers a message of a ticket's thread adds a public comment;
    `EMERGENCY`, `ESCALATION` and `BUG REPORT` in the subject set intent. The same
    `message_id` never acts twice (`duplicate`). Anyone else is refused (422) and
    `intake.refused` is recorded."""
    outcome = await inbound.receive(session, principal=principal, mail=body)
    if outcome.refusal is not None:
        # Returned, not raised: the refusal event commits with this request.
        return problem_response(outcome.refusal, request.url.path)  # type: ignore[return-value]
    result = EmailResult(
        action=outcome.action.value, ticket_id=outcome.ticket_id, comment_id=outcome.comment_id
    )
    status = 201 if outcome.action is inbound.Action.created else 200
    return JSONResponse(result.model_dump(mode="json"), status_code=status)  # type: ignore[return-value]

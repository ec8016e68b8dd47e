"""/v1/intake/email: inbound email from a mail provider's webhook (JSON) or the raw message
(message/rfc822) from a Postfix pipe (`supportdesk mail-in`) or a provider's MIME route"""

from functools import partial
from typing import Any

from fastapi import Depends, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from app.api_keys.models import KeyKind
from app.attachments.service import Keeper
from app.db import get_session, unit_of_work
from app.errors import UnsupportedMediaType, problem_response, problem_responses
from app.intake import inbound, mime
from app.intake.email_schemas import EmailResult, InboundEmail
from app.routers import resource_router
from app.security import Principal, requires

router = resource_router("/v1/intake", "intake")


def _inlined(schema: Any, definitions: dict[str, Any]) -> Any:
    """The schema with its local `$defs` written out in place: the body is declared in
    `openapi_extra` (the route reads it itself), where `#/$defs/…` would resolve wrongly."""
    if isinstance(schema, dict):
        reference = schema.get("$ref", "")
        if reference.startswith("#/$defs/"):
            return _inlined(definitions[reference.removeprefix("#/$defs/")], definitions)
        return {key: _inlined(value, definitions) for key, value in schema.items()}
    if isinstance(schema, list):
        return [_inlined(item, definitions) for item in schema]
    return schema


def _json_schema() -> dict[str, Any]:
    schema = InboundEmail.model_json_schema(by_alias=True)
    return _inlined(schema, schema.pop("$defs", {}))


_JSON_SCHEMA = _json_schema()
_REQUEST_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": _JSON_SCHEMA},
            mime.MEDIA_TYPE: {
                "schema": {
                    "type": "string",
                    "format": "binary",
                    "description": "The raw message (RFC 5322) as received, headers and all.",
                }
            },
        },
    }
}


async def inbound_mail(request: Request) -> InboundEmail:
    """The body as an InboundEmail, read by its content type (JSON when none is given)."""
    media_type = request.headers.get("content-type", "application/json").split(";")[0]
    media_type = media_type.strip().lower()
    raw = await request.body()
    if media_type == mime.MEDIA_TYPE:
        return mime.parse(raw)
    if media_type != "application/json" and not media_type.endswith("+json"):
        raise UnsupportedMediaType(
            f"Send the mail as application/json or {mime.MEDIA_TYPE}, not {media_type}."
        )
    try:
        return InboundEmail.model_validate_json(raw or b"null")
    except ValidationError as error:
        # Reported as FastAPI reports a body it validated itself: fields under "body".
        raise RequestValidationError(
            [{**item, "loc": ("body", *item["loc"])} for item in error.errors()]
        ) from error


@router.post(
    "/email",
    operation_id="receive_email",
    status_code=200,
    responses={
        201: {"model": EmailResult, "description": "A new ticket was opened"},
        **problem_responses(401, 403, 413, 415, 422),
    },
    openapi_extra=_REQUEST_BODY,
)
async def receive_email(
    request: Request,
    principal: Principal = Depends(requires(KeyKind.integration)),
    mail: InboundEmail = Depends(inbound_mail),
    session=Depends(get_session),
) -> EmailResult:
    """A message from a designated contact opens a ticket (channel `email`); a reply that
    answers a message of a ticket's thread (`In-Reply-To`, then `References`) or names
    `[SUP-n]` adds a public comment; `EMERGENCY`, `ESCALATION` and `BUG REPORT` in the
    subject set intent. The same `message_id` never acts twice (`duplicate`). Auto-replies
    and bounces are `ignored`; a bounce (a delivery report, or `bounces` in JSON) marks the
    contacts it names as bouncing, so no more mail is sent to them. Anyone else is refused
    (422) and `intake.refused` is recorded. The body is JSON, or the raw message as
    `message/rfc822`: its text part (or HTML part as text) is read, and its attachments
    (up to 20, each within the attachment size limit, executables refused) become the
    ticket's or comment's files; all are listed by name and size in its text."""
    outcome = await inbound.receive(
        session,
        principal=principal,
        mail=mail,
        keeper=Keeper(
            storage=request.app.state.storage,
            units=partial(unit_of_work, request.app.state.sessions),
            limit=request.app.state.settings.max_attachment_bytes,
        ),
    )
    if outcome.refusal is not None:
        # Returned, not raised: the refusal event commits with this request.
        return problem_response(outcome.refusal, request.url.path)  # type: ignore[return-value]
    result = EmailResult(
        action=outcome.action.value, ticket_id=outcome.ticket_id, comment_id=outcome.comment_id
    )
    status = 201 if outcome.action is inbound.Action.created else 200
    return JSONResponse(result.model_dump(mode="json"), status_code=status)  # type: ignore[return-value]

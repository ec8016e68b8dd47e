"""The spec's `webhooks` section: one entry per event type, with the exact body and the
Standard Webhooks headers a receiver gets (app/webhooks/signing.py, app/webhooks/pump.py)
and what each answer of the receiver makes the sender do (app/webhooks/sender.py)."""

from typing import Annotated, Any

from fastapi import Body, FastAPI, Header, Response
from fastapi.routing import APIRoute
from pydantic import TypeAdapter

from app.events.schemas import SUMMARIES, TEST_TYPE, WEBHOOK_MODELS, WebhookPayload
from app.webhooks.retry import LONGEST_RETRY_AFTER, MAX_ATTEMPTS, SCHEDULE
from app.webhooks.signing import USER_AGENT


def _wait(seconds: float) -> str:
    for unit, size in (("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds / size:g} {unit}"
    return f"{seconds:g} s"


RETRIES = ", ".join(_wait(wait.total_seconds()) for wait in SCHEDULE)
AUDIENCE = (
    "Sent to every enabled endpoint subscribed to the type. An operator's endpoint (created "
    "with an admin key) receives every organization's events as recorded; an organization's "
    "endpoint (created with its integration key) receives only that organization's "
    "client-facing events, in the client's view: fields marked *Staff only* are left out, and "
    "`actor.key_id` is kept only for the organization's own keys."
)
SIGNATURE = (
    "Verify `webhook-signature` before trusting the body: it is `v1,` and the base64 "
    "HMAC-SHA256, keyed with the endpoint's secret (`whsec_…`, base64 after the prefix), of "
    "`{webhook-id}.{webhook-timestamp}.{body}` (any Standard Webhooks library does it). Reject "
    "timestamps far from now, and use `webhook-id` to drop the duplicates a retry can bring. "
    "The events of one ticket arrive in the order they happened: the next waits while an "
    "earlier one is still being retried at the endpoint."
)
RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Delivered: any 2xx status counts. The first 2 KiB of the body are "
        "kept in the delivery log (GET /v1/webhook-endpoints/{id}/deliveries)."
    },
    410: {
        "description": "Gone: the delivery is not retried, and the endpoint is disabled "
        "(a `webhook_endpoint.disabled` event is recorded); PATCH it with `enabled: true` "
        "to receive events again."
    },
    "default": {
        "description": "Not delivered: any other status (redirects are not followed), a "
        "connection error, or no answer within SUPPORTDESK_WEBHOOK_TIMEOUT_SECONDS (15 s by "
        f"default). Retried with the same `webhook-id` after {RETRIES} (each ±20 %), or "
        "later when a `Retry-After` header asks (at most "
        f"{_wait(LONGEST_RETRY_AFTER.total_seconds())}); after {MAX_ATTEMPTS} attempts the "
        "delivery has failed (POST /v1/webhook-deliveries/{id}/retry sends it again). An "
        "endpoint whose every delivery fails for SUPPORTDESK_WEBHOOK_DISABLE_AFTER_DAYS "
        "(5 days by default) is disabled."
    },
}
TEST_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "The ping reached the endpoint: any 2xx status counts."},
    "default": {
        "description": "The ping failed; it is not retried, and the caller of the test sees "
        "the attempt (status, error, the start of the body)."
    },
}

WebhookId = Annotated[
    str,
    Header(
        alias="webhook-id",
        max_length=40,
        pattern=r"^evt_[0-9a-f-]{36}$",
        description="The message id, `evt_<event id>` (the body's `id`): the same on every "
        "retry of the event, so a receiver can drop duplicates.",
    ),
]
WebhookTimestamp = Annotated[
    str,
    Header(
        alias="webhook-timestamp",
        max_length=12,
        pattern=r"^[0-9]+$",
        description="When this attempt was signed, in Unix seconds.",
    ),
]
WebhookSignature = Annotated[
    str,
    Header(
        alias="webhook-signature",
        max_length=200,
        pattern=r"^v1,[A-Za-z0-9+/=]+( v1,[A-Za-z0-9+/=]+)*$",
        description="`v1,<base64 HMAC-SHA256>` of `{webhook-id}.{webhook-timestamp}.{body}`, "
        "space-separated: one per secret, two while a rotated secret's overlap lasts.",
    ),
]
UserAgent = Annotated[
    str,
    Header(alias="user-agent", max_length=len(USER_AGENT), description=f"`{USER_AGENT}`."),
]
RequestId = Annotated[
    str | None,
    Header(
        alias="x-request-id",
        max_length=64,
        description="The X-Request-ID of the API call (or job) that caused the event, when "
        "there was one (never on a test ping); the event's `request_id` in the feed.",
    ),
]


def _entry(payload: Any) -> Any:
    """A receiver's endpoint as the spec shows it; never served."""

    async def receive(
        body: Annotated[payload, Body()],  # type: ignore[valid-type]
        webhook_id: WebhookId,
        webhook_timestamp: WebhookTimestamp,
        webhook_signature: WebhookSignature,
        user_agent: UserAgent,
        x_request_id: RequestId = None,
    ) -> None:
        raise NotImplementedError

    return receive


def register(app: FastAPI) -> None:
    """Adds one `webhooks` entry per event type (and the test ping) to the app's spec."""
    for type, payload in WEBHOOK_MODELS.items():
        test = type == TEST_TYPE
        name = type.replace(".", "_") + "_webhook"
        summary = SUMMARIES.get(type, "A test ping of an endpoint.")  # type: ignore[call-overload]
        app.webhooks.add_api_route(
            type,
            _entry(payload),
            methods=["POST"],
            operation_id=name,
            name=name,
            summary=summary,
            description=f"`{type}`: {payload.__doc__}\n\n"
            + ("" if test else f"{AUDIENCE}\n\n")
            + SIGNATURE,
            tags=["webhooks"],
            response_class=Response,
            responses=TEST_RESPONSES if test else RESPONSES,
        )
    for route in app.webhooks.routes:
        if isinstance(route, APIRoute) and route.body_field is not None:
            # The body is what the service writes, not what it reads: shown as responses are,
            # so the models it shares with them (TicketOut…) keep one schema each.
            route.body_field.mode = "serialization"


def add_payload_union(spec: dict[str, Any]) -> None:
    """Adds `WebhookPayload`, the union of every webhook body discriminated by `type`, to the
    spec's schemas: one type a receiver's generated client parses a verified body into."""
    schema = TypeAdapter(WebhookPayload).json_schema(
        mode="serialization", ref_template="#/components/schemas/{model}"
    )
    schemas = spec["components"]["schemas"]
    unknown = set(schema.pop("$defs")) - set(schemas)
    if unknown:  # a body's model that the webhooks section does not show: a naming clash
        raise RuntimeError(f"webhook payload schemas missing from the spec: {sorted(unknown)}")
    description = "Any webhook body, by its `type`: what a verified request parses into."
    schemas["WebhookPayload"] = {"title": "WebhookPayload", "description": description, **schema}

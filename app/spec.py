"""The OpenAPI document: what FastAPI generates from the routes, completed with what a
generated client needs and FastAPI cannot infer: resource tags with descriptions, the error
responses every operation can give (as application/problem+json), and the contact."""

from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from app.config import Settings
from app.errors import PROBLEM_MEDIA_TYPE, Problem
from app.spec_bounds import bound_formats
from app.spec_examples import EXAMPLES, RAW_EXAMPLES
from app.webhooks.spec import add_payload_union

TAGS = {
    "tickets": "Raise, update, transition, split, merge and rate tickets; "
    "their comments, SLA clocks, timeline and mail.",
    "organizations": "Client organizations, their plan and SLA, their "
    "queue order and their dedicated project manager.",
    "contacts": "The people of an organization who may raise tickets; "
    "designated contacts may raise them on the organization's behalf.",
    "agents": "Support agents and project managers: role, expertise, "
    "working hours, capacity and time off.",
    "calendars": "Business calendars (weekly hours, time zone, public "
    "holidays) on which SLA clocks run.",
    "sla": "The SLA policy table: targets per plan and priority.",
    "escalations": "Escalating a ticket up the chain of levels, by hand "
    "or when its clocks run late.",
    "attachments": "Files on tickets and comments, kept in object storage and checked by content.",
    "intake": "Tickets from the in-product widget (publishable keys) and from inbound email.",
    "events": "The change feed: every event, in order, from a cursor.",
    "stream": "A live Server-Sent Events stream of the events a key may see.",
    "presence": "Who is viewing or replying to a ticket right now, "
    "so two agents do not answer at once.",
    "webhooks": "Webhook endpoints, their deliveries, retries and "
    "replays. Payloads are signed per Standard Webhooks; see the `webhooks` section.",
    "availability": "Whether support is staffed now, and when the first response can be expected.",
    "reports": "SLA performance over a range: clocks met and "
    "breached, response times, escalations and satisfaction.",
    "api-keys": "Admin, agent, integration, contact and publishable "
    "keys; only a hash of each is stored.",
    "operations": "Liveness, readiness and Prometheus metrics.",
}
CONTACT = {"name": "Support Desk", "url": "https://supportdesk.dev", "email": "api@supportdesk.dev"}

# Every operation behind /v1 can answer these, whatever the route: the key is missing or bad,
# the caller ran out of its request budget, or the database is unreachable (app/db.py).
# Any operation at all can fail on our side (a 500).
ALWAYS = {
    "401": "Missing or invalid API key",
    "429": "Rate limited: retry after Retry-After seconds",
    "503": "The database is unreachable for a moment: retry after Retry-After seconds (the "
    "detail says whether the request may have been saved)",
}
INTERNAL = "Something failed on our side; the problem document carries no internals."
SECONDS = {"type": "integer", "format": "int32", "minimum": 0, "maximum": 86400}
RETRY_AFTER = {"description": "Seconds to wait before retrying.", "schema": SECONDS}
# The caller's request budget (app/ratelimit_api.py), on every answer behind /v1 while the
# budget is enforced (IETF draft-ietf-httpapi-ratelimit-headers).
RATE_LIMIT_HEADERS = {
    "RateLimit-Limit": {
        "description": "Requests the caller's budget allows a minute.",
        "schema": {"type": "integer", "format": "int32", "minimum": 1, "maximum": 1_000_000},
    },
    "RateLimit-Remaining": {
        "description": "Requests left in the budget.",
        "schema": {"type": "integer", "format": "int32", "minimum": 0, "maximum": 1_000_000},
    },
    "RateLimit-Reset": {
        "description": "Seconds until the budget is full again.",
        "schema": SECONDS,
    },
}
CLOSED_TO_PAGES = (
    "Not sent: only the widget routes (/v1/intake/widget) answer pages on other origins; the rest "
    "of the API is closed to them."
)
WIDGET_ORIGIN = "The calling page's origin, when the widget key's `allowed_origins` holds it."


def _problem(description: str) -> dict[str, Any]:
    schema = {"$ref": "#/components/schemas/Problem"}
    return {"description": description, "content": {PROBLEM_MEDIA_TYPE: {"schema": schema}}}


def _as_problem(status: str, content: dict[str, Any]) -> None:
    """Moves an error response's Problem schema to the problem+json media type."""
    schema = content.get("application/json", {}).get("schema", {})
    if status.startswith(("4", "5")) and schema.get("$ref", "").endswith("/Problem"):
        content[PROBLEM_MEDIA_TYPE] = content.pop("application/json")


def _complete_responses(path: str, operation: dict[str, Any]) -> None:
    """Errors as problem+json; the errors any route can give; the headers of every answer."""
    responses = operation.setdefault("responses", {})
    for status, response in responses.items():
        _as_problem(status, response.get("content", {}))
    responses.setdefault("500", _problem(INTERNAL))
    if path.startswith("/v1/"):
        for status, description in ALWAYS.items():
            responses.setdefault(status, _problem(description))
        _declare_headers(path, responses)


def _declare_headers(path: str, responses: dict[str, Any]) -> None:
    for status in ("429", "503"):
        if status in responses:
            responses[status].setdefault("headers", {})["Retry-After"] = RETRY_AFTER
    origin = WIDGET_ORIGIN if path.startswith("/v1/intake/widget") else CLOSED_TO_PAGES
    for status, response in responses.items():
        headers = response.setdefault("headers", {})
        if status.startswith(("2", "4")):
            headers.update(RATE_LIMIT_HEADERS)
        headers["Access-Control-Allow-Origin"] = {
            "description": origin,
            "schema": {"type": "string", "format": "uri", "maxLength": 2048},
        }


def _add_examples(operation: dict[str, Any]) -> None:
    """Puts the operation's example (app/spec_examples.py) on each media type of its body."""
    name = operation["operationId"]
    for media_type, content in operation.get("requestBody", {}).get("content", {}).items():
        example = RAW_EXAMPLES.get((name, media_type), EXAMPLES.get(name))
        if example is not None:
            content["example"] = example


def _contents(spec: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(media type, schema) of every request and response body of the paths."""
    for operations in spec["paths"].values():
        for operation in operations.values():
            for body in (operation.get("requestBody", {}), *operation["responses"].values()):
                for media_type, content in body.get("content", {}).items():
                    yield media_type, content.get("schema", {})


def _bound_files(spec: dict[str, Any], settings: Settings) -> None:
    """Files (upload parts, downloads) are at most max_attachment_bytes; a raw mail at most
    max_raw_mail_bytes: the limits this app enforces, so a deployment's spec shows its own."""
    for media_type, schema in _contents(spec):
        limit = settings.max_attachment_bytes
        if media_type == "message/rfc822":
            limit = settings.max_raw_mail_bytes
        for part in (schema, *schema.get("properties", {}).values()):
            if part.get("format") == "binary":
                part["maxLength"] = limit


def build(app: FastAPI) -> dict[str, Any]:
    """The spec the app serves (and openapi/openapi.json holds), built once."""
    if app.openapi_schema:
        return app.openapi_schema
    spec = get_openapi(
        title=app.title,
        version=app.version,
        summary=app.summary,
        description=app.description,
        routes=app.routes,
        webhooks=app.webhooks.routes,
        tags=[{"name": name, "description": text} for name, text in TAGS.items()],
        contact=CONTACT,
    )
    for path, operations in spec["paths"].items():
        for operation in operations.values():
            _complete_responses(path, operation)
            _add_examples(operation)
    spec["components"]["schemas"].setdefault("Problem", Problem.model_json_schema())
    add_payload_union(spec)
    _bound_files(spec, app.state.settings)
    bound_formats(spec)
    app.openapi_schema = spec
    return spec

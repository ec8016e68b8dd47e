"""One error family, rendered as RFC 9457 problem documents."""

import json
from typing import Any

from pydantic import BaseModel, Field
from starlette.responses import Response

from app.schemas import Clipped, ClippedList, Whole

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_BASE = "https://supportdesk.dev/problems/"


class FieldError(BaseModel):
    """One invalid field of a request."""

    # A field's path may quote a key the caller sent; a message, what a dependency said.
    field: Clipped(500) = Field(examples=["body.priority"])
    message: Clipped(1000) = Field(
        examples=["Input should be 'critical', 'high', 'medium' or 'low'"]
    )


ERRORS_SHOWN = 100


class Problem(BaseModel):
    """An RFC 9457 problem document."""

    type: Clipped(200) = Field(examples=[PROBLEM_BASE + "not-found"])
    title: Clipped(100) = Field(examples=["Not found"])
    status: Whole(100, 599) = Field(examples=[404])
    detail: Clipped(2000) = Field(examples=["No ticket with that id."])
    instance: Clipped(2048) | None = Field(default=None, description="The request's path.")
    errors: ClippedList(FieldError, ERRORS_SHOWN) | None = Field(
        default=None, description=f"The invalid fields (the first {ERRORS_SHOWN})."
    )
    request_id: Clipped(64) | None = Field(
        default=None,
        description="On a 500: the request's X-Request-ID, to quote when reporting it.",
    )


class AppError(Exception):
    """Base of every expected failure; the handler turns it into a problem document."""

    status = 400
    slug = "bad-request"
    title = "Bad request"

    def __init__(
        self,
        detail: str,
        *,
        errors: list[FieldError] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}

    def problem(self, instance: str | None = None) -> Problem:
        """The problem document for this error."""
        return Problem(
            type=PROBLEM_BASE + self.slug,
            title=self.title,
            status=self.status,
            detail=self.detail,
            instance=instance,
            errors=self.errors,
        )


class Unauthorized(AppError):
    status, slug, title = 401, "unauthorized", "Unauthorized"


class Forbidden(AppError):
    status, slug, title = 403, "forbidden", "Forbidden"


class NotFound(AppError):
    status, slug, title = 404, "not-found", "Not found"


class MethodNotAllowed(AppError):
    status, slug, title = 405, "method-not-allowed", "Method not allowed"


class Conflict(AppError):
    status, slug, title = 409, "conflict", "Conflict"


class IllegalTransition(Conflict):
    slug, title = "illegal-transition", "Illegal status transition"


class Gone(AppError):
    status, slug, title = 410, "gone", "Gone"


class RangeNotSatisfiable(AppError):
    status, slug, title = 416, "range-not-satisfiable", "Range not satisfiable"


class PreconditionFailed(AppError):
    status, slug, title = 412, "precondition-failed", "Precondition failed"


class PayloadTooLarge(AppError):
    status, slug, title = 413, "payload-too-large", "Payload too large"


class UnsupportedMediaType(AppError):
    status, slug, title = 415, "unsupported-media-type", "Unsupported media type"


class ValidationFailed(AppError):
    status, slug, title = 422, "validation-error", "Validation failed"


class IdempotencyMismatch(AppError):
    status, slug, title = 422, "idempotency-key-reused", "Idempotency key reused"


class NotDesignated(AppError):
    status, slug, title = 422, "not-designated", "Not a designated contact"


class TooManyRequests(AppError):
    status, slug, title = 429, "rate-limited", "Too many requests"


class ServiceUnavailable(AppError):
    status, slug, title = 503, "unavailable", "Service unavailable"


class InternalError(AppError):
    """A failure nobody expected (a bug): the details are in the log, under the request id."""

    status, slug, title = 500, "internal", "Internal error"


def invalid(field: str, message: str) -> ValidationFailed:
    """A validation failure on one field."""
    return ValidationFailed(message, errors=[FieldError(field=field, message=message)])


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries declaring the problem documents a route can return."""
    descriptions = {
        400: "Bad request",
        401: "Missing or invalid API key",
        403: "The key lacks the right",
        404: "Not found (or another tenant's resource)",
        409: "Conflict with the resource's current state",
        410: "Deleted: the record stays, the content is gone",
        412: "If-Match does not match the current ETag",
        413: "Request body over the size limit",
        415: "Body is not JSON",
        416: "The Range asked for lies outside the content",
        422: "Validation failed",
        429: "Rate limited",
        503: "A dependency is down for a moment: retry after Retry-After seconds",
    }
    return {status: {"model": Problem, "description": descriptions[status]} for status in statuses}


def problem_response(error: AppError, instance: str | None = None, **extensions: str) -> Response:
    """The HTTP response carrying an error's problem document, with any extension members
    (RFC 9457 section 3.2) such as the `request_id` of a 500."""
    problem = error.problem(instance)
    if extensions:
        body = json.dumps({**problem.model_dump(mode="json", exclude_none=True), **extensions})
    else:
        body = problem.model_dump_json(exclude_none=True)
    return Response(
        body, status_code=error.status, media_type=PROBLEM_MEDIA_TYPE, headers=error.headers
    )

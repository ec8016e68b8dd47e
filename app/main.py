"""create_app(): the FastAPI application, its lifespan, routers and error handling."""

import gc
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from app import __doc__ as summary
from app import redis, spec, tracing
from app.api_keys.cache import KeyAccessListener, KeyCache
from app.attachments.storage import open_storage
from app.config import Settings, get_settings, require_secrets
from app.db import as_outage, create_engine, create_session_factory
from app.errors import (
    AppError,
    Conflict,
    FieldError,
    MethodNotAllowed,
    NotFound,
    ValidationFailed,
    invalid,
    problem_response,
)
from app.logs import RequestIdMiddleware
from app.middleware import BodyLimit, ErrorBoundary, Metrics, serve_handing_off, unexpected
from app.ratelimit_api import ApiRateLimit
from app.routers import (
    agents,
    api_keys,
    attachments,
    availability,
    calendars,
    comments,
    contacts,
    escalations,
    events,
    health,
    intake,
    intake_email,
    notifications,
    organizations,
    pages,
    pm,
    presence,
    reports,
    sla,
    stream,
    time_off,
    webhooks,
)
from app.routers import tickets as tickets_router
from app.stream.hub import Hub
from app.webhooks.pings import close_ping_client
from app.webhooks.spec import register as register_webhooks

log = logging.getLogger("supportdesk")

ROUTERS = (
    health.router,
    api_keys.router,
    organizations.router,
    contacts.router,
    agents.router,
    time_off.router,
    calendars.router,
    sla.router,
    tickets_router.router,
    comments.router,
    comments.chat_routes,
    escalations.router,
    pm.router,
    webhooks.router,
    webhooks.deliveries,
    events.router,
    stream.router,
    presence.router,
    availability.router,
    intake.router,
    intake_email.router,
    reports.router,
    notifications.router,
    pages.router,
    attachments.uploads,
    attachments.router,
)

# Constraint name -> the problem a violation of it means. Checked in the database so that
# concurrent requests cannot slip past a rule; translated here into a clear 409/422.
CONSTRAINT_PROBLEMS: dict[str, AppError] = {
    "ck_organizations_designated_within_limit": Conflict(
        "The organization already has its maximum number of designated contacts; "
        "undesignate one first or raise the organization's max_designated_contacts."
    ),
    "uq_contacts_organization_id_email": Conflict(
        "The organization already has a contact with that email."
    ),
    "uq_agents_email": Conflict("An agent with that email already exists."),
    "ck_agents_within_capacity": Conflict(
        "That would put an agent over capacity: they are full, or already hold more than the "
        "new capacity. Choose someone else or reassign their work first."
    ),
    "uq_escalations_ticket_id_level": Conflict(
        "The ticket was escalated to that level meanwhile; fetch it and try again."
    ),
}


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    require_secrets(settings)
    app.state.engine = create_engine(settings)
    app.state.sessions = create_session_factory(app.state.engine)
    # No ping here: the API starts while Redis is down, and /readyz says so.
    app.state.arq = app.state.redis = redis.client(settings)
    # Test pings go out from the API, through the same address-checking client as deliveries;
    # built by the first ping (app/webhooks/pings.py).
    app.state.webhook_client = None
    app.state.storage = open_storage(settings.storage_url)
    keys = KeyAccessListener(app.state.key_cache, settings.database_url)
    if settings.api_key_cache_seconds > 0:
        keys.start()
    # Started by the first stream opened: one LISTEN connection per process, never per client.
    app.state.stream_hub = Hub(
        app.state.engine,
        app.state.sessions,
        settings.database_url,
        app.state.redis,
        settings.stream_ping_seconds,
    )
    # What startup built lives as long as the process: out of the collector's way, so a full
    # collection scans only what requests make (a pause in it stalls every open stream).
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        await app.state.stream_hub.stop()
        await keys.stop()
        await close_ping_client(app.state)
        await app.state.redis.aclose()
        await app.state.engine.dispose()


def _field_name(location: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in location)


async def _app_error(request: Request, error: AppError) -> Response:
    return problem_response(error, request.url.path)


async def _validation_error(request: Request, error: RequestValidationError) -> Response:
    errors = [
        FieldError(field=_field_name(item.get("loc", ())), message=item.get("msg", "invalid"))
        for item in error.errors()
    ]
    detail = "; ".join(f"{item.field}: {item.message}" for item in errors[:5])
    return problem_response(ValidationFailed(detail, errors=errors), request.url.path)


async def _http_error(request: Request, error: StarletteHTTPException) -> Response:
    if error.status_code == 404:
        app_error: AppError = NotFound(f"Nothing at {request.url.path}.")
    elif error.status_code == 400:
        # FastAPI's answer to a body it cannot decode (e.g. not UTF-8): a validation error.
        app_error = invalid("body", "The request body could not be decoded as JSON.")
    elif error.status_code == 405:
        allowed = _allowed_methods(request.app.router.routes, request.url.path)
        app_error = MethodNotAllowed(f"{request.method} is not allowed on {request.url.path}.")
        app_error.headers["Allow"] = ", ".join(sorted(allowed))
    else:
        app_error = AppError(str(error.detail))
        app_error.status = error.status_code
    app_error.headers = {**(error.headers or {}), **app_error.headers}
    return problem_response(app_error, request.url.path)


def _allowed_methods(routes: Sequence[Any], path: str) -> set[str]:
    """Every method some route serves at `path` (Starlette's 405 names only the first route)."""
    allowed: set[str] = set()
    for route in routes:
        nested = getattr(route, "original_router", None)
        if nested is not None:
            allowed |= _allowed_methods(nested.routes, path)
        elif isinstance(route, APIRoute) and route.path_regex.match(path):
            allowed |= route.methods - {"HEAD"}
    return allowed


async def _integrity_error(request: Request, error: IntegrityError) -> Response:
    constraint = getattr(getattr(error.orig, "__cause__", None), "constraint_name", None)
    known = CONSTRAINT_PROBLEMS.get(constraint or "")
    if known is None:
        log.warning("unmapped constraint violation: %s", constraint)
        known = Conflict("The request conflicts with the current state of the data.")
    return problem_response(known, request.url.path)


async def _unexpected_error(request: Request, error: Exception) -> Response:
    """The last resort, Starlette's ServerErrorMiddleware's: only what escapes the outermost
    middleware (RequestIdMiddleware, Metrics) gets here; the ErrorBoundary answers the rest."""
    return unexpected(request.scope, error, as_outage(request.scope, error))


def _body_limits(settings: Settings) -> dict[tuple[str, str], int | None]:
    """Routes whose bodies may pass the 1 MiB limit: uploads stream and hold themselves to
    max_attachment_bytes; a raw mail may carry one such file."""
    uploads = {
        ("POST", path): None for path in ("/v1/attachments", "/v1/intake/widget/attachments")
    }
    return {**uploads, ("POST", "/v1/intake/email"): settings.max_raw_mail_bytes}


class SupportDesk(FastAPI):
    """FastAPI, with event streams handed off once started (app/middleware.py)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await serve_handing_off(super().__call__, scope, receive, send)


def create_app(settings: Settings | None = None) -> FastAPI:
    """The Support Desk API."""
    settings = settings or get_settings()
    app = SupportDesk(
        title="Support Desk",
        version="1.0.0",
        summary=summary,
        description="Tickets, SLA clocks on business calendars, assignment, escalation and "
        "signed webhooks. Authenticate with `Authorization: Bearer <key>`; errors are RFC 9457 "
        "problem documents.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.key_cache = KeyCache(settings.api_key_cache_seconds)
    for router in ROUTERS:
        app.include_router(router)
    if settings.dev_mail_dir:
        # Only `supportdesk dev` sets it: the mail its embedded SMTP sink received. Imported
        # here, since it loads the sink's SMTP server (aiosmtpd) that no other API needs.
        from app.routers import dev_mail

        app.include_router(dev_mail.router)
    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(IntegrityError, _integrity_error)
    app.add_exception_handler(Exception, _unexpected_error)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes, routes=_body_limits(settings))
    app.add_middleware(ApiRateLimit, settings=settings)
    # Inside Metrics and the request id, so they count its answers and stamp its id on them.
    app.add_middleware(ErrorBoundary, translate=as_outage)
    app.add_middleware(Metrics)
    app.add_middleware(RequestIdMiddleware)
    register_webhooks(app)
    app.openapi = lambda: spec.build(app)  # type: ignore[method-assign]
    tracing.setup(settings, service="supportdesk-api", app=app)
    return app


app = create_app()

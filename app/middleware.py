"""Pure ASGI middleware: body size limit, HTTP metrics (cheap on the hot path), the error
boundary that answers every exception, and the handoff of long-lived streams."""

import contextvars
import logging
import time
from collections.abc import Awaitable, Callable, Mapping

from prometheus_client import Counter, Histogram
from starlette.requests import ClientDisconnect
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import AppError, InternalError, PayloadTooLarge, problem_response
from app.logs import request_id

log = logging.getLogger("supportdesk")

HTTP_REQUESTS = Counter(
    "supportdesk_http_requests_total", "HTTP requests", ["method", "route", "status"]
)
HTTP_LATENCY = Histogram(
    "supportdesk_http_request_duration_seconds",
    "HTTP request latency",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)


class BodyLimit:
    """Refuses bodies over the limit with 413, by Content-Length or while streaming."""

    def __init__(
        self,
        app: ASGIApp,
        max_bytes: int,
        routes: Mapping[tuple[str, str], int | None] | None = None,
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        # (method, path) -> its own limit, or None for a route that enforces one itself.
        self.routes = routes or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.routes.get((scope["method"], scope["path"]), self.max_bytes)
        if limit is None:
            await self.app(scope, receive, send)
            return
        for name, value in scope["headers"]:
            if name == b"content-length" and value.isdigit() and int(value) > limit:
                error = PayloadTooLarge(f"Request bodies are limited to {limit} bytes.")
                await problem_response(error, scope["path"])(scope, receive, send)
                return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:
                raise PayloadTooLarge(f"Request bodies are limited to {limit} bytes.")
            return message

        await self.app(scope, limited_receive, send)


class Metrics:
    """Counts requests and observes latency by route template, not raw path."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_with_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_with_status)
        finally:
            route = scope.get("route")
            template = getattr(route, "path", "unmatched")
            method = scope["method"]
            HTTP_REQUESTS.labels(method, template, str(status)).inc()
            HTTP_LATENCY.labels(method, template).observe(time.perf_counter() - started)


def unexpected(scope: Scope, error: Exception, known: AppError | None) -> Response:
    """The answer to an exception no handler took: `known` (its translation, e.g. the 503 of
    an outage), else a 500 logged once with its traceback, naming the request id if any."""
    path = scope["path"]
    if known is not None:
        return problem_response(known, path)
    log.exception("unhandled error on %s %s", scope["method"], path)
    current = request_id.get()
    if current is None:  # outside RequestIdMiddleware (app.main's last resort)
        return problem_response(InternalError("Something went wrong on our side; logged."), path)
    problem = InternalError(f"Something went wrong on our side; logged as {current}.")
    return problem_response(problem, path, request_id=current)


class ErrorBoundary:
    """Answers an exception that escaped the app below it (a route, a middleware, Starlette's
    own machinery) with a problem document, so none reaches Starlette's ServerErrorMiddleware
    or the server: they would log it again and close the client's connection. `translate`
    names the expected ones (the database unreachable: 503); any other is a 500 that carries
    the request id, logged once with its traceback."""

    def __init__(
        self, app: ASGIApp, translate: Callable[[Scope, Exception], AppError | None]
    ) -> None:
        self.app = app
        self.translate = translate

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_noting_start(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, send_noting_start)
        except ClientDisconnect:
            return  # the client left while sending its body: nobody to answer
        except Exception as error:
            known = self.translate(scope, error)
            method, path = scope["method"], scope["path"]
            if started:
                # Too late for a problem document: the server ends the broken response.
                log.exception("error after the response started on %s %s", method, path)
                return
            await unexpected(scope, error, known)(scope, receive, send)


# A started response that streams for long: run with the request's own receive and send.
Streamer = Callable[[Receive, Send], Awaitable[None]]
HANDOFF = "supportdesk.handoff"


def hand_off(scope: Scope, streamer: Streamer) -> bool:
    """Leaves a started response's body to `serve_handing_off`, with the context variables
    (the request id) it was started under; False where the app is not served that way."""
    parked = scope.get(HANDOFF)
    if parked is None:
        return False
    parked.append((streamer, contextvars.copy_context()))
    return True


async def serve_handing_off(app: ASGIApp, scope: Scope, receive: Receive, send: Send) -> None:
    """Serves a request; a stream its response handed off runs after the app — its routing,
    dependencies and middleware — has returned, so a connection open for hours
    (GET /v1/stream) keeps only the stream's own frames: ten thousand idle streams in one
    process are memory, not stacks. Routing works on a copy of the scope, so what it adds
    (route, request state, closed exit stacks) goes too; the server keeps the scope itself as
    long as the connection."""
    if scope["type"] != "http":
        await app(scope, receive, send)
        return
    parked: list[tuple[Streamer, contextvars.Context]] = []
    try:
        await app({**scope, HANDOFF: parked}, receive, send)
    except Exception:
        # Only what escaped the ErrorBoundary gets here: Starlette's ServerErrorMiddleware
        # answered it (app.main's last resort, which logs it) and raised it again for the
        # server, which would log it twice and close the connection.
        return
    while parked:
        streamer, context = parked.pop(0)
        for variable, value in context.items():
            variable.set(value)
        del context
        try:
            await streamer(receive, send)
        except Exception:
            # Its response started long ago: the server ends it when this returns.
            log.exception("a stream failed")
            return

"""Structured logs: one JSON object per line, carrying the request id of the work at hand.

The API takes a caller's `X-Request-ID` (or makes one), answers with it, and stamps it on
every event the request records. Jobs enqueued by the request run under the same id; other
jobs run under `job-<job id>`; webhook deliveries log, and send as `X-Request-ID`, the id of
the request that recorded their event. So one id follows a ticket's work from the API through
the workers to the integrator's receiver.
"""

import functools
import json
import logging
import re
import uuid
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
HEADER = "X-Request-ID"
_VALID = re.compile(r"^[A-Za-z0-9._:@/+=-]{1,64}$")
# Attributes every LogRecord has; anything else was passed with `extra=` and is logged.
_STANDARD = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime", "color_message"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        current = request_id.get()
        if current:
            entry["request_id"] = current
        entry.update((key, value) for key, value in vars(record).items() if key not in _STANDARD)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        current = request_id.get()
        return f"{line} [request_id={current}]" if current else line


def config(log_format: str = "json", level: str = "info") -> dict[str, Any]:
    """A logging.config.dictConfig for the API (uvicorn) and the workers (arq)."""
    formatter = "json" if log_format == "json" else "text"
    level = level.upper()
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": {"()": JsonFormatter},
            "text": {"()": TextFormatter},
        },
        "handlers": {
            "default": {
                "class": "logging.StreamHandler",
                "formatter": formatter,
                "stream": "ext://sys.stdout",
            }
        },
        "root": {"handlers": ["default"], "level": level},
        "loggers": {
            "uvicorn": {"level": level},
            "uvicorn.error": {"level": level},
            "uvicorn.access": {"level": level},
            # arq logs every job at INFO, twice a second for the crons: its warnings only.
            "arq": {"level": "WARNING"},
            # httpx logs every webhook POST at INFO; the pump logs the failures itself.
            "httpx": {"level": "WARNING"},
            "httpcore": {"level": "WARNING"},
            "supportdesk": {"level": level},
        },
    }


def valid(value: str | None) -> str | None:
    return value if value is not None and _VALID.match(value) else None


class RequestIdMiddleware:
    """Adopts a well-formed incoming X-Request-ID or makes one; echoes it on the response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = next(
            (v.decode("latin-1") for k, v in scope["headers"] if k == b"x-request-id"), None
        )
        current = valid(incoming) or uuid.uuid4().hex
        token = request_id.set(current)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", current.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            request_id.reset(token)


Job = Callable[..., Awaitable[Any]]


def traced(job: Job) -> Job:
    """Runs an arq job under the request id it was enqueued with, or `job-<job id>`."""

    @functools.wraps(job)
    async def run(ctx: dict[str, Any], *args: Any, request_id_: str | None = None, **kwargs: Any):
        token = request_id.set(valid(request_id_) or f"job-{ctx.get('job_id', uuid.uuid4().hex)}")
        try:
            return await job(ctx, *args, **kwargs)
        finally:
            request_id.reset(token)

    return run

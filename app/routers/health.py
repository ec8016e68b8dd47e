"""Liveness, readiness and metrics for probes and Prometheus."""

import asyncio
import logging
from typing import Literal

import sqlalchemy as sa
from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.datastructures import State

from app import jobs, queue_depth
from app.config import Settings
from app.db import create_engine, unreachable
from app.mail.transport import BadSmtpUrl, parse_smtp_url
from app.schemas import Clipped

router = APIRouter(tags=["operations"])
log = logging.getLogger("supportdesk.metrics")
# How long a scrape waits for the queue depths before answering with the last ones.
QUEUE_DEPTH_SECONDS = 2.0


class Health(BaseModel):
    status: Literal["ok"]


class Readiness(BaseModel):
    status: Literal["ok", "unavailable"]
    # A check's answer may name a storage URL or an SMTP server of any length.
    checks: dict[str, Clipped(300)]


@router.get("/healthz", operation_id="get_health")
async def healthz() -> Health:
    """The process is up (liveness)."""
    return Health(status="ok")


# Every check answers within this: the probe turns within a second of an outage and back.
CHECK_SECONDS = 0.8


def _probe_engine(state: State) -> AsyncEngine:
    """A connection per probe, beside the pool: a pool that busy requests hold, or whose
    connections the server dropped, must not make the probe wait or fail once more."""
    engine = getattr(state, "probe_engine", None)
    if engine is None:
        engine = state.probe_engine = create_engine(state.settings, pooled=False)
    return engine


async def _check_postgres(request: Request) -> str:
    async with _probe_engine(request.app.state).connect() as connection:
        await connection.execute(sa.text("SELECT 1"))
    return "ok"


async def _check_redis(request: Request) -> str:
    await request.app.state.redis.ping()
    return "ok"


async def _check_storage(request: Request) -> str:
    storage = request.app.state.storage
    await storage.check()
    return f"ok ({storage.describe()})"


async def _probe(name: str, check, request: Request) -> tuple[str, str]:
    try:
        return name, await asyncio.wait_for(check(request), timeout=CHECK_SECONDS)
    except TimeoutError:
        return name, f"failing: no answer within {CHECK_SECONDS} s"
    except Exception as error:
        # The driver's own error says why (ConnectionRefusedError, CannotConnectNowError),
        # not the wrappers around it (app.db.Unreachable).
        while error.__cause__ is not None:
            error = error.__cause__
        return name, f"failing: {type(error).__name__}"


def _mail(settings: Settings) -> str:
    """Where workers send mail, without credentials; not probed, since the API sends none."""
    if settings.smtp_url is None:
        return "off"
    try:
        return parse_smtp_url(settings.smtp_url.get_secret_value()).describe()
    except BadSmtpUrl:
        return "misconfigured: SUPPORTDESK_SMTP_URL"


@router.get(
    "/readyz",
    operation_id="get_readiness",
    responses={503: {"model": Readiness, "description": "PostgreSQL or Redis is not answering"}},
)
async def readyz(request: Request) -> Readiness:
    """PostgreSQL and Redis both answer (readiness). `checks.mail` names the SMTP server the
    workers send to (`off` without one); `checks.storage` whether attachments' storage
    answers. Neither makes the API unready: everything but mail and uploads still works."""
    results = dict(
        await asyncio.gather(
            _probe("postgres", _check_postgres, request),
            _probe("redis", _check_redis, request),
            _probe("storage", _check_storage, request),
        )
    )
    ready = results["postgres"] == "ok" and results["redis"] == "ok"
    results["mail"] = _mail(request.app.state.settings)
    body = Readiness(status="ok" if ready else "unavailable", checks=results)
    if not ready:
        return JSONResponse(body.model_dump(), status_code=503)  # type: ignore[return-value]
    return body


@router.get(
    "/metrics",
    operation_id="get_metrics",
    response_class=Response,
    responses={200: {"content": {"text/plain": {}}, "description": "Prometheus text format"}},
)
async def metrics(request: Request) -> Response:
    """Prometheus metrics of this process, and the service's queue depths (ready vs deferred)."""
    try:
        await asyncio.wait_for(
            queue_depth.refresh(request.app.state.engine, request.app.state.redis),
            timeout=QUEUE_DEPTH_SECONDS,
        )
    except Exception as error:
        _stale(error)
    else:
        jobs.DATABASE.ended()
        jobs.REDIS.ended()
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


def _stale(error: Exception) -> None:
    """Why the queue depths keep their last values: an outage is logged once while it lasts
    (app.jobs.Outage), not once per scrape; a slow answer in a line; a bug with its traceback."""
    if unreachable(error):
        jobs.DATABASE.began(error)
    elif isinstance(error, RedisConnectionError | RedisTimeoutError):
        jobs.REDIS.began(error)
    elif isinstance(error, TimeoutError):
        log.warning("queue depth unavailable: no answer within %.0f s", QUEUE_DEPTH_SECONDS)
    else:
        log.warning("queue depth unavailable", exc_info=True)

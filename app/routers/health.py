"""Liveness, readiness and metrics for probes and Prometheus."""

import asyncio
import logging

import sqlalchemy as sa
from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel

from app import queue_depth
from app.config import Settings
from app.mail.transport import BadSmtpUrl, parse_smtp_url

router = APIRouter(tags=["operations"])
log = logging.getLogger("supportdesk.metrics")


class Health(BaseModel):
    status: str


class Readiness(BaseModel):
    status: str
    checks: dict[str, str]


@router.get("/healthz", operation_id="get_health")
async def healthz() -> Health:
    """The process is up (liveness)."""
    return Health(status="ok")


async def _check_postgres(request: Request) -> str:
    async with request.app.state.engine.connect() as connection:
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
        return name, await asyncio.wait_for(check(request), timeout=2.0)
    except Exception as error:
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
            _probe("postgres", _check_postgres, request), _probe("redis", _check_redis, request)
        )
    )
    ready = all(value == "ok" for value in results.values())
    results["storage"] = (await _probe("storage", _check_storage, request))[1]
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
            queue_depth.refresh(request.app.state.engine, request.app.state.redis), timeout=2.0
        )
    except Exception:
        log.warning("queue depth unavailable", exc_info=True)
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

"""The arq WorkerSettings: jobs, cron, and the database engine each worker shares."""

import logging
from typing import Any

from arq import cron
from arq.connections import RedisSettings

from app.config import get_settings
from app.db import create_engine, create_session_factory
from app.workers import maintenance

log = logging.getLogger("supportdesk.worker")


async def startup(ctx: dict[str, Any]) -> None:
    settings = get_settings()
    ctx["engine"] = create_engine(settings)
    ctx["sessions"] = create_session_factory(ctx["engine"])
    log.info("worker started")


async def shutdown(ctx: dict[str, Any]) -> None:
    await ctx["engine"].dispose()
    log.info("worker stopped")


class WorkerSettings:
    """Any number of workers may run; cron jobs run once per tick across all of them."""

    redis_settings = RedisSettings.from_dsn(get_settings().redis_url)
    on_startup = startup
    on_shutdown = shutdown
    functions = [maintenance.purge_idempotency_keys]
    cron_jobs = [
        cron(maintenance.purge_idempotency_keys, minute={7, 37}, unique=True, run_at_startup=False)
    ]
    job_timeout = 60
    max_tries = 5
    health_check_interval = 10
    job_completion_wait = 20

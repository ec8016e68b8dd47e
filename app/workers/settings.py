"""The arq WorkerSettings: jobs, cron, and the database engine each worker shares."""

import asyncio
import contextlib
import logging
from typing import Any

from arq import cron
from prometheus_client import start_http_server

from app import memory, redis, tracing
from app.attachments.storage import open_storage
from app.config import get_settings, require_secrets
from app.db import create_engine, create_session_factory
from app.logs import traced
from app.mail.pump import MailPump
from app.sla.pump import SlaPump
from app.webhooks.pump import WebhookPump
from app.workers import assignment, attachments, chat, mail, maintenance, sla
from app.workers.runner import through_outages

EVERY_SECOND = set(range(60))
EVERY_TWO_SECONDS = set(range(0, 60, 2))

log = logging.getLogger("supportdesk.worker")


def job(function: Any) -> Any:
    """A job as the worker runs it: under its request id, through database outages."""
    return through_outages(traced(function))


async def startup(ctx: dict[str, Any]) -> None:
    settings = get_settings()
    require_secrets(settings)
    ctx["engine"] = create_engine(settings)
    ctx["sessions"] = create_session_factory(ctx["engine"])
    ctx["storage"] = open_storage(settings.storage_url)
    tracing.setup(settings, service="supportdesk-worker")
    if settings.worker_metrics_port:
        start_http_server(settings.worker_metrics_port)
    ctx["sla"] = SlaPump(ctx["sessions"], ctx.get("redis"))
    await ctx["sla"].start()
    if settings.worker_webhooks:
        ctx["webhooks"] = WebhookPump(ctx["engine"], ctx["sessions"], settings)
        await ctx["webhooks"].start()
    if settings.worker_mail:
        ctx["mail"] = MailPump(ctx["engine"], ctx["sessions"], settings)
        await ctx["mail"].start()
    ctx["trimmer"] = asyncio.create_task(memory.keep_trimmed())
    log.info("worker started")


async def shutdown(ctx: dict[str, Any]) -> None:
    if "trimmer" in ctx:
        ctx["trimmer"].cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await ctx["trimmer"]
    for pump in ("sla", "webhooks", "mail"):
        if pump in ctx:
            await ctx[pump].stop(grace=WorkerSettings.job_completion_wait)
    await ctx["engine"].dispose()
    log.info("worker stopped")


class WorkerSettings:
    """Any number of workers may run; cron jobs run once per tick across all of them."""

    redis_settings = redis.redis_settings(get_settings())
    on_startup = startup
    on_shutdown = shutdown
    functions = [
        job(function)
        for function in (
            maintenance.purge_idempotency_keys,
            maintenance.close_resolved_tickets,
            maintenance.build_report_rollups,
            sla.fire_clock,
            sla.reconcile_sla,
            sla.recompute_clocks,
            sla.escalate_breaches,
            assignment.assign_pm,
            assignment.assign_waiting_pms,
            assignment.carry_out_changes,
            assignment.carry_out_change,
            assignment.route_tickets,
            mail.plan_weekly_summaries,
            attachments.expire_uploads,
            chat.end_idle_chats,
        )
    ]
    cron_jobs = [
        cron(job(sla.reconcile_sla), second=EVERY_SECOND, unique=True, timeout=10, keep_result=60),
        cron(
            job(sla.recompute_clocks),
            second=EVERY_TWO_SECONDS,
            unique=True,
            timeout=60,
            keep_result=60,
        ),
        cron(
            job(sla.escalate_breaches),
            second=EVERY_SECOND,
            unique=True,
            timeout=60,
            keep_result=60,
        ),
        cron(job(assignment.route_tickets), second=EVERY_SECOND, unique=True, keep_result=60),
        cron(
            job(assignment.assign_waiting_pms),
            second=EVERY_TWO_SECONDS,
            unique=True,
            keep_result=60,
        ),
        cron(
            job(assignment.carry_out_changes),
            second=EVERY_TWO_SECONDS,
            unique=True,
            keep_result=60,
        ),
        cron(job(mail.plan_weekly_summaries), second={15}, unique=True, keep_result=60),
        cron(job(attachments.expire_uploads), minute={12, 42}, unique=True),
        cron(job(chat.end_idle_chats), second={45}, unique=True, keep_result=60),
        cron(job(maintenance.purge_idempotency_keys), minute={7, 37}, unique=True),
        cron(job(maintenance.close_resolved_tickets), second={30}, unique=True, keep_result=60),
        cron(job(maintenance.build_report_rollups), second={50}, unique=True, timeout=60),
    ]
    job_timeout = 60
    max_tries = 5
    health_check_interval = 10
    job_completion_wait = 20

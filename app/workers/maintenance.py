"""Housekeeping jobs."""

import logging
from datetime import timedelta
from typing import Any

from app import idempotency, timesource
from app.config import get_settings
from app.db import unit_of_work
from app.reports import rollups
from app.tickets import transitions

log = logging.getLogger("supportdesk.worker")


async def purge_idempotency_keys(ctx: dict[str, Any]) -> int:
    """Deletes idempotency records older than their TTL."""
    async with unit_of_work(ctx["sessions"]) as session:
        removed = await idempotency.purge_expired(session)
    log.info("purged %d idempotency records", removed)
    return removed


async def close_resolved_tickets(ctx: dict[str, Any]) -> int:
    """Closes resolved tickets after SUPPORTDESK_AUTO_CLOSE_DAYS, in batches."""
    older_than = timedelta(days=get_settings().auto_close_days)
    total = 0
    for _ in range(20):
        async with unit_of_work(ctx["sessions"], ctx.get("redis")) as session:
            closed = await transitions.close_resolved(session, older_than=older_than, limit=200)
        total += closed
        if closed < 200:
            break
    if total:
        log.info("closed %d resolved tickets automatically", total)
    return total


async def build_report_rollups(ctx: dict[str, Any]) -> int:
    """Rolls up closed days for the SLA report (stale ones again), for up to 20 s a run."""
    built, started = 0, timesource.now()
    while timesource.now() - started < timedelta(seconds=20):
        days = await rollups.build_stale(ctx["sessions"], timesource.now())
        built += days
        if days == 0:
            break
    if built:
        log.info("rolled up %d days for the SLA report", built)
    return built

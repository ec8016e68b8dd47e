"""Housekeeping jobs."""

import logging
from typing import Any

from app import idempotency
from app.db import unit_of_work

log = logging.getLogger("supportdesk.worker")


async def purge_idempotency_keys(ctx: dict[str, Any]) -> int:
    """Deletes idempotency records older than their TTL."""
    async with unit_of_work(ctx["sessions"]) as session:
        removed = await idempotency.purge_expired(session)
    log.info("purged %d idempotency records", removed)
    return removed

"""Attachment jobs: unbound uploads expire (their content first, then their rows)."""

import logging
from typing import Any

from app import timesource
from app.attachments import repository
from app.attachments.metrics import DELETED_BYTES
from app.attachments.storage import open_storage
from app.config import get_settings
from app.db import unit_of_work

log = logging.getLogger("supportdesk.worker")
BATCH = 200


async def expire_uploads(ctx: dict[str, Any]) -> int:
    """Deletes uploads nobody bound within their lifetime (24 h), a batch at a time.

    The rows stay locked while their content is removed, so a binding that comes at the same
    moment waits and then finds the upload gone (422) rather than a file without content."""
    storage = ctx.get("storage") or open_storage(get_settings().storage_url)
    expired = 0
    while True:
        async with unit_of_work(ctx["sessions"]) as session:
            rows = await repository.lock_expired(session, timesource.now(), BATCH)
            for row in rows:
                await storage.delete(row.storage_key)
                DELETED_BYTES.inc(row.size)
            await repository.forget(session, rows)
        expired += len(rows)
        if len(rows) < BATCH:
            break
    if expired:
        log.info("expired %d unbound uploads", expired)
    return expired

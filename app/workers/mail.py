"""Mail jobs: the weekly summaries (the pump in app/mail/pump.py plans and sends the rest)."""

import logging
from typing import Any

from app import timesource
from app.config import get_settings
from app.db import unit_of_work
from app.mail.summary import plan_summaries

log = logging.getLogger("supportdesk.worker")


async def plan_weekly_summaries(ctx: dict[str, Any]) -> int:
    """Plans the summaries that fell due (Monday 09:00 in each organization's time zone)."""
    async with unit_of_work(ctx["sessions"]) as session:
        planned = await plan_summaries(session, settings=get_settings(), now=timesource.now())
    if planned:
        log.info("planned %d weekly summaries", planned)
    return planned

"""SLA jobs: precise deferred firing, the once-a-second reconciler, batch recomputes."""

import logging
import uuid
from typing import Any

from app import timesource
from app.db import unit_of_work
from app.sla import firing, recompute
from app.sla.pump import fire_all_due

log = logging.getLogger("supportdesk.worker")
RECONCILE_BUDGET_SECONDS = 0.8
ESCALATION_BATCH = 100


async def fire_clock(ctx: dict[str, Any], ticket_id: str) -> int:
    """Fires whatever is due on one ticket's clocks (a deferred job; idempotent)."""
    async with unit_of_work(ctx["sessions"], ctx.get("redis")) as session:
        return await firing.fire_due(session, now=timesource.now(), ticket_id=uuid.UUID(ticket_id))


async def reconcile_sla(ctx: dict[str, Any]) -> int:
    """Fires every due transition Redis may have lost: the safety net under the timers."""
    budget = RECONCILE_BUDGET_SECONDS
    total = await fire_all_due(ctx["sessions"], ctx.get("redis"), budget=budget)
    if total:
        log.info("reconciler fired %d SLA transitions", total)
    return total


async def recompute_clocks(ctx: dict[str, Any]) -> int:
    """Works through pending recompute requests in batches."""
    batches = 0
    for _ in range(20):
        async with unit_of_work(ctx["sessions"], ctx.get("redis")) as session:
            more = await recompute.run_batch(session)
        if not more:
            break
        batches += 1
    return batches


async def escalate_breaches(ctx: dict[str, Any]) -> int:
    """Escalates breached tickets one transaction each, apart from the (fast) firing."""
    escalated = 0
    async with unit_of_work(ctx["sessions"]) as session:
        pending = await firing.breaches_to_escalate(session, ESCALATION_BATCH)
    for ticket_id, metric, cycle in pending:
        async with unit_of_work(ctx["sessions"], ctx.get("redis")) as session:
            escalated += await firing.escalate_breach(session, ticket_id, metric, cycle)
    return escalated

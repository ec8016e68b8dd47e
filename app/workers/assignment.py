"""Assignment jobs: PMs for new and waiting organizations, change requests, ticket routing."""

import logging
import uuid
from typing import Any

from app.assignment import pm, sweep
from app.db import unit_of_work

log = logging.getLogger("supportdesk.worker")
BATCH = 50
# Waiting tickets one routing sweep reads (ordered by urgency once), and how many it decides
# at most. Every tick starts a fresh sweep, so a ticket raised meanwhile waits about a tick.
ROUTING_WINDOW = 5000
ROUTING_BATCH = 1000
# At most this many tickets announced as unassigned per sweep, beyond the ROUTING_BATCH tried.
ANNOUNCE_BATCH = 500


async def assign_pm(ctx: dict[str, Any], organization_id: str) -> bool:
    """Assigns a new organization's PM (idempotent: an assigned organization is left alone)."""
    async with unit_of_work(ctx["sessions"], ctx.get("redis")) as session:
        waiting = await pm.waiting_one(session, uuid.UUID(organization_id))
        if not waiting:
            return False
        organization = await pm.assign(session, organization_id=uuid.UUID(organization_id))
        return organization.pm_id is not None


async def assign_waiting_pms(ctx: dict[str, Any]) -> int:
    """Oldest waiting organizations first, one transaction each, until one cannot be served."""
    assigned = 0
    async with unit_of_work(ctx["sessions"]) as session:
        waiting = await pm.waiting(session, BATCH)
    for organization_id in waiting:
        if not await assign_pm(ctx, str(organization_id)):
            break  # no capacity: later ones would not get any either
        assigned += 1
    return assigned


async def carry_out_changes(ctx: dict[str, Any]) -> int:
    """Pending PM change requests, oldest first."""
    done = 0
    async with unit_of_work(ctx["sessions"]) as session:
        pending = await pm.pending_changes(session, BATCH)
    for change_id in pending:
        async with unit_of_work(ctx["sessions"], ctx.get("redis")) as session:
            change = await pm.carry_out(session, change_id)
        done += bool(change and change.status == "done")
    return done


async def carry_out_change(ctx: dict[str, Any], change_id: str) -> bool:
    """One PM change request (also swept every two seconds)."""
    async with unit_of_work(ctx["sessions"], ctx.get("redis")) as session:
        change = await pm.carry_out(session, uuid.UUID(change_id))
    return bool(change and change.status == "done")


async def route_tickets(ctx: dict[str, Any]) -> int:
    """Hands out waiting tickets, most urgent first, a few per transaction (assignment.sweep)."""
    swept = await sweep.sweep(
        ctx["sessions"],
        ctx.get("redis"),
        window=ROUTING_WINDOW,
        limit=ROUTING_BATCH,
        announce_limit=ANNOUNCE_BATCH,
    )
    return len(swept.assigned)

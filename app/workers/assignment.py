"""Assignment jobs: PMs for new and waiting organizations, change requests, ticket routing."""

import logging
import uuid
from typing import Any

from app.assignment import pm, routing
from app.db import unit_of_work

log = logging.getLogger("supportdesk.worker")
BATCH = 50
# How many waiting tickets one sweep looks through to find BATCH it can try.
ROUTING_WINDOW = 2000
# At most this many tickets announced as unassigned per sweep, beyond the BATCH tried.
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
    """Hands out waiting tickets, most urgent first, one transaction per ticket.

    When no one with a set of roles has room, the sweep skips the other tickets needing those
    roles that were already announced as unassigned: they would fail too, and must not keep
    tickets for other roles waiting behind them. New ones are still tried, so each gets its
    `ticket.unassigned`.
    """
    routed, tried = 0, 0
    full: set[frozenset[str]] = set()
    async with unit_of_work(ctx["sessions"]) as session:
        waiting = await routing.waiting(session, ROUTING_WINDOW)
    announced = 0
    for ticket in waiting:
        if ticket.roles in full:
            # Known to fail this sweep: only announce the ones not yet announced.
            if ticket.announced or announced == ANNOUNCE_BATCH:
                continue
            announced += 1
        elif tried == BATCH:
            break
        else:
            tried += 1
        async with unit_of_work(ctx["sessions"], ctx.get("redis")) as session:
            locked = await routing.lock_waiting(session, ticket.id)
            if locked is None:
                continue
            if await routing.route(session, locked) is not None:
                routed += 1
            else:
                full.add(ticket.roles)
    return routed

"""Escalation up the configured chain: record, reassign, start the review clock, announce."""

import math
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from app import timesource
from app.api_keys.models import KeyKind
from app.assignment import routing
from app.config import escalation_roles, get_settings
from app.errors import Conflict, TooManyRequests, invalid
from app.escalation import repository as escalations
from app.escalation.models import Escalation, Trigger
from app.events.models import EventType
from app.events.service import record
from app.security import SYSTEM_ACTOR, Principal, require
from app.sla import repository as sla_repository
from app.sla import ticket_clocks
from app.tickets import repository as tickets
from app.tickets.events import ticket_event
from app.tickets.lifecycle import DONE
from app.tickets.models import Ticket


class CoolingDown(TooManyRequests):
    """A client escalated this ticket less than the review period ago."""


def trigger_of(principal: Principal) -> Trigger:
    return Trigger.client if principal.kind is KeyKind.contact else Trigger.agent


async def escalate(
    session: AsyncSession,
    ticket: Ticket,
    *,
    trigger: Trigger,
    reason: str,
    actor: dict[str, Any],
) -> Escalation:
    """Moves a (locked) ticket one level up; 409 past the last level or once it is done."""
    chain = escalation_roles()
    level = ticket.escalation_level + 1
    if ticket.status in DONE:
        raise Conflict(f"The ticket is {ticket.status}; it cannot be escalated.")
    if level > len(chain):
        raise Conflict(f"The ticket is already at the last escalation level ({len(chain)}).")
    now = timesource.now()
    rerouting = tickets.needs_routing(now, keep_assignee=True, announce_again=True)
    await tickets.update(session, ticket.id, {"escalation_level": level, **rerouting})
    await session.refresh(ticket)
    assignee = await routing.route(session, ticket)
    escalation = await escalations.insert(
        session,
        ticket_id=ticket.id,
        level=level,
        reason=reason,
        trigger=trigger,
        actor=actor,
        assignee_id=assignee,
        at=now,
    )
    await _start_review(session, ticket, now)
    await _announce(session, ticket, escalation, chain[level - 1])
    return escalation


async def _start_review(session: AsyncSession, ticket: Ticket, now: Any) -> None:
    rows = (await sla_repository.clocks_of(session, [ticket.id], lock=True))[ticket.id]
    context = await sla_repository.context_of_ticket(session, ticket)
    added = ticket_clocks.start_review(
        ticket.id, rows, priority=ticket.priority, at=now, context=context
    )
    session.add_all(added)
    rows.update({row.metric: row for row in added})
    sla_repository.remember(session, ticket.id, rows)
    await session.flush()


async def _announce(
    session: AsyncSession, ticket: Ticket, escalation: Escalation, role: str
) -> None:
    rows = (await sla_repository.clocks_of(session, [ticket.id]))[ticket.id]
    data = {
        "escalation": {
            "id": str(escalation.id),
            "level": escalation.level,
            "role": role,
            "trigger": escalation.trigger.value,
            "reason": escalation.reason,
            "assignee_id": str(escalation.assignee_id) if escalation.assignee_id else None,
        }
    }
    await record(session, ticket_event(EventType.ticket_escalated, ticket, None, rows, **data))


async def request(
    session: AsyncSession, *, principal: Principal, ticket_id: uuid.UUID, reason: str | None
) -> Escalation:
    """A client, agent or admin escalates; a client must say why."""
    require(principal, KeyKind.contact, KeyKind.agent, KeyKind.admin)
    if principal.kind is KeyKind.contact and not reason:
        raise invalid("body.reason", "Tell us why you are escalating, so the next level can act.")
    ticket = await tickets.get_visible(session, principal=principal, ticket_id=ticket_id, lock=True)
    if trigger_of(principal) is Trigger.client:
        await _check_client_cooldown(session, ticket)
    return await escalate(
        session,
        ticket,
        trigger=trigger_of(principal),
        reason=reason or "escalated by staff",
        actor=principal.actor(),
    )


# Escalations a client's own input makes: asking, and reporting the users affected.
CLIENT_TRIGGERS = (Trigger.client, Trigger.impact)


async def _client_cooldown(
    session: AsyncSession, ticket: Ticket
) -> tuple[datetime, datetime] | None:
    """(the last client-made escalation, when the client may escalate again) while the review
    period since it runs; None when the client may escalate now."""
    period = timedelta(hours=get_settings().client_escalation_cooldown_hours)
    last = await escalations.last_at(session, ticket.id, CLIENT_TRIGGERS)
    if not period or last is None or last + period <= timesource.now():
        return None
    return last, _whole_second_after(last + period)


async def _check_client_cooldown(session: AsyncSession, ticket: Ticket) -> None:
    """429 while the ticket's last client-made escalation is younger than the review period.

    The caller holds the ticket's row lock, so a concurrent client escalation waits for it
    and then sees this one (read committed): exactly one of them escalates.
    """
    cooling = await _client_cooldown(session, ticket)
    if cooling is None:
        return
    last, again = cooling
    wait = math.ceil((again - timesource.now()).total_seconds())
    raise CoolingDown(
        f"This ticket was escalated on the client side at {_stamp(last)}; it can be escalated "
        f"again from {_stamp(again)}. Until then, add a comment: the team sees it at once.",
        headers={"Retry-After": str(wait)},
    )


def _whole_second_after(moment: datetime) -> datetime:
    """The moment rounded up to a whole second, so "from 13:00:05" is never too early."""
    if moment.microsecond:
        moment += timedelta(microseconds=1_000_000 - moment.microsecond)
    return moment


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


async def on_breach(session: AsyncSession, ticket_id: uuid.UUID, metric: str) -> None:
    """A first-response or resolution breach escalates once (the firing itself is once)."""
    if metric not in ("first_response", "resolution"):
        return
    ticket = await tickets.lock(session, ticket_id)
    if ticket.status in DONE or ticket.escalation_level >= len(escalation_roles()):
        return
    await escalate(
        session,
        ticket,
        trigger=Trigger.sla_breach,
        reason=f"{metric} target breached",
        actor=SYSTEM_ACTOR,
    )


async def on_impact(
    session: AsyncSession, ticket_id: uuid.UUID, *, by: Principal | None = None
) -> None:
    """A ticket reaching the users-affected threshold escalates once; a contact who raised the
    figure within the review period of their own escalation does not escalate it again."""
    ticket = await tickets.lock(session, ticket_id)
    affected = (ticket.context or {}).get("users_affected") or 0
    if affected < get_settings().impact_threshold or ticket.status in DONE:
        return
    already = await escalations.has_trigger(session, ticket_id, Trigger.impact)
    if already or ticket.escalation_level >= len(escalation_roles()):
        return
    by_client = by is not None and trigger_of(by) is Trigger.client
    if by_client and await _client_cooldown(session, ticket) is not None:
        return
    await escalate(
        session,
        ticket,
        trigger=Trigger.impact,
        reason=f"{affected} users affected",
        actor=SYSTEM_ACTOR,
    )


async def chain_of(
    session: AsyncSession, *, principal: Principal, ticket_id: uuid.UUID
) -> list[Escalation]:
    """The escalations of a ticket so far, lowest level first."""
    await tickets.get_visible(session, principal=principal, ticket_id=ticket_id)
    return await escalations.chain(session, ticket_id)

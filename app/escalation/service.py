"""Escalation up the configured chain: record, reassign, start the review clock, announce."""

import uuid
from typing import Any

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from app import clock
from app.api_keys.models import KeyKind
from app.assignment import routing
from app.config import escalation_roles, get_settings
from app.errors import Conflict, invalid
from app.escalation.models import Escalation, Trigger
from app.events.models import EventType
from app.events.service import record
from app.security import SYSTEM_ACTOR, Principal, require
from app.sla import engine
from app.tickets.lifecycle import DONE
from app.tickets.models import Ticket


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
    now = clock.now()
    await session.execute(
        sa.update(Ticket)
        .where(Ticket.id == ticket.id)
        .values(
            escalation_level=level,
            routing_requested_at=now,
            unassigned_notified_at=None,
            updated_at=now,
            version=Ticket.version + 1,
        )
        .execution_options(synchronize_session=False)
    )
    await session.refresh(ticket)
    assignee = await routing.route(session, ticket)
    escalation = Escalation(
        ticket_id=ticket.id,
        level=level,
        reason=reason,
        trigger=trigger,
        actor=actor,
        assignee_id=assignee,
        created_at=now,
        updated_at=now,
    )
    session.add(escalation)
    await session.flush()
    await _start_review(session, ticket, now)
    await _announce(session, ticket, escalation, chain[level - 1])
    return escalation


async def _start_review(session: AsyncSession, ticket: Ticket, now: Any) -> None:
    rows = (await engine.clocks_of(session, [ticket.id], lock=True))[ticket.id]
    context = await engine.context_of_ticket(session, ticket)
    added = engine.start_review(ticket.id, rows, priority=ticket.priority, at=now, context=context)
    session.add_all(added)
    rows.update({row.metric: row for row in added})
    engine.remember(session, ticket.id, rows)
    await session.flush()


async def _announce(
    session: AsyncSession, ticket: Ticket, escalation: Escalation, role: str
) -> None:
    from app.tickets.service import ticket_event

    rows = (await engine.clocks_of(session, [ticket.id]))[ticket.id]
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
    from app.tickets.service import get_visible

    require(principal, KeyKind.contact, KeyKind.agent, KeyKind.admin)
    if principal.kind is KeyKind.contact and not reason:
        raise invalid("body.reason", "Tell us why you are escalating, so the next level can act.")
    ticket = await get_visible(session, principal=principal, ticket_id=ticket_id, lock=True)
    return await escalate(
        session,
        ticket,
        trigger=trigger_of(principal),
        reason=reason or "escalated by staff",
        actor=principal.actor(),
    )


async def on_breach(session: AsyncSession, ticket_id: uuid.UUID, metric: str) -> None:
    """A first-response or resolution breach escalates once (the firing itself is once)."""
    if metric not in ("first_response", "resolution"):
        return
    ticket = (
        await session.execute(
            sa.select(Ticket)
            .where(Ticket.id == ticket_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    ).scalar_one()
    if ticket.status in DONE or ticket.escalation_level >= len(escalation_roles()):
        return
    await escalate(
        session,
        ticket,
        trigger=Trigger.sla_breach,
        reason=f"{metric} target breached",
        actor=SYSTEM_ACTOR,
    )


async def on_impact(session: AsyncSession, ticket_id: uuid.UUID) -> None:
    """A ticket reaching the users-affected threshold escalates once."""
    ticket = (
        await session.execute(
            sa.select(Ticket)
            .where(Ticket.id == ticket_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    ).scalar_one()
    affected = (ticket.context or {}).get("users_affected") or 0
    if affected < get_settings().impact_threshold or ticket.status in DONE:
        return
    already = await session.execute(
        sa.select(Escalation.id).where(
            Escalation.ticket_id == ticket_id, Escalation.trigger == Trigger.impact
        )
    )
    if already.first() is not None or ticket.escalation_level >= len(escalation_roles()):
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
    from app.tickets.service import get_visible

    await get_visible(session, principal=principal, ticket_id=ticket_id)
    rows = await session.execute(
        sa.select(Escalation).where(Escalation.ticket_id == ticket_id).order_by(Escalation.level)
    )
    return list(rows.scalars())

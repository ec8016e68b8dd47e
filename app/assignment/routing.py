"""Ticket routing: who should hold a ticket, by track, emergency and escalation level."""

import uuid
from dataclasses import dataclass, replace
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from app import timesource
from app.assignment import repository as agents
from app.assignment import scoring
from app.assignment.models import Role
from app.config import escalation_roles
from app.events.models import EventType
from app.events.service import record
from app.organizations import repository as organizations
from app.organizations.models import Organization
from app.sla.repository import clocks_of
from app.sla.ticket_clocks import business_calendar
from app.tickets import repository as tickets
from app.tickets.events import ticket_event
from app.tickets.models import Category, Ticket

PM_TRACK = frozenset(
    {Category.request, Category.project, Category.feature_request, Category.general}
)
SENIORS = frozenset({Role.senior_pm.value, Role.support_tier3.value})
SUPPORT = frozenset({Role.support_tier1.value})


def roles_for(ticket: Ticket) -> frozenset[str]:
    """Who may hold the ticket: its escalation level's role, a senior, a PM or tier 1."""
    if ticket.escalation_level > 1:
        return frozenset({escalation_roles()[ticket.escalation_level - 1]})
    if ticket.emergency:
        return SENIORS
    if ticket.category in PM_TRACK:
        return frozenset({Role.pm.value})
    return SUPPORT


async def _preferred(
    session: AsyncSession, organization: Organization, at: datetime
) -> list[uuid.UUID]:
    """The organization's PM, then their backup, unless away: PM-track work goes there first."""
    if organization.pm_id is None:
        return []
    pm = await agents.find(session, organization.pm_id)
    chain = [pm.id] if pm else []
    if pm and pm.backup_agent_id:
        chain.append(pm.backup_agent_id)
    return chain


def _ordered(ranked: list[scoring.Ranked], preferred: list[uuid.UUID]) -> list[scoring.Ranked]:
    """Preferred agents first (in their order), then the rest by score."""
    by_id = {choice.candidate.id: choice for choice in ranked}
    first = [by_id[agent_id] for agent_id in preferred if agent_id in by_id]
    return first + [choice for choice in ranked if choice.candidate.id not in preferred]


async def route(session: AsyncSession, ticket: Ticket) -> uuid.UUID | None:
    """Assigns the ticket to the best agent with room, or marks it unassigned (once)."""
    organization, calendar = await organizations.with_calendar(session, ticket.organization_id)
    now = timesource.now()
    roles = roles_for(ticket)
    pool = await agents.candidates(session, roles, now, for_tickets=True)
    wanted = scoring.Need(
        roles=roles,
        calendar=business_calendar(calendar),
        at=now,
        industry=organization.industry,
        platform=organization.platform,
        require_on_duty=bool(ticket.emergency and ticket.escalation_level == 1),
    )
    ranked = scoring.rank(pool, wanted)
    if not ranked and wanted.require_on_duty:
        ranked = scoring.rank(pool, replace(wanted, require_on_duty=False))
    if roles == {Role.pm.value}:
        ranked = _ordered(ranked, await _preferred(session, organization, now))
    choice = await agents.first_claimed(session, ranked, tickets.assign_statement(ticket.id))
    await session.refresh(ticket)
    rows = (await clocks_of(session, [ticket.id]))[ticket.id]
    if choice is not None:
        breakdown = choice.as_dict()
        await record(
            session,
            ticket_event(EventType.ticket_assigned, ticket, None, rows, assignment=breakdown),
        )
        return choice.candidate.id
    if ticket.unassigned_notified_at is None:
        await tickets.mark_unassigned(session, ticket, now)
        reasons = {str(k): v for k, v in scoring.refusals(pool, wanted).items()}
        await record(
            session,
            ticket_event(
                EventType.ticket_unassigned,
                ticket,
                None,
                rows,
                roles=sorted(roles),
                refusals=reasons,
            ),
        )
    return None


@dataclass(frozen=True)
class Waiting:
    """A ticket waiting for an assignee: who may take it, and whether it was announced."""

    id: uuid.UUID
    roles: frozenset[str]
    announced: bool


async def waiting(session: AsyncSession, limit: int) -> list[Waiting]:
    """Tickets waiting for an assignee: most urgent SLA first, then the client's own order,
    then oldest."""
    statement = tickets.waiting_for_assignee(limit)
    return [
        Waiting(row.id, roles_for(row), row.unassigned_notified_at is not None)
        for row in await session.execute(statement)
    ]


# Locking a waiting ticket is the tickets repository's select, as it is.
lock_waiting = tickets.lock_waiting

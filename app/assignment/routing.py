"""Ticket routing: who should hold a ticket, by track, emergency and escalation level."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

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


def _ranking(pool: list[scoring.Candidate], wanted: scoring.Need) -> list[scoring.Ranked]:
    """The eligible candidates, best first; work that must start at once, when no one is on
    duty, goes to whoever would be best later."""
    ranked = scoring.rank(pool, wanted)
    if not ranked and wanted.require_on_duty:
        ranked = scoring.rank(pool, replace(wanted, require_on_duty=False))
    return ranked


def _settled(ranked: list[scoring.Ranked], cut: set[uuid.UUID]) -> list[scoring.Ranked]:
    """A ranking of the leading few, up to and including the first candidate that stands for
    more of its group: that far, it is the full ranking."""
    for index, choice in enumerate(ranked):
        if choice.candidate.id in cut:
            return ranked[: index + 1]
    return ranked


async def leading_ranking(session: AsyncSession, wanted: scoring.Need) -> list[scoring.Ranked]:
    """The head of the full ranking (no PM), from the few agents SQL leaves."""
    pool, cut = await agents.leading(session, wanted.roles, wanted.at, wanted=wanted.wanted)
    return _settled(_ranking(pool, wanted), cut)


async def _claim(
    session: AsyncSession,
    organization: Organization,
    wanted: scoring.Need,
    assign: Callable[[uuid.UUID], Any],
) -> tuple[scoring.Ranked | None, list[scoring.Candidate]]:
    """The agent who took the work, and everyone ranked when the leading few could not.

    The leading few are tried first, without waiting for an agent another decision is
    filling; PM work, and the rare decision none of them could take, rank everyone and wait
    for each claim.
    """
    if Role.pm.value not in wanted.roles:
        choice = await agents.first_free(session, await leading_ranking(session, wanted), assign)
        if choice is not None:
            return choice, []
    pool = await agents.candidates(session, wanted.roles, wanted.at, for_tickets=True)
    ranked = _ranking(pool, wanted)
    if wanted.roles == {Role.pm.value}:
        ranked = _ordered(ranked, await _preferred(session, organization, wanted.at))
    return await agents.first_claimed(session, ranked, assign), pool


async def route(session: AsyncSession, ticket: Ticket) -> uuid.UUID | None:
    """Assigns the ticket to the best agent with room, or marks it unassigned (once)."""
    organization, calendar = await organizations.with_calendar(session, ticket.organization_id)
    now = timesource.now()
    roles = roles_for(ticket)
    wanted = scoring.Need(
        roles=roles,
        calendar=business_calendar(calendar),
        at=now,
        industry=organization.industry,
        platform=organization.platform,
        require_on_duty=bool(ticket.emergency and ticket.escalation_level == 1),
    )
    choice, pool = await _claim(session, organization, wanted, tickets.assign_statement(ticket.id))
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

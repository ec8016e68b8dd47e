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
from app.sla.models import Calendar
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
# Agents of each group a decision looks at when the first few are all being filled.
LONGER_HEAD = 16


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


async def leading_ranking(
    session: AsyncSession, wanted: scoring.Need, *, per_group: int = agents.PER_GROUP
) -> list[scoring.Ranked]:
    """The head of the full ranking (no PM), from the few agents SQL leaves."""
    pool, cut = await agents.leading(
        session, wanted.roles, wanted.at, wanted=wanted.wanted, per_group=per_group
    )
    return _settled(_ranking(pool, wanted), cut)


async def _claim(
    session: AsyncSession,
    organization: Organization,
    wanted: scoring.Need,
    assign: Callable[[uuid.UUID], Any],
    *,
    lead: bool = True,
) -> tuple[scoring.Ranked | None, list[scoring.Candidate]]:
    """The agent who took the work, and everyone ranked when the leading few could not.

    The leading few are tried first (unless `lead` is False: already tried), without waiting
    for an agent another decision is filling; PM work, and the rare decision none of them
    could take, rank everyone and wait for each claim.
    """
    if lead and Role.pm.value not in wanted.roles:
        choice = await agents.first_free(session, await leading_ranking(session, wanted), assign)
        if choice is not None:
            return choice, []
    pool = await agents.candidates(session, wanted.roles, wanted.at, for_tickets=True)
    ranked = _ranking(pool, wanted)
    if wanted.roles == {Role.pm.value}:
        ranked = _ordered(ranked, await _preferred(session, organization, wanted.at))
    return await agents.first_claimed(session, ranked, assign), pool


@dataclass(frozen=True)
class Decision:
    """Who took a ticket (None: no one could), and what the search saw."""

    ticket: Ticket
    wanted: scoring.Need
    choice: scoring.Ranked | None
    pool: list[scoring.Candidate]


Places = dict[uuid.UUID, tuple[Organization, Calendar]]


async def _need(
    session: AsyncSession, places: Places, ticket: Ticket
) -> tuple[Organization, scoring.Need]:
    """The ticket's organization (read once per transaction) and what its routing needs."""
    if ticket.organization_id not in places:
        places[ticket.organization_id] = await organizations.with_calendar(
            session, ticket.organization_id
        )
    organization, calendar = places[ticket.organization_id]
    return organization, scoring.Need(
        roles=roles_for(ticket),
        calendar=business_calendar(calendar),
        at=timesource.now(),
        industry=organization.industry,
        platform=organization.platform,
        require_on_duty=bool(ticket.emergency and ticket.escalation_level == 1),
    )


async def _lead(
    session: AsyncSession, ticket: Ticket, wanted: scoring.Need, taken: set[uuid.UUID]
) -> scoring.Ranked | None:
    """The first free agent of the leading few but those in `taken`, locked for the ticket;
    None for PM work and for a ticket someone holds (its holder's row would be locked too:
    `_claim` hands those over)."""
    if Role.pm.value in wanted.roles or ticket.assignee_id is not None:
        return None
    ranked = await leading_ranking(session, wanted)
    choice = await agents.lock_first_free(session, ranked, leaving=taken)
    if choice is None and ranked:
        # The head is taken: other transactions are filling those agents. A longer head
        # (the same ranking, further) finds the next free one without waiting.
        ranked = await leading_ranking(session, wanted, per_group=LONGER_HEAD)
        choice = await agents.lock_first_free(session, ranked, leaving=taken)
    return choice


async def _announce(session: AsyncSession, decisions: list[Decision]) -> None:
    """Records each decision's event (`ticket.assigned`, or `ticket.unassigned` once) in one
    statement."""
    clocks = await clocks_of(session, [d.ticket.id for d in decisions])
    events = []
    for d in decisions:
        rows = clocks[d.ticket.id]
        if d.choice is not None:
            assignment = d.choice.as_dict()
            events.append(
                ticket_event(EventType.ticket_assigned, d.ticket, None, rows, assignment=assignment)
            )
        elif d.ticket.unassigned_notified_at is None:
            await tickets.mark_unassigned(session, d.ticket, d.wanted.at)
            reasons = {str(k): v for k, v in scoring.refusals(d.pool, d.wanted).items()}
            events.append(
                ticket_event(
                    EventType.ticket_unassigned,
                    d.ticket,
                    None,
                    rows,
                    roles=sorted(d.wanted.roles),
                    refusals=reasons,
                )
            )
    await record(session, *events)


async def route(session: AsyncSession, ticket: Ticket) -> uuid.UUID | None:
    """Assigns the ticket to the best agent with room, or marks it unassigned (once)."""
    [(_, agent_id)] = await route_many(session, [ticket])
    return agent_id


async def route_many(
    session: AsyncSession, locked: list[Ticket]
) -> list[tuple[uuid.UUID, uuid.UUID | None]]:
    """Routes the locked tickets in their order in this transaction: (ticket, agent or None).

    Each ticket the leading few can serve gets the first free one, locked now (an agent
    another decision is filling is passed over, and so is one this transaction already
    chose: it holds one ticket of the batch), and all are assigned in one statement at the
    end. Holding those agents' rows, the transaction never waits for another's (two could
    wait for each other): it stops before a ticket that needs the full search, which waits,
    and leaves it and the rest waiting for the next transaction. Once no one could take
    tickets of some roles, the others of those roles already announced are left too.
    """
    await clocks_of(session, [ticket.id for ticket in locked])  # one read for the batch
    places: Places = {}
    leading: dict[uuid.UUID, Decision] = {}  # by the agent locked for it
    searched: list[Decision] = []
    full: set[frozenset[str]] = set()
    for ticket in locked:
        roles = roles_for(ticket)
        if roles in full and ticket.unassigned_notified_at is not None:
            continue
        if any(d.choice for d in searched):
            break  # holds an agent's row, and maybe waited for it
        organization, wanted = await _need(session, places, ticket)
        choice = await _lead(session, ticket, wanted, set(leading))
        if choice is not None:
            leading[choice.candidate.id] = Decision(ticket, wanted, choice, [])
            continue
        if leading:
            break
        assign = tickets.assign_statement(ticket.id)
        lead = ticket.assignee_id is not None  # not tried by _lead
        searched.append(
            Decision(
                ticket, wanted, *await _claim(session, organization, wanted, assign, lead=lead)
            )
        )
        if searched[-1].choice is None:
            full.add(roles)
    await tickets.assign_many(session, {d.ticket.id: agent for agent, d in leading.items()})
    await tickets.read_afresh(session, [d.ticket.id for d in searched])
    position = {ticket.id: index for index, ticket in enumerate(locked)}
    decisions = sorted([*leading.values(), *searched], key=lambda d: position[d.ticket.id])
    await _announce(session, decisions)
    return [(d.ticket.id, d.choice.candidate.id if d.choice else None) for d in decisions]


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

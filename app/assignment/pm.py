"""Dedicated PMs: chosen by expertise, time-zone overlap and load; changed on request."""

import uuid
from datetime import timedelta
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from app import timesource
from app.assignment import repository as agents
from app.assignment import scoring
from app.assignment.models import Agent, PmChangeRequest, Role
from app.config import get_settings
from app.errors import Conflict, Forbidden, invalid
from app.events.models import EventType
from app.events.service import NewEvent, record
from app.jobs import after_commit
from app.organizations import repository as organizations
from app.organizations.models import Organization
from app.organizations.schemas import OrganizationOut
from app.security import SYSTEM_ACTOR, Principal
from app.sla.ticket_clocks import business_calendar

PM_ROLES = frozenset({Role.pm.value})


def _event(
    type: EventType, organization: Organization, actor: dict[str, Any], **data: Any
) -> NewEvent:
    snapshot = OrganizationOut.model_validate(organization).model_dump(mode="json")
    return NewEvent(
        type=type,
        actor=actor,
        data={"organization": snapshot, **data},
        organization_id=organization.id,
    )


async def _locked(session: AsyncSession, organization_id: uuid.UUID) -> tuple[Organization, Any]:
    organization, calendar = await organizations.with_calendar(session, organization_id, lock=True)
    return organization, business_calendar(calendar)


async def assign(
    session: AsyncSession,
    *,
    organization_id: uuid.UUID,
    exclude: frozenset[uuid.UUID] = frozenset(),
    actor: dict[str, Any] | None = None,
    reason: str | None = None,
    wait_if_none: bool = True,
    rerun: bool = False,
) -> Organization:
    """Gives the organization its best eligible PM, or records that it is waiting for one.

    An organization that already has its PM is left alone unless a change (`exclude`) or a
    re-run was asked for: a job or sweep that arrives late must not reshuffle it.
    """
    organization, calendar = await _locked(session, organization_id)
    if organization.pm_id is not None and not exclude and not rerun:
        return organization
    now = timesource.now()
    wanted = scoring.Need(
        roles=PM_ROLES,
        calendar=calendar,
        at=now,
        industry=organization.industry,
        platform=organization.platform,
        exclude=exclude,
    )
    pool = await agents.candidates(session, PM_ROLES, now)
    choice = await agents.first_claimed(
        session, scoring.rank(pool, wanted), organizations.assign_pm_statement(organization.id)
    )
    if choice is None:
        if not wait_if_none:
            return organization
        return await _waiting(session, organization, scoring.refusals(pool, wanted), actor)
    return await _assigned(session, organization, choice.as_dict(), actor, reason)


async def _assigned(
    session: AsyncSession,
    organization: Organization,
    breakdown: dict[str, Any],
    actor: dict[str, Any] | None,
    reason: str | None,
) -> Organization:
    previous = organization.pm_id
    await session.refresh(organization)
    new = previous != organization.pm_id
    await organizations.set_pm(session, organization, breakdown, new=new)
    if not new:  # the same PM again: a fresh explanation, nothing to announce
        return organization
    kind = EventType.organization_pm_changed if previous else EventType.organization_pm_assigned
    data: dict[str, Any] = {"assignment": breakdown, "previous": {"pm_id": _text(previous)}}
    if reason:
        data["reason"] = reason
    await record(session, _event(kind, organization, actor or SYSTEM_ACTOR, **data))
    return organization


async def _waiting(
    session: AsyncSession,
    organization: Organization,
    refusals: dict[uuid.UUID, list[str]],
    actor: dict[str, Any] | None,
) -> Organization:
    """No eligible PM: the organization waits (oldest first) and says so once."""
    announce = organization.pm_unassigned_notified_at is None
    await organizations.request_pm(session, organization)
    if announce:
        reasons = {str(agent_id): why for agent_id, why in refusals.items()}
        await record(
            session,
            _event(
                EventType.organization_pm_unassigned,
                organization,
                actor or SYSTEM_ACTOR,
                refusals=reasons,
            ),
        )
    return organization


async def set_explicitly(
    session: AsyncSession, *, organization_id: uuid.UUID, agent_id: uuid.UUID, principal: Principal
) -> Organization:
    """An admin's choice of PM; capacity still holds (409 when the PM is full)."""
    organization, _ = await _locked(session, organization_id)
    agent = await agents.find(session, agent_id)
    if agent is None or agent.role != Role.pm or not agent.active:
        raise invalid("body.agent_id", f"No active PM with id {agent_id}.")
    if organization.pm_id == agent_id:
        return organization
    statement = organizations.assign_pm_statement(organization.id)
    if not await agents.claim(session, statement(agent_id)):
        raise Conflict(f"{agent.name} is at capacity ({agent.capacity} organizations).")
    breakdown = {"explicit": True, "agent_id": str(agent_id)}
    return await _assigned(session, organization, breakdown, principal.actor(), "set by admin")


# Which organizations wait for a PM is the organizations repository's select, as it is.
waiting_one = organizations.waits_for_pm
waiting = organizations.waiting_for_pm


def due_at(organization: Organization) -> Any:
    """When the assignment target runs out for a waiting organization."""
    if organization.pm_requested_at is None:
        return None
    return organization.pm_requested_at + timedelta(hours=get_settings().pm_assignment_target_hours)


async def request_change(
    session: AsyncSession, *, organization_id: uuid.UUID, principal: Principal, reason: str
) -> PmChangeRequest:
    """A designated contact asks for a different PM; the workers carry it out."""
    contact_id = principal.contact_id
    contact = await organizations.find_contact(session, contact_id) if contact_id else None
    if contact is None or not contact.designated or contact.deleted_at is not None:
        raise Forbidden("Only designated contacts may ask for a different PM.")
    organization, _ = await _locked(session, organization_id)
    change = await agents.insert_change_request(
        session,
        organization_id=organization.id,
        contact_id=principal.contact_id,
        reason=reason,
        previous_pm_id=organization.pm_id,
    )
    after_commit(
        session.sync_session, "carry_out_change", str(change.id), job_id=f"pm_change:{change.id}"
    )
    return change


async def carry_out(session: AsyncSession, change_id: uuid.UUID) -> PmChangeRequest | None:
    """Assigns a PM other than the current one; the request stays pending while none is free."""
    change = await agents.lock_pending_change(session, change_id)
    if change is None:
        return None
    organization, _ = await _locked(session, change.organization_id)
    current = organization.pm_id
    exclude = frozenset({current}) if current else frozenset()
    organization = await assign(
        session,
        organization_id=organization.id,
        exclude=exclude,
        reason=change.reason,
        wait_if_none=current is None,
    )
    if organization.pm_id is not None and organization.pm_id != current:
        await agents.complete_change(
            session, change, new_pm_id=organization.pm_id, outcome="assigned a different PM"
        )
    return change


# The workers' sweep reads pending requests through the repository, as it is.
pending_changes = agents.pending_changes


def _text(value: uuid.UUID | None) -> str | None:
    return str(value) if value else None


async def view(
    session: AsyncSession, *, organization_id: uuid.UUID
) -> tuple[Organization, Agent | None]:
    """The organization and its PM, if it has one."""
    organization = await organizations.get(session, organization_id)
    agent = await agents.find(session, organization.pm_id) if organization.pm_id else None
    return organization, agent

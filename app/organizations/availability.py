"""Whether support is there right now for an organization, and how soon a new request would
be answered: what the widget shows under its button ("We're online" / "We'll reply by …")."""

import uuid
from datetime import datetime

from pydantic import BaseModel, Field
from sqlmodel.ext.asyncio.session import AsyncSession

from app.assignment import repository as agents
from app.assignment.models import Role
from app.organizations import repository as organizations
from app.schemas import Count
from app.sla import repository as sla
from app.sla.calendar import is_open, next_opening
from app.sla.policy import Metric
from app.sla.ticket_clocks import SlaContext, start_clocks
from app.tickets.models import Priority

# Who answers a new request from a client (a chat, a general question): the PMs and tier 1.
FIRST_LINE = frozenset({Role.pm.value, Role.support_tier1.value})
ASSUMED_PRIORITY = Priority.medium


class FirstResponse(BaseModel):
    priority: Priority = Field(description="The priority a new request is assumed to have.")
    due_if_raised_now: datetime | None = Field(
        description="When a first response is due for a request raised now (business time on "
        "the organization's calendar); null if the plan sets no target."
    )


class Availability(BaseModel):
    open: bool = Field(description="The organization's support hours are running now.")
    next_open_at: datetime | None = Field(
        description="When support hours begin next, while closed (null while open)."
    )
    agents_on_duty: Count = Field(
        description="Active first-line agents (PMs, tier 1) within their working hours now and "
        "not on time off."
    )
    first_response: FirstResponse
    chat: bool = Field(
        description="A live chat can start now: support hours run and someone is on duty."
    )


async def of_organization(
    session: AsyncSession, organization_id: uuid.UUID, now: datetime
) -> Availability:
    organization = await organizations.get(session, organization_id)
    context = await sla.context_for(
        session, plan=organization.plan, calendar_id=organization.calendar_id
    )
    open_now = is_open(context.calendar, now)
    agents_on_duty = await on_duty(session, now)
    return Availability(
        open=open_now,
        next_open_at=None if open_now else next_opening(context.calendar, now),
        agents_on_duty=agents_on_duty,
        chat=open_now and agents_on_duty > 0,
        first_response=FirstResponse(
            priority=ASSUMED_PRIORITY,
            due_if_raised_now=_first_response_due(context, now),
        ),
    )


async def on_duty(session: AsyncSession, now: datetime) -> int:
    candidates = await agents.candidates(session, FIRST_LINE, now)
    return sum(
        1 for each in candidates if is_open(each.working_hours, now) and each.away_at(now) is None
    )


def _first_response_due(context: SlaContext, now: datetime) -> datetime | None:
    for clock in start_clocks(
        uuid.uuid4(), priority=ASSUMED_PRIORITY, opened_at=now, context=context
    ):
        if clock.metric == Metric.first_response.value:
            return clock.due_at
    return None

"""Raising a ticket: the hot path, written as one statement after one lookup."""

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from app import timesource
from app.api_keys.models import KeyKind
from app.attachments import repository as attachment_rows
from app.attachments import service as attachments
from app.config import get_settings
from app.errors import Forbidden, NotDesignated, invalid
from app.events import service as events
from app.events.models import EventType
from app.events.service import NewEvent
from app.jobs import schedule_timer
from app.organizations.models import Contact, Organization
from app.security import Principal
from app.sla import repository as sla_repository
from app.sla import ticket_clocks
from app.sla.models import Calendar
from app.tickets import repository as tickets
from app.tickets.models import TICKET_NUMBER_SEQUENCE, Channel, Priority, Ticket
from app.tickets.present import ClockRows, snapshot
from app.tickets.schemas import TicketCreate

# Built once: constructing a statement per request costs more than running it. Taking the
# ticket number here saves a round trip; a refused request leaves a gap, as sequences do.
_REQUESTER_ROW = (
    sa.select(
        Contact,
        Organization,
        Calendar,
        sla_repository.policy_json(Organization.plan),
        TICKET_NUMBER_SEQUENCE.next_value(),
    )
    .join(Organization, Organization.id == Contact.organization_id)
    .join(Calendar, sla_repository.calendar_join(Organization.calendar_id))
    .where(Contact.deleted_at.is_(None))
)
REQUESTER = _REQUESTER_ROW.where(Contact.id == sa.bindparam("requester_id"))
# Intake channels (widget, email) name the requester by email within the key's organization;
# uq_contacts_organization_id_email serves it.
REQUESTER_BY_EMAIL = _REQUESTER_ROW.where(
    Contact.organization_id == sa.bindparam("organization_id"),
    sa.func.lower(Contact.email) == sa.bindparam("email"),
)


class RequesterRefused(NotDesignated):
    """Someone named by email who may not raise tickets. The answer is the same whether they
    are an undesignated contact or no contact at all, so the refusal cannot probe addresses."""

    def __init__(self, email: str, *, reason: str) -> None:
        super().__init__(
            f"{email} cannot raise support requests: only your organization's designated "
            "contacts can. Please ask one of your organization's designated contacts to raise "
            "this request for you, or to have you designated."
        )
        self.email = email
        self.reason = reason


async def _requester(
    session: AsyncSession, principal: Principal, requester_id: uuid.UUID | None
) -> tuple[Contact, Organization, ticket_clocks.SlaContext, int]:
    """The designated contact, their organization, what the clocks run on, a ticket number."""
    if principal.kind is KeyKind.contact:
        if requester_id not in (None, principal.contact_id):
            raise Forbidden("A contact key raises tickets only for its own contact.")
        requester_id = principal.contact_id
    if requester_id is None:
        raise invalid("body.requester_id", "Name the contact raising the ticket.")
    row = (await session.execute(REQUESTER, {"requester_id": requester_id})).one_or_none()
    if row is None or not principal.sees(row[0].organization_id):
        raise invalid("body.requester_id", f"No contact with id {requester_id}.")
    contact, organization, calendar, policies, number = row
    if not contact.designated:
        raise NotDesignated(
            f"{contact.email} is not a designated contact of {organization.name}, and only "
            "designated contacts may raise tickets. Please ask one of your organization's "
            "designated contacts to raise it, or ask them to designate you."
        )
    context = ticket_clocks.context_from(organization.plan, calendar, policies)
    return contact, organization, context, number


async def _requester_by_email(
    session: AsyncSession, principal: Principal, email: str
) -> tuple[Contact, Organization, ticket_clocks.SlaContext, int]:
    """Like `_requester`, for a sender named by email within the key's organization."""
    if principal.tenant is None:
        raise Forbidden("Only keys of one organization name requesters by email.")
    parameters = {"organization_id": principal.tenant, "email": email.lower()}
    row = (await session.execute(REQUESTER_BY_EMAIL, parameters)).one_or_none()
    if row is None:
        raise RequesterRefused(email, reason="unknown_contact")
    contact, organization, calendar, policies, number = row
    if not contact.designated:
        raise RequesterRefused(email, reason="not_designated")
    return (
        contact,
        organization,
        ticket_clocks.context_from(organization.plan, calendar, policies),
        number,
    )


def _opened_at(principal: Principal, created_at: datetime | None) -> datetime:
    now = timesource.now()
    if created_at is None:
        return now
    if principal.kind is not KeyKind.admin:
        raise invalid("body.created_at", "Only admin keys may import tickets with created_at.")
    if created_at > now:
        raise invalid("body.created_at", "An imported ticket's created_at must be in the past.")
    return created_at


def _channel(principal: Principal, channel: Channel | None) -> Channel:
    if principal.kind is KeyKind.widget:
        # A widget raises a ticket from its form, or opens a live chat.
        return Channel.chat if channel is Channel.chat else Channel.widget
    if channel is not None:
        return channel
    return Channel.portal if principal.kind is KeyKind.contact else Channel.api


def _ticket_values(
    data: TicketCreate, principal: Principal, contact: Contact, number: int
) -> dict[str, Any]:
    return tickets.new_values(
        opened_at=_opened_at(principal, data.created_at),
        number=number,
        organization_id=contact.organization_id,
        requester_id=contact.id,
        subject=data.subject,
        description=data.description,
        priority=(Priority.critical if data.emergency else data.priority).value,
        category=data.category.value,
        channel=_channel(principal, data.channel).value,
        emergency=data.emergency,
        context=data.context.model_dump(mode="json", exclude_none=True),
        split_from_id=None,
    )


def _events(
    ticket: Ticket, clocks: ClockRows, principal: Principal, files: list[dict[str, Any]]
) -> list[NewEvent]:
    data = {"ticket": snapshot(ticket, clocks), "attachments": files}
    types = [EventType.ticket_created]
    if ticket.emergency:
        types.append(EventType.ticket_emergency)
    return [
        NewEvent(
            type=event_type,
            actor=principal.actor(),
            data=data,
            organization_id=ticket.organization_id,
            ticket_id=ticket.id,
        )
        for event_type in types
    ]


def acts_at_once(ticket: Ticket) -> bool:
    """An emergency or a high-impact ticket is acted on now, not on the next sweep."""
    affected = (ticket.context or {}).get("users_affected") or 0
    return ticket.emergency or affected >= get_settings().impact_threshold


async def create(
    session: AsyncSession,
    *,
    principal: Principal,
    data: TicketCreate,
    split_from: uuid.UUID | None = None,
    requester_email: str | None = None,
) -> Ticket:
    """Raises a ticket for a designated contact: ticket, clocks, events and outbox at once.

    Intake channels pass `requester_email` instead of `data.requester_id`. The ticket returned
    is not loaded into the session (its clocks are remembered there for presenting it).
    """
    if requester_email is not None:
        requester = await _requester_by_email(session, principal, requester_email)
    else:
        requester = await _requester(session, principal, data.requester_id)
    contact, _, context, number = requester
    uploads = await attachments.take(
        session,
        principal=principal,
        ids=data.attachment_ids,
        organization_id=contact.organization_id,
    )
    values = _ticket_values(data, principal, contact, number)
    values["split_from_id"] = split_from
    started = ticket_clocks.start_clocks(
        values["id"], priority=values["priority"], opened_at=values["created_at"], context=context
    )
    ticket = Ticket(**values)
    clocks = {row.metric: row for row in started}
    files = attachments.metadata(uploads, ticket_id=ticket.id)
    event_rows = events.event_rows(_events(ticket, clocks, principal, files), timesource.now())
    await tickets.insert(session, values, [vars(row) for row in started], event_rows)
    attachments.attach(uploads, organization_id=ticket.organization_id, ticket_id=ticket.id)
    for row in started:
        schedule_timer(session.sync_session, row)
    sla_repository.remember(session, ticket.id, clocks)
    attachment_rows.remember_raised_with(session, ticket.id, uploads)
    return ticket

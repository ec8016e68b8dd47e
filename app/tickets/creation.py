"""Raising a ticket: the hot path, written as one statement.

The organization's SLA context (calendar, policy targets) comes from this process's memory
(`organizations.sla_context`); the statement that writes the ticket checks the requester may
raise it and that the context still holds. Only when that check fails (a first create, a
change since, a refusal) is the requester read, to explain a refusal or refresh the context.
"""

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from pydantic import TypeAdapter
from sqlmodel.ext.asyncio.session import AsyncSession

from app import timesource
from app.api_keys.models import KeyKind
from app.attachments import repository as attachment_rows
from app.attachments import service as attachments
from app.config import get_settings
from app.db import require_transaction
from app.errors import Conflict, Forbidden, NotDesignated, invalid
from app.events import service as events
from app.events.models import EventType
from app.events.service import NewEvent
from app.jobs import schedule_timer
from app.organizations.models import Contact, Organization
from app.organizations.sla_context import CONTEXTS, STAMP, Known
from app.security import Principal
from app.sla import repository as sla_repository
from app.sla import ticket_clocks
from app.sla.models import Calendar
from app.tickets import repository as tickets
from app.tickets.models import Channel, Priority, Ticket
from app.tickets.present import ClockRows, snapshot
from app.tickets.schemas import TicketCreate, TicketNumber

# Built once: constructing a statement per request costs more than running it.
_REQUESTER_ROW = (
    sa.select(Contact, Organization, Calendar, sla_repository.policy_json(Organization.plan), STAMP)
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
# What the raising statement checks (its parameters are the ticket's, t0_<column>): the
# requester may raise tickets in that organization, whose context is still the one used.
# The reads above say why not, when not.
MAY_RAISE = (
    sa.select(Contact.id)
    .join(Organization, Organization.id == Contact.organization_id)
    .join(Calendar, sla_repository.calendar_join(Organization.calendar_id))
    .where(
        Contact.id == sa.bindparam("t0_requester_id"),
        Contact.organization_id == sa.bindparam("t0_organization_id"),
        Contact.deleted_at.is_(None),
        Contact.designated,
        sa.bindparam("sla_stamp") == STAMP,
    )
)
# A ticket's number as shown (SUP-<n>) is "<prefix><n>"; the number is taken in the statement.
NUMBER_PREFIX = TypeAdapter(TicketNumber).validate_python(0).removesuffix("0")
# A first try from memory, then reads: more than this many changes meanwhile is a conflict.
ATTEMPTS = 3


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


def _requester_id(principal: Principal, requester_id: uuid.UUID | None) -> uuid.UUID:
    """The contact raising the ticket: a contact key's own, else the one named."""
    if principal.kind is KeyKind.contact:
        if requester_id not in (None, principal.contact_id):
            raise Forbidden("A contact key raises tickets only for its own contact.")
        requester_id = principal.contact_id
    if requester_id is None:
        raise invalid("body.requester_id", "Name the contact raising the ticket.")
    return requester_id


def _remembered(principal: Principal, requester_id: uuid.UUID) -> Known | None:
    """The context this process last read for the requester's organization, if any."""
    return CONTEXTS.get(principal.tenant or CONTEXTS.organization_of(requester_id))


async def _requester(session: AsyncSession, principal: Principal, requester_id: uuid.UUID) -> Known:
    """Reads the designated contact's organization and its context, or says why not."""
    row = (await session.execute(REQUESTER, {"requester_id": requester_id})).one_or_none()
    if row is None or not principal.sees(row[0].organization_id):
        raise invalid("body.requester_id", f"No contact with id {requester_id}.")
    contact, organization = row[0], row[1]
    if not contact.designated:
        raise NotDesignated(
            f"{contact.email} is not a designated contact of {organization.name}, and only "
            "designated contacts may raise tickets. Please ask one of your organization's "
            "designated contacts to raise it, or ask them to designate you."
        )
    return _remember(row)


async def _requester_by_email(
    session: AsyncSession, principal: Principal, email: str
) -> tuple[uuid.UUID, Known]:
    """Like `_requester`, for a sender named by email within the key's organization."""
    if principal.tenant is None:
        raise Forbidden("Only keys of one organization name requesters by email.")
    parameters = {"organization_id": principal.tenant, "email": email.lower()}
    row = (await session.execute(REQUESTER_BY_EMAIL, parameters)).one_or_none()
    if row is None:
        raise RequesterRefused(email, reason="unknown_contact")
    if not row[0].designated:
        raise RequesterRefused(email, reason="not_designated")
    return row[0].id, _remember(row)


def _remember(row: Any) -> Known:
    contact, organization, calendar, policies, stamp = row
    context = ticket_clocks.context_from(organization.plan, calendar, policies)
    known = Known(organization_id=organization.id, stamp=stamp, context=context)
    CONTEXTS.put(contact.id, known)
    return known


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
    data: TicketCreate, principal: Principal, requester_id: uuid.UUID, known: Known
) -> dict[str, Any]:
    """The new ticket's row, but for its number (taken as it is written)."""
    return tickets.new_values(
        opened_at=_opened_at(principal, data.created_at),
        organization_id=known.organization_id,
        requester_id=requester_id,
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
    for attempt in range(ATTEMPTS):
        requester_id, known = await _requester_for(
            session, principal, data, requester_email, fresh=attempt > 0
        )
        ticket = await _raise(
            session, principal, data, requester_id=requester_id, known=known, split_from=split_from
        )
        if ticket is not None:
            return ticket
    raise Conflict("The organization's SLA settings kept changing; please retry.")


async def _requester_for(
    session: AsyncSession,
    principal: Principal,
    data: TicketCreate,
    requester_email: str | None,
    *,
    fresh: bool,
) -> tuple[uuid.UUID, Known]:
    """Who raises the ticket, and the context to try: remembered at first, else read."""
    if requester_email is not None:
        return await _requester_by_email(session, principal, requester_email)
    requester_id = _requester_id(principal, data.requester_id)
    known = None if fresh else _remembered(principal, requester_id)
    return requester_id, known or await _requester(session, principal, requester_id)


async def _raise(
    session: AsyncSession,
    principal: Principal,
    data: TicketCreate,
    *,
    requester_id: uuid.UUID,
    known: Known,
    split_from: uuid.UUID | None,
) -> Ticket | None:
    """Writes the ticket if the requester may raise it under `known`; None if not."""
    values = _ticket_values(data, principal, requester_id, known)
    values["split_from_id"] = split_from
    ticket = Ticket(**values, number=0)
    if data.attachment_ids or acts_at_once(ticket):
        # Binding uploads, escalating and routing are more statements than one.
        require_transaction(session)
    uploads = await attachments.take(
        session,
        principal=principal,
        ids=data.attachment_ids,
        organization_id=ticket.organization_id,
    )
    started = ticket_clocks.start_clocks(
        ticket.id, priority=ticket.priority, opened_at=ticket.created_at, context=known.context
    )
    clocks = {row.metric: row for row in started}
    files = attachments.metadata(uploads, ticket_id=ticket.id)
    event_rows = events.event_rows(_events(ticket, clocks, principal, files), timesource.now())
    number = await tickets.insert_checked(
        session,
        MAY_RAISE,
        {"sla_stamp": known.stamp},
        values=values,
        clock_rows=[vars(row) for row in started],
        event_rows=event_rows,
        number_prefix=NUMBER_PREFIX,
    )
    if number is None:
        return None
    ticket.number = number
    attachments.attach(uploads, organization_id=ticket.organization_id, ticket_id=ticket.id)
    for row in started:
        schedule_timer(session.sync_session, row)
    sla_repository.remember(session, ticket.id, clocks)
    attachment_rows.remember_raised_with(session, ticket.id, uploads)
    return ticket

"""Email to ticket: a new message opens a ticket, a reply comments, keywords set intent.

The integration key's organization receives the mail; its sender must be a designated
contact of it. The email acts as that contact: tickets, comments and escalations carry the
contact as their actor, exactly as if they had used the portal. A bounce acts on nothing but
the address it says failed for good: that contact of the organization is marked bouncing.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlmodel.ext.asyncio.session import AsyncSession

from app import timesource
from app.api_keys.models import KeyKind
from app.attachments import service as attachments
from app.errors import AppError, Conflict, Forbidden, NotDesignated
from app.escalation import service as escalation
from app.events.models import EventType, EventVisibility
from app.events.service import NewEvent, record
from app.intake.email import (
    Bounce,
    SubjectIntent,
    automatic,
    message_ids,
    new_text,
    parse_subject,
    referenced_number,
    sender_address,
    with_attachments,
)
from app.intake.email_schemas import InboundEmail, RawEmail
from app.intake.messages import InboundMessage
from app.mail import repository as mail
from app.organizations.models import Contact, Organization
from app.security import Principal, require
from app.tickets import comments, flows
from app.tickets import repository as tickets
from app.tickets.lifecycle import FINAL
from app.tickets.models import Category, Channel, Ticket
from app.tickets.schemas import CommentCreate, TicketCreate, TicketUpdate

NO_SUBJECT = "(no subject)"
NO_TEXT = "(the message had no text)"


class Action(StrEnum):
    created = "created"
    commented = "commented"
    escalated = "escalated"
    duplicate = "duplicate"
    refused = "refused"
    ignored = "ignored"


@dataclass
class Outcome:
    action: Action
    ticket_id: uuid.UUID | None = None
    comment_id: uuid.UUID | None = None
    refusal: AppError | None = None


async def receive(
    session: AsyncSession,
    *,
    principal: Principal,
    mail: InboundEmail,
    keeper: attachments.Keeper | None = None,
) -> Outcome:
    """Acts on one inbound message, once per message_id. A raw message's attachments are
    kept by `keeper` as the new ticket's or comment's files."""
    require(principal, KeyKind.integration)
    organization_id = principal.organization_id
    assert organization_id is not None
    earlier = await _claim(session, organization_id, mail.message_id)
    if earlier is not None:
        return Outcome(Action.duplicate, earlier.ticket_id, earlier.comment_id)
    if automatic(mail.sender, mail.headers):
        # Only its id is kept (so a copy is a duplicate): no ticket, no event, no answer.
        if isinstance(mail, RawEmail):
            await _mark_bouncing(session, organization_id, mail.bounces)
        outcome = Outcome(Action.ignored)
        await _remember(session, organization_id, mail.message_id, outcome)
        return outcome
    contact = await _designated_sender(session, organization_id, mail.sender)
    if isinstance(contact, Refusal):
        await _release(session, organization_id, mail.message_id)
        await _refused(session, principal, mail, contact)
        return Outcome(Action.refused, refusal=contact.error)
    as_contact = Principal(
        kind=KeyKind.contact,
        key_id=principal.key_id,
        organization_id=organization_id,
        contact_id=contact.id,
    )
    intent = parse_subject(mail.subject)
    ticket = await _referenced_ticket(session, organization_id, intent, mail)
    files = Files(as_contact, mail, keeper)
    if ticket is None or ticket.status in FINAL:
        outcome = await _open_ticket(session, as_contact, contact, intent, mail, files)
    else:
        outcome = await _follow_up(session, as_contact, ticket, intent, mail, files)
    await _remember(session, organization_id, mail.message_id, outcome)
    return outcome


async def _mark_bouncing(
    session: AsyncSession, organization_id: uuid.UUID, bounces: Sequence[Bounce]
) -> None:
    """No more mail to an address a bounce says failed for good: the receiving
    organization's contacts with it are marked (never another organization's)."""
    for bounce in bounces:
        contact_ids = [
            contact_id
            for address in bounce.addresses
            for contact_id in await mail.contacts_with_address(session, address, organization_id)
        ]
        await mail.mark_bouncing(
            session, contact_ids=contact_ids, reason=bounce.reason, now=timesource.now()
        )


async def _claim(
    session: AsyncSession, organization_id: uuid.UUID, message_id: str
) -> InboundMessage | None:
    """Claims the message id; a concurrent copy waits here, then finds it taken."""
    claimed = await session.execute(
        insert(InboundMessage)
        .values(organization_id=organization_id, message_id=message_id, action="processing")
        .on_conflict_do_nothing()
        .returning(InboundMessage.message_id)
    )
    if claimed.first() is not None:
        return None
    return await session.get(InboundMessage, (organization_id, message_id))


async def _release(session: AsyncSession, organization_id: uuid.UUID, message_id: str) -> None:
    """A refused message is not remembered: once the sender is designated, it may come again."""
    await session.execute(
        sa.delete(InboundMessage).where(
            InboundMessage.organization_id == organization_id,
            InboundMessage.message_id == message_id,
        )
    )


async def _remember(
    session: AsyncSession, organization_id: uuid.UUID, message_id: str, outcome: Outcome
) -> None:
    await session.execute(
        sa.update(InboundMessage)
        .where(
            InboundMessage.organization_id == organization_id,
            InboundMessage.message_id == message_id,
        )
        .values(
            action=outcome.action.value,
            ticket_id=outcome.ticket_id,
            comment_id=outcome.comment_id,
        )
    )


@dataclass
class Refusal:
    """Why a sender may not raise tickets: `unknown_contact` or `not_designated` (the same
    words as the widget's refusals), and the problem they are answered with."""

    reason: str
    address: str | None
    error: AppError


async def _designated_sender(
    session: AsyncSession, organization_id: uuid.UUID, sender: str
) -> Contact | Refusal:
    address = sender_address(sender)
    contact = None
    if address is not None:
        contact = (
            await session.execute(
                sa.select(Contact).where(
                    Contact.organization_id == organization_id,
                    sa.func.lower(Contact.email) == address,
                    Contact.deleted_at.is_(None),
                )
            )
        ).scalar_one_or_none()
    if contact is not None and contact.designated:
        return contact
    name = await session.scalar(
        sa.select(Organization.name).where(Organization.id == organization_id)
    )
    error = NotDesignated(
        f"{address or sender} is not a designated contact of {name}, and only designated "
        "contacts may raise tickets by email. Please ask one of your organization's "
        "designated contacts to send it, or ask them to designate you."
    )
    return Refusal("not_designated" if contact else "unknown_contact", address, error)


async def _refused(
    session: AsyncSession, principal: Principal, mail: InboundEmail, refusal: Refusal
) -> None:
    await record(
        session,
        NewEvent(
            type=EventType.intake_refused,
            actor=principal.actor(),
            data={
                "channel": Channel.email.value,
                "email": refusal.address,
                "from": mail.sender,
                "subject": mail.subject,
                "message_id": mail.message_id,
                "reason": refusal.reason,
                "detail": refusal.error.detail,
            },
            organization_id=principal.organization_id,
            visibility=EventVisibility.public,
        ),
    )


async def _referenced_ticket(
    session: AsyncSession,
    organization_id: uuid.UUID,
    intent: SubjectIntent,
    mail: InboundEmail,
) -> Ticket | None:
    """The ticket a reply belongs to: the thread of its In-Reply-To, else of the latest
    message its References name, else [SUP-n] in the subject. A thread's message is one we
    received (stored with its ticket) or one we sent (<sup-NUMBER.…@…>)."""
    ticket = None
    for message_id in message_ids(mail.in_reply_to, mail.references):
        ticket = await _thread_ticket(session, organization_id, message_id)
        if ticket is not None:
            break
    if ticket is None and intent.ticket_number is not None:
        ticket = await tickets.by_number(session, organization_id, intent.ticket_number)
    # A thread whose ticket was merged continues on the ticket it was merged into.
    for _ in range(10):
        if ticket is None or ticket.merged_into_id is None:
            break
        ticket = await tickets.get(session, ticket.merged_into_id)
    return ticket


async def _thread_ticket(
    session: AsyncSession, organization_id: uuid.UUID, message_id: str
) -> Ticket | None:
    number = referenced_number(message_id)
    if number is not None:
        return await tickets.by_number(session, organization_id, number)
    earlier = await session.get(InboundMessage, (organization_id, message_id))
    if earlier is None or earlier.ticket_id is None:
        return None
    return await tickets.get(session, earlier.ticket_id)


async def _escalated_by_email(session: AsyncSession, ticket: Ticket) -> bool:
    """Whether a mail of this ticket's thread escalated it already: replies keep the subject
    ("Re: [SUP-42] ESCALATION …"), and each one must not climb another level."""
    earlier = await session.execute(
        sa.select(InboundMessage.message_id)
        .where(InboundMessage.ticket_id == ticket.id, InboundMessage.action == "escalated")
        .limit(1)
    )
    return earlier.first() is not None


def _listed(mail: InboundEmail) -> list[tuple[str, int]]:
    return [(attachment.filename, attachment.size) for attachment in mail.attachments]


class Files:
    """A raw message's attachments, kept as uploads when the message becomes a ticket or a
    comment (not before: a refused or escalating message keeps none)."""

    def __init__(
        self, as_contact: Principal, mail: InboundEmail, keeper: attachments.Keeper | None
    ) -> None:
        self.as_contact, self.keeper = as_contact, keeper
        self.files = mail.files if isinstance(mail, RawEmail) else ()

    async def keep(self) -> tuple[list[uuid.UUID], str]:
        """The kept uploads' ids, and a line per file that was not kept."""
        if not self.files or self.keeper is None:
            return [], ""
        ids, refused = await attachments.keep_files(self.keeper, self.files, self.as_contact)
        return ids, "\n".join(refused)


async def _open_ticket(
    session: AsyncSession,
    as_contact: Principal,
    contact: Contact,
    intent: SubjectIntent,
    mail: InboundEmail,
    files: Files,
) -> Outcome:
    kept, refused = await files.keep()
    # Cut before listing attachments, so that a long text does not cut the list off.
    description = with_attachments(mail.text.strip()[:45_000], _listed(mail))
    description = "\n\n".join(filter(None, [description, refused]))
    request = TicketCreate(
        subject=(intent.subject or NO_SUBJECT)[:300],
        description=(description or NO_TEXT)[:50_000],
        category=Category.bug_report if intent.bug_report else Category.general,
        channel=Channel.email,
        requester_id=contact.id,
        emergency=intent.emergency,
        attachment_ids=kept,
    )
    ticket = await flows.create(session, principal=as_contact, data=request)
    return Outcome(Action.created, ticket.id)


async def _follow_up(
    session: AsyncSession,
    as_contact: Principal,
    ticket: Ticket,
    intent: SubjectIntent,
    mail: InboundEmail,
    files: Files,
) -> Outcome:
    text = (
        with_attachments(new_text(mail.text)[:45_000], _listed(mail)) or intent.subject or NO_TEXT
    )
    if intent.emergency and not ticket.emergency:
        try:
            async with session.begin_nested():
                await flows.update(
                    session,
                    principal=as_contact,
                    ticket_id=ticket.id,
                    data=TicketUpdate(emergency=True),
                    expected_version=None,
                )
        except Forbidden:
            pass  # another contact's ticket: the message still reaches it, below
    if intent.escalation and not await _escalated_by_email(session, ticket):
        try:
            async with session.begin_nested():
                await escalation.request(
                    session, principal=as_contact, ticket_id=ticket.id, reason=text[:2000]
                )
            return Outcome(Action.escalated, ticket.id)
        except (Conflict, escalation.CoolingDown):
            pass  # at the last level, or escalated lately: the message still reaches the ticket
    kept, refused = await files.keep()
    body = "\n\n".join(filter(None, [text[:45_000], refused]))[:50_000]
    comment = await comments.add(
        session,
        principal=as_contact,
        ticket_id=ticket.id,
        data=CommentCreate(body=body, attachment_ids=kept),
    )
    return Outcome(Action.commented, ticket.id, comment.id)

"""Every read and write of the mail tables, and the reads the planner makes of tickets,
contacts, agents and organizations to address and fill in a mail."""

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlmodel.ext.asyncio.session import AsyncSession

from app.assignment.models import Agent
from app.events.models import Event
from app.intake.messages import InboundMessage
from app.mail.models import MailState, Notification
from app.organizations.models import Contact, Organization
from app.sla.models import Calendar
from app.sla.repository import calendar_join
from app.statements import among, chunks
from app.tickets.lifecycle import DONE
from app.tickets.models import AuthorType, Comment

# --- the planner's place in the feed ---


_BEHIND = sa.text(
    "SELECT (SELECT last_position FROM feed_state WHERE id = 1)"
    " > (SELECT last_position FROM mail_state WHERE id = 1)"
)


async def behind(session: AsyncSession) -> bool:
    """Whether the feed has events the planner has not looked at (an unlocked look)."""
    return bool((await session.execute(_BEHIND)).scalar())


async def lock_state(session: AsyncSession) -> int | None:
    """The last planned position, locked; None while another planner holds it."""
    statement = (
        sa.select(MailState.last_position)
        .where(MailState.id == 1)
        .with_for_update(skip_locked=True)
    )
    return (await session.execute(statement)).scalar_one_or_none()


async def set_state(session: AsyncSession, position: int) -> None:
    await session.execute(
        sa.update(MailState).where(MailState.id == 1).values(last_position=position)
    )


async def events_between(
    session: AsyncSession, after: int, upto: int, types: Iterable[str]
) -> list[Event]:
    statement = (
        sa.select(Event)
        .where(Event.position > after, Event.position <= upto, among(Event.type, types))
        .order_by(Event.position)
    )
    return list((await session.execute(statement)).scalars())


# --- what a mail says and to whom ---


async def organizations(session: AsyncSession, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Any]:
    """Each organization's name and its calendar's time zone."""
    statement = (
        sa.select(Organization.id, Organization.name, Calendar.timezone)
        .join(Calendar, calendar_join(Organization.calendar_id))
        .where(among(Organization.id, set(ids)))
    )
    return {row.id: row for row in await session.execute(statement)}


async def agents(session: AsyncSession, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Any]:
    wanted = list({agent_id for agent_id in ids if agent_id})
    if not wanted:
        return {}
    statement = sa.select(Agent.id, Agent.name, Agent.email).where(among(Agent.id, wanted))
    return {row.id: row for row in await session.execute(statement)}


async def contacts(session: AsyncSession, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Contact]:
    statement = sa.select(Contact).where(among(Contact.id, set(ids)), Contact.deleted_at.is_(None))
    return {contact.id: contact for contact in (await session.execute(statement)).scalars()}


async def designated_writers(
    session: AsyncSession, ticket_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, dict[uuid.UUID, datetime]]:
    """Per ticket, the designated contacts who wrote in its thread, with their first comment's
    time (mail about an event goes only to those who had written by then)."""
    statement = (
        sa.select(Comment.ticket_id, Comment.author_id, sa.func.min(Comment.created_at))
        .join(Contact, Contact.id == Comment.author_id)
        .where(
            among(Comment.ticket_id, set(ticket_ids)),
            Comment.author_type == AuthorType.contact,
            Contact.designated,
            Contact.deleted_at.is_(None),
        )
        .group_by(Comment.ticket_id, Comment.author_id)
    )
    writers: dict[uuid.UUID, dict[uuid.UUID, datetime]] = defaultdict(dict)
    for ticket_id, author_id, first in await session.execute(statement):
        writers[ticket_id][author_id] = first
    return writers


async def designated_contacts(
    session: AsyncSession, organization_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, list[Contact]]:
    statement = (
        sa.select(Contact)
        .where(
            among(Contact.organization_id, set(organization_ids)),
            Contact.designated,
            Contact.deleted_at.is_(None),
        )
        .order_by(Contact.created_at, Contact.id)
    )
    found: dict[uuid.UUID, list[Contact]] = defaultdict(list)
    for contact in (await session.execute(statement)).scalars():
        found[contact.organization_id].append(contact)
    return found


async def thread_ids(
    session: AsyncSession, ticket_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, list[str]]:
    """Per ticket, the Message-IDs of its thread so far (received and sent), oldest first."""
    wanted = list(set(ticket_ids))
    # Mail planned in one batch shares a created_at: the events' feed order breaks the tie.
    received = sa.select(
        InboundMessage.ticket_id,
        InboundMessage.message_id,
        InboundMessage.created_at,
        sa.literal(None, sa.BigInteger).label("position"),
    ).where(among(InboundMessage.ticket_id, wanted), InboundMessage.action != "ignored")
    sent = (
        sa.select(
            Notification.ticket_id,
            Notification.message_id,
            sa.func.min(Notification.created_at),
            sa.func.min(Event.position),
        )
        .outerjoin(Event, Event.id == Notification.event_id)
        .where(among(Notification.ticket_id, wanted))
        .group_by(Notification.ticket_id, Notification.message_id)
    )
    both = sa.union_all(received, sent).subquery()
    statement = sa.select(both.c.ticket_id, both.c.message_id).order_by(
        both.c.ticket_id, both.c.created_at, both.c.position.asc().nulls_first()
    )
    threads: dict[uuid.UUID, list[str]] = defaultdict(list)
    for row in await session.execute(statement):
        threads[row.ticket_id].append(row.message_id)
    return threads


async def organization_contacts(session: AsyncSession, organization_id: uuid.UUID) -> list[Contact]:
    statement = (
        sa.select(Contact)
        .where(Contact.organization_id == organization_id, Contact.deleted_at.is_(None))
        .order_by(Contact.created_at, Contact.id)
    )
    return list((await session.execute(statement)).scalars())


# Organizations whose Monday 09:00 has come this (local) week, with enough open requests and
# no summary planned for the week yet; `source` names the week's summary.
_SUMMARIES_DUE = sa.text(
    f"""
    WITH local AS (
        SELECT o.id, o.name, c.timezone, (CAST(:now AS timestamptz) AT TIME ZONE c.timezone) AS at
        FROM organizations o
        JOIN calendars c ON c.id = coalesce(
            o.calendar_id, (SELECT id FROM calendars WHERE is_default LIMIT 1))
    ), due AS (
        SELECT id, name, timezone,
               'summary:' || id || ':' || to_char(at, 'IYYY-"W"IW') AS source
        FROM local
        WHERE extract(isodow FROM at) = 1 AND CAST(at AS time) >= TIME '09:00'
    )
    SELECT due.* FROM due
    WHERE NOT EXISTS (SELECT 1 FROM notifications n WHERE n.source = due.source)
      AND (SELECT count(*) FROM tickets t
           WHERE t.organization_id = due.id
             AND t.status NOT IN ({", ".join(f"'{s.value}'" for s in DONE)})) >= :min_open
    """
)


async def summaries_due(session: AsyncSession, *, now: datetime, min_open: int) -> list[Any]:
    params = {"now": now, "min_open": min_open}
    return list((await session.execute(_SUMMARIES_DUE, params)).all())


async def insert_notifications(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> int:
    """Adds what is not there yet (one per source and contact), in a few statements of fixed
    sizes (app.statements.chunks); how many were added."""
    if not rows:
        return 0
    added = 0
    for chunk in chunks(rows):
        statement = (
            insert(Notification)
            .values(list(chunk))
            .on_conflict_do_nothing(index_elements=["source", "contact_id"])
        )
        added += (await session.execute(statement)).rowcount or 0
    return added


# --- sending ---

_CLAIM = sa.text(
    """
    UPDATE notifications n SET next_attempt_at = :lease_until, attempts = n.attempts + 1,
                               updated_at = :now
    FROM contacts c
    WHERE c.id = n.contact_id AND n.id IN (
        SELECT id FROM notifications
        WHERE status = 'pending' AND next_attempt_at <= :now
        ORDER BY next_attempt_at
        LIMIT :limit
        FOR UPDATE SKIP LOCKED)
    RETURNING n.id, n.contact_id, n.kind, n.recipient, n.subject, n.message_id, n.in_reply_to,
              n.references, n.text_body, n.html_body, n.attempts, n.created_at,
              n.next_attempt_at AS lease_until, c.email_bouncing_at IS NOT NULL AS bouncing
    """
)


async def claim(
    session: AsyncSession, *, limit: int, now: datetime, lease_until: datetime
) -> list[Any]:
    """Leases up to `limit` due mails, the oldest first."""
    params = {"limit": limit, "now": now, "lease_until": lease_until}
    return list((await session.execute(_CLAIM, params)).all())


_RECORD = (
    sa.update(Notification.__table__)
    .where(
        Notification.__table__.c.id == sa.bindparam("notification_id"),
        Notification.__table__.c.status == "pending",
        # Only the holder of the latest claim records: a claim bumps `attempts`.
        Notification.__table__.c.attempts == sa.bindparam("claimed_attempts"),
    )
    .values(
        status=sa.bindparam("status"),
        smtp_code=sa.bindparam("smtp_code"),
        smtp_reply=sa.bindparam("smtp_reply"),
        sent_at=sa.bindparam("sent_at"),
        next_attempt_at=sa.bindparam("next_attempt_at"),
        updated_at=sa.bindparam("updated_at"),
    )
)


async def record(session: AsyncSession, results: Sequence[dict[str, Any]]) -> None:
    """Each attempt's result, unless a later claim took the mail over since."""
    if results:
        await session.execute(_RECORD, list(results))


async def mark_bouncing(
    session: AsyncSession, *, contact_ids: Iterable[uuid.UUID], reason: str, now: datetime
) -> None:
    """No more mail to these contacts' addresses until an admin clears it (what waits for
    them is skipped when its turn comes)."""
    ids = list(set(contact_ids))
    if not ids:
        return
    await session.execute(
        sa.update(Contact)
        .where(among(Contact.id, ids), Contact.email_bouncing_at.is_(None))
        .values(email_bouncing_at=now, email_bounce_reason=reason[:500])
    )


async def contacts_with_address(
    session: AsyncSession, address: str, organization_id: uuid.UUID | None = None
) -> list[uuid.UUID]:
    """The contacts (of one organization, or all) whose address is `address`."""
    statement = sa.select(Contact.id).where(
        sa.func.lower(Contact.email) == address.lower(), Contact.deleted_at.is_(None)
    )
    if organization_id is not None:
        statement = statement.where(Contact.organization_id == organization_id)
    return list((await session.execute(statement)).scalars())


def for_ticket(ticket_id: uuid.UUID) -> sa.Select[Any]:
    return sa.select(Notification).where(Notification.ticket_id == ticket_id)

"""Live chat: started from the widget while support is there, carried on as public comments,
ended when the client leaves or it goes idle; the client then gets the transcript by mail.

The browser holds a conversation token (random; only its SHA-256 is stored) that lets it read
and post public comments on its one ticket and stream that ticket's events, for 24 hours.
"""

import hashlib
import secrets
import uuid
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from app import timesource
from app.api_keys.models import ApiKey, KeyKind
from app.assignment.models import Agent
from app.chat.models import IDLE_MINUTES, TOKEN_HOURS, Conversation, EndReason
from app.errors import Conflict
from app.events.models import EventType
from app.events.service import record
from app.organizations import availability
from app.security import Principal
from app.sla.repository import clocks_of
from app.statements import among
from app.tickets.events import ticket_event
from app.tickets.models import AuthorType, Comment, Ticket, Visibility

TOKEN_PREFIX = "sd_chat_"
# The most messages a transcript mail lists (the ticket keeps them all).
TRANSCRIPT_LIMIT = 500
IDLE_BATCH = 100


def is_token(value: str | None) -> bool:
    return bool(value) and str(value).startswith(TOKEN_PREFIX)


def _hash(token: str) -> bytes:
    # 256 random bits: a fast hash is as strong as a slow one here.
    return hashlib.sha256(token.encode()).digest()


async def ensure_open(session: AsyncSession, organization_id: uuid.UUID) -> None:
    """A chat starts only while support hours run and someone is on duty (409 otherwise)."""
    now = timesource.now()
    shown = await availability.of_organization(session, organization_id, now)
    if not shown.chat:
        raise Conflict(
            "Nobody is available to chat right now; send your request with the form and we "
            "will reply by email."
        )


async def start(session: AsyncSession, principal: Principal, ticket: Ticket) -> tuple[str, Any]:
    """A conversation on the new ticket; the token (shown once) and when it expires."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = timesource.now()
    assert principal.key_id is not None
    conversation = Conversation(
        ticket_id=ticket.id,
        widget_key_id=principal.key_id,
        token_hash=_hash(token),
        expires_at=now + timedelta(hours=TOKEN_HOURS),
        last_activity_at=now,
    )
    session.add(conversation)
    return token, conversation.expires_at


async def principal_of(session: AsyncSession, token: str) -> Principal | None:
    """The caller a conversation token stands for: the ticket's requester, on that ticket
    only, from the widget key's origins; None once expired or when the widget key is revoked."""
    columns = (Conversation, Ticket.organization_id, Ticket.requester_id, ApiKey.allowed_origins)
    statement = (
        _working(sa.select(*columns))
        .join(Ticket, Ticket.id == Conversation.ticket_id)
        .where(Conversation.token_hash == _hash(token))
    )
    row = (await session.execute(statement)).one_or_none()
    if row is None:
        return None
    conversation, organization_id, requester_id, origins = row
    return Principal(
        kind=KeyKind.contact,
        organization_id=organization_id,
        contact_id=requester_id,
        allowed_origins=tuple(origins),
        conversation_id=conversation.id,
        conversation_ticket_id=conversation.ticket_id,
    )


async def still_live(session: AsyncSession, conversation_ids: set[uuid.UUID]) -> set[uuid.UUID]:
    """Which of these conversations' tokens still work (open streams of the rest close)."""
    statement = _working(sa.select(Conversation.id)).where(among(Conversation.id, conversation_ids))
    return set((await session.execute(statement)).scalars())


def _working(statement: sa.Select[Any]) -> sa.Select[Any]:
    """Conversations whose token still works: not expired, their widget key not revoked."""
    return statement.join(ApiKey, ApiKey.id == Conversation.widget_key_id).where(
        Conversation.expires_at > timesource.now(), ApiKey.revoked_at.is_(None)
    )


async def on_public_comment(session: AsyncSession, ticket: Ticket, principal: Principal) -> bool:
    """Keeps a live chat on the ticket alive; whether there is one. A client posting through
    an ended chat is told so (409): their ticket goes on by email."""
    if ticket.channel != "chat":
        return False
    statement = (
        sa.update(Conversation)
        .where(Conversation.ticket_id == ticket.id, Conversation.ended_at.is_(None))
        .values(last_activity_at=timesource.now())
        .returning(Conversation.id)
    )
    live = (await session.execute(statement)).first() is not None
    if not live and principal.conversation_id is not None:
        raise Conflict("This chat has ended; your ticket stays open and we will reply by email.")
    return live


async def end(
    session: AsyncSession,
    ticket_id: uuid.UUID,
    reason: EndReason,
    by: Principal | None,
    idle_before: datetime | None = None,
) -> bool:
    """Ends the ticket's live chat (once; with `idle_before`, only if nobody wrote since) and
    records `ticket.chat_ended` with the transcript, which the mailer sends to the client.
    The ticket is locked first, as every writer of a ticket does. False: no such live chat."""
    ticket = await session.get(Ticket, ticket_id, with_for_update=True)
    if ticket is None:
        return False
    statement = (
        sa.update(Conversation)
        .where(Conversation.ticket_id == ticket_id, Conversation.ended_at.is_(None))
        .values(ended_at=timesource.now(), ended_reason=reason.value)
        .returning(Conversation.created_at)
    )
    if idle_before is not None:
        statement = statement.where(Conversation.last_activity_at < idle_before)
    started = (await session.execute(statement)).scalars().all()
    if not started:
        return False
    transcript = await _transcript(session, ticket, min(started))
    clocks = (await clocks_of(session, [ticket.id]))[ticket.id]
    event = ticket_event(
        EventType.ticket_chat_ended, ticket, by, clocks, reason=reason.value, transcript=transcript
    )
    await record(session, event)
    return True


async def end_idle(session: AsyncSession, now: datetime, limit: int = IDLE_BATCH) -> int:
    """Ends chats nobody wrote in for IDLE_MINUTES; how many. Each is checked again under
    its ticket's lock, so a message that arrives meanwhile keeps the chat going."""
    idle_before = now - timedelta(minutes=IDLE_MINUTES)
    statement = (
        sa.select(Conversation.ticket_id)
        .where(Conversation.ended_at.is_(None), Conversation.last_activity_at < idle_before)
        .order_by(Conversation.last_activity_at)
        .limit(limit)
    )
    ended = 0
    for ticket_id in (await session.execute(statement)).scalars().all():
        ended += await end(session, ticket_id, EndReason.idle, None, idle_before)
    return ended


async def _transcript(
    session: AsyncSession, ticket: Ticket, since: datetime
) -> list[dict[str, Any]]:
    """The chat's public messages, oldest first: the client's opening words (the ticket's
    description), then every public comment since the chat began."""
    statement = (
        sa.select(Comment, Agent.name)
        .outerjoin(Agent, Agent.id == Comment.author_id)
        .where(
            Comment.ticket_id == ticket.id,
            Comment.visibility == Visibility.public,
            Comment.created_at >= since,
        )
        .order_by(Comment.created_at.desc(), Comment.id.desc())
        .limit(TRANSCRIPT_LIMIT)  # the newest: replies in a chat are not mailed one by one
    )
    lines = [_line("You", ticket.description, ticket.created_at)]
    for comment, agent_name in reversed((await session.execute(statement)).all()):
        author = "You" if comment.author_type == AuthorType.contact else agent_name or "Support"
        lines.append(_line(author, comment.body, comment.created_at))
    return lines


def _line(author: str, body: str, at: datetime) -> dict[str, Any]:
    return {"author": author, "body": body, "at": timesource.iso(at)}

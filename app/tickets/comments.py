"""Comments: public replies and internal notes, with @mentions."""

import uuid

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from app.api_keys.models import KeyKind
from app.assignment.models import Agent
from app.attachments import repository as attachments_repository
from app.attachments import service as attachments
from app.attachments.schemas import AttachmentOut
from app.chat import service as chat
from app.errors import Conflict, Forbidden, invalid
from app.events.models import EventType, EventVisibility
from app.events.service import record
from app.organizations.models import Contact
from app.pagination import keyset, page
from app.security import Principal
from app.sla import repository as sla_repository
from app.sla import ticket_clocks
from app.statements import among
from app.tickets import repository
from app.tickets.events import ticket_event
from app.tickets.lifecycle import FINAL, Status
from app.tickets.mentions import parse_mentions
from app.tickets.models import AuthorType, Comment, Ticket, Visibility
from app.tickets.schemas import CommentCreate, CommentOut
from app.tickets.transitions import move


async def _author(
    session: AsyncSession, principal: Principal, ticket: Ticket, data: CommentCreate
) -> tuple[AuthorType, uuid.UUID | None]:
    """Who a new comment is from, given the key and the optional author_id."""
    if principal.kind is KeyKind.widget:
        raise Forbidden("Widget keys can only create tickets.")
    if not principal.is_staff and data.visibility is Visibility.internal:
        raise Forbidden("Internal notes are for staff only.")
    if principal.kind is KeyKind.agent:
        return AuthorType.agent, principal.agent_id
    if principal.kind is KeyKind.contact:
        return AuthorType.contact, principal.contact_id
    if principal.kind is KeyKind.admin:
        return await _admin_author(session, data)
    # An integration acts for its organization's people: `system` notes are the operator's.
    if data.author_id is None:
        raise invalid(
            "body.author_id", "An integration key posts as one of its organization's contacts."
        )
    contact = await session.get(Contact, data.author_id)
    if contact is None or contact.organization_id != ticket.organization_id:
        raise invalid("body.author_id", f"No contact with id {data.author_id}.")
    return AuthorType.contact, contact.id


async def _admin_author(
    session: AsyncSession, data: CommentCreate
) -> tuple[AuthorType, uuid.UUID | None]:
    """An admin posts as the named agent, or as the system when it names none."""
    if data.author_id is None:
        return AuthorType.system, None
    if await session.get(Agent, data.author_id) is None:
        raise invalid("body.author_id", f"No agent with id {data.author_id}.")
    return AuthorType.agent, data.author_id


async def _resolve_mentions(session: AsyncSession, body: str) -> list[uuid.UUID]:
    """Agents named by @handle: their email address or its local part."""
    handles = parse_mentions(body)
    if not handles:
        return []
    email = sa.func.lower(Agent.email, type_=sa.String)
    local_part = sa.func.split_part(email, "@", 1, type_=sa.String)
    rows = await session.execute(
        sa.select(Agent.id, email, local_part).where(
            sa.or_(among(email, handles), among(local_part, handles))
        )
    )
    by_handle = {}
    for agent_id, full, local in rows:
        by_handle.setdefault(full, agent_id)
        by_handle.setdefault(local, agent_id)
    mentioned = [by_handle[handle] for handle in handles if handle in by_handle]
    return list(dict.fromkeys(mentioned))


def _follow_up_status(ticket: Ticket, author: AuthorType, visibility: Visibility) -> Status | None:
    """A public agent reply opens a new ticket; a client reply reopens a pending one."""
    if visibility is not Visibility.public:
        return None
    if author is AuthorType.agent and ticket.status == Status.new:
        return Status.open
    if author is AuthorType.contact and ticket.status == Status.pending:
        return Status.open
    return None


async def add(
    session: AsyncSession,
    *,
    principal: Principal,
    ticket_id: uuid.UUID,
    data: CommentCreate,
    broadcast: bool = False,
) -> Comment:
    """Adds a comment and records it on the timeline; `broadcast` marks a problem's reply
    copied here (its mail says so; clients' events do not)."""
    # The ticket is locked before its clocks, in the order every writer uses.
    ticket = await repository.get_visible(
        session, principal=principal, ticket_id=ticket_id, lock=True
    )
    if ticket.status in FINAL:
        raise Conflict(f"The ticket is {ticket.status}; raise a new ticket instead.")
    author_type, author_id = await _author(session, principal, ticket, data)
    uploads = await attachments.take(
        session,
        principal=principal,
        ids=data.attachment_ids,
        organization_id=ticket.organization_id,
    )
    comment = Comment(
        ticket_id=ticket.id,
        author_type=author_type,
        author_id=author_id,
        body=data.body,
        visibility=data.visibility,
        mentions=await _resolve_mentions(session, data.body),
    )
    await repository.add_comment(session, comment)
    files = attachments.attach(
        uploads,
        organization_id=ticket.organization_id,
        ticket_id=ticket.id,
        comment_id=comment.id,
        internal=comment.visibility is Visibility.internal,
    )
    rows = (await sla_repository.clocks_of(session, [ticket.id], lock=True))[ticket.id]
    if author_type is AuthorType.agent and comment.visibility is Visibility.public:
        context = await sla_repository.context_of_ticket(session, ticket)
        added = ticket_clocks.on_public_reply(
            ticket.id,
            rows,
            priority=ticket.priority,
            status=Status(ticket.status),
            at=comment.created_at,
            context=context,
        )
        session.add_all(added)
        rows.update({row.metric: row for row in added})
        sla_repository.remember(session, ticket.id, rows)
    event = ticket_event(
        EventType.ticket_comment_added,
        ticket,
        principal,
        rows,
        comment={
            **CommentOut.model_validate(comment).model_dump(mode="json"),
            "attachments": files,
        },
    )
    if broadcast:
        event.data["broadcast"] = True
    if comment.visibility is Visibility.internal:
        event.visibility = EventVisibility.internal
    elif await chat.on_public_comment(session, ticket, principal):
        # Said in a live chat: the client reads it there (and gets the transcript after).
        event.data["live_chat"] = True
    await record(session, event)
    follow_up = _follow_up_status(ticket, author_type, data.visibility)
    if follow_up is not None:
        await move(session, ticket, follow_up, principal=principal, reason="reply")
    return comment


async def list_comments(
    session: AsyncSession,
    *,
    principal: Principal,
    ticket_id: uuid.UUID,
    cursor: str | None,
    limit: int,
) -> tuple[list[Comment], str | None]:
    """A ticket's comments, oldest first; clients never see internal notes."""
    await repository.get_visible(session, principal=principal, ticket_id=ticket_id)
    statement = repository.comments_of(ticket_id, public_only=not principal.is_staff)
    statement = keyset(statement, Comment.created_at, Comment.id, cursor, limit, newest_first=False)
    return page((await session.execute(statement)).scalars().all(), limit)


async def present(session: AsyncSession, rows: list[Comment]) -> list[CommentOut]:
    """Comments with their attachments' metadata (one query for the page)."""
    files = await attachments_repository.of_comments(session, [row.id for row in rows])
    return [
        CommentOut.model_validate(row).model_copy(
            update={"attachments": [AttachmentOut.model_validate(f) for f in files[row.id]]}
        )
        for row in rows
    ]

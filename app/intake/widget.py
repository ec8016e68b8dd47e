"""Widget intake: a ticket for the designated contact named by email, or a recorded refusal."""

from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from app.chat import service as chat
from app.events import service as events
from app.events.models import EventType, EventVisibility
from app.events.service import NewEvent
from app.intake import useragent
from app.intake.schemas import WidgetContext, WidgetReceipt, WidgetSubmission
from app.security import Principal
from app.tickets import flows
from app.tickets.creation import RequesterRefused
from app.tickets.models import Channel, Ticket
from app.tickets.schemas import TicketContext, TicketCreate

URL_MAX_LENGTH = 2000


def _page_url(referer: str | None) -> str | None:
    if not referer or not referer.startswith(("http://", "https://")):
        return None
    return referer[:URL_MAX_LENGTH]


def without_query(url: str, *, keep_query: bool) -> str:
    """The URL without its fragment and, unless kept, its query string: they carry sign-in
    links, reset tokens and search terms that nobody handling the ticket needs."""
    url = url.partition("#")[0]
    return url if keep_query else url.partition("?")[0]


LIMITS = {"url": 2000, "browser": 300, "os": 300}  # TicketContext's own limits


def captured_context(
    typed: WidgetContext, *, user_agent: str | None, referer: str | None, keep_url_query: bool
) -> TicketContext:
    """The context the page sent, completed from what the browser said about itself."""
    agent = useragent.parse(user_agent)
    url = typed.url or _page_url(referer)
    found = {
        "url": url and without_query(url, keep_query=keep_url_query),
        "browser": typed.browser or agent.browser_label,
        "os": typed.os or agent.os_label,
    }
    # Header-derived values are cut to the field limits: the browser decides their length.
    update = {name: value[: LIMITS[name]] for name, value in found.items() if value}
    return TicketContext.model_validate({**typed.model_dump(), **update})


def _refusal_event(principal: Principal, data: WidgetSubmission, reason: str) -> NewEvent:
    details: dict[str, Any] = {"channel": Channel.widget.value, "email": data.email}
    if data.name:
        details["name"] = data.name
    details["reason"] = reason
    # Public: the organization's own integrations (webhooks, change feed) learn that someone
    # at their company asked for help and was turned away, so a designated contact can follow
    # up. It holds only what that person typed into the organization's own product.
    return NewEvent(
        type=EventType.intake_refused,
        actor=principal.actor(),
        data=details,
        organization_id=principal.organization_id,
        visibility=EventVisibility.public,
    )


async def submit(
    session: AsyncSession,
    *,
    principal: Principal,
    data: WidgetSubmission,
    user_agent: str | None,
    referer: str | None,
) -> WidgetReceipt | RequesterRefused:
    """Raises the ticket (and opens its chat in `chat` mode); a sender who is not a designated
    contact gets the refusal back (not raised, so the caller can answer 422 and still commit
    the `intake.refused` event)."""
    if data.mode == "chat":
        assert principal.organization_id is not None
        await chat.ensure_open(session, principal.organization_id)
    ticket = TicketCreate(
        subject=data.subject,
        description=data.description,
        category=data.category,
        context=captured_context(
            data.context,
            user_agent=user_agent,
            referer=referer,
            keep_url_query=principal.keep_url_query,
        ),
        attachment_ids=data.attachment_ids,
        channel=Channel.chat if data.mode == "chat" else None,
    )
    try:
        created = await flows.create(
            session, principal=principal, data=ticket, requester_email=str(data.email)
        )
    except RequesterRefused as refusal:
        await events.record(session, _refusal_event(principal, data, refusal.reason))
        return refusal
    return await _receipt(session, principal, created, chat_mode=data.mode == "chat")


async def _receipt(
    session: AsyncSession, principal: Principal, ticket: Ticket, *, chat_mode: bool
) -> WidgetReceipt:
    receipt = WidgetReceipt.model_validate(ticket, from_attributes=True)
    if chat_mode:
        token, expires_at = await chat.start(session, principal, ticket)
        receipt.conversation_token, receipt.conversation_expires_at = token, expires_at
    return receipt

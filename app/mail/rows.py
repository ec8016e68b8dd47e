"""A notification row as the planner and the weekly summary write it: whether it goes out
(or why not), to whom, and what it says."""

import uuid
from dataclasses import dataclass
from datetime import datetime
from email.utils import formataddr, parseaddr
from typing import Any

from app.config import Settings
from app.mail.kinds import wants
from app.mail.models import Kind, NotificationStatus
from app.mail.render import render
from app.organizations.models import Contact


@dataclass(frozen=True)
class Thread:
    message_id: str
    in_reply_to: str | None = None
    references: str | None = None


def support(settings: Settings) -> dict[str, str]:
    """The sender as templates name it."""
    name, address = parseaddr(settings.mail_from)
    return {"name": name or address, "address": address}


def status_for(
    contact: Contact, kind: Kind, settings: Settings
) -> tuple[NotificationStatus, str | None]:
    """Pending, or skipped with the reason staff will read."""
    preference = contact.notification_preference
    if not wants(preference, kind):
        return NotificationStatus.skipped, f"not sent: {preference} preference"
    if contact.email_bouncing_at is not None:
        return NotificationStatus.skipped, "not sent: the address is bouncing"
    if settings.smtp_url is None:
        return NotificationStatus.skipped, "not sent: mail is off (no SUPPORTDESK_SMTP_URL)"
    return NotificationStatus.pending, None


def row(
    *,
    source: str,
    kind: Kind,
    contact: Contact,
    context: dict[str, Any],
    thread: Thread,
    settings: Settings,
    now: datetime,
    event_id: uuid.UUID | None = None,
    ticket_id: uuid.UUID | None = None,
) -> dict[str, Any]:
    mail = render(
        kind,
        {**context, "contact": {"name": contact.name, "email": contact.email}},
        override=settings.mail_templates,
    )
    status, why = status_for(contact, kind, settings)
    return {
        "id": uuid.uuid4(),
        "source": source,
        "event_id": event_id,
        "kind": kind.value,
        "organization_id": contact.organization_id,
        "ticket_id": ticket_id,
        "contact_id": contact.id,
        "recipient": formataddr((contact.name, contact.email)),
        "subject": mail.subject,
        "message_id": thread.message_id,
        "in_reply_to": thread.in_reply_to,
        "references": thread.references,
        "text_body": mail.text,
        "html_body": mail.html,
        "status": status,
        "attempts": 0,
        "next_attempt_at": now if status is NotificationStatus.pending else None,
        "smtp_reply": why,
        "created_at": now,
        "updated_at": now,
    }

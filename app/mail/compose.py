"""A mail as it goes out: its threading ids and its MIME message (pure)."""

from collections.abc import Sequence
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from app.mail.models import Kind

# Mail a person wrote (an agent's reply) is not marked automatic; the rest is, so that the
# client's auto-responders stay quiet (RFC 3834) and out-of-office replies do not loop.
WRITTEN_BY_A_PERSON = frozenset({Kind.reply, Kind.broadcast})
# References keeps the thread's first message and its latest ones (RFC 5322 §3.6.4).
MAX_REFERENCES = 20


def domain_of(mail_from: str) -> str:
    _, address = parseaddr(mail_from)
    return address.rpartition("@")[2] or "localhost"


def ticket_message_id(number: int, event_id: object, domain: str) -> str:
    """<sup-1042.<event id>@domain>: intake finds the ticket from it (intake/email.py)."""
    return f"<sup-{number}.{event_id}@{domain}>"


def other_message_id(source: str, domain: str) -> str:
    return f"<{source.replace(':', '.')}@{domain}>"


def thread(earlier: Sequence[str]) -> tuple[str | None, str | None]:
    """In-Reply-To and References for a new message after `earlier` (oldest first)."""
    ids = [_bracketed(each) for each in earlier if each.strip()]
    if not ids:
        return None, None
    kept = [ids[0], *ids[1:][-(MAX_REFERENCES - 1) :]]
    return ids[-1], " ".join(kept)


def _bracketed(message_id: str) -> str:
    """<id>, as headers carry it (intake may have stored one without its brackets)."""
    bare = message_id.strip().strip("<>")
    return f"<{bare}>"


def message(
    *,
    mail_from: str,
    to: str,
    subject: str,
    message_id: str,
    in_reply_to: str | None,
    references: str | None,
    text: str,
    html: str,
    kind: str,
    date: datetime,
) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = mail_from
    mail["Reply-To"] = mail_from
    mail["To"] = to
    mail["Subject"] = subject
    mail["Date"] = format_datetime(date)
    mail["Message-ID"] = message_id
    if in_reply_to:
        mail["In-Reply-To"] = in_reply_to
    if references:
        mail["References"] = references
    if kind not in WRITTEN_BY_A_PERSON:
        mail["Auto-Submitted"] = "auto-generated"
        mail["X-Auto-Response-Suppress"] = "All"
    mail.set_content(text)
    mail.add_alternative(html, subtype="html")
    return mail

"""A mail as it goes out: its threading ids and its MIME message (pure)."""

from collections.abc import Sequence
from datetime import datetime
from email import charset, policy
from email.header import Header
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart
from email.utils import format_datetime, formataddr, parseaddr

from app.mail.models import Kind

# Mail a person wrote (an agent's reply) is not marked automatic; the rest is, so that the
# client's auto-responders stay quiet (RFC 3834) and out-of-office replies do not loop.
WRITTEN_BY_A_PERSON = frozenset({Kind.reply, Kind.broadcast})
# References keeps the thread's first message and its latest ones (RFC 5322 §3.6.4).
MAX_REFERENCES = 20
# Bodies: UTF-8, quoted-printable (readable in a raw view, safe for any line length).
_UTF8 = charset.Charset("utf-8")
_UTF8.body_encoding = charset.QP
# SMTP wants CRLF line ends; compat32 otherwise, so headers stay plain strings.
_WIRE = policy.compat32.clone(linesep="\r\n")


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
) -> bytes:
    """The message as it goes on the wire: multipart/alternative, text then HTML.

    Built with the compat32 classes, whose headers are plain strings: the default policy's
    header objects cost most of a mail's CPU (bench/mail.py). Non-ASCII names and subjects
    are encoded words, bodies quoted-printable UTF-8."""
    mail = MIMEMultipart("alternative")
    mail["From"] = _address(mail_from)
    mail["Reply-To"] = _address(mail_from)
    mail["To"] = _address(to)
    mail["Subject"] = _header(subject)
    mail["Date"] = format_datetime(date)
    mail["Message-ID"] = message_id
    if in_reply_to:
        mail["In-Reply-To"] = in_reply_to
    if references:
        mail["References"] = references
    if kind not in WRITTEN_BY_A_PERSON:
        mail["Auto-Submitted"] = "auto-generated"
        mail["X-Auto-Response-Suppress"] = "All"
    mail.attach(_part(text, "plain"))
    mail.attach(_part(html, "html"))
    return mail.as_bytes(policy=_WIRE)


def _part(body: str, subtype: str) -> MIMENonMultipart:
    part = MIMENonMultipart("text", subtype)
    part.set_payload(body, _UTF8)
    return part


def _header(value: str) -> str | Header:
    return value if value.isascii() else Header(value, "utf-8")


def _address(value: str) -> str:
    name, address = parseaddr(value)
    return formataddr((name, address), charset="utf-8") if name else address

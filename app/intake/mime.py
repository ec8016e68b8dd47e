"""Reading a raw message (message/rfc822), as a Postfix pipe or a provider's MIME route
delivers it, into the InboundEmail the intake flow acts on, with the failed recipients of a
bounce (only a raw message carries its delivery report).

Pure functions, no I/O: what to do with the message is decided in one place, the flow.
"""

import base64
import email
import email.policy
import hashlib
import quopri
import re
from email.message import EmailMessage, Message
from email.parser import HeaderParser
from html.parser import HTMLParser

from pydantic import ValidationError

from app.attachments.models import MAX_PER_OWNER
from app.errors import AppError, invalid
from app.intake.email import (
    LOOP_HEADERS,
    Bounce,
    addresses_of,
    referenced_number,
    status_bounce,
    text_bounce,
)
from app.intake.email_schemas import AttachmentNote, RawEmail

MEDIA_TYPE = "message/rfc822"
MAX_TEXT = 500_000
# Attachments kept as files (more are listed on the ticket, not kept).
MAX_FILES = MAX_PER_OWNER
MAX_HEADER = 998


def parse(raw: bytes) -> RawEmail:
    """The message's fields; a message we cannot read is a validation failure (422)."""
    try:
        message = email.message_from_bytes(raw, policy=email.policy.default)
        return _inbound(message, raw)
    except ValidationError as error:
        detail = "; ".join(f"{_field(item['loc'])}: {item['msg']}" for item in error.errors()[:5])
        raise invalid("body", f"The message could not be read: {detail}") from error
    except AppError:
        raise
    except Exception as error:
        # The stdlib parser is lenient but still raises on some hostile headers and
        # charsets; whatever it raises on, the sender sent something we cannot read.
        raise invalid("body", f"The message could not be read: {error!r}"[:500]) from error


def _field(location: tuple) -> str:
    return ".".join(str(part) for part in location) or "message"


def _inbound(message: Message, raw: bytes) -> RawEmail:
    if not message.keys():
        raise invalid("body", "The message could not be read: it has no headers.")
    files = _attachments(message)
    fields = {
        "from": _header(message, "from"),
        "to": ", ".join(filter(None, (_header(message, "to"), _header(message, "cc")))) or None,
        "subject": _header(message, "subject"),
        "text": _text(message)[:MAX_TEXT],
        "message_id": _header(message, "message-id") or _fallback_id(raw),
        "in_reply_to": _header(message, "in-reply-to") or None,
        "references": _header(message, "references", limit=20_000) or None,
        "headers": {
            name: _header(message, name) for name in LOOP_HEADERS if message.get(name) is not None
        },
        "attachments": [
            AttachmentNote(filename=name[:255], size=len(content)) for name, content in files
        ][:100],
        "files": tuple(files[:MAX_FILES]),
        "bounces": bounces(message),
    }
    return RawEmail.model_validate(fields)


def bounces(message: Message) -> tuple[Bounce, ...]:
    """The recipients a bounce says failed for good: from its delivery status report
    (multipart/report; report-type=delivery-status), else, for a mailer-daemon's bounce in
    its own words, the recipients of the message of ours it returns (attached whole or as
    headers). Only the message's own parts count: a bounce forwarded as an attachment is
    a person's mail about one."""
    try:
        return _bounces(message)
    except Exception:
        # A report we cannot make out names no one; the message is still read (and, as
        # a machine's mail, ignored) rather than refused for it.
        return ()


def _bounces(message: Message) -> tuple[Bounce, ...]:
    if message.get_content_type() == "multipart/report":
        if str(message.get_param("report-type", "")).lower() not in _REPORT_TYPES:
            return ()
        blocks = [block for part in _parts(message) for block in _status_blocks(part)]
        return tuple(bounce for block in blocks if (bounce := status_bounce(block)))
    returned = _returned(message)
    if returned is None or referenced_number(_header(returned, "message-id")) is None:
        return ()
    failed = _header(message, "x-failed-recipients")
    recipients = addresses_of(failed) if failed else addresses_of(_header(returned, "to"))
    bounce = text_bounce(_text(message), recipients)
    return (bounce,) if bounce is not None else ()


def _parts(message: Message) -> list[Message]:
    """The message's own parts (one level down), none for a single-part message."""
    payload = message.get_payload() if message.is_multipart() else None
    return [part for part in payload or [] if isinstance(part, Message)][:50]


# RFC 3464, and RFC 6533 for reports on internationalized mail.
_REPORT_TYPES = ("delivery-status", "global-delivery-status")
_STATUS_TYPES = ("message/delivery-status", "message/global-delivery-status")


def _status_blocks(part: Message) -> list[dict[str, str]]:
    """The field blocks of a delivery status part: one for the message, then one per
    recipient."""
    if part.get_content_type() not in _STATUS_TYPES:
        return []
    chunks = re.split(r"\n[ \t]*\n", _report_text(part))
    blocks = [HeaderParser().parsestr(chunk) for chunk in chunks if chunk.strip()][:100]
    return [{name: str(value) for name, value in block.items()} for block in blocks]


def _report_text(part: Message) -> str:
    """A status part's text as its sender wrote it. The parser splits the part into blocks
    (and an encoded one into nonsense, a global one into a message), so it is read back
    from the part's own serialization and decoded here."""
    _, _, body = part.as_bytes().replace(b"\r\n", b"\n").partition(b"\n\n")
    encoding = str(part.get("content-transfer-encoding", "")).strip().lower()
    if encoding == "base64":
        body = base64.b64decode(body)
    elif encoding == "quoted-printable":
        body = quopri.decodestring(body)
    return body.decode("utf-8", errors="replace")


def _returned(message: Message) -> Message | None:
    """The message a bounce returns: an attached message/rfc822, or its headers alone
    (text/rfc822-headers)."""
    for part in _parts(message):
        kind = part.get_content_type()
        if kind == "message/rfc822":
            inner = part.get_payload()
            inner = inner[0] if isinstance(inner, list) and inner else inner
            if isinstance(inner, Message):
                return inner
        elif kind == "text/rfc822-headers":
            return HeaderParser(policy=email.policy.default).parsestr(_decoded(part))
    return None


def _header(message: Message, name: str, limit: int = MAX_HEADER) -> str:
    value = message.get(name)
    if value is None:
        return ""
    # Folded headers come unfolded; NUL cannot be stored and has no business in a header.
    return re.sub(r"\s+", " ", str(value)).replace("\x00", "").strip()[:limit]


def _fallback_id(raw: bytes) -> str:
    """A message without a Message-ID still acts once: its id is its content's digest."""
    return f"<{hashlib.sha256(raw).hexdigest()}@no-message-id.invalid>"


def _text(message: Message) -> str:
    """The text/plain body, else the text/html body as text."""
    if not isinstance(message, EmailMessage):
        return ""
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    content = _decoded(part)
    if part.get_content_subtype() == "html":
        content = html_to_text(content)
    return content.replace("\r\n", "\n").replace("\x00", "")


def _decoded(part: Message) -> str:
    payload = part.get_payload(decode=True) or b""
    if not isinstance(payload, bytes):
        return ""
    charset = part.get_content_charset() or "utf-8"
    try:
        return payload.decode(charset, errors="replace")
    except LookupError:  # a charset Python does not know: read it as UTF-8
        return payload.decode("utf-8", errors="replace")


def _attachments(message: Message) -> list[tuple[str, bytes]]:
    """Each MIME part with a filename: its name and decoded bytes."""
    found = []
    for part in message.walk():
        name = part.get_filename()
        if not name or part.is_multipart():
            continue
        payload = part.get_payload(decode=True)
        content = payload if isinstance(payload, bytes) else b""
        found.append((str(name).replace("\x00", "").strip() or "unnamed", content))
    return found


_BLOCKS = {
    "p", "div", "br", "li", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "pre", "hr", "ul", "ol", "section", "article", "header", "footer",
}  # fmt: skip
_HIDDEN = {"script", "style", "head", "title"}


class _TextOf(HTMLParser):
    """The text of an HTML body: blocks on their own lines, scripts and styles dropped,
    quoted replies (<blockquote>) marked with ">" so they are stripped like plain quotes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0
        self.quoted = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag == "blockquote":
            self.quoted += 1
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag == "blockquote":
            self.quoted = max(0, self.quoted - 1)
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.hidden:
            return
        text = re.sub(r"[ \t\r\n\f\v]+", " ", data)
        if self.quoted and text.strip():
            text = "\n> " + text.strip() + "\n"
        self.parts.append(text)


def html_to_text(html: str) -> str:
    parser = _TextOf()
    parser.feed(html)
    parser.close()
    lines = [line.strip() for line in "".join(parser.parts).replace("\xa0", " ").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()

"""Reading a raw message (message/rfc822), as a Postfix pipe or a provider's MIME route
delivers it, into the InboundEmail the intake flow acts on.

Pure functions, no I/O: what to do with the message is decided in one place, the flow.
"""

import email
import email.policy
import hashlib
import re
from email.message import EmailMessage, Message
from html.parser import HTMLParser

from pydantic import ValidationError

from app.errors import AppError, invalid
from app.intake.email import LOOP_HEADERS
from app.intake.email_schemas import AttachmentNote, InboundEmail

MEDIA_TYPE = "message/rfc822"
MAX_TEXT = 500_000
MAX_HEADER = 998


def parse(raw: bytes) -> InboundEmail:
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


def _inbound(message: Message, raw: bytes) -> InboundEmail:
    if not message.keys():
        raise invalid("body", "The message could not be read: it has no headers.")
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
            AttachmentNote(filename=name[:255], size=size) for name, size in _attachments(message)
        ][:100],
    }
    return InboundEmail.model_validate(fields)


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


def _attachments(message: Message) -> list[tuple[str, int]]:
    """Each MIME part with a filename, by name and decoded size."""
    found = []
    for part in message.walk():
        name = part.get_filename()
        if not name or part.is_multipart():
            continue
        payload = part.get_payload(decode=True)
        size = len(payload) if isinstance(payload, bytes) else 0
        found.append((str(name).replace("\x00", "").strip() or "unnamed", size))
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

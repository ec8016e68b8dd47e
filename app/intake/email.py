"""Reading inbound email: what a subject asks for, who sent it, what they wrote.

Pure functions, no I/O: the inbound-email service decides what to do with the answers.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from email.utils import getaddresses, parseaddr

# Reply and forward prefixes mail clients add, in the languages clients write in:
# Re/Fwd/Fw (en), AW/WG (de), SV/VS (nordic), Antw (nl), TR/RE (fr), RV/R (es/it), Odp (pl).
_PREFIX = re.compile(
    r"^\s*(?:re|fwd?|aw|wg|sv|vs|antw|tr|rv|r|odp|ref)\s*(?:\[\d+\]|\(\d+\))?\s*[:：]\s*",
    re.IGNORECASE,
)
_TICKET = re.compile(r"\[\s*#?\s*SUP-(\d{1,12})\s*\]", re.IGNORECASE)
# Keywords count written in capitals anywhere ("[SUP-42] ESCALATION – still down"), or in
# any case when they open the subject and are set off ("Emergency: site down"), so that
# "Emergency room booking form broken" is not an emergency.
_KEYWORDS = {
    "emergency": r"EMERGENCY",
    "escalation": r"ESCALAT(?:ION|E)",
    "bug_report": r"BUG[\s_-]*REPORT",
}
_SET_OFF = r"\s*(?:[:!|]+|\s[-–—]+)\s*"
_CAPITALS = {name: re.compile(rf"\b{word}\b") for name, word in _KEYWORDS.items()}
_OPENING = {
    name: re.compile(rf"^\s*{word}(?:{_SET_OFF}|\s*$)", re.IGNORECASE)
    for name, word in _KEYWORDS.items()
}
_SEPARATORS = " \t:;-–—|"
# Where a reply's quoted history starts.
_QUOTE_STARTS = (
    re.compile(r"^\s*On .{1,300} wrote:\s*$"),
    re.compile(r"^\s*Am .{1,300} schrieb .{0,100}:\s*$"),
    re.compile(r"^\s*Le .{1,300} a écrit\s*:\s*$"),
    re.compile(r"^\s*-{2,}\s*Original Message\s*-{2,}\s*$", re.IGNORECASE),
    re.compile(r"^\s*-{2,}\s*Forwarded message\s*-{2,}\s*$", re.IGNORECASE),
    re.compile(r"^\s*From: .+$"),
)


@dataclass(frozen=True)
class SubjectIntent:
    """What a subject line says: the ticket it refers to and the keywords it carries."""

    subject: str
    ticket_number: int | None
    emergency: bool
    escalation: bool
    bug_report: bool


def strip_prefixes(subject: str) -> str:
    """The subject without any number of Re:/Fwd:-style prefixes."""
    previous = None
    while previous != subject:
        previous, subject = subject, _PREFIX.sub("", subject, count=1)
    return subject


def parse_subject(raw: str) -> SubjectIntent:
    """Reads a subject like "Re: RE: Fwd: [SUP-42] ESCALATION – still down"."""
    text = strip_prefixes(raw or "")
    match = _TICKET.search(text)
    number = int(match.group(1)) if match else None
    text = strip_prefixes(_TICKET.sub(" ", text))
    flags = {
        name: bool(_CAPITALS[name].search(text) or _OPENING[name].match(text)) for name in _KEYWORDS
    }
    text = _without_leading_keywords(text)
    text = re.sub(r"\s+", " ", text).strip(_SEPARATORS)
    return SubjectIntent(subject=text, ticket_number=number, **flags)


def _without_leading_keywords(text: str) -> str:
    """Drops keywords that open the subject: capitals always, other cases when set off."""
    while True:
        for name, word in _KEYWORDS.items():
            capitals = re.match(rf"^\s*{word}\b(?:{_SET_OFF})?", text)
            match = capitals or _OPENING[name].match(text)
            if match:
                text = text[match.end() :]
                break
        else:
            return text


def sender_address(value: str) -> str | None:
    """The bare, lower-cased address of a From header ("Jane <jane@x.com>" → jane@x.com)."""
    _, address = parseaddr(value or "")
    address = address.strip().lower()
    if address.count("@") != 1 or address.startswith("@") or address.endswith("@"):
        return None
    return address


def new_text(body: str) -> str:
    """What the sender wrote in this message, without the quoted history: lines quoted
    with ">" anywhere, and everything from an "On … wrote:"-style line on."""
    kept: list[str] = []
    for line in (body or "").splitlines():
        if any(pattern.match(line) for pattern in _QUOTE_STARTS):
            break
        if not line.lstrip().startswith(">"):
            kept.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()


_REFERENCE = re.compile(r"<\s*sup-(\d{1,12})[.@]", re.IGNORECASE)


_MESSAGE_ID = re.compile(r"<[^<>\s]{1,996}>")
# A thread's References grow with each reply; clients trim them, and so do we.
MAX_REFERENCES = 50


def message_ids(in_reply_to: str | None, references: str | None) -> list[str]:
    """The ids a reply answers, nearest first: In-Reply-To, then References from the last
    (the message answered) back to the first (the thread's opening message)."""
    found = [in_reply_to.strip()] if in_reply_to and in_reply_to.strip() else []
    listed = _MESSAGE_ID.findall(references or "") or (references or "").split()
    found += reversed(listed)
    return list(dict.fromkeys(found))[:MAX_REFERENCES]


def referenced_number(message_id: str | None) -> int | None:
    """The ticket number in a Message-ID we would send (<sup-1042.…@…>), if it is one."""
    match = _REFERENCE.match(message_id or "")
    return int(match.group(1)) if match else None


# Headers that mark a message as sent by a machine (RFC 3834, and what mailers do without it).
LOOP_HEADERS = (
    "auto-submitted",
    "precedence",
    "x-autoreply",
    "x-autorespond",
    "return-path",
    "content-type",
)
_BULK = {"bulk", "junk", "auto_reply", "list"}
_ROBOTS = {"mailer-daemon", "postmaster"}


def automatic(sender: str, headers: Mapping[str, str]) -> bool:
    """Whether a message is an auto-reply or a bounce, which must never be acted on: answering
    it, or opening a ticket whose notification it answers again, starts a mail loop."""
    found = {name.lower(): (value or "").strip() for name, value in headers.items()}
    auto_submitted = found.get("auto-submitted")
    if auto_submitted and auto_submitted.split(";")[0].strip().lower() != "no":
        return True
    if found.get("precedence", "").lower() in _BULK:
        return True
    if "x-autoreply" in found or "x-autorespond" in found:
        return True
    if "return-path" in found and found["return-path"].replace(" ", "") in ("<>", ""):
        return True
    # A report (delivery status, read receipt, abuse feedback) is a machine's, whoever signs it.
    if found.get("content-type", "").split(";")[0].strip().lower() == "multipart/report":
        return True
    address = sender_address(sender) or ""
    return address.split("@")[0] in _ROBOTS


@dataclass(frozen=True)
class Bounce:
    """A recipient a bounce says can never be reached: its addresses (the one we sent to,
    and where a forward took it), the status code and the receiving server's own words."""

    addresses: tuple[str, ...]
    status: str
    diagnostic: str = ""

    @property
    def reason(self) -> str:
        """What staff read on the contact ("bounce report: 5.1.1 550 … User unknown")."""
        return " ".join(filter(None, ("bounce report:", self.status, self.diagnostic)))[:500]


# An enhanced status code (RFC 3463: its subject is one digit, 0-7, which keeps version
# numbers like 4.96.1 out), and an SMTP reply code opening a line or following a colon.
_ENHANCED = re.compile(r"(?<![\d.])([245])\.[0-7]\.\d{1,3}(?![\d.])")
_REPLY_CODE = re.compile(r"(?:^|[:;]\s)\s*([245])\d\d(?:[\s-]|$)")


def status_bounce(fields: Mapping[str, str]) -> Bounce | None:
    """One per-recipient block of a delivery status report (RFC 3464), if it says the mail
    failed for good: `Action: failed` with a 5.x.x `Status`. A 4.x.x (delayed, or given up
    after retrying a server that did not answer) says nothing against the address."""
    found = {name.lower(): " ".join(str(value).split()) for name, value in fields.items()}
    action = (found.get("action", "").split() or [""])[0].lower()
    status = _ENHANCED.match(found.get("status", ""))
    if action != "failed" or status is None or status.group(1) != "5":
        return None
    addresses = [
        address
        for name in ("original-recipient", "final-recipient")
        if (address := _typed_address(found.get(name, "")))
    ]
    if not addresses:
        return None
    diagnostic = _untyped(found.get("diagnostic-code", ""))[:300]
    return Bounce(tuple(dict.fromkeys(addresses)), status.group(0), diagnostic)


def _typed_address(value: str) -> str | None:
    """The address of a report's "rfc822; jane@x.com" (the type is optional in practice)."""
    return sender_address(_untyped(value))


def _untyped(value: str) -> str:
    kind, separator, rest = value.partition(";")
    if separator and re.fullmatch(r"\s*[\w.-]{1,40}\s*", kind):
        return rest.strip()
    return value.strip()


def text_bounce(text: str, recipients: Iterable[str]) -> Bounce | None:
    """A mailer-daemon's bounce in its own words (no status report), returning a message we
    sent to `recipients`: failed for good when the first status code it gives is 5xx. One
    that gives none, or a 4xx (a delay warning), is not held against the address."""
    addresses = tuple(dict.fromkeys(filter(None, map(sender_address, recipients))))
    found = _first_status(text or "")
    if not addresses or found is None or not found[0].startswith("5"):
        return None
    return Bounce(addresses, *found)


def _first_status(text: str) -> tuple[str, str] | None:
    """The first status code other than a success (2xx, a version number like 2.10.1) a
    text gives, with its line."""
    for line in text.splitlines():
        for pattern in (_ENHANCED, _REPLY_CODE):
            match = pattern.search(line)
            if match is not None and match.group(1) != "2":
                return match.group(0).strip(" \t:;-"), " ".join(line.split())[:300]
    return None


def addresses_of(*values: str | None) -> list[str]:
    """Every address in address headers ("Jane <j@x.com>, k@y.com"), as they are written."""
    return [address for _, address in getaddresses([value for value in values if value])]


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def with_attachments(text: str, attachments: Iterable[tuple[str, int]]) -> str:
    """The text with the message's attachments listed by name and size at its end (they
    are not kept yet: the list tells the agent what to ask for)."""
    listed = ", ".join(f"{name} ({_size(size)})" for name, size in attachments)
    if not listed:
        return text
    return f"{text}\n\nAttachments: {listed}".strip()

"""Reading inbound email: what a subject asks for, who sent it, what they wrote.

Pure functions, no I/O: the inbound-email service decides what to do with the answers.
"""

import re
from dataclasses import dataclass
from email.utils import parseaddr

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
    """What the sender wrote in this message, without the quoted history below it."""
    kept: list[str] = []
    for line in (body or "").splitlines():
        if any(pattern.match(line) for pattern in _QUOTE_STARTS):
            break
        kept.append(line)
    while kept and (not kept[-1].strip() or kept[-1].lstrip().startswith(">")):
        kept.pop()
    return "\n".join(kept).strip()


_REFERENCE = re.compile(r"<\s*sup-(\d{1,12})[.@]", re.IGNORECASE)


def referenced_number(message_id: str | None) -> int | None:
    """The ticket number in a Message-ID we would send (<sup-1042.…@…>), if it is one."""
    match = _REFERENCE.match(message_id or "")
    return int(match.group(1)) if match else None

"""Mail templates (Jinja2): app/mail/templates, each overridable by a file of the same name in
SUPPORTDESK_MAIL_TEMPLATES. Every kind has `<kind>.txt` and `<kind>.html`; its subject is
`<kind>.subject.txt`, or for a ticket's mail `ticket.subject.txt` ("[SUP-1042] <subject>"),
which keeps one subject per thread."""

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import jinja2

from app.mail.models import Kind


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def local_time(value: datetime | str | None, zone: str = "UTC") -> str:
    """'Tue 8 Dec 11:00 EST': a moment as the organization reads it."""
    if value is None:
        return ""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    local = moment.astimezone(ZoneInfo(zone))
    return f"{local:%a} {local.day} {local:%b %H:%M %Z}"


@lru_cache(maxsize=8)
def environment(override: str | None) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = [jinja2.PackageLoader("app.mail", "templates")]
    if override:
        loaders.insert(0, jinja2.FileSystemLoader(override))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["local"] = local_time
    return env


def render(kind: Kind, context: dict[str, Any], *, override: str | None = None) -> Rendered:
    env = environment(override)
    subject = env.select_template([f"{kind}.subject.txt", "ticket.subject.txt"])
    return Rendered(
        subject=" ".join(subject.render(context).split())[:998],
        text=env.get_template(f"{kind}.txt").render(context),
        html=env.get_template(f"{kind}.html").render(context),
    )

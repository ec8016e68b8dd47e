"""What the widget posts, and the receipt it gets back."""

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from app.attachments.schemas import AttachmentIds
from app.schemas import Email, Input, Name, Shown, Text
from app.tickets.lifecycle import Status
from app.tickets.models import Category
from app.tickets.schemas import Body, Line, Location, Subject, TicketNumber, Url


class WidgetContext(Input):
    """The page's environment: an allowlist of TicketContext's fields, so a field added there
    does not open up to publishable keys. No `users_affected`: a page must not be able to claim
    an impact that escalates at once."""

    url: Url | None = None
    browser: Line | None = None
    os: Line | None = None
    app_version: Line | None = None
    location: Location | None = None
    steps: Annotated[str, StringConstraints(max_length=20_000)] | None = None
    attachments: list[Url] = Field(default_factory=list, max_length=20)


class WidgetSubmission(Input):
    """A request typed into the "?" widget by someone of the key's organization.

    Anything else (`priority`, `emergency`, `channel`, `created_at`, …) is refused with 422:
    the ticket gets the defaults, so a page cannot page the on-call team.
    """

    email: Email = Field(description="Who is asking: a designated contact of the organization.")
    name: Name | None = None
    subject: Subject
    description: Body
    category: Category = Category.general
    context: WidgetContext = Field(
        default_factory=WidgetContext,
        description="Anything left out is filled in from the request: `url` from the Referer, "
        "`browser` and `os` from the User-Agent. The URL's query string and fragment are "
        "dropped unless the key was created with `keep_url_query`.",
    )
    mode: Literal["form", "chat"] = Field(
        default="form",
        description="`chat` opens a live chat (channel `chat`) while support is there — see "
        "GET /v1/intake/widget/availability; otherwise a 409 says to send the form.",
    )
    attachment_ids: AttachmentIds = Field(
        default_factory=list,
        description="Files uploaded by this widget key (POST /v1/intake/widget/attachments), "
        "such as a screenshot; up to 20.",
    )


class WidgetReceipt(Shown):
    """What the page learns: enough to quote the ticket, nothing about who handles it."""

    id: uuid.UUID
    number: TicketNumber
    status: Status
    created_at: datetime
    # sd_chat_ and 43 characters (app/chat/service.py).
    conversation_token: Text(64) | None = Field(
        default=None,
        description="A chat only: shown once. Lets this browser read and post public comments "
        "on this ticket (`Authorization: Bearer` or `?conversation_token=`) and stream it "
        "(GET /v1/stream?ticket_id=…&conversation_token=…); nothing else. Valid 24 hours.",
    )
    conversation_expires_at: datetime | None = None

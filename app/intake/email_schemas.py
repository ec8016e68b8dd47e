"""Inbound email as providers post it (mapped to these fields, or read from the raw message
by app.intake.mime), and what became of it."""

import uuid
from enum import StrEnum
from typing import Annotated

from pydantic import Field, StringConstraints

from app.intake.email import Bounce
from app.schemas import SAFE_MAX, Input, Shown


class EmailAction(StrEnum):
    created = "created"
    commented = "commented"
    escalated = "escalated"
    duplicate = "duplicate"
    refused = "refused"
    ignored = "ignored"


class AttachmentNote(Input):
    """An attachment of the message, listed on the ticket (a raw message's are also kept as
    the ticket's or comment's files)."""

    filename: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=255)]
    size: int = Field(ge=0, le=SAFE_MAX, description="Bytes.")


class InboundEmail(Input):
    sender: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=3, max_length=998)
    ] = Field(alias="from", description='The From header, e.g. "Jane Doe <jane@client.example>".')
    to: Annotated[str, StringConstraints(max_length=4000)] | None = None
    subject: Annotated[str, StringConstraints(max_length=998)] = ""
    text: Annotated[str, StringConstraints(max_length=500_000)] = Field(
        default="", description="The plain-text body."
    )
    message_id: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=998)
    ]
    in_reply_to: Annotated[str, StringConstraints(strip_whitespace=True, max_length=998)] | None = (
        Field(
            default=None,
            description="The message this one answers; a reply to a message of a ticket's "
            "thread (or to one we sent, <sup-NUMBER.…@…>) adds to that ticket.",
        )
    )
    references: Annotated[str, StringConstraints(max_length=20_000)] | None = Field(
        default=None,
        description="The References header: when In-Reply-To finds no ticket, any message "
        "id it names that belongs to a ticket's thread does.",
    )
    headers: Annotated[
        dict[
            Annotated[str, StringConstraints(max_length=100)],
            Annotated[str, StringConstraints(max_length=998)],
        ],
        Field(max_length=50),
    ] = Field(
        default_factory=dict,
        description="Other headers. Auto-replies and bounces (`Auto-Submitted` other than "
        "`no`, `Precedence: bulk|junk|auto_reply|list`, `X-Autoreply`, `X-Autorespond`, "
        "`Return-Path: <>`) are `ignored`, as are senders like mailer-daemon@.",
    )
    attachments: Annotated[list[AttachmentNote], Field(max_length=100)] = Field(
        default_factory=list, description="Listed by name and size at the end of the text."
    )


class RawEmail(InboundEmail):
    """An InboundEmail read from a raw message (app.intake.mime), with what only the raw
    message holds: the recipients a bounce in it says failed for good. It is never a
    request body (the route declares and validates JSON as InboundEmail), so no caller can
    post bounces as fields, and the API's schema stays InboundEmail's."""

    bounces: tuple[Bounce, ...] = ()
    # The attachments' names and decoded bytes (kept as the ticket's or comment's files).
    files: tuple[tuple[str, bytes], ...] = ()


class EmailResult(Shown):
    action: EmailAction
    ticket_id: uuid.UUID | None
    comment_id: uuid.UUID | None = None

"""Inbound email as providers post it (mapped to these fields), and what became of it."""

import uuid
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from app.schemas import Input


class EmailAction(StrEnum):
    created = "created"
    commented = "commented"
    escalated = "escalated"
    duplicate = "duplicate"
    refused = "refused"


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


class EmailResult(BaseModel):
    action: EmailAction
    ticket_id: uuid.UUID | None
    comment_id: uuid.UUID | None = None

"""Notifications as staff see them on a ticket."""

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from app.mail.models import Kind, NotificationStatus
from app.schemas import CURSOR_LENGTH, PAGE_MAX, Counter, Listed, Text, Whole


class NotificationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    kind: Kind
    event_id: uuid.UUID | None = Field(description="The event the mail answers.")
    contact_id: uuid.UUID
    recipient: Text(320) = Field(examples=["Jane Doe <jane@client.example>"])
    subject: Text(998)
    message_id: Text(998)
    in_reply_to: Text(998) | None
    status: NotificationStatus
    attempts: Counter
    # Three digits, or -1 for a reply aiosmtplib could not read.
    smtp_code: Whole(-1, 999) | None = Field(description="The SMTP server's last reply code.")
    smtp_reply: Text(1000) | None = Field(
        description="The SMTP server's last reply, or why the mail was not sent."
    )
    next_attempt_at: datetime | None = Field(description="While pending: the next attempt.")
    sent_at: datetime | None
    created_at: datetime


class NotificationList(BaseModel):
    data: Listed(NotificationOut, PAGE_MAX)
    next_cursor: Text(CURSOR_LENGTH) | None

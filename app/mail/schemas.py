"""Notifications as staff see them on a ticket."""

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from app.mail.models import Kind, NotificationStatus


class NotificationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    kind: Kind
    event_id: uuid.UUID | None = Field(description="The event the mail answers.")
    contact_id: uuid.UUID
    recipient: str = Field(examples=["Jane Doe <jane@client.example>"])
    subject: str
    message_id: str
    in_reply_to: str | None
    status: NotificationStatus
    attempts: int
    smtp_code: int | None = Field(description="The SMTP server's last reply code.")
    smtp_reply: str | None = Field(
        description="The SMTP server's last reply, or why the mail was not sent."
    )
    next_attempt_at: datetime | None = Field(description="While pending: the next attempt.")
    sent_at: datetime | None
    created_at: datetime


class NotificationList(BaseModel):
    data: list[NotificationOut]
    next_cursor: str | None

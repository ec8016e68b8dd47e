"""Attachments as the API shows them: metadata only, never the bytes or a storage URL."""

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from app.attachments.models import MAX_PER_OWNER
from app.schemas import CURSOR_LENGTH, PAGE_MAX, SAFE_MAX, Listed, Shown, Text, Whole


class AttachmentOut(Shown):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    filename: Text(255)
    content_type: Text(127) = Field(
        description="Sniffed from the content, not taken from the client."
    )
    size: Whole(0, SAFE_MAX) = Field(description="Bytes.")
    sha256: Text(64) = Field(description="Hex SHA-256 of the content; also its ETag.")
    ticket_id: uuid.UUID | None = Field(description="Set once bound to a ticket.")
    comment_id: uuid.UUID | None = Field(description="Set once bound to a comment.")
    created_at: datetime
    deleted_at: datetime | None = Field(
        default=None, description="Set when deleted: the content is gone, the name stays."
    )


class AttachmentList(BaseModel):
    data: Listed(AttachmentOut, PAGE_MAX)
    next_cursor: Text(CURSOR_LENGTH) | None


AttachmentIds = Annotated[
    list[uuid.UUID],
    Field(
        max_length=MAX_PER_OWNER,
        description=f"Uploads (POST /v1/attachments) to bind here; up to {MAX_PER_OWNER}.",
    ),
]

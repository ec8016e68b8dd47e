"""Attachments: files uploaded to object storage, then bound to a ticket or a comment."""

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.base import TIMESTAMP, created_field, id_field

# Unbound uploads are deleted after this long (workers/attachments.py).
UNBOUND_LIFETIME_HOURS = 24
# Per ticket and per comment.
MAX_PER_OWNER = 20


class Attachment(SQLModel, table=True):
    """One uploaded file. Its bytes live in storage under `storage_key`; the row stays after
    deletion (`deleted_at`, content gone) so the timeline still names the file."""

    __tablename__ = "attachments"
    __table_args__ = (
        sa.Index("ix_attachments_ticket_id", "ticket_id", "created_at"),
        sa.Index("ix_attachments_comment_id", "comment_id"),
        # The expiry sweep: unbound, not deleted, oldest first.
        sa.Index(
            "ix_attachments_unbound",
            "created_at",
            postgresql_where=sa.text("ticket_id IS NULL AND deleted_at IS NULL"),
        ),
        sa.CheckConstraint("comment_id IS NULL OR ticket_id IS NOT NULL", name="comment_on_ticket"),
    )

    id: uuid.UUID = id_field()
    # The uploader's organization; None for staff uploads until they are bound.
    organization_id: uuid.UUID | None = Field(
        default=None, foreign_key="organizations.id", ondelete="CASCADE"
    )
    ticket_id: uuid.UUID | None = Field(default=None, foreign_key="tickets.id", ondelete="CASCADE")
    comment_id: uuid.UUID | None = Field(
        default=None, foreign_key="comments.id", ondelete="CASCADE"
    )
    # Follows the comment it is on: an internal note's files are staff-only.
    internal: bool = Field(default=False, nullable=False)
    # The key that uploaded it: it may delete the file while unbound.
    uploaded_by_key_id: uuid.UUID | None = Field(default=None, sa_type=sa.Uuid)
    filename: str = Field(sa_type=sa.String(255), nullable=False)
    content_type: str = Field(sa_type=sa.String(127), nullable=False)
    size: int = Field(sa_type=sa.BigInteger, nullable=False)
    sha256: str = Field(sa_type=sa.String(64), nullable=False)
    storage_key: str = Field(sa_type=sa.String(200), nullable=False)
    created_at: datetime = created_field()
    bound_at: datetime | None = Field(default=None, sa_type=TIMESTAMP)
    deleted_at: datetime | None = Field(default=None, sa_type=TIMESTAMP)

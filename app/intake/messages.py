"""Inbound email messages already handled: the same message_id never acts twice, and a reply
whose In-Reply-To or References names a message we have seen threads onto that message's
ticket. An ignored auto-reply or bounce is kept by its id alone (no ticket)."""

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.base import created_field


class InboundMessage(SQLModel, table=True):
    __tablename__ = "inbound_messages"

    organization_id: uuid.UUID = Field(
        sa_column=sa.Column(
            sa.Uuid,
            sa.ForeignKey("organizations.id", ondelete="CASCADE"),
            primary_key=True,
        )
    )
    message_id: str = Field(sa_type=sa.String(998), primary_key=True)
    action: str = Field(sa_type=sa.String(16), nullable=False)
    ticket_id: uuid.UUID | None = Field(default=None, foreign_key="tickets.id")
    comment_id: uuid.UUID | None = Field(default=None, foreign_key="comments.id")
    created_at: datetime = created_field()

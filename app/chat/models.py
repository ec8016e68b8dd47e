"""Live chats: a widget conversation on a ticket, and the token its browser holds."""

import uuid
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.base import TIMESTAMP, created_field, enum_check, id_field

# How long the browser's token works, and how long a chat may sit idle before it ends.
TOKEN_HOURS = 24
IDLE_MINUTES = 30


class EndReason(StrEnum):
    closed = "closed"  # the client closed the widget or the tab
    idle = "idle"  # no message either way for IDLE_MINUTES
    agent = "agent"  # staff ended it


class Conversation(SQLModel, table=True):
    """A chat on one ticket. Only the token's SHA-256 is stored."""

    __tablename__ = "conversations"
    __table_args__ = (
        enum_check("ended_reason", EndReason),
        # The idle sweep: live chats, least recently active first.
        sa.Index(
            "ix_conversations_live",
            "last_activity_at",
            postgresql_where=sa.text("ended_at IS NULL"),
        ),
    )

    id: uuid.UUID = id_field()
    ticket_id: uuid.UUID = Field(foreign_key="tickets.id", ondelete="CASCADE", index=True)
    # The widget key it was started with: its allowed origins are the chat's.
    widget_key_id: uuid.UUID = Field(foreign_key="api_keys.id", ondelete="CASCADE")
    token_hash: bytes = Field(sa_type=sa.LargeBinary(32), unique=True, nullable=False)
    created_at: datetime = created_field()
    expires_at: datetime = Field(sa_type=TIMESTAMP, nullable=False)
    last_activity_at: datetime = Field(sa_type=TIMESTAMP, nullable=False)
    ended_at: datetime | None = Field(default=None, sa_type=TIMESTAMP)
    ended_reason: EndReason | None = Field(default=None, sa_type=sa.String(16))

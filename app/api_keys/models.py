"""API keys: random, shown once, stored as a SHA-256 hash."""

import uuid
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import Field

from app.base import TIMESTAMP, Resource, enum_check


class KeyKind(StrEnum):
    admin = "admin"
    agent = "agent"
    contact = "contact"
    integration = "integration"
    widget = "widget"


class ApiKey(Resource, table=True):
    __tablename__ = "api_keys"
    __table_args__ = (enum_check("kind", KeyKind),)

    kind: KeyKind = Field(sa_type=sa.String(16), nullable=False)
    name: str = Field(sa_type=sa.String(200), nullable=False)
    prefix: str = Field(sa_type=sa.String(24), nullable=False)
    key_hash: bytes = Field(sa_type=sa.LargeBinary(32), nullable=False, unique=True)
    organization_id: uuid.UUID | None = Field(
        default=None, foreign_key="organizations.id", index=True
    )
    contact_id: uuid.UUID | None = Field(default=None, foreign_key="contacts.id")
    agent_id: uuid.UUID | None = Field(default=None, foreign_key="agents.id")
    allowed_origins: list[str] = Field(
        default_factory=list, sa_type=ARRAY(sa.String(300)), nullable=False
    )
    # Widget keys: record the page URL's query string (dropped by default, as it may hold tokens).
    keep_url_query: bool = Field(
        default=False, sa_column_kwargs={"server_default": sa.false()}, nullable=False
    )
    revoked_at: datetime | None = Field(default=None, sa_type=TIMESTAMP)

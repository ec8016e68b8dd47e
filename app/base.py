"""Shared table machinery: naming convention, ids, timestamps, enums as checked text."""

import uuid
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app import timesource

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

TIMESTAMP = sa.DateTime(timezone=True)


def id_field() -> uuid.UUID:
    """A UUID primary key generated in Python, so inserts need no round trip to learn it."""
    return Field(default_factory=uuid.uuid4, primary_key=True)


def created_field() -> datetime:
    return Field(default_factory=timesource.now, sa_type=TIMESTAMP, nullable=False)


def enum_check(column: str, enum: type[StrEnum]) -> sa.CheckConstraint:
    """A CHECK constraint keeping a text column within an enum's values."""
    values = ", ".join(f"'{member.value}'" for member in enum)
    return sa.CheckConstraint(f"{column} IN ({values})", name=f"{column}_valid")


class Resource(SQLModel):
    """Columns every API resource carries: id, created_at, updated_at and a version for ETags."""

    id: uuid.UUID = id_field()
    created_at: datetime = created_field()
    updated_at: datetime = created_field()
    version: int = Field(default=1, nullable=False)

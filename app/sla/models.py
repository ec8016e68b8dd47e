"""Business calendars: time zone, weekly hours, holidays and exceptions."""

from datetime import date

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlmodel import Field

from app.base import Resource

WeeklyHours = dict[str, list[list[str]]]


class Calendar(Resource, table=True):
    __tablename__ = "calendars"
    __table_args__ = (
        sa.Index(
            "uq_calendars_default",
            "is_default",
            unique=True,
            postgresql_where=sa.text("is_default"),
        ),
    )

    name: str = Field(sa_type=sa.String(200), nullable=False)
    timezone: str = Field(sa_type=sa.String(64), nullable=False)
    weekly_hours: WeeklyHours = Field(sa_type=JSONB, nullable=False)
    holiday_country: str | None = Field(default=None, sa_type=sa.String(8))
    holiday_subdivision: str | None = Field(default=None, sa_type=sa.String(16))
    closed_dates: list[date] = Field(default_factory=list, sa_type=ARRAY(sa.Date), nullable=False)
    open_dates: list[date] = Field(default_factory=list, sa_type=ARRAY(sa.Date), nullable=False)
    is_default: bool = Field(default=False, nullable=False)

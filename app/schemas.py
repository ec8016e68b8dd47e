"""Field types shared by the API schemas."""

import uuid
import zoneinfo
from datetime import UTC, datetime
from functools import lru_cache
from typing import Annotated

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    StringConstraints,
    field_validator,
)

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Tag = Annotated[
    str, StringConstraints(strip_whitespace=True, to_lower=True, min_length=1, max_length=64)
]
Email = Annotated[EmailStr, StringConstraints(max_length=320)]
HourMinute = Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")]
Interval = Annotated[list[HourMinute], Field(min_length=2, max_length=2)]


@lru_cache(maxsize=1)
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _known_zone(name: str) -> str:
    if name not in _zones():
        raise ValueError(f"'{name}' is not an IANA time zone (e.g. 'America/New_York')")
    return name


TimeZone = Annotated[
    str, StringConstraints(min_length=1, max_length=64), AfterValidator(_known_zone)
]


class WeeklyHours(BaseModel):
    """Open intervals per weekday, local time: [["09:00", "18:00"]]; end <= start spans midnight."""

    model_config = ConfigDict(extra="forbid")

    mon: list[Interval] = Field(default_factory=list, max_length=12)
    tue: list[Interval] = Field(default_factory=list, max_length=12)
    wed: list[Interval] = Field(default_factory=list, max_length=12)
    thu: list[Interval] = Field(default_factory=list, max_length=12)
    fri: list[Interval] = Field(default_factory=list, max_length=12)
    sat: list[Interval] = Field(default_factory=list, max_length=12)
    sun: list[Interval] = Field(default_factory=list, max_length=12)


OFFICE_HOURS = WeeklyHours(
    mon=[["09:00", "18:00"]],
    tue=[["09:00", "18:00"]],
    wed=[["09:00", "18:00"]],
    thu=[["09:00", "18:00"]],
    fri=[["09:00", "18:00"]],
)


def _without_nul(value: object) -> object:
    if isinstance(value, str) and "\x00" in value:
        raise ValueError("text must not contain NUL (\\u0000) characters")
    if isinstance(value, list | tuple):
        for item in value:
            _without_nul(item)
    return value


class Input(BaseModel):
    """Base of request bodies: unknown fields are refused so typos do not pass silently."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _refuse_nul(cls, value: object) -> object:
        # PostgreSQL cannot store NUL in text or JSONB; refuse it as a 422, not a 500.
        return _without_nul(value)


EARLIEST, LATEST = datetime(1970, 1, 1, tzinfo=UTC), datetime(9000, 1, 1, tzinfo=UTC)


def _in_range(value: datetime) -> datetime:
    if not EARLIEST <= value <= LATEST:
        raise ValueError("must be between 1970-01-01 and 9000-01-01")
    return value


Instant = Annotated[AwareDatetime, AfterValidator(_in_range)]
"""A timezone-aware instant within a range every part of the stack can represent."""
NoNulText = Annotated[str, AfterValidator(_without_nul)]


class Output(BaseModel):
    """Base of response bodies, read from table rows."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    created_at: datetime
    updated_at: datetime

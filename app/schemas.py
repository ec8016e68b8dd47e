"""Field types shared by the API schemas."""

import uuid
import zoneinfo
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    EmailStr,
    Field,
    GetJsonSchemaHandler,
    StringConstraints,
    field_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Tag = Annotated[
    str, StringConstraints(strip_whitespace=True, to_lower=True, min_length=1, max_length=64)
]
Email = Annotated[EmailStr, StringConstraints(max_length=320)]
HourMinute = Annotated[
    str, StringConstraints(max_length=5, pattern=r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")
]
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


class WeeklyHoursOut(WeeklyHours):
    """Open intervals per weekday, local time, as responses show them: all seven days (a day
    left out of a request is closed)."""

    model_config = ConfigDict(json_schema_serialization_defaults_required=True)


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


# The longest instant a response carries, "9999-12-31T23:59:59.999999+05:30": the spec's
# maxLength of every date-time (app/spec_bounds.py), and what a request may send.
INSTANT_LENGTH = 32


def _not_too_long(value: object) -> object:
    if isinstance(value, str) and len(value) > INSTANT_LENGTH:
        raise ValueError(f"an RFC 3339 instant has at most {INSTANT_LENGTH} characters")
    return value


Instant = Annotated[AwareDatetime, BeforeValidator(_not_too_long), AfterValidator(_in_range)]
"""A timezone-aware instant within a range every part of the stack can represent."""
NoNulText = Annotated[str, AfterValidator(_without_nul)]

INT32_MAX = 2**31 - 1
INT64_MAX = 2**63 - 1
# The largest integer a JSON number (a double) holds exactly, JavaScript's MAX_SAFE_INTEGER:
# more than any count of rows or bytes can reach (a table holds at most 32 TB).
SAFE_MAX = 2**53 - 1


@dataclass(frozen=True)
class Bounds:
    """JSON Schema bounds that every value meets, documented but not checked: a response
    must not fail (a 500) on a row stored before a limit existed, or by another writer."""

    keywords: tuple[tuple[str, int], ...]

    def __get_pydantic_json_schema__(
        self, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schema = handler(core_schema)
        schema.update(self.keywords)
        return schema


@dataclass(frozen=True)
class _NoNull:
    def __get_pydantic_json_schema__(
        self, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schema = handler(core_schema)
        kept = [branch for branch in schema.get("anyOf", []) if branch != {"type": "null"}]
        if len(kept) != 1:
            return schema
        return {**kept[0], **{key: value for key, value in schema.items() if key != "anyOf"}}


def Maybe(kind: Any) -> Any:
    """`kind | None` for a query parameter or header: left out, it is None; a query string has
    no null, so the spec shows plain `kind` (an optional parameter) and errors name the
    parameter itself, as they do for `kind | None`."""
    return Annotated[kind | None, _NoNull()]


def Text(max_length: int) -> Any:
    """A string of at most `max_length` characters: its column's size, or every writer's limit."""
    return Annotated[str, Bounds((("maxLength", max_length),))]


def Clipped(max_length: int) -> Any:
    """A string cut to `max_length` characters: for messages that may quote what a caller sent
    or what a dependency answered."""
    return Annotated[
        str, AfterValidator(lambda text: text[:max_length]), Bounds((("maxLength", max_length),))
    ]


def ClippedList(item: Any, max_items: int) -> Any:
    """A list cut to its first `max_items` items."""
    return Annotated[
        list[item],
        AfterValidator(lambda items: items[:max_items]),
        Bounds((("maxItems", max_items),)),
    ]


def Whole(minimum: int, maximum: int) -> Any:
    """An integer within [minimum, maximum]: its column's range, or what every writer allows."""
    return Annotated[int, Bounds((("minimum", minimum), ("maximum", maximum)))]


def Listed(item: Any, max_items: int) -> Any:
    """A list of at most `max_items` items, as every writer limits it."""
    return Annotated[list[item], Bounds((("maxItems", max_items),))]


Count = Whole(0, SAFE_MAX)
"""A number of rows, as PostgreSQL counts them."""
Counter = Whole(0, INT32_MAX)
"""A count kept in an integer column."""
PAGE_MAX = 200
"""The most items a page of a list holds (the `limit` parameter's maximum)."""
CURSOR_LENGTH = 512
"""The longest `next_cursor` (the `cursor` parameter's maxLength); ours stay under 200."""


class Shown(BaseModel):
    """Base of response bodies: every field is in every response, so the spec marks each one
    required (nullable where it can be null), those with a default too."""

    model_config = ConfigDict(json_schema_serialization_defaults_required=True)


class Output(Shown):
    """Base of response bodies, read from table rows."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    created_at: datetime
    updated_at: datetime

"""Calendars as the API shows them."""

from datetime import date
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from app.schemas import OFFICE_HOURS, Input, Name, Output, TimeZone, WeeklyHours

Country = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2,3}$")]
Subdivision = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9-]{1,16}$")]
DateList = Annotated[list[date], Field(max_length=1000)]


class CalendarCreate(Input):
    name: Name
    timezone: TimeZone
    weekly_hours: WeeklyHours = Field(default_factory=lambda: OFFICE_HOURS.model_copy())
    holiday_country: Country | None = Field(default=None, examples=["US"])
    holiday_subdivision: Subdivision | None = Field(default=None, examples=["NY"])
    closed_dates: DateList = Field(default_factory=list)
    open_dates: DateList = Field(default_factory=list)


class CalendarUpdate(Input):
    name: Name | None = None
    timezone: TimeZone | None = None
    weekly_hours: WeeklyHours | None = None
    holiday_country: Country | None = None
    holiday_subdivision: Subdivision | None = None
    closed_dates: DateList | None = None
    open_dates: DateList | None = None


class CalendarOut(Output):
    name: str
    timezone: str
    weekly_hours: WeeklyHours
    holiday_country: str | None
    holiday_subdivision: str | None
    closed_dates: list[date]
    open_dates: list[date]
    is_default: bool


class CalendarList(BaseModel):
    data: list[CalendarOut]
    next_cursor: str | None

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.weekly_hours import WeeklyHours


T = TypeVar("T", bound="CalendarCreate")


@_attrs_define
class CalendarCreate:
    """
    Attributes:
        name (str):
        timezone (str):
        weekly_hours (WeeklyHours | Unset): Open intervals per weekday, local time: [["09:00", "18:00"]]; end <= start
            spans midnight.
        holiday_country (None | str | Unset):
        holiday_subdivision (None | str | Unset):
        closed_dates (list[datetime.date] | Unset):
        open_dates (list[datetime.date] | Unset):
    """

    name: str
    timezone: str
    weekly_hours: WeeklyHours | Unset = UNSET
    holiday_country: None | str | Unset = UNSET
    holiday_subdivision: None | str | Unset = UNSET
    closed_dates: list[datetime.date] | Unset = UNSET
    open_dates: list[datetime.date] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        timezone = self.timezone

        weekly_hours: dict[str, Any] | Unset = UNSET
        if not isinstance(self.weekly_hours, Unset):
            weekly_hours = self.weekly_hours.to_dict()

        holiday_country: None | str | Unset
        if isinstance(self.holiday_country, Unset):
            holiday_country = UNSET
        else:
            holiday_country = self.holiday_country

        holiday_subdivision: None | str | Unset
        if isinstance(self.holiday_subdivision, Unset):
            holiday_subdivision = UNSET
        else:
            holiday_subdivision = self.holiday_subdivision

        closed_dates: list[str] | Unset = UNSET
        if not isinstance(self.closed_dates, Unset):
            closed_dates = []
            for closed_dates_item_data in self.closed_dates:
                closed_dates_item = closed_dates_item_data.isoformat()
                closed_dates.append(closed_dates_item)

        open_dates: list[str] | Unset = UNSET
        if not isinstance(self.open_dates, Unset):
            open_dates = []
            for open_dates_item_data in self.open_dates:
                open_dates_item = open_dates_item_data.isoformat()
                open_dates.append(open_dates_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "timezone": timezone,
            }
        )
        if weekly_hours is not UNSET:
            field_dict["weekly_hours"] = weekly_hours
        if holiday_country is not UNSET:
            field_dict["holiday_country"] = holiday_country
        if holiday_subdivision is not UNSET:
            field_dict["holiday_subdivision"] = holiday_subdivision
        if closed_dates is not UNSET:
            field_dict["closed_dates"] = closed_dates
        if open_dates is not UNSET:
            field_dict["open_dates"] = open_dates

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.weekly_hours import WeeklyHours  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        timezone = d.pop("timezone")

        _weekly_hours = d.pop("weekly_hours", UNSET)
        weekly_hours: WeeklyHours | Unset
        if isinstance(_weekly_hours, Unset):
            weekly_hours = UNSET
        else:
            weekly_hours = WeeklyHours.from_dict(_weekly_hours)

        def _parse_holiday_country(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        holiday_country = _parse_holiday_country(d.pop("holiday_country", UNSET))

        def _parse_holiday_subdivision(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        holiday_subdivision = _parse_holiday_subdivision(d.pop("holiday_subdivision", UNSET))

        _closed_dates = d.pop("closed_dates", UNSET)
        closed_dates: list[datetime.date] | Unset = UNSET
        if _closed_dates is not UNSET:
            closed_dates = []
            for closed_dates_item_data in _closed_dates:
                closed_dates_item = datetime.date.fromisoformat(closed_dates_item_data)

                closed_dates.append(closed_dates_item)

        _open_dates = d.pop("open_dates", UNSET)
        open_dates: list[datetime.date] | Unset = UNSET
        if _open_dates is not UNSET:
            open_dates = []
            for open_dates_item_data in _open_dates:
                open_dates_item = datetime.date.fromisoformat(open_dates_item_data)

                open_dates.append(open_dates_item)

        calendar_create = cls(
            name=name,
            timezone=timezone,
            weekly_hours=weekly_hours,
            holiday_country=holiday_country,
            holiday_subdivision=holiday_subdivision,
            closed_dates=closed_dates,
            open_dates=open_dates,
        )

        return calendar_create

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.weekly_hours_out import WeeklyHoursOut


T = TypeVar("T", bound="CalendarOut")


@_attrs_define
class CalendarOut:
    """
    Attributes:
        id (UUID):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        name (str):
        timezone (str):
        weekly_hours (WeeklyHoursOut): Open intervals per weekday, local time, as responses show them: all seven days (a
            day
            left out of a request is closed).
        holiday_country (None | str):
        holiday_subdivision (None | str):
        closed_dates (list[datetime.date]):
        open_dates (list[datetime.date]):
        is_default (bool):
    """

    id: UUID
    created_at: datetime.datetime
    updated_at: datetime.datetime
    name: str
    timezone: str
    weekly_hours: WeeklyHoursOut
    holiday_country: None | str
    holiday_subdivision: None | str
    closed_dates: list[datetime.date]
    open_dates: list[datetime.date]
    is_default: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        name = self.name

        timezone = self.timezone

        weekly_hours = self.weekly_hours.to_dict()

        holiday_country: None | str
        holiday_country = self.holiday_country

        holiday_subdivision: None | str
        holiday_subdivision = self.holiday_subdivision

        closed_dates = []
        for closed_dates_item_data in self.closed_dates:
            closed_dates_item = closed_dates_item_data.isoformat()
            closed_dates.append(closed_dates_item)

        open_dates = []
        for open_dates_item_data in self.open_dates:
            open_dates_item = open_dates_item_data.isoformat()
            open_dates.append(open_dates_item)

        is_default = self.is_default

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "created_at": created_at,
                "updated_at": updated_at,
                "name": name,
                "timezone": timezone,
                "weekly_hours": weekly_hours,
                "holiday_country": holiday_country,
                "holiday_subdivision": holiday_subdivision,
                "closed_dates": closed_dates,
                "open_dates": open_dates,
                "is_default": is_default,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.weekly_hours_out import WeeklyHoursOut  # noqa: PLC0415

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        name = d.pop("name")

        timezone = d.pop("timezone")

        weekly_hours = WeeklyHoursOut.from_dict(d.pop("weekly_hours"))

        def _parse_holiday_country(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        holiday_country = _parse_holiday_country(d.pop("holiday_country"))

        def _parse_holiday_subdivision(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        holiday_subdivision = _parse_holiday_subdivision(d.pop("holiday_subdivision"))

        closed_dates = []
        _closed_dates = d.pop("closed_dates")
        for closed_dates_item_data in _closed_dates:
            closed_dates_item = datetime.date.fromisoformat(closed_dates_item_data)

            closed_dates.append(closed_dates_item)

        open_dates = []
        _open_dates = d.pop("open_dates")
        for open_dates_item_data in _open_dates:
            open_dates_item = datetime.date.fromisoformat(open_dates_item_data)

            open_dates.append(open_dates_item)

        is_default = d.pop("is_default")

        calendar_out = cls(
            id=id,
            created_at=created_at,
            updated_at=updated_at,
            name=name,
            timezone=timezone,
            weekly_hours=weekly_hours,
            holiday_country=holiday_country,
            holiday_subdivision=holiday_subdivision,
            closed_dates=closed_dates,
            open_dates=open_dates,
            is_default=is_default,
        )

        calendar_out.additional_properties = d
        return calendar_out

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties

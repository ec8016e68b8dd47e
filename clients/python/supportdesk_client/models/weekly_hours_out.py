from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="WeeklyHoursOut")


@_attrs_define
class WeeklyHoursOut:
    """Open intervals per weekday, local time, as responses show them: all seven days (a day
    left out of a request is closed).

        Attributes:
            mon (list[list[str]]):
            tue (list[list[str]]):
            wed (list[list[str]]):
            thu (list[list[str]]):
            fri (list[list[str]]):
            sat (list[list[str]]):
            sun (list[list[str]]):
    """

    mon: list[list[str]]
    tue: list[list[str]]
    wed: list[list[str]]
    thu: list[list[str]]
    fri: list[list[str]]
    sat: list[list[str]]
    sun: list[list[str]]

    def to_dict(self) -> dict[str, Any]:
        mon = []
        for mon_item_data in self.mon:
            mon_item = mon_item_data

            mon.append(mon_item)

        tue = []
        for tue_item_data in self.tue:
            tue_item = tue_item_data

            tue.append(tue_item)

        wed = []
        for wed_item_data in self.wed:
            wed_item = wed_item_data

            wed.append(wed_item)

        thu = []
        for thu_item_data in self.thu:
            thu_item = thu_item_data

            thu.append(thu_item)

        fri = []
        for fri_item_data in self.fri:
            fri_item = fri_item_data

            fri.append(fri_item)

        sat = []
        for sat_item_data in self.sat:
            sat_item = sat_item_data

            sat.append(sat_item)

        sun = []
        for sun_item_data in self.sun:
            sun_item = sun_item_data

            sun.append(sun_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "mon": mon,
                "tue": tue,
                "wed": wed,
                "thu": thu,
                "fri": fri,
                "sat": sat,
                "sun": sun,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        mon = []
        _mon = d.pop("mon")
        for mon_item_data in _mon:
            mon_item = cast(list[str], mon_item_data)

            mon.append(mon_item)

        tue = []
        _tue = d.pop("tue")
        for tue_item_data in _tue:
            tue_item = cast(list[str], tue_item_data)

            tue.append(tue_item)

        wed = []
        _wed = d.pop("wed")
        for wed_item_data in _wed:
            wed_item = cast(list[str], wed_item_data)

            wed.append(wed_item)

        thu = []
        _thu = d.pop("thu")
        for thu_item_data in _thu:
            thu_item = cast(list[str], thu_item_data)

            thu.append(thu_item)

        fri = []
        _fri = d.pop("fri")
        for fri_item_data in _fri:
            fri_item = cast(list[str], fri_item_data)

            fri.append(fri_item)

        sat = []
        _sat = d.pop("sat")
        for sat_item_data in _sat:
            sat_item = cast(list[str], sat_item_data)

            sat.append(sat_item)

        sun = []
        _sun = d.pop("sun")
        for sun_item_data in _sun:
            sun_item = cast(list[str], sun_item_data)

            sun.append(sun_item)

        weekly_hours_out = cls(
            mon=mon,
            tue=tue,
            wed=wed,
            thu=thu,
            fri=fri,
            sat=sat,
            sun=sun,
        )

        return weekly_hours_out

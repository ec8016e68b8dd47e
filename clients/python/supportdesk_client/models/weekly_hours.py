from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="WeeklyHours")


@_attrs_define
class WeeklyHours:
    """Open intervals per weekday, local time: [["09:00", "18:00"]]; end <= start spans midnight.

    Attributes:
        mon (list[list[str]] | Unset):
        tue (list[list[str]] | Unset):
        wed (list[list[str]] | Unset):
        thu (list[list[str]] | Unset):
        fri (list[list[str]] | Unset):
        sat (list[list[str]] | Unset):
        sun (list[list[str]] | Unset):
    """

    mon: list[list[str]] | Unset = UNSET
    tue: list[list[str]] | Unset = UNSET
    wed: list[list[str]] | Unset = UNSET
    thu: list[list[str]] | Unset = UNSET
    fri: list[list[str]] | Unset = UNSET
    sat: list[list[str]] | Unset = UNSET
    sun: list[list[str]] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        mon: list[list[str]] | Unset = UNSET
        if not isinstance(self.mon, Unset):
            mon = []
            for mon_item_data in self.mon:
                mon_item = mon_item_data

                mon.append(mon_item)

        tue: list[list[str]] | Unset = UNSET
        if not isinstance(self.tue, Unset):
            tue = []
            for tue_item_data in self.tue:
                tue_item = tue_item_data

                tue.append(tue_item)

        wed: list[list[str]] | Unset = UNSET
        if not isinstance(self.wed, Unset):
            wed = []
            for wed_item_data in self.wed:
                wed_item = wed_item_data

                wed.append(wed_item)

        thu: list[list[str]] | Unset = UNSET
        if not isinstance(self.thu, Unset):
            thu = []
            for thu_item_data in self.thu:
                thu_item = thu_item_data

                thu.append(thu_item)

        fri: list[list[str]] | Unset = UNSET
        if not isinstance(self.fri, Unset):
            fri = []
            for fri_item_data in self.fri:
                fri_item = fri_item_data

                fri.append(fri_item)

        sat: list[list[str]] | Unset = UNSET
        if not isinstance(self.sat, Unset):
            sat = []
            for sat_item_data in self.sat:
                sat_item = sat_item_data

                sat.append(sat_item)

        sun: list[list[str]] | Unset = UNSET
        if not isinstance(self.sun, Unset):
            sun = []
            for sun_item_data in self.sun:
                sun_item = sun_item_data

                sun.append(sun_item)

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if mon is not UNSET:
            field_dict["mon"] = mon
        if tue is not UNSET:
            field_dict["tue"] = tue
        if wed is not UNSET:
            field_dict["wed"] = wed
        if thu is not UNSET:
            field_dict["thu"] = thu
        if fri is not UNSET:
            field_dict["fri"] = fri
        if sat is not UNSET:
            field_dict["sat"] = sat
        if sun is not UNSET:
            field_dict["sun"] = sun

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _mon = d.pop("mon", UNSET)
        mon: list[list[str]] | Unset = UNSET
        if _mon is not UNSET:
            mon = []
            for mon_item_data in _mon:
                mon_item = cast(list[str], mon_item_data)

                mon.append(mon_item)

        _tue = d.pop("tue", UNSET)
        tue: list[list[str]] | Unset = UNSET
        if _tue is not UNSET:
            tue = []
            for tue_item_data in _tue:
                tue_item = cast(list[str], tue_item_data)

                tue.append(tue_item)

        _wed = d.pop("wed", UNSET)
        wed: list[list[str]] | Unset = UNSET
        if _wed is not UNSET:
            wed = []
            for wed_item_data in _wed:
                wed_item = cast(list[str], wed_item_data)

                wed.append(wed_item)

        _thu = d.pop("thu", UNSET)
        thu: list[list[str]] | Unset = UNSET
        if _thu is not UNSET:
            thu = []
            for thu_item_data in _thu:
                thu_item = cast(list[str], thu_item_data)

                thu.append(thu_item)

        _fri = d.pop("fri", UNSET)
        fri: list[list[str]] | Unset = UNSET
        if _fri is not UNSET:
            fri = []
            for fri_item_data in _fri:
                fri_item = cast(list[str], fri_item_data)

                fri.append(fri_item)

        _sat = d.pop("sat", UNSET)
        sat: list[list[str]] | Unset = UNSET
        if _sat is not UNSET:
            sat = []
            for sat_item_data in _sat:
                sat_item = cast(list[str], sat_item_data)

                sat.append(sat_item)

        _sun = d.pop("sun", UNSET)
        sun: list[list[str]] | Unset = UNSET
        if _sun is not UNSET:
            sun = []
            for sun_item_data in _sun:
                sun_item = cast(list[str], sun_item_data)

                sun.append(sun_item)

        weekly_hours = cls(
            mon=mon,
            tue=tue,
            wed=wed,
            thu=thu,
            fri=fri,
            sat=sat,
            sun=sun,
        )

        return weekly_hours

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ClockStats")


@_attrs_define
class ClockStats:
    """One metric (first response or resolution) over a group's tickets.

    Attributes:
        met (int): Clocks met within their target.
        breached (int): Clocks breached: a breach was recorded, a met clock counted more than its target, or a running
            clock is past due.
        excluded (int): Clocks without an outcome yet (running and not yet due, paused, or stopped by a cancellation
            without a breach); left out of the compliance.
        compliance_percent (float | None): met / (met + breached) x 100; null when no clock has an outcome.
        median_minutes (float | None): Median time to meet the clock, over met clocks (business minutes on a business
            clock, calendar minutes otherwise; paused time does not count).
        p90_minutes (float | None): 90th percentile of the same times.
    """

    met: int
    breached: int
    excluded: int
    compliance_percent: float | None
    median_minutes: float | None
    p90_minutes: float | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        met = self.met

        breached = self.breached

        excluded = self.excluded

        compliance_percent: float | None
        compliance_percent = self.compliance_percent

        median_minutes: float | None
        median_minutes = self.median_minutes

        p90_minutes: float | None
        p90_minutes = self.p90_minutes

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "met": met,
                "breached": breached,
                "excluded": excluded,
                "compliance_percent": compliance_percent,
                "median_minutes": median_minutes,
                "p90_minutes": p90_minutes,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        met = d.pop("met")

        breached = d.pop("breached")

        excluded = d.pop("excluded")

        def _parse_compliance_percent(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        compliance_percent = _parse_compliance_percent(d.pop("compliance_percent"))

        def _parse_median_minutes(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        median_minutes = _parse_median_minutes(d.pop("median_minutes"))

        def _parse_p90_minutes(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        p90_minutes = _parse_p90_minutes(d.pop("p90_minutes"))

        clock_stats = cls(
            met=met,
            breached=breached,
            excluded=excluded,
            compliance_percent=compliance_percent,
            median_minutes=median_minutes,
            p90_minutes=p90_minutes,
        )

        clock_stats.additional_properties = d
        return clock_stats

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

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.clock_kind import ClockKind
from ..models.metric import Metric
from ..models.plan import Plan
from ..models.priority import Priority

T = TypeVar("T", bound="PolicyTargetOut")


@_attrs_define
class PolicyTargetOut:
    """
    Attributes:
        plan (Plan):
        priority (Priority):
        metric (Metric):
        clock (ClockKind):
        target_minutes (int): The target for tickets arriving in hours.
        after_hours_minutes (int | None): Arrived outside business hours on a working day.
        closed_day_minutes (int | None): Arrived on a weekend or holiday (falls back to after hours).
        at_risk_percent (int):  Default: 80.
    """

    plan: Plan
    priority: Priority
    metric: Metric
    clock: ClockKind
    target_minutes: int
    after_hours_minutes: int | None
    closed_day_minutes: int | None
    at_risk_percent: int = 80
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        plan = self.plan.value

        priority = self.priority.value

        metric = self.metric.value

        clock = self.clock.value

        target_minutes = self.target_minutes

        after_hours_minutes: int | None
        after_hours_minutes = self.after_hours_minutes

        closed_day_minutes: int | None
        closed_day_minutes = self.closed_day_minutes

        at_risk_percent = self.at_risk_percent

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "plan": plan,
                "priority": priority,
                "metric": metric,
                "clock": clock,
                "target_minutes": target_minutes,
                "after_hours_minutes": after_hours_minutes,
                "closed_day_minutes": closed_day_minutes,
                "at_risk_percent": at_risk_percent,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        plan = Plan(d.pop("plan"))

        priority = Priority(d.pop("priority"))

        metric = Metric(d.pop("metric"))

        clock = ClockKind(d.pop("clock"))

        target_minutes = d.pop("target_minutes")

        def _parse_after_hours_minutes(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        after_hours_minutes = _parse_after_hours_minutes(d.pop("after_hours_minutes"))

        def _parse_closed_day_minutes(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        closed_day_minutes = _parse_closed_day_minutes(d.pop("closed_day_minutes"))

        at_risk_percent = d.pop("at_risk_percent")

        policy_target_out = cls(
            plan=plan,
            priority=priority,
            metric=metric,
            clock=clock,
            target_minutes=target_minutes,
            after_hours_minutes=after_hours_minutes,
            closed_day_minutes=closed_day_minutes,
            at_risk_percent=at_risk_percent,
        )

        policy_target_out.additional_properties = d
        return policy_target_out

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

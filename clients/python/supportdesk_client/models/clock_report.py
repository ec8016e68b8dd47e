from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.clock_kind import ClockKind
from ..models.metric import Metric
from ..models.state import State

if TYPE_CHECKING:
    from ..models.segment_out import SegmentOut


T = TypeVar("T", bound="ClockReport")


@_attrs_define
class ClockReport:
    """One clock, explained.

    Attributes:
        metric (Metric):
        clock (ClockKind):
        target_minutes (int):
        at_risk_percent (int):
        started_at (datetime.datetime):
        due_at (datetime.datetime | None):
        at_risk_at (datetime.datetime | None):
        elapsed_minutes (float): Time counted so far, on the clock's terms.
        remaining_minutes (float): Negative once breached.
        state (State):
        breached_at (datetime.datetime | None):
        met_at (datetime.datetime | None):
        cycle (int): How many times a recurring clock was re-armed.
        segments (list[SegmentOut]): The clock's stretches, oldest first: the latest 200.
        segments_omitted (int): Earlier stretches not listed; the figures above count them.
    """

    metric: Metric
    clock: ClockKind
    target_minutes: int
    at_risk_percent: int
    started_at: datetime.datetime
    due_at: datetime.datetime | None
    at_risk_at: datetime.datetime | None
    elapsed_minutes: float
    remaining_minutes: float
    state: State
    breached_at: datetime.datetime | None
    met_at: datetime.datetime | None
    cycle: int
    segments: list[SegmentOut]
    segments_omitted: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        metric = self.metric.value

        clock = self.clock.value

        target_minutes = self.target_minutes

        at_risk_percent = self.at_risk_percent

        started_at = self.started_at.isoformat()

        due_at: None | str
        if isinstance(self.due_at, datetime.datetime):
            due_at = self.due_at.isoformat()
        else:
            due_at = self.due_at

        at_risk_at: None | str
        if isinstance(self.at_risk_at, datetime.datetime):
            at_risk_at = self.at_risk_at.isoformat()
        else:
            at_risk_at = self.at_risk_at

        elapsed_minutes = self.elapsed_minutes

        remaining_minutes = self.remaining_minutes

        state = self.state.value

        breached_at: None | str
        if isinstance(self.breached_at, datetime.datetime):
            breached_at = self.breached_at.isoformat()
        else:
            breached_at = self.breached_at

        met_at: None | str
        if isinstance(self.met_at, datetime.datetime):
            met_at = self.met_at.isoformat()
        else:
            met_at = self.met_at

        cycle = self.cycle

        segments = []
        for segments_item_data in self.segments:
            segments_item = segments_item_data.to_dict()
            segments.append(segments_item)

        segments_omitted = self.segments_omitted

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "metric": metric,
                "clock": clock,
                "target_minutes": target_minutes,
                "at_risk_percent": at_risk_percent,
                "started_at": started_at,
                "due_at": due_at,
                "at_risk_at": at_risk_at,
                "elapsed_minutes": elapsed_minutes,
                "remaining_minutes": remaining_minutes,
                "state": state,
                "breached_at": breached_at,
                "met_at": met_at,
                "cycle": cycle,
                "segments": segments,
                "segments_omitted": segments_omitted,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.segment_out import SegmentOut  # noqa: PLC0415

        d = dict(src_dict)
        metric = Metric(d.pop("metric"))

        clock = ClockKind(d.pop("clock"))

        target_minutes = d.pop("target_minutes")

        at_risk_percent = d.pop("at_risk_percent")

        started_at = datetime.datetime.fromisoformat(d.pop("started_at"))

        def _parse_due_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                due_at_type_0 = datetime.datetime.fromisoformat(data)

                return due_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        due_at = _parse_due_at(d.pop("due_at"))

        def _parse_at_risk_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                at_risk_at_type_0 = datetime.datetime.fromisoformat(data)

                return at_risk_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        at_risk_at = _parse_at_risk_at(d.pop("at_risk_at"))

        elapsed_minutes = d.pop("elapsed_minutes")

        remaining_minutes = d.pop("remaining_minutes")

        state = State(d.pop("state"))

        def _parse_breached_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                breached_at_type_0 = datetime.datetime.fromisoformat(data)

                return breached_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        breached_at = _parse_breached_at(d.pop("breached_at"))

        def _parse_met_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                met_at_type_0 = datetime.datetime.fromisoformat(data)

                return met_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        met_at = _parse_met_at(d.pop("met_at"))

        cycle = d.pop("cycle")

        segments = []
        _segments = d.pop("segments")
        for segments_item_data in _segments:
            segments_item = SegmentOut.from_dict(segments_item_data)

            segments.append(segments_item)

        segments_omitted = d.pop("segments_omitted")

        clock_report = cls(
            metric=metric,
            clock=clock,
            target_minutes=target_minutes,
            at_risk_percent=at_risk_percent,
            started_at=started_at,
            due_at=due_at,
            at_risk_at=at_risk_at,
            elapsed_minutes=elapsed_minutes,
            remaining_minutes=remaining_minutes,
            state=state,
            breached_at=breached_at,
            met_at=met_at,
            cycle=cycle,
            segments=segments,
            segments_omitted=segments_omitted,
        )

        clock_report.additional_properties = d
        return clock_report

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

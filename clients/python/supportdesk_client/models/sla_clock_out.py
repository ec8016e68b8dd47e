from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.clock_kind import ClockKind
from ..models.state import State

T = TypeVar("T", bound="SlaClockOut")


@_attrs_define
class SlaClockOut:
    """One SLA clock as tickets carry it.

    Attributes:
        target_minutes (int):
        clock (ClockKind):
        due_at (datetime.datetime | None): Null while paused, met or stopped.
        at_risk_at (datetime.datetime | None):
        state (State):
        breached_at (datetime.datetime | None):
        met_at (datetime.datetime | None):
    """

    target_minutes: int
    clock: ClockKind
    due_at: datetime.datetime | None
    at_risk_at: datetime.datetime | None
    state: State
    breached_at: datetime.datetime | None
    met_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        target_minutes = self.target_minutes

        clock = self.clock.value

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

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "target_minutes": target_minutes,
                "clock": clock,
                "due_at": due_at,
                "at_risk_at": at_risk_at,
                "state": state,
                "breached_at": breached_at,
                "met_at": met_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        target_minutes = d.pop("target_minutes")

        clock = ClockKind(d.pop("clock"))

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

        sla_clock_out = cls(
            target_minutes=target_minutes,
            clock=clock,
            due_at=due_at,
            at_risk_at=at_risk_at,
            state=state,
            breached_at=breached_at,
            met_at=met_at,
        )

        sla_clock_out.additional_properties = d
        return sla_clock_out

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

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.clock_stats import ClockStats
    from ..models.csat import Csat


T = TypeVar("T", bound="SlaReportRow")


@_attrs_define
class SlaReportRow:
    """The figures of one group (or of all tickets in the range, for the total).

    Attributes:
        key (None | str): The priority, the organization id or the assignee's agent id; null for unassigned tickets (by
            agent) and for the total.
        name (None | str): The organization's or agent's name (the priority for priorities).
        tickets (int): Tickets created in the range.
        first_response (ClockStats): One metric (first response or resolution) over a group's tickets.
        resolution (ClockStats): One metric (first response or resolution) over a group's tickets.
        breaches (int): Breached first-response and resolution clocks.
        escalations (int): Escalations of these tickets, any trigger.
        csat (Csat):
    """

    key: None | str
    name: None | str
    tickets: int
    first_response: ClockStats
    resolution: ClockStats
    breaches: int
    escalations: int
    csat: Csat
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        key: None | str
        key = self.key

        name: None | str
        name = self.name

        tickets = self.tickets

        first_response = self.first_response.to_dict()

        resolution = self.resolution.to_dict()

        breaches = self.breaches

        escalations = self.escalations

        csat = self.csat.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "key": key,
                "name": name,
                "tickets": tickets,
                "first_response": first_response,
                "resolution": resolution,
                "breaches": breaches,
                "escalations": escalations,
                "csat": csat,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.clock_stats import ClockStats  # noqa: PLC0415
        from ..models.csat import Csat  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_key(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        key = _parse_key(d.pop("key"))

        def _parse_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        name = _parse_name(d.pop("name"))

        tickets = d.pop("tickets")

        first_response = ClockStats.from_dict(d.pop("first_response"))

        resolution = ClockStats.from_dict(d.pop("resolution"))

        breaches = d.pop("breaches")

        escalations = d.pop("escalations")

        csat = Csat.from_dict(d.pop("csat"))

        sla_report_row = cls(
            key=key,
            name=name,
            tickets=tickets,
            first_response=first_response,
            resolution=resolution,
            breaches=breaches,
            escalations=escalations,
            csat=csat,
        )

        sla_report_row.additional_properties = d
        return sla_report_row

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

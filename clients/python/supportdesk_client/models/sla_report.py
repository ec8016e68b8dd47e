from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.group_by import GroupBy

if TYPE_CHECKING:
    from ..models.sla_report_row import SlaReportRow


T = TypeVar("T", bound="SlaReport")


@_attrs_define
class SlaReport:
    """SLA compliance and timings of the tickets created in [from, to), by group.

    Attributes:
        from_ (datetime.datetime):
        to (datetime.datetime):
        group_by (GroupBy):
        generated_at (datetime.datetime): The instant running clocks were judged at (past due means breached).
        total (SlaReportRow): The figures of one group (or of all tickets in the range, for the total).
        data (list[SlaReportRow]): A page of the groups: priorities from urgent down; organizations and agents by name
            (unassigned tickets last).
        next_cursor (None | str):
    """

    from_: datetime.datetime
    to: datetime.datetime
    group_by: GroupBy
    generated_at: datetime.datetime
    total: SlaReportRow
    data: list[SlaReportRow]
    next_cursor: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from_ = self.from_.isoformat()

        to = self.to.isoformat()

        group_by = self.group_by.value

        generated_at = self.generated_at.isoformat()

        total = self.total.to_dict()

        data = []
        for data_item_data in self.data:
            data_item = data_item_data.to_dict()
            data.append(data_item)

        next_cursor: None | str
        next_cursor = self.next_cursor

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "from": from_,
                "to": to,
                "group_by": group_by,
                "generated_at": generated_at,
                "total": total,
                "data": data,
                "next_cursor": next_cursor,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.sla_report_row import SlaReportRow  # noqa: PLC0415

        d = dict(src_dict)
        from_ = datetime.datetime.fromisoformat(d.pop("from"))

        to = datetime.datetime.fromisoformat(d.pop("to"))

        group_by = GroupBy(d.pop("group_by"))

        generated_at = datetime.datetime.fromisoformat(d.pop("generated_at"))

        total = SlaReportRow.from_dict(d.pop("total"))

        data = []
        _data = d.pop("data")
        for data_item_data in _data:
            data_item = SlaReportRow.from_dict(data_item_data)

            data.append(data_item)

        def _parse_next_cursor(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        next_cursor = _parse_next_cursor(d.pop("next_cursor"))

        sla_report = cls(
            from_=from_,
            to=to,
            group_by=group_by,
            generated_at=generated_at,
            total=total,
            data=data,
            next_cursor=next_cursor,
        )

        sla_report.additional_properties = d
        return sla_report

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

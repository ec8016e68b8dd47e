from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.metric import Metric

if TYPE_CHECKING:
    from ..models.ticket_snapshot import TicketSnapshot


T = TypeVar("T", bound="TicketSlaAtRiskData")


@_attrs_define
class TicketSlaAtRiskData:
    """
    Attributes:
        ticket (TicketSnapshot): The ticket as it stood after the event: what GET /v1/tickets/{id} returned then, but
            for
            `attachments` (`ticket.created` lists the files beside it).
        metric (Metric):
        due_at (datetime.datetime | None): The clock's due time when it fired.
        cycle (int): Which run of the clock (next_update).
    """

    ticket: TicketSnapshot
    metric: Metric
    due_at: datetime.datetime | None
    cycle: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        ticket = self.ticket.to_dict()

        metric = self.metric.value

        due_at: None | str
        if isinstance(self.due_at, datetime.datetime):
            due_at = self.due_at.isoformat()
        else:
            due_at = self.due_at

        cycle = self.cycle

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "ticket": ticket,
                "metric": metric,
                "due_at": due_at,
                "cycle": cycle,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.ticket_snapshot import TicketSnapshot  # noqa: PLC0415

        d = dict(src_dict)
        ticket = TicketSnapshot.from_dict(d.pop("ticket"))

        metric = Metric(d.pop("metric"))

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

        cycle = d.pop("cycle")

        ticket_sla_at_risk_data = cls(
            ticket=ticket,
            metric=metric,
            due_at=due_at,
            cycle=cycle,
        )

        ticket_sla_at_risk_data.additional_properties = d
        return ticket_sla_at_risk_data

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

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.presence_out import PresenceOut


T = TypeVar("T", bound="PresenceChange")


@_attrs_define
class PresenceChange:
    """Who is on a ticket now (staff streams only): everyone present, earliest first.

    Attributes:
        ticket_id (UUID):
        data (list[PresenceOut]):
    """

    ticket_id: UUID
    data: list[PresenceOut]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        ticket_id = str(self.ticket_id)

        data = []
        for data_item_data in self.data:
            data_item = data_item_data.to_dict()
            data.append(data_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "ticket_id": ticket_id,
                "data": data,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.presence_out import PresenceOut  # noqa: PLC0415

        d = dict(src_dict)
        ticket_id = UUID(d.pop("ticket_id"))

        data = []
        _data = d.pop("data")
        for data_item_data in _data:
            data_item = PresenceOut.from_dict(data_item_data)

            data.append(data_item)

        presence_change = cls(
            ticket_id=ticket_id,
            data=data,
        )

        presence_change.additional_properties = d
        return presence_change

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

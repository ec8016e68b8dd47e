from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="QueueOut")


@_attrs_define
class QueueOut:
    """
    Attributes:
        organization_id (UUID):
        ticket_ids (list[UUID]): Positioned tickets, first first.
    """

    organization_id: UUID
    ticket_ids: list[UUID]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        organization_id = str(self.organization_id)

        ticket_ids = []
        for ticket_ids_item_data in self.ticket_ids:
            ticket_ids_item = str(ticket_ids_item_data)
            ticket_ids.append(ticket_ids_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "organization_id": organization_id,
                "ticket_ids": ticket_ids,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        organization_id = UUID(d.pop("organization_id"))

        ticket_ids = []
        _ticket_ids = d.pop("ticket_ids")
        for ticket_ids_item_data in _ticket_ids:
            ticket_ids_item = UUID(ticket_ids_item_data)

            ticket_ids.append(ticket_ids_item)

        queue_out = cls(
            organization_id=organization_id,
            ticket_ids=ticket_ids,
        )

        queue_out.additional_properties = d
        return queue_out

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

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

T = TypeVar("T", bound="QueueUpdate")


@_attrs_define
class QueueUpdate:
    """
    Attributes:
        ticket_ids (list[UUID]): The organization's open requests in the order the client wants them; tickets left out
            keep no position and come after.
    """

    ticket_ids: list[UUID]

    def to_dict(self) -> dict[str, Any]:
        ticket_ids = []
        for ticket_ids_item_data in self.ticket_ids:
            ticket_ids_item = str(ticket_ids_item_data)
            ticket_ids.append(ticket_ids_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "ticket_ids": ticket_ids,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        ticket_ids = []
        _ticket_ids = d.pop("ticket_ids")
        for ticket_ids_item_data in _ticket_ids:
            ticket_ids_item = UUID(ticket_ids_item_data)

            ticket_ids.append(ticket_ids_item)

        queue_update = cls(
            ticket_ids=ticket_ids,
        )

        return queue_update

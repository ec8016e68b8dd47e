from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.attachment_out import AttachmentOut
    from ..models.ticket_snapshot import TicketSnapshot


T = TypeVar("T", bound="TicketCreatedData")


@_attrs_define
class TicketCreatedData:
    """
    Attributes:
        ticket (TicketSnapshot): The ticket as it stood after the event: what GET /v1/tickets/{id} returned then, but
            for
            `attachments` (`ticket.created` lists the files beside it).
        attachments (list[AttachmentOut]): The files the ticket was raised with (metadata).
    """

    ticket: TicketSnapshot
    attachments: list[AttachmentOut]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        ticket = self.ticket.to_dict()

        attachments = []
        for attachments_item_data in self.attachments:
            attachments_item = attachments_item_data.to_dict()
            attachments.append(attachments_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "ticket": ticket,
                "attachments": attachments,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.attachment_out import AttachmentOut  # noqa: PLC0415
        from ..models.ticket_snapshot import TicketSnapshot  # noqa: PLC0415

        d = dict(src_dict)
        ticket = TicketSnapshot.from_dict(d.pop("ticket"))

        attachments = []
        _attachments = d.pop("attachments")
        for attachments_item_data in _attachments:
            attachments_item = AttachmentOut.from_dict(attachments_item_data)

            attachments.append(attachments_item)

        ticket_created_data = cls(
            ticket=ticket,
            attachments=attachments,
        )

        ticket_created_data.additional_properties = d
        return ticket_created_data

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

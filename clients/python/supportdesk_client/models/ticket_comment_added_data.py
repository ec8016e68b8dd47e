from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.comment_out import CommentOut
    from ..models.ticket_snapshot import TicketSnapshot


T = TypeVar("T", bound="TicketCommentAddedData")


@_attrs_define
class TicketCommentAddedData:
    """
    Attributes:
        ticket (TicketSnapshot): The ticket as it stood after the event: what GET /v1/tickets/{id} returned then, but
            for
            `attachments` (`ticket.created` lists the files beside it).
        comment (CommentOut):
        broadcast (bool | Unset): Staff only. A problem's broadcast, copied onto its incidents.
        live_chat (bool | Unset): Staff only. Said in the ticket's live chat.
    """

    ticket: TicketSnapshot
    comment: CommentOut
    broadcast: bool | Unset = UNSET
    live_chat: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        ticket = self.ticket.to_dict()

        comment = self.comment.to_dict()

        broadcast = self.broadcast

        live_chat = self.live_chat

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "ticket": ticket,
                "comment": comment,
            }
        )
        if broadcast is not UNSET:
            field_dict["broadcast"] = broadcast
        if live_chat is not UNSET:
            field_dict["live_chat"] = live_chat

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.comment_out import CommentOut  # noqa: PLC0415
        from ..models.ticket_snapshot import TicketSnapshot  # noqa: PLC0415

        d = dict(src_dict)
        ticket = TicketSnapshot.from_dict(d.pop("ticket"))

        comment = CommentOut.from_dict(d.pop("comment"))

        broadcast = d.pop("broadcast", UNSET)

        live_chat = d.pop("live_chat", UNSET)

        ticket_comment_added_data = cls(
            ticket=ticket,
            comment=comment,
            broadcast=broadcast,
            live_chat=live_chat,
        )

        ticket_comment_added_data.additional_properties = d
        return ticket_comment_added_data

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

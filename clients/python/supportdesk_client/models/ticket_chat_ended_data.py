from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.end_reason import EndReason

if TYPE_CHECKING:
    from ..models.ticket_snapshot import TicketSnapshot
    from ..models.transcript_line import TranscriptLine


T = TypeVar("T", bound="TicketChatEndedData")


@_attrs_define
class TicketChatEndedData:
    """
    Attributes:
        ticket (TicketSnapshot): The ticket as it stood after the event: what GET /v1/tickets/{id} returned then, but
            for
            `attachments` (`ticket.created` lists the files beside it).
        reason (EndReason):
        transcript (list[TranscriptLine]): The chat's public messages, oldest first.
    """

    ticket: TicketSnapshot
    reason: EndReason
    transcript: list[TranscriptLine]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        ticket = self.ticket.to_dict()

        reason = self.reason.value

        transcript = []
        for transcript_item_data in self.transcript:
            transcript_item = transcript_item_data.to_dict()
            transcript.append(transcript_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "ticket": ticket,
                "reason": reason,
                "transcript": transcript,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.ticket_snapshot import TicketSnapshot  # noqa: PLC0415
        from ..models.transcript_line import TranscriptLine  # noqa: PLC0415

        d = dict(src_dict)
        ticket = TicketSnapshot.from_dict(d.pop("ticket"))

        reason = EndReason(d.pop("reason"))

        transcript = []
        _transcript = d.pop("transcript")
        for transcript_item_data in _transcript:
            transcript_item = TranscriptLine.from_dict(transcript_item_data)

            transcript.append(transcript_item)

        ticket_chat_ended_data = cls(
            ticket=ticket,
            reason=reason,
            transcript=transcript,
        )

        ticket_chat_ended_data.additional_properties = d
        return ticket_chat_ended_data

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

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="ReceiveEmailJsonInboundEmailAttachmentNote")


@_attrs_define
class ReceiveEmailJsonInboundEmailAttachmentNote:
    """An attachment of the message, listed on the ticket (a raw message's are also kept as
    the ticket's or comment's files).

        Attributes:
            filename (str):
            size (int): Bytes.
    """

    filename: str
    size: int

    def to_dict(self) -> dict[str, Any]:
        filename = self.filename

        size = self.size

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "filename": filename,
                "size": size,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        filename = d.pop("filename")

        size = d.pop("size")

        receive_email_json_inbound_email_attachment_note = cls(
            filename=filename,
            size=size,
        )

        return receive_email_json_inbound_email_attachment_note

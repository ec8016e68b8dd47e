from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.receive_email_json_inbound_email_attachment_note import ReceiveEmailJsonInboundEmailAttachmentNote
    from ..models.receive_email_json_inbound_email_headers import ReceiveEmailJsonInboundEmailHeaders


T = TypeVar("T", bound="ReceiveEmailJsonInboundEmail")


@_attrs_define
class ReceiveEmailJsonInboundEmail:
    """
    Attributes:
        from_ (str): The From header, e.g. "Jane Doe <jane@client.example>".
        message_id (str):
        to (None | str | Unset):
        subject (str | Unset):  Default: ''.
        text (str | Unset): The plain-text body. Default: ''.
        in_reply_to (None | str | Unset): The message this one answers; a reply to a message of a ticket's thread (or to
            one we sent, <sup-NUMBER.…@…>) adds to that ticket.
        references (None | str | Unset): The References header: when In-Reply-To finds no ticket, any message id it
            names that belongs to a ticket's thread does.
        headers (ReceiveEmailJsonInboundEmailHeaders | Unset): Other headers. Auto-replies and bounces (`Auto-Submitted`
            other than `no`, `Precedence: bulk|junk|auto_reply|list`, `X-Autoreply`, `X-Autorespond`, `Return-Path: <>`) are
            `ignored`, as are senders like mailer-daemon@.
        attachments (list[ReceiveEmailJsonInboundEmailAttachmentNote] | Unset): Listed by name and size at the end of
            the text.
    """

    from_: str
    message_id: str
    to: None | str | Unset = UNSET
    subject: str | Unset = ""
    text: str | Unset = ""
    in_reply_to: None | str | Unset = UNSET
    references: None | str | Unset = UNSET
    headers: ReceiveEmailJsonInboundEmailHeaders | Unset = UNSET
    attachments: list[ReceiveEmailJsonInboundEmailAttachmentNote] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from_ = self.from_

        message_id = self.message_id

        to: None | str | Unset
        if isinstance(self.to, Unset):
            to = UNSET
        else:
            to = self.to

        subject = self.subject

        text = self.text

        in_reply_to: None | str | Unset
        if isinstance(self.in_reply_to, Unset):
            in_reply_to = UNSET
        else:
            in_reply_to = self.in_reply_to

        references: None | str | Unset
        if isinstance(self.references, Unset):
            references = UNSET
        else:
            references = self.references

        headers: dict[str, Any] | Unset = UNSET
        if not isinstance(self.headers, Unset):
            headers = self.headers.to_dict()

        attachments: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.attachments, Unset):
            attachments = []
            for attachments_item_data in self.attachments:
                attachments_item = attachments_item_data.to_dict()
                attachments.append(attachments_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "from": from_,
                "message_id": message_id,
            }
        )
        if to is not UNSET:
            field_dict["to"] = to
        if subject is not UNSET:
            field_dict["subject"] = subject
        if text is not UNSET:
            field_dict["text"] = text
        if in_reply_to is not UNSET:
            field_dict["in_reply_to"] = in_reply_to
        if references is not UNSET:
            field_dict["references"] = references
        if headers is not UNSET:
            field_dict["headers"] = headers
        if attachments is not UNSET:
            field_dict["attachments"] = attachments

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.receive_email_json_inbound_email_attachment_note import ReceiveEmailJsonInboundEmailAttachmentNote  # noqa: PLC0415
        from ..models.receive_email_json_inbound_email_headers import ReceiveEmailJsonInboundEmailHeaders  # noqa: PLC0415

        d = dict(src_dict)
        from_ = d.pop("from")

        message_id = d.pop("message_id")

        def _parse_to(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        to = _parse_to(d.pop("to", UNSET))

        subject = d.pop("subject", UNSET)

        text = d.pop("text", UNSET)

        def _parse_in_reply_to(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        in_reply_to = _parse_in_reply_to(d.pop("in_reply_to", UNSET))

        def _parse_references(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        references = _parse_references(d.pop("references", UNSET))

        _headers = d.pop("headers", UNSET)
        headers: ReceiveEmailJsonInboundEmailHeaders | Unset
        if isinstance(_headers, Unset):
            headers = UNSET
        else:
            headers = ReceiveEmailJsonInboundEmailHeaders.from_dict(_headers)

        _attachments = d.pop("attachments", UNSET)
        attachments: list[ReceiveEmailJsonInboundEmailAttachmentNote] | Unset = UNSET
        if _attachments is not UNSET:
            attachments = []
            for attachments_item_data in _attachments:
                attachments_item = ReceiveEmailJsonInboundEmailAttachmentNote.from_dict(attachments_item_data)

                attachments.append(attachments_item)

        receive_email_json_inbound_email = cls(
            from_=from_,
            message_id=message_id,
            to=to,
            subject=subject,
            text=text,
            in_reply_to=in_reply_to,
            references=references,
            headers=headers,
            attachments=attachments,
        )

        return receive_email_json_inbound_email

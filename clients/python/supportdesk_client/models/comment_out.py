from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.author_type import AuthorType
from ..models.visibility import Visibility

if TYPE_CHECKING:
    from ..models.attachment_out import AttachmentOut


T = TypeVar("T", bound="CommentOut")


@_attrs_define
class CommentOut:
    """
    Attributes:
        id (UUID):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        ticket_id (UUID):
        author_type (AuthorType):
        author_id (None | UUID):
        body (str):
        visibility (Visibility):
        mentions (list[UUID]):
        attachments (list[AttachmentOut]): Files attached to this comment (metadata).
    """

    id: UUID
    created_at: datetime.datetime
    updated_at: datetime.datetime
    ticket_id: UUID
    author_type: AuthorType
    author_id: None | UUID
    body: str
    visibility: Visibility
    mentions: list[UUID]
    attachments: list[AttachmentOut]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        ticket_id = str(self.ticket_id)

        author_type = self.author_type.value

        author_id: None | str
        if isinstance(self.author_id, UUID):
            author_id = str(self.author_id)
        else:
            author_id = self.author_id

        body = self.body

        visibility = self.visibility.value

        mentions = []
        for mentions_item_data in self.mentions:
            mentions_item = str(mentions_item_data)
            mentions.append(mentions_item)

        attachments = []
        for attachments_item_data in self.attachments:
            attachments_item = attachments_item_data.to_dict()
            attachments.append(attachments_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "created_at": created_at,
                "updated_at": updated_at,
                "ticket_id": ticket_id,
                "author_type": author_type,
                "author_id": author_id,
                "body": body,
                "visibility": visibility,
                "mentions": mentions,
                "attachments": attachments,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.attachment_out import AttachmentOut  # noqa: PLC0415

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        ticket_id = UUID(d.pop("ticket_id"))

        author_type = AuthorType(d.pop("author_type"))

        def _parse_author_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                author_id_type_0 = UUID(data)

                return author_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        author_id = _parse_author_id(d.pop("author_id"))

        body = d.pop("body")

        visibility = Visibility(d.pop("visibility"))

        mentions = []
        _mentions = d.pop("mentions")
        for mentions_item_data in _mentions:
            mentions_item = UUID(mentions_item_data)

            mentions.append(mentions_item)

        attachments = []
        _attachments = d.pop("attachments")
        for attachments_item_data in _attachments:
            attachments_item = AttachmentOut.from_dict(attachments_item_data)

            attachments.append(attachments_item)

        comment_out = cls(
            id=id,
            created_at=created_at,
            updated_at=updated_at,
            ticket_id=ticket_id,
            author_type=author_type,
            author_id=author_id,
            body=body,
            visibility=visibility,
            mentions=mentions,
            attachments=attachments,
        )

        comment_out.additional_properties = d
        return comment_out

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

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="AttachmentOut")


@_attrs_define
class AttachmentOut:
    """
    Attributes:
        id (UUID):
        filename (str):
        content_type (str): Sniffed from the content, not taken from the client.
        size (int): Bytes.
        sha256 (str): Hex SHA-256 of the content; also its ETag.
        ticket_id (None | UUID): Set once bound to a ticket.
        comment_id (None | UUID): Set once bound to a comment.
        created_at (datetime.datetime):
        deleted_at (datetime.datetime | None): Set when deleted: the content is gone, the name stays.
    """

    id: UUID
    filename: str
    content_type: str
    size: int
    sha256: str
    ticket_id: None | UUID
    comment_id: None | UUID
    created_at: datetime.datetime
    deleted_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        filename = self.filename

        content_type = self.content_type

        size = self.size

        sha256 = self.sha256

        ticket_id: None | str
        if isinstance(self.ticket_id, UUID):
            ticket_id = str(self.ticket_id)
        else:
            ticket_id = self.ticket_id

        comment_id: None | str
        if isinstance(self.comment_id, UUID):
            comment_id = str(self.comment_id)
        else:
            comment_id = self.comment_id

        created_at = self.created_at.isoformat()

        deleted_at: None | str
        if isinstance(self.deleted_at, datetime.datetime):
            deleted_at = self.deleted_at.isoformat()
        else:
            deleted_at = self.deleted_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "filename": filename,
                "content_type": content_type,
                "size": size,
                "sha256": sha256,
                "ticket_id": ticket_id,
                "comment_id": comment_id,
                "created_at": created_at,
                "deleted_at": deleted_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        filename = d.pop("filename")

        content_type = d.pop("content_type")

        size = d.pop("size")

        sha256 = d.pop("sha256")

        def _parse_ticket_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                ticket_id_type_0 = UUID(data)

                return ticket_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        ticket_id = _parse_ticket_id(d.pop("ticket_id"))

        def _parse_comment_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                comment_id_type_0 = UUID(data)

                return comment_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        comment_id = _parse_comment_id(d.pop("comment_id"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_deleted_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                deleted_at_type_0 = datetime.datetime.fromisoformat(data)

                return deleted_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        deleted_at = _parse_deleted_at(d.pop("deleted_at"))

        attachment_out = cls(
            id=id,
            filename=filename,
            content_type=content_type,
            size=size,
            sha256=sha256,
            ticket_id=ticket_id,
            comment_id=comment_id,
            created_at=created_at,
            deleted_at=deleted_at,
        )

        attachment_out.additional_properties = d
        return attachment_out

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

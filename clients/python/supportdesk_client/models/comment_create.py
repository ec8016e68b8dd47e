from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.visibility import Visibility
from ..types import UNSET, Unset

T = TypeVar("T", bound="CommentCreate")


@_attrs_define
class CommentCreate:
    """
    Attributes:
        body (str):
        visibility (Visibility | Unset):
        author_id (None | Unset | UUID): Admin: the agent to post as; integration: the contact to post as.
        broadcast (bool | Unset): Staff, public, on a problem with incidents: also copied onto every open incident, as a
            public comment on each. Default: False.
        attachment_ids (list[UUID] | Unset): Uploads (POST /v1/attachments) to bind here; up to 20.
    """

    body: str
    visibility: Visibility | Unset = UNSET
    author_id: None | Unset | UUID = UNSET
    broadcast: bool | Unset = False
    attachment_ids: list[UUID] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        body = self.body

        visibility: str | Unset = UNSET
        if not isinstance(self.visibility, Unset):
            visibility = self.visibility.value

        author_id: None | str | Unset
        if isinstance(self.author_id, Unset):
            author_id = UNSET
        elif isinstance(self.author_id, UUID):
            author_id = str(self.author_id)
        else:
            author_id = self.author_id

        broadcast = self.broadcast

        attachment_ids: list[str] | Unset = UNSET
        if not isinstance(self.attachment_ids, Unset):
            attachment_ids = []
            for attachment_ids_item_data in self.attachment_ids:
                attachment_ids_item = str(attachment_ids_item_data)
                attachment_ids.append(attachment_ids_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "body": body,
            }
        )
        if visibility is not UNSET:
            field_dict["visibility"] = visibility
        if author_id is not UNSET:
            field_dict["author_id"] = author_id
        if broadcast is not UNSET:
            field_dict["broadcast"] = broadcast
        if attachment_ids is not UNSET:
            field_dict["attachment_ids"] = attachment_ids

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        body = d.pop("body")

        _visibility = d.pop("visibility", UNSET)
        visibility: Visibility | Unset
        if isinstance(_visibility, Unset):
            visibility = UNSET
        else:
            visibility = Visibility(_visibility)

        def _parse_author_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                author_id_type_0 = UUID(data)

                return author_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        author_id = _parse_author_id(d.pop("author_id", UNSET))

        broadcast = d.pop("broadcast", UNSET)

        _attachment_ids = d.pop("attachment_ids", UNSET)
        attachment_ids: list[UUID] | Unset = UNSET
        if _attachment_ids is not UNSET:
            attachment_ids = []
            for attachment_ids_item_data in _attachment_ids:
                attachment_ids_item = UUID(attachment_ids_item_data)

                attachment_ids.append(attachment_ids_item)

        comment_create = cls(
            body=body,
            visibility=visibility,
            author_id=author_id,
            broadcast=broadcast,
            attachment_ids=attachment_ids,
        )

        return comment_create

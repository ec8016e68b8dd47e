from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.status import Status

T = TypeVar("T", bound="WidgetReceipt")


@_attrs_define
class WidgetReceipt:
    """What the page learns: enough to quote the ticket, nothing about who handles it.

    Attributes:
        id (UUID):
        number (str):
        status (Status):
        created_at (datetime.datetime):
        conversation_token (None | str): A chat only: shown once. Lets this browser read and post public comments on
            this ticket (`Authorization: Bearer` or `?conversation_token=`) and stream it (GET
            /v1/stream?ticket_id=…&conversation_token=…); nothing else. Valid 24 hours.
        conversation_expires_at (datetime.datetime | None):
    """

    id: UUID
    number: str
    status: Status
    created_at: datetime.datetime
    conversation_token: None | str
    conversation_expires_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        number = self.number

        status = self.status.value

        created_at = self.created_at.isoformat()

        conversation_token: None | str
        conversation_token = self.conversation_token

        conversation_expires_at: None | str
        if isinstance(self.conversation_expires_at, datetime.datetime):
            conversation_expires_at = self.conversation_expires_at.isoformat()
        else:
            conversation_expires_at = self.conversation_expires_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "number": number,
                "status": status,
                "created_at": created_at,
                "conversation_token": conversation_token,
                "conversation_expires_at": conversation_expires_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        number = d.pop("number")

        status = Status(d.pop("status"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_conversation_token(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        conversation_token = _parse_conversation_token(d.pop("conversation_token"))

        def _parse_conversation_expires_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                conversation_expires_at_type_0 = datetime.datetime.fromisoformat(data)

                return conversation_expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        conversation_expires_at = _parse_conversation_expires_at(d.pop("conversation_expires_at"))

        widget_receipt = cls(
            id=id,
            number=number,
            status=status,
            created_at=created_at,
            conversation_token=conversation_token,
            conversation_expires_at=conversation_expires_at,
        )

        widget_receipt.additional_properties = d
        return widget_receipt

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

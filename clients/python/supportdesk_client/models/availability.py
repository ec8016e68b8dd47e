from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.first_response import FirstResponse


T = TypeVar("T", bound="Availability")


@_attrs_define
class Availability:
    """
    Attributes:
        open_ (bool): The organization's support hours are running now.
        next_open_at (datetime.datetime | None): When support hours begin next, while closed (null while open).
        agents_on_duty (int): Active first-line agents (PMs, tier 1) within their working hours now and not on time off.
        first_response (FirstResponse):
        chat (bool): A live chat can start now: support hours run and someone is on duty.
    """

    open_: bool
    next_open_at: datetime.datetime | None
    agents_on_duty: int
    first_response: FirstResponse
    chat: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        open_ = self.open_

        next_open_at: None | str
        if isinstance(self.next_open_at, datetime.datetime):
            next_open_at = self.next_open_at.isoformat()
        else:
            next_open_at = self.next_open_at

        agents_on_duty = self.agents_on_duty

        first_response = self.first_response.to_dict()

        chat = self.chat

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "open": open_,
                "next_open_at": next_open_at,
                "agents_on_duty": agents_on_duty,
                "first_response": first_response,
                "chat": chat,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.first_response import FirstResponse  # noqa: PLC0415

        d = dict(src_dict)
        open_ = d.pop("open")

        def _parse_next_open_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                next_open_at_type_0 = datetime.datetime.fromisoformat(data)

                return next_open_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        next_open_at = _parse_next_open_at(d.pop("next_open_at"))

        agents_on_duty = d.pop("agents_on_duty")

        first_response = FirstResponse.from_dict(d.pop("first_response"))

        chat = d.pop("chat")

        availability = cls(
            open_=open_,
            next_open_at=next_open_at,
            agents_on_duty=agents_on_duty,
            first_response=first_response,
            chat=chat,
        )

        availability.additional_properties = d
        return availability

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

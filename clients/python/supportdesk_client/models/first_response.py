from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.priority import Priority

T = TypeVar("T", bound="FirstResponse")


@_attrs_define
class FirstResponse:
    """
    Attributes:
        priority (Priority):
        due_if_raised_now (datetime.datetime | None): When a first response is due for a request raised now (business
            time on the organization's calendar); null if the plan sets no target.
    """

    priority: Priority
    due_if_raised_now: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        priority = self.priority.value

        due_if_raised_now: None | str
        if isinstance(self.due_if_raised_now, datetime.datetime):
            due_if_raised_now = self.due_if_raised_now.isoformat()
        else:
            due_if_raised_now = self.due_if_raised_now

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "priority": priority,
                "due_if_raised_now": due_if_raised_now,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        priority = Priority(d.pop("priority"))

        def _parse_due_if_raised_now(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                due_if_raised_now_type_0 = datetime.datetime.fromisoformat(data)

                return due_if_raised_now_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        due_if_raised_now = _parse_due_if_raised_now(d.pop("due_if_raised_now"))

        first_response = cls(
            priority=priority,
            due_if_raised_now=due_if_raised_now,
        )

        first_response.additional_properties = d
        return first_response

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

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.widget_intake_refused_data_reason import WidgetIntakeRefusedDataReason
from ..types import UNSET, Unset

T = TypeVar("T", bound="WidgetIntakeRefusedData")


@_attrs_define
class WidgetIntakeRefusedData:
    """Someone who is not a designated contact asked through the widget.

    Attributes:
        channel (Literal['widget']):
        email (str):
        reason (WidgetIntakeRefusedDataReason):
        name (str | Unset): When they gave it.
    """

    channel: Literal["widget"]
    email: str
    reason: WidgetIntakeRefusedDataReason
    name: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        channel = self.channel

        email = self.email

        reason = self.reason.value

        name = self.name

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "channel": channel,
                "email": email,
                "reason": reason,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        channel = cast(Literal["widget"], d.pop("channel"))
        if channel != "widget":
            raise ValueError(f"channel must match const 'widget', got '{channel}'")

        email = d.pop("email")

        reason = WidgetIntakeRefusedDataReason(d.pop("reason"))

        name = d.pop("name", UNSET)

        widget_intake_refused_data = cls(
            channel=channel,
            email=email,
            reason=reason,
            name=name,
        )

        widget_intake_refused_data.additional_properties = d
        return widget_intake_refused_data

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

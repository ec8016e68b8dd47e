from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.notification_preference import NotificationPreference
from ..types import UNSET, Unset

T = TypeVar("T", bound="ContactCreate")


@_attrs_define
class ContactCreate:
    """
    Attributes:
        email (str):
        name (str):
        designated (bool | Unset):  Default: False.
        notification_preference (NotificationPreference | Unset): How much mail a contact wants (app/mail/kinds.py says
            which kinds each one gets).
    """

    email: str
    name: str
    designated: bool | Unset = False
    notification_preference: NotificationPreference | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        email = self.email

        name = self.name

        designated = self.designated

        notification_preference: str | Unset = UNSET
        if not isinstance(self.notification_preference, Unset):
            notification_preference = self.notification_preference.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "email": email,
                "name": name,
            }
        )
        if designated is not UNSET:
            field_dict["designated"] = designated
        if notification_preference is not UNSET:
            field_dict["notification_preference"] = notification_preference

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        email = d.pop("email")

        name = d.pop("name")

        designated = d.pop("designated", UNSET)

        _notification_preference = d.pop("notification_preference", UNSET)
        notification_preference: NotificationPreference | Unset
        if isinstance(_notification_preference, Unset):
            notification_preference = UNSET
        else:
            notification_preference = NotificationPreference(_notification_preference)

        contact_create = cls(
            email=email,
            name=name,
            designated=designated,
            notification_preference=notification_preference,
        )

        return contact_create

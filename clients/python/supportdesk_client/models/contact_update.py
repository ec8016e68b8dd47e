from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.notification_preference import NotificationPreference
from ..types import UNSET, Unset

T = TypeVar("T", bound="ContactUpdate")


@_attrs_define
class ContactUpdate:
    """Admin and integration keys change any field; a contact's own key changes only its
    `notification_preference`; only an admin clears a bouncing address.

        Attributes:
            email (str | Unset):
            name (str | Unset):
            designated (bool | Unset):
            notification_preference (NotificationPreference | Unset): How much mail a contact wants (app/mail/kinds.py says
                which kinds each one gets).
            email_bouncing (bool | Unset): `false` (admin only) clears a bouncing address so mail goes to it again; changing
                `email` clears it too.
    """

    email: str | Unset = UNSET
    name: str | Unset = UNSET
    designated: bool | Unset = UNSET
    notification_preference: NotificationPreference | Unset = UNSET
    email_bouncing: bool | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        email = self.email

        name = self.name

        designated = self.designated

        notification_preference: str | Unset = UNSET
        if not isinstance(self.notification_preference, Unset):
            notification_preference = self.notification_preference.value

        email_bouncing = self.email_bouncing

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if email is not UNSET:
            field_dict["email"] = email
        if name is not UNSET:
            field_dict["name"] = name
        if designated is not UNSET:
            field_dict["designated"] = designated
        if notification_preference is not UNSET:
            field_dict["notification_preference"] = notification_preference
        if email_bouncing is not UNSET:
            field_dict["email_bouncing"] = email_bouncing

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        email = d.pop("email", UNSET)

        name = d.pop("name", UNSET)

        designated = d.pop("designated", UNSET)

        _notification_preference = d.pop("notification_preference", UNSET)
        notification_preference: NotificationPreference | Unset
        if isinstance(_notification_preference, Unset):
            notification_preference = UNSET
        else:
            notification_preference = NotificationPreference(_notification_preference)

        email_bouncing = d.pop("email_bouncing", UNSET)

        contact_update = cls(
            email=email,
            name=name,
            designated=designated,
            notification_preference=notification_preference,
            email_bouncing=email_bouncing,
        )

        return contact_update

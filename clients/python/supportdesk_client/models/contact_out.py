from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.notification_preference import NotificationPreference

T = TypeVar("T", bound="ContactOut")


@_attrs_define
class ContactOut:
    """
    Attributes:
        id (UUID):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        organization_id (UUID):
        email (str):
        name (str):
        designated (bool):
        notification_preference (NotificationPreference): How much mail a contact wants (app/mail/kinds.py says which
            kinds each one gets).
        email_bounced_at (datetime.datetime | None): When mail to the address bounced; no mail goes to it until cleared.
        email_bounce_reason (None | str):
        email_bouncing (bool): Whether mail to this address bounced and is held back.
    """

    id: UUID
    created_at: datetime.datetime
    updated_at: datetime.datetime
    organization_id: UUID
    email: str
    name: str
    designated: bool
    notification_preference: NotificationPreference
    email_bounced_at: datetime.datetime | None
    email_bounce_reason: None | str
    email_bouncing: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        organization_id = str(self.organization_id)

        email = self.email

        name = self.name

        designated = self.designated

        notification_preference = self.notification_preference.value

        email_bounced_at: None | str
        if isinstance(self.email_bounced_at, datetime.datetime):
            email_bounced_at = self.email_bounced_at.isoformat()
        else:
            email_bounced_at = self.email_bounced_at

        email_bounce_reason: None | str
        email_bounce_reason = self.email_bounce_reason

        email_bouncing = self.email_bouncing

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "created_at": created_at,
                "updated_at": updated_at,
                "organization_id": organization_id,
                "email": email,
                "name": name,
                "designated": designated,
                "notification_preference": notification_preference,
                "email_bounced_at": email_bounced_at,
                "email_bounce_reason": email_bounce_reason,
                "email_bouncing": email_bouncing,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        organization_id = UUID(d.pop("organization_id"))

        email = d.pop("email")

        name = d.pop("name")

        designated = d.pop("designated")

        notification_preference = NotificationPreference(d.pop("notification_preference"))

        def _parse_email_bounced_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                email_bounced_at_type_0 = datetime.datetime.fromisoformat(data)

                return email_bounced_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        email_bounced_at = _parse_email_bounced_at(d.pop("email_bounced_at"))

        def _parse_email_bounce_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        email_bounce_reason = _parse_email_bounce_reason(d.pop("email_bounce_reason"))

        email_bouncing = d.pop("email_bouncing")

        contact_out = cls(
            id=id,
            created_at=created_at,
            updated_at=updated_at,
            organization_id=organization_id,
            email=email,
            name=name,
            designated=designated,
            notification_preference=notification_preference,
            email_bounced_at=email_bounced_at,
            email_bounce_reason=email_bounce_reason,
            email_bouncing=email_bouncing,
        )

        contact_out.additional_properties = d
        return contact_out

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

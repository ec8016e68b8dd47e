from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.email_intake_refused_data_reason import EmailIntakeRefusedDataReason

T = TypeVar("T", bound="EmailIntakeRefusedData")


@_attrs_define
class EmailIntakeRefusedData:
    """A mail from someone who is not a designated contact.

    Attributes:
        channel (Literal['email']):
        email (None | str): The sender's address; null when unreadable.
        from_ (str): The From header.
        subject (str):
        message_id (str):
        reason (EmailIntakeRefusedDataReason):
        detail (str): What the sender was told.
    """

    channel: Literal["email"]
    email: None | str
    from_: str
    subject: str
    message_id: str
    reason: EmailIntakeRefusedDataReason
    detail: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        channel = self.channel

        email: None | str
        email = self.email

        from_ = self.from_

        subject = self.subject

        message_id = self.message_id

        reason = self.reason.value

        detail = self.detail

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "channel": channel,
                "email": email,
                "from": from_,
                "subject": subject,
                "message_id": message_id,
                "reason": reason,
                "detail": detail,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        channel = cast(Literal["email"], d.pop("channel"))
        if channel != "email":
            raise ValueError(f"channel must match const 'email', got '{channel}'")

        def _parse_email(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        email = _parse_email(d.pop("email"))

        from_ = d.pop("from")

        subject = d.pop("subject")

        message_id = d.pop("message_id")

        reason = EmailIntakeRefusedDataReason(d.pop("reason"))

        detail = d.pop("detail")

        email_intake_refused_data = cls(
            channel=channel,
            email=email,
            from_=from_,
            subject=subject,
            message_id=message_id,
            reason=reason,
            detail=detail,
        )

        email_intake_refused_data.additional_properties = d
        return email_intake_refused_data

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

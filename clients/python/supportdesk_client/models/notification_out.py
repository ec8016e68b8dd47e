from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.kind import Kind
from ..models.notification_status import NotificationStatus

T = TypeVar("T", bound="NotificationOut")


@_attrs_define
class NotificationOut:
    """
    Attributes:
        id (UUID):
        kind (Kind):
        event_id (None | UUID): The event the mail answers.
        contact_id (UUID):
        recipient (str):
        subject (str):
        message_id (str):
        in_reply_to (None | str):
        status (NotificationStatus):
        attempts (int):
        smtp_code (int | None): The SMTP server's last reply code.
        smtp_reply (None | str): The SMTP server's last reply, or why the mail was not sent.
        next_attempt_at (datetime.datetime | None): While pending: the next attempt.
        sent_at (datetime.datetime | None):
        created_at (datetime.datetime):
    """

    id: UUID
    kind: Kind
    event_id: None | UUID
    contact_id: UUID
    recipient: str
    subject: str
    message_id: str
    in_reply_to: None | str
    status: NotificationStatus
    attempts: int
    smtp_code: int | None
    smtp_reply: None | str
    next_attempt_at: datetime.datetime | None
    sent_at: datetime.datetime | None
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        kind = self.kind.value

        event_id: None | str
        if isinstance(self.event_id, UUID):
            event_id = str(self.event_id)
        else:
            event_id = self.event_id

        contact_id = str(self.contact_id)

        recipient = self.recipient

        subject = self.subject

        message_id = self.message_id

        in_reply_to: None | str
        in_reply_to = self.in_reply_to

        status = self.status.value

        attempts = self.attempts

        smtp_code: int | None
        smtp_code = self.smtp_code

        smtp_reply: None | str
        smtp_reply = self.smtp_reply

        next_attempt_at: None | str
        if isinstance(self.next_attempt_at, datetime.datetime):
            next_attempt_at = self.next_attempt_at.isoformat()
        else:
            next_attempt_at = self.next_attempt_at

        sent_at: None | str
        if isinstance(self.sent_at, datetime.datetime):
            sent_at = self.sent_at.isoformat()
        else:
            sent_at = self.sent_at

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "kind": kind,
                "event_id": event_id,
                "contact_id": contact_id,
                "recipient": recipient,
                "subject": subject,
                "message_id": message_id,
                "in_reply_to": in_reply_to,
                "status": status,
                "attempts": attempts,
                "smtp_code": smtp_code,
                "smtp_reply": smtp_reply,
                "next_attempt_at": next_attempt_at,
                "sent_at": sent_at,
                "created_at": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        kind = Kind(d.pop("kind"))

        def _parse_event_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                event_id_type_0 = UUID(data)

                return event_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        event_id = _parse_event_id(d.pop("event_id"))

        contact_id = UUID(d.pop("contact_id"))

        recipient = d.pop("recipient")

        subject = d.pop("subject")

        message_id = d.pop("message_id")

        def _parse_in_reply_to(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        in_reply_to = _parse_in_reply_to(d.pop("in_reply_to"))

        status = NotificationStatus(d.pop("status"))

        attempts = d.pop("attempts")

        def _parse_smtp_code(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        smtp_code = _parse_smtp_code(d.pop("smtp_code"))

        def _parse_smtp_reply(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        smtp_reply = _parse_smtp_reply(d.pop("smtp_reply"))

        def _parse_next_attempt_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                next_attempt_at_type_0 = datetime.datetime.fromisoformat(data)

                return next_attempt_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        next_attempt_at = _parse_next_attempt_at(d.pop("next_attempt_at"))

        def _parse_sent_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                sent_at_type_0 = datetime.datetime.fromisoformat(data)

                return sent_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        sent_at = _parse_sent_at(d.pop("sent_at"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        notification_out = cls(
            id=id,
            kind=kind,
            event_id=event_id,
            contact_id=contact_id,
            recipient=recipient,
            subject=subject,
            message_id=message_id,
            in_reply_to=in_reply_to,
            status=status,
            attempts=attempts,
            smtp_code=smtp_code,
            smtp_reply=smtp_reply,
            next_attempt_at=next_attempt_at,
            sent_at=sent_at,
            created_at=created_at,
        )

        notification_out.additional_properties = d
        return notification_out

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

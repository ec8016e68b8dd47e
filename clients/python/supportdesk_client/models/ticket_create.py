from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.category import Category
from ..models.channel import Channel
from ..models.priority import Priority
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.ticket_context import TicketContext


T = TypeVar("T", bound="TicketCreate")


@_attrs_define
class TicketCreate:
    """
    Attributes:
        subject (str):
        description (str):
        priority (Priority | Unset):
        category (Category | Unset):
        channel (Channel | None | Unset): Defaults to `api` (`portal` for contact keys, `widget` for widget keys).
        requester_id (None | Unset | UUID): A designated contact; implied for contact keys.
        emergency (bool | Unset): Site down, data loss, security incident: critical, 24/7. Default: False.
        context (TicketContext | Unset): What the client's environment looked like when the problem happened.
        created_at (datetime.datetime | None | Unset): Admin imports only: a past instant; the ticket's clocks start
            then.
        attachment_ids (list[UUID] | Unset): Uploads (POST /v1/attachments) to bind here; up to 20.
    """

    subject: str
    description: str
    priority: Priority | Unset = UNSET
    category: Category | Unset = UNSET
    channel: Channel | None | Unset = UNSET
    requester_id: None | Unset | UUID = UNSET
    emergency: bool | Unset = False
    context: TicketContext | Unset = UNSET
    created_at: datetime.datetime | None | Unset = UNSET
    attachment_ids: list[UUID] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        subject = self.subject

        description = self.description

        priority: str | Unset = UNSET
        if not isinstance(self.priority, Unset):
            priority = self.priority.value

        category: str | Unset = UNSET
        if not isinstance(self.category, Unset):
            category = self.category.value

        channel: None | str | Unset
        if isinstance(self.channel, Unset):
            channel = UNSET
        elif isinstance(self.channel, Channel):
            channel = self.channel.value
        else:
            channel = self.channel

        requester_id: None | str | Unset
        if isinstance(self.requester_id, Unset):
            requester_id = UNSET
        elif isinstance(self.requester_id, UUID):
            requester_id = str(self.requester_id)
        else:
            requester_id = self.requester_id

        emergency = self.emergency

        context: dict[str, Any] | Unset = UNSET
        if not isinstance(self.context, Unset):
            context = self.context.to_dict()

        created_at: None | str | Unset
        if isinstance(self.created_at, Unset):
            created_at = UNSET
        elif isinstance(self.created_at, datetime.datetime):
            created_at = self.created_at.isoformat()
        else:
            created_at = self.created_at

        attachment_ids: list[str] | Unset = UNSET
        if not isinstance(self.attachment_ids, Unset):
            attachment_ids = []
            for attachment_ids_item_data in self.attachment_ids:
                attachment_ids_item = str(attachment_ids_item_data)
                attachment_ids.append(attachment_ids_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "subject": subject,
                "description": description,
            }
        )
        if priority is not UNSET:
            field_dict["priority"] = priority
        if category is not UNSET:
            field_dict["category"] = category
        if channel is not UNSET:
            field_dict["channel"] = channel
        if requester_id is not UNSET:
            field_dict["requester_id"] = requester_id
        if emergency is not UNSET:
            field_dict["emergency"] = emergency
        if context is not UNSET:
            field_dict["context"] = context
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if attachment_ids is not UNSET:
            field_dict["attachment_ids"] = attachment_ids

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.ticket_context import TicketContext  # noqa: PLC0415

        d = dict(src_dict)
        subject = d.pop("subject")

        description = d.pop("description")

        _priority = d.pop("priority", UNSET)
        priority: Priority | Unset
        if isinstance(_priority, Unset):
            priority = UNSET
        else:
            priority = Priority(_priority)

        _category = d.pop("category", UNSET)
        category: Category | Unset
        if isinstance(_category, Unset):
            category = UNSET
        else:
            category = Category(_category)

        def _parse_channel(data: object) -> Channel | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                channel_type_0 = Channel(data)

                return channel_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Channel | None | Unset, data)

        channel = _parse_channel(d.pop("channel", UNSET))

        def _parse_requester_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                requester_id_type_0 = UUID(data)

                return requester_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        requester_id = _parse_requester_id(d.pop("requester_id", UNSET))

        emergency = d.pop("emergency", UNSET)

        _context = d.pop("context", UNSET)
        context: TicketContext | Unset
        if isinstance(_context, Unset):
            context = UNSET
        else:
            context = TicketContext.from_dict(_context)

        def _parse_created_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                created_at_type_0 = datetime.datetime.fromisoformat(data)

                return created_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        created_at = _parse_created_at(d.pop("created_at", UNSET))

        _attachment_ids = d.pop("attachment_ids", UNSET)
        attachment_ids: list[UUID] | Unset = UNSET
        if _attachment_ids is not UNSET:
            attachment_ids = []
            for attachment_ids_item_data in _attachment_ids:
                attachment_ids_item = UUID(attachment_ids_item_data)

                attachment_ids.append(attachment_ids_item)

        ticket_create = cls(
            subject=subject,
            description=description,
            priority=priority,
            category=category,
            channel=channel,
            requester_id=requester_id,
            emergency=emergency,
            context=context,
            created_at=created_at,
            attachment_ids=attachment_ids,
        )

        return ticket_create

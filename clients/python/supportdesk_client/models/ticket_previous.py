from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.category import Category
from ..models.priority import Priority
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.previous_context import PreviousContext


T = TypeVar("T", bound="TicketPrevious")


@_attrs_define
class TicketPrevious:
    """The fields the update changed, as they were before it (only those).

    Attributes:
        subject (str | Unset):
        description (str | Unset):
        priority (Priority | Unset):
        category (Category | Unset):
        emergency (bool | Unset):
        context (PreviousContext | Unset): A ticket's context as it was stored: only the values that were given.
        assignee_id (None | Unset | UUID):
        queue_position (int | None | Unset): Set when the client reordered its queue (PUT …/queue).
    """

    subject: str | Unset = UNSET
    description: str | Unset = UNSET
    priority: Priority | Unset = UNSET
    category: Category | Unset = UNSET
    emergency: bool | Unset = UNSET
    context: PreviousContext | Unset = UNSET
    assignee_id: None | Unset | UUID = UNSET
    queue_position: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        subject = self.subject

        description = self.description

        priority: str | Unset = UNSET
        if not isinstance(self.priority, Unset):
            priority = self.priority.value

        category: str | Unset = UNSET
        if not isinstance(self.category, Unset):
            category = self.category.value

        emergency = self.emergency

        context: dict[str, Any] | Unset = UNSET
        if not isinstance(self.context, Unset):
            context = self.context.to_dict()

        assignee_id: None | str | Unset
        if isinstance(self.assignee_id, Unset):
            assignee_id = UNSET
        elif isinstance(self.assignee_id, UUID):
            assignee_id = str(self.assignee_id)
        else:
            assignee_id = self.assignee_id

        queue_position: int | None | Unset
        if isinstance(self.queue_position, Unset):
            queue_position = UNSET
        else:
            queue_position = self.queue_position

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if subject is not UNSET:
            field_dict["subject"] = subject
        if description is not UNSET:
            field_dict["description"] = description
        if priority is not UNSET:
            field_dict["priority"] = priority
        if category is not UNSET:
            field_dict["category"] = category
        if emergency is not UNSET:
            field_dict["emergency"] = emergency
        if context is not UNSET:
            field_dict["context"] = context
        if assignee_id is not UNSET:
            field_dict["assignee_id"] = assignee_id
        if queue_position is not UNSET:
            field_dict["queue_position"] = queue_position

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.previous_context import PreviousContext  # noqa: PLC0415

        d = dict(src_dict)
        subject = d.pop("subject", UNSET)

        description = d.pop("description", UNSET)

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

        emergency = d.pop("emergency", UNSET)

        _context = d.pop("context", UNSET)
        context: PreviousContext | Unset
        if isinstance(_context, Unset):
            context = UNSET
        else:
            context = PreviousContext.from_dict(_context)

        def _parse_assignee_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                assignee_id_type_0 = UUID(data)

                return assignee_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        assignee_id = _parse_assignee_id(d.pop("assignee_id", UNSET))

        def _parse_queue_position(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        queue_position = _parse_queue_position(d.pop("queue_position", UNSET))

        ticket_previous = cls(
            subject=subject,
            description=description,
            priority=priority,
            category=category,
            emergency=emergency,
            context=context,
            assignee_id=assignee_id,
            queue_position=queue_position,
        )

        ticket_previous.additional_properties = d
        return ticket_previous

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

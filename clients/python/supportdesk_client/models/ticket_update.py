from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.category import Category
from ..models.priority import Priority
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.ticket_context import TicketContext


T = TypeVar("T", bound="TicketUpdate")


@_attrs_define
class TicketUpdate:
    """
    Attributes:
        subject (str | Unset):
        description (str | Unset):
        priority (Priority | Unset):
        category (Category | Unset):
        emergency (bool | Unset):
        context (TicketContext | Unset): What the client's environment looked like when the problem happened.
        assignee_id (None | Unset | UUID): Staff only.
    """

    subject: str | Unset = UNSET
    description: str | Unset = UNSET
    priority: Priority | Unset = UNSET
    category: Category | Unset = UNSET
    emergency: bool | Unset = UNSET
    context: TicketContext | Unset = UNSET
    assignee_id: None | Unset | UUID = UNSET

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

        field_dict: dict[str, Any] = {}

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

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.ticket_context import TicketContext  # noqa: PLC0415

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
        context: TicketContext | Unset
        if isinstance(_context, Unset):
            context = UNSET
        else:
            context = TicketContext.from_dict(_context)

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

        ticket_update = cls(
            subject=subject,
            description=description,
            priority=priority,
            category=category,
            emergency=emergency,
            context=context,
            assignee_id=assignee_id,
        )

        return ticket_update

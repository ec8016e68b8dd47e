from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.category import Category
from ..models.priority import Priority
from ..types import UNSET, Unset

T = TypeVar("T", bound="SplitPart")


@_attrs_define
class SplitPart:
    """
    Attributes:
        subject (str):
        description (str):
        category (Category | None | Unset): Default: the original's.
        priority (None | Priority | Unset): Default: the original's.
    """

    subject: str
    description: str
    category: Category | None | Unset = UNSET
    priority: None | Priority | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        subject = self.subject

        description = self.description

        category: None | str | Unset
        if isinstance(self.category, Unset):
            category = UNSET
        elif isinstance(self.category, Category):
            category = self.category.value
        else:
            category = self.category

        priority: None | str | Unset
        if isinstance(self.priority, Unset):
            priority = UNSET
        elif isinstance(self.priority, Priority):
            priority = self.priority.value
        else:
            priority = self.priority

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "subject": subject,
                "description": description,
            }
        )
        if category is not UNSET:
            field_dict["category"] = category
        if priority is not UNSET:
            field_dict["priority"] = priority

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        subject = d.pop("subject")

        description = d.pop("description")

        def _parse_category(data: object) -> Category | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                category_type_0 = Category(data)

                return category_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Category | None | Unset, data)

        category = _parse_category(d.pop("category", UNSET))

        def _parse_priority(data: object) -> None | Priority | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                priority_type_0 = Priority(data)

                return priority_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Priority | Unset, data)

        priority = _parse_priority(d.pop("priority", UNSET))

        split_part = cls(
            subject=subject,
            description=description,
            category=category,
            priority=priority,
        )

        return split_part

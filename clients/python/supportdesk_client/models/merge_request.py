from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

T = TypeVar("T", bound="MergeRequest")


@_attrs_define
class MergeRequest:
    """
    Attributes:
        into (UUID): The ticket that stays; this one closes as its duplicate.
    """

    into: UUID

    def to_dict(self) -> dict[str, Any]:
        into = str(self.into)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "into": into,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        into = UUID(d.pop("into"))

        merge_request = cls(
            into=into,
        )

        return merge_request

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

T = TypeVar("T", bound="LinkRequest")


@_attrs_define
class LinkRequest:
    """
    Attributes:
        problem_id (UUID): The problem ticket this one is an incident of.
    """

    problem_id: UUID

    def to_dict(self) -> dict[str, Any]:
        problem_id = str(self.problem_id)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "problem_id": problem_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        problem_id = UUID(d.pop("problem_id"))

        link_request = cls(
            problem_id=problem_id,
        )

        return link_request

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ExplicitAssignment")


@_attrs_define
class ExplicitAssignment:
    """An admin chose the PM (POST /v1/organizations/{id}/pm/assign with `agent_id`).

    Attributes:
        explicit (bool):
        agent_id (UUID):
    """

    explicit: bool
    agent_id: UUID
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        explicit = self.explicit

        agent_id = str(self.agent_id)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "explicit": explicit,
                "agent_id": agent_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        explicit = d.pop("explicit")

        agent_id = UUID(d.pop("agent_id"))

        explicit_assignment = cls(
            explicit=explicit,
            agent_id=agent_id,
        )

        explicit_assignment.additional_properties = d
        return explicit_assignment

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

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.role import Role

if TYPE_CHECKING:
    from ..models.weekly_hours_out import WeeklyHoursOut


T = TypeVar("T", bound="AgentOut")


@_attrs_define
class AgentOut:
    """
    Attributes:
        id (UUID):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        name (str):
        email (str):
        role (Role):
        expertise (list[str]):
        timezone (str):
        working_hours (WeeklyHoursOut): Open intervals per weekday, local time, as responses show them: all seven days
            (a day
            left out of a request is closed).
        capacity (int):
        backup_agent_id (None | UUID):
        active (bool):
    """

    id: UUID
    created_at: datetime.datetime
    updated_at: datetime.datetime
    name: str
    email: str
    role: Role
    expertise: list[str]
    timezone: str
    working_hours: WeeklyHoursOut
    capacity: int
    backup_agent_id: None | UUID
    active: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        name = self.name

        email = self.email

        role = self.role.value

        expertise = self.expertise

        timezone = self.timezone

        working_hours = self.working_hours.to_dict()

        capacity = self.capacity

        backup_agent_id: None | str
        if isinstance(self.backup_agent_id, UUID):
            backup_agent_id = str(self.backup_agent_id)
        else:
            backup_agent_id = self.backup_agent_id

        active = self.active

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "created_at": created_at,
                "updated_at": updated_at,
                "name": name,
                "email": email,
                "role": role,
                "expertise": expertise,
                "timezone": timezone,
                "working_hours": working_hours,
                "capacity": capacity,
                "backup_agent_id": backup_agent_id,
                "active": active,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.weekly_hours_out import WeeklyHoursOut  # noqa: PLC0415

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        name = d.pop("name")

        email = d.pop("email")

        role = Role(d.pop("role"))

        expertise = cast(list[str], d.pop("expertise"))

        timezone = d.pop("timezone")

        working_hours = WeeklyHoursOut.from_dict(d.pop("working_hours"))

        capacity = d.pop("capacity")

        def _parse_backup_agent_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                backup_agent_id_type_0 = UUID(data)

                return backup_agent_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        backup_agent_id = _parse_backup_agent_id(d.pop("backup_agent_id"))

        active = d.pop("active")

        agent_out = cls(
            id=id,
            created_at=created_at,
            updated_at=updated_at,
            name=name,
            email=email,
            role=role,
            expertise=expertise,
            timezone=timezone,
            working_hours=working_hours,
            capacity=capacity,
            backup_agent_id=backup_agent_id,
            active=active,
        )

        agent_out.additional_properties = d
        return agent_out

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

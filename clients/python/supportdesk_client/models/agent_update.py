from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.role import Role
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.weekly_hours import WeeklyHours


T = TypeVar("T", bound="AgentUpdate")


@_attrs_define
class AgentUpdate:
    """
    Attributes:
        name (str | Unset):
        email (str | Unset):
        role (Role | Unset):
        expertise (list[str] | Unset):
        timezone (str | Unset):
        working_hours (WeeklyHours | Unset): Open intervals per weekday, local time: [["09:00", "18:00"]]; end <= start
            spans midnight.
        capacity (int | Unset):
        backup_agent_id (None | Unset | UUID):
        active (bool | Unset):
    """

    name: str | Unset = UNSET
    email: str | Unset = UNSET
    role: Role | Unset = UNSET
    expertise: list[str] | Unset = UNSET
    timezone: str | Unset = UNSET
    working_hours: WeeklyHours | Unset = UNSET
    capacity: int | Unset = UNSET
    backup_agent_id: None | Unset | UUID = UNSET
    active: bool | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        email = self.email

        role: str | Unset = UNSET
        if not isinstance(self.role, Unset):
            role = self.role.value

        expertise: list[str] | Unset = UNSET
        if not isinstance(self.expertise, Unset):
            expertise = self.expertise

        timezone = self.timezone

        working_hours: dict[str, Any] | Unset = UNSET
        if not isinstance(self.working_hours, Unset):
            working_hours = self.working_hours.to_dict()

        capacity = self.capacity

        backup_agent_id: None | str | Unset
        if isinstance(self.backup_agent_id, Unset):
            backup_agent_id = UNSET
        elif isinstance(self.backup_agent_id, UUID):
            backup_agent_id = str(self.backup_agent_id)
        else:
            backup_agent_id = self.backup_agent_id

        active = self.active

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
        if email is not UNSET:
            field_dict["email"] = email
        if role is not UNSET:
            field_dict["role"] = role
        if expertise is not UNSET:
            field_dict["expertise"] = expertise
        if timezone is not UNSET:
            field_dict["timezone"] = timezone
        if working_hours is not UNSET:
            field_dict["working_hours"] = working_hours
        if capacity is not UNSET:
            field_dict["capacity"] = capacity
        if backup_agent_id is not UNSET:
            field_dict["backup_agent_id"] = backup_agent_id
        if active is not UNSET:
            field_dict["active"] = active

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.weekly_hours import WeeklyHours  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name", UNSET)

        email = d.pop("email", UNSET)

        _role = d.pop("role", UNSET)
        role: Role | Unset
        if isinstance(_role, Unset):
            role = UNSET
        else:
            role = Role(_role)

        expertise = cast(list[str], d.pop("expertise", UNSET))

        timezone = d.pop("timezone", UNSET)

        _working_hours = d.pop("working_hours", UNSET)
        working_hours: WeeklyHours | Unset
        if isinstance(_working_hours, Unset):
            working_hours = UNSET
        else:
            working_hours = WeeklyHours.from_dict(_working_hours)

        capacity = d.pop("capacity", UNSET)

        def _parse_backup_agent_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                backup_agent_id_type_0 = UUID(data)

                return backup_agent_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        backup_agent_id = _parse_backup_agent_id(d.pop("backup_agent_id", UNSET))

        active = d.pop("active", UNSET)

        agent_update = cls(
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

        return agent_update

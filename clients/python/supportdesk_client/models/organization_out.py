from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.plan import Plan

T = TypeVar("T", bound="OrganizationOut")


@_attrs_define
class OrganizationOut:
    """
    Attributes:
        id (UUID):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        name (str):
        plan (Plan):
        industry (None | str):
        platform (None | str):
        calendar_id (None | UUID):
        pm_id (None | UUID):
        max_designated_contacts (int):
        designated_count (int):
    """

    id: UUID
    created_at: datetime.datetime
    updated_at: datetime.datetime
    name: str
    plan: Plan
    industry: None | str
    platform: None | str
    calendar_id: None | UUID
    pm_id: None | UUID
    max_designated_contacts: int
    designated_count: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        name = self.name

        plan = self.plan.value

        industry: None | str
        industry = self.industry

        platform: None | str
        platform = self.platform

        calendar_id: None | str
        if isinstance(self.calendar_id, UUID):
            calendar_id = str(self.calendar_id)
        else:
            calendar_id = self.calendar_id

        pm_id: None | str
        if isinstance(self.pm_id, UUID):
            pm_id = str(self.pm_id)
        else:
            pm_id = self.pm_id

        max_designated_contacts = self.max_designated_contacts

        designated_count = self.designated_count

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "created_at": created_at,
                "updated_at": updated_at,
                "name": name,
                "plan": plan,
                "industry": industry,
                "platform": platform,
                "calendar_id": calendar_id,
                "pm_id": pm_id,
                "max_designated_contacts": max_designated_contacts,
                "designated_count": designated_count,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        name = d.pop("name")

        plan = Plan(d.pop("plan"))

        def _parse_industry(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        industry = _parse_industry(d.pop("industry"))

        def _parse_platform(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        platform = _parse_platform(d.pop("platform"))

        def _parse_calendar_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                calendar_id_type_0 = UUID(data)

                return calendar_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        calendar_id = _parse_calendar_id(d.pop("calendar_id"))

        def _parse_pm_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                pm_id_type_0 = UUID(data)

                return pm_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        pm_id = _parse_pm_id(d.pop("pm_id"))

        max_designated_contacts = d.pop("max_designated_contacts")

        designated_count = d.pop("designated_count")

        organization_out = cls(
            id=id,
            created_at=created_at,
            updated_at=updated_at,
            name=name,
            plan=plan,
            industry=industry,
            platform=platform,
            calendar_id=calendar_id,
            pm_id=pm_id,
            max_designated_contacts=max_designated_contacts,
            designated_count=designated_count,
        )

        organization_out.additional_properties = d
        return organization_out

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

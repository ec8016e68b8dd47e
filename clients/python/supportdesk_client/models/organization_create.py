from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.plan import Plan
from ..types import UNSET, Unset

T = TypeVar("T", bound="OrganizationCreate")


@_attrs_define
class OrganizationCreate:
    """
    Attributes:
        name (str):
        plan (Plan | Unset):
        industry (None | str | Unset):
        platform (None | str | Unset):
        calendar_id (None | Unset | UUID): Business calendar; the default calendar when null.
        max_designated_contacts (int | None | Unset): Defaults to the service setting (5).
    """

    name: str
    plan: Plan | Unset = UNSET
    industry: None | str | Unset = UNSET
    platform: None | str | Unset = UNSET
    calendar_id: None | Unset | UUID = UNSET
    max_designated_contacts: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        plan: str | Unset = UNSET
        if not isinstance(self.plan, Unset):
            plan = self.plan.value

        industry: None | str | Unset
        if isinstance(self.industry, Unset):
            industry = UNSET
        else:
            industry = self.industry

        platform: None | str | Unset
        if isinstance(self.platform, Unset):
            platform = UNSET
        else:
            platform = self.platform

        calendar_id: None | str | Unset
        if isinstance(self.calendar_id, Unset):
            calendar_id = UNSET
        elif isinstance(self.calendar_id, UUID):
            calendar_id = str(self.calendar_id)
        else:
            calendar_id = self.calendar_id

        max_designated_contacts: int | None | Unset
        if isinstance(self.max_designated_contacts, Unset):
            max_designated_contacts = UNSET
        else:
            max_designated_contacts = self.max_designated_contacts

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
            }
        )
        if plan is not UNSET:
            field_dict["plan"] = plan
        if industry is not UNSET:
            field_dict["industry"] = industry
        if platform is not UNSET:
            field_dict["platform"] = platform
        if calendar_id is not UNSET:
            field_dict["calendar_id"] = calendar_id
        if max_designated_contacts is not UNSET:
            field_dict["max_designated_contacts"] = max_designated_contacts

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        _plan = d.pop("plan", UNSET)
        plan: Plan | Unset
        if isinstance(_plan, Unset):
            plan = UNSET
        else:
            plan = Plan(_plan)

        def _parse_industry(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        industry = _parse_industry(d.pop("industry", UNSET))

        def _parse_platform(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        platform = _parse_platform(d.pop("platform", UNSET))

        def _parse_calendar_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                calendar_id_type_0 = UUID(data)

                return calendar_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        calendar_id = _parse_calendar_id(d.pop("calendar_id", UNSET))

        def _parse_max_designated_contacts(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_designated_contacts = _parse_max_designated_contacts(d.pop("max_designated_contacts", UNSET))

        organization_create = cls(
            name=name,
            plan=plan,
            industry=industry,
            platform=platform,
            calendar_id=calendar_id,
            max_designated_contacts=max_designated_contacts,
        )

        return organization_create

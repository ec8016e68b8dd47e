from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="PmChangeRequestOut")


@_attrs_define
class PmChangeRequestOut:
    """
    Attributes:
        id (UUID):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        organization_id (UUID):
        contact_id (None | UUID):
        reason (str):
        status (str): `pending` until a different PM is assigned, then `done`.
        previous_pm_id (None | UUID):
        new_pm_id (None | UUID):
        outcome (None | str):
        completed_at (datetime.datetime | None):
    """

    id: UUID
    created_at: datetime.datetime
    updated_at: datetime.datetime
    organization_id: UUID
    contact_id: None | UUID
    reason: str
    status: str
    previous_pm_id: None | UUID
    new_pm_id: None | UUID
    outcome: None | str
    completed_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        organization_id = str(self.organization_id)

        contact_id: None | str
        if isinstance(self.contact_id, UUID):
            contact_id = str(self.contact_id)
        else:
            contact_id = self.contact_id

        reason = self.reason

        status = self.status

        previous_pm_id: None | str
        if isinstance(self.previous_pm_id, UUID):
            previous_pm_id = str(self.previous_pm_id)
        else:
            previous_pm_id = self.previous_pm_id

        new_pm_id: None | str
        if isinstance(self.new_pm_id, UUID):
            new_pm_id = str(self.new_pm_id)
        else:
            new_pm_id = self.new_pm_id

        outcome: None | str
        outcome = self.outcome

        completed_at: None | str
        if isinstance(self.completed_at, datetime.datetime):
            completed_at = self.completed_at.isoformat()
        else:
            completed_at = self.completed_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "created_at": created_at,
                "updated_at": updated_at,
                "organization_id": organization_id,
                "contact_id": contact_id,
                "reason": reason,
                "status": status,
                "previous_pm_id": previous_pm_id,
                "new_pm_id": new_pm_id,
                "outcome": outcome,
                "completed_at": completed_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        organization_id = UUID(d.pop("organization_id"))

        def _parse_contact_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                contact_id_type_0 = UUID(data)

                return contact_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        contact_id = _parse_contact_id(d.pop("contact_id"))

        reason = d.pop("reason")

        status = d.pop("status")

        def _parse_previous_pm_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                previous_pm_id_type_0 = UUID(data)

                return previous_pm_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        previous_pm_id = _parse_previous_pm_id(d.pop("previous_pm_id"))

        def _parse_new_pm_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                new_pm_id_type_0 = UUID(data)

                return new_pm_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        new_pm_id = _parse_new_pm_id(d.pop("new_pm_id"))

        def _parse_outcome(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        outcome = _parse_outcome(d.pop("outcome"))

        def _parse_completed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                completed_at_type_0 = datetime.datetime.fromisoformat(data)

                return completed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        completed_at = _parse_completed_at(d.pop("completed_at"))

        pm_change_request_out = cls(
            id=id,
            created_at=created_at,
            updated_at=updated_at,
            organization_id=organization_id,
            contact_id=contact_id,
            reason=reason,
            status=status,
            previous_pm_id=previous_pm_id,
            new_pm_id=new_pm_id,
            outcome=outcome,
            completed_at=completed_at,
        )

        pm_change_request_out.additional_properties = d
        return pm_change_request_out

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

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.organization_out import OrganizationOut
    from ..models.organization_pm_unassigned_data_refusals import OrganizationPmUnassignedDataRefusals


T = TypeVar("T", bound="OrganizationPmUnassignedData")


@_attrs_define
class OrganizationPmUnassignedData:
    """
    Attributes:
        organization (OrganizationOut):
        refusals (OrganizationPmUnassignedDataRefusals | Unset): Staff only. Why each PM could not take the
            organization.
    """

    organization: OrganizationOut
    refusals: OrganizationPmUnassignedDataRefusals | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        organization = self.organization.to_dict()

        refusals: dict[str, Any] | Unset = UNSET
        if not isinstance(self.refusals, Unset):
            refusals = self.refusals.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "organization": organization,
            }
        )
        if refusals is not UNSET:
            field_dict["refusals"] = refusals

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.organization_out import OrganizationOut  # noqa: PLC0415
        from ..models.organization_pm_unassigned_data_refusals import OrganizationPmUnassignedDataRefusals  # noqa: PLC0415

        d = dict(src_dict)
        organization = OrganizationOut.from_dict(d.pop("organization"))

        _refusals = d.pop("refusals", UNSET)
        refusals: OrganizationPmUnassignedDataRefusals | Unset
        if isinstance(_refusals, Unset):
            refusals = UNSET
        else:
            refusals = OrganizationPmUnassignedDataRefusals.from_dict(_refusals)

        organization_pm_unassigned_data = cls(
            organization=organization,
            refusals=refusals,
        )

        organization_pm_unassigned_data.additional_properties = d
        return organization_pm_unassigned_data

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

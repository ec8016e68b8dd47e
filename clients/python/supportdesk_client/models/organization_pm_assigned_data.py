from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.explicit_assignment import ExplicitAssignment
    from ..models.organization_out import OrganizationOut
    from ..models.previous_pm import PreviousPm
    from ..models.score_breakdown import ScoreBreakdown


T = TypeVar("T", bound="OrganizationPmAssignedData")


@_attrs_define
class OrganizationPmAssignedData:
    """
    Attributes:
        organization (OrganizationOut):
        previous (PreviousPm):
        reason (str | Unset): Why, when asked for (a change request, `set by admin`).
        assignment (ExplicitAssignment | ScoreBreakdown | Unset): Staff only. Why this PM.
    """

    organization: OrganizationOut
    previous: PreviousPm
    reason: str | Unset = UNSET
    assignment: ExplicitAssignment | ScoreBreakdown | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.score_breakdown import ScoreBreakdown  # noqa: PLC0415

        organization = self.organization.to_dict()

        previous = self.previous.to_dict()

        reason = self.reason

        assignment: dict[str, Any] | Unset
        if isinstance(self.assignment, Unset):
            assignment = UNSET
        elif isinstance(self.assignment, ScoreBreakdown):
            assignment = self.assignment.to_dict()
        else:
            assignment = self.assignment.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "organization": organization,
                "previous": previous,
            }
        )
        if reason is not UNSET:
            field_dict["reason"] = reason
        if assignment is not UNSET:
            field_dict["assignment"] = assignment

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.explicit_assignment import ExplicitAssignment  # noqa: PLC0415
        from ..models.organization_out import OrganizationOut  # noqa: PLC0415
        from ..models.previous_pm import PreviousPm  # noqa: PLC0415
        from ..models.score_breakdown import ScoreBreakdown  # noqa: PLC0415

        d = dict(src_dict)
        organization = OrganizationOut.from_dict(d.pop("organization"))

        previous = PreviousPm.from_dict(d.pop("previous"))

        reason = d.pop("reason", UNSET)

        def _parse_assignment(data: object) -> ExplicitAssignment | ScoreBreakdown | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                assignment_type_0 = ScoreBreakdown.from_dict(data)

                return assignment_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            assignment_type_1 = ExplicitAssignment.from_dict(data)

            return assignment_type_1

        assignment = _parse_assignment(d.pop("assignment", UNSET))

        organization_pm_assigned_data = cls(
            organization=organization,
            previous=previous,
            reason=reason,
            assignment=assignment,
        )

        organization_pm_assigned_data.additional_properties = d
        return organization_pm_assigned_data

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

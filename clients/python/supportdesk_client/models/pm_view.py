from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.pm_view_state import PmViewState

if TYPE_CHECKING:
    from ..models.agent_out import AgentOut
    from ..models.explicit_assignment import ExplicitAssignment
    from ..models.score_breakdown import ScoreBreakdown


T = TypeVar("T", bound="PmView")


@_attrs_define
class PmView:
    """An organization's dedicated PM, or its wait for one, with the choice explained.

    Attributes:
        organization_id (UUID):
        state (PmViewState):
        pm_id (None | UUID):
        pm (AgentOut | None):
        requested_at (datetime.datetime | None): When a PM was wanted (while waiting).
        due_at (datetime.datetime | None): The assignment target (24 h by default).
        assigned_at (datetime.datetime | None):
        assignment (ExplicitAssignment | None | ScoreBreakdown): Why this PM: the score breakdown of the choice
            (expertise, overlap, load), or `explicit` when an admin chose them; null until a PM is first chosen.
    """

    organization_id: UUID
    state: PmViewState
    pm_id: None | UUID
    pm: AgentOut | None
    requested_at: datetime.datetime | None
    due_at: datetime.datetime | None
    assigned_at: datetime.datetime | None
    assignment: ExplicitAssignment | None | ScoreBreakdown
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.agent_out import AgentOut  # noqa: PLC0415
        from ..models.explicit_assignment import ExplicitAssignment  # noqa: PLC0415
        from ..models.score_breakdown import ScoreBreakdown  # noqa: PLC0415

        organization_id = str(self.organization_id)

        state = self.state.value

        pm_id: None | str
        if isinstance(self.pm_id, UUID):
            pm_id = str(self.pm_id)
        else:
            pm_id = self.pm_id

        pm: dict[str, Any] | None
        if isinstance(self.pm, AgentOut):
            pm = self.pm.to_dict()
        else:
            pm = self.pm

        requested_at: None | str
        if isinstance(self.requested_at, datetime.datetime):
            requested_at = self.requested_at.isoformat()
        else:
            requested_at = self.requested_at

        due_at: None | str
        if isinstance(self.due_at, datetime.datetime):
            due_at = self.due_at.isoformat()
        else:
            due_at = self.due_at

        assigned_at: None | str
        if isinstance(self.assigned_at, datetime.datetime):
            assigned_at = self.assigned_at.isoformat()
        else:
            assigned_at = self.assigned_at

        assignment: dict[str, Any] | None
        if isinstance(self.assignment, ScoreBreakdown):
            assignment = self.assignment.to_dict()
        elif isinstance(self.assignment, ExplicitAssignment):
            assignment = self.assignment.to_dict()
        else:
            assignment = self.assignment

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "organization_id": organization_id,
                "state": state,
                "pm_id": pm_id,
                "pm": pm,
                "requested_at": requested_at,
                "due_at": due_at,
                "assigned_at": assigned_at,
                "assignment": assignment,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.agent_out import AgentOut  # noqa: PLC0415
        from ..models.explicit_assignment import ExplicitAssignment  # noqa: PLC0415
        from ..models.score_breakdown import ScoreBreakdown  # noqa: PLC0415

        d = dict(src_dict)
        organization_id = UUID(d.pop("organization_id"))

        state = PmViewState(d.pop("state"))

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

        def _parse_pm(data: object) -> AgentOut | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                pm_type_0 = AgentOut.from_dict(data)

                return pm_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AgentOut | None, data)

        pm = _parse_pm(d.pop("pm"))

        def _parse_requested_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                requested_at_type_0 = datetime.datetime.fromisoformat(data)

                return requested_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        requested_at = _parse_requested_at(d.pop("requested_at"))

        def _parse_due_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                due_at_type_0 = datetime.datetime.fromisoformat(data)

                return due_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        due_at = _parse_due_at(d.pop("due_at"))

        def _parse_assigned_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                assigned_at_type_0 = datetime.datetime.fromisoformat(data)

                return assigned_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        assigned_at = _parse_assigned_at(d.pop("assigned_at"))

        def _parse_assignment(data: object) -> ExplicitAssignment | None | ScoreBreakdown:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                assignment_type_0 = ScoreBreakdown.from_dict(data)

                return assignment_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                assignment_type_1 = ExplicitAssignment.from_dict(data)

                return assignment_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ExplicitAssignment | None | ScoreBreakdown, data)

        assignment = _parse_assignment(d.pop("assignment"))

        pm_view = cls(
            organization_id=organization_id,
            state=state,
            pm_id=pm_id,
            pm=pm,
            requested_at=requested_at,
            due_at=due_at,
            assigned_at=assigned_at,
            assignment=assignment,
        )

        pm_view.additional_properties = d
        return pm_view

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

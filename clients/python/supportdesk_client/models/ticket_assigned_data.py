from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.explicit_assignment import ExplicitAssignment
    from ..models.previous_assignee import PreviousAssignee
    from ..models.score_breakdown import ScoreBreakdown
    from ..models.ticket_snapshot import TicketSnapshot


T = TypeVar("T", bound="TicketAssignedData")


@_attrs_define
class TicketAssignedData:
    """
    Attributes:
        ticket (TicketSnapshot): The ticket as it stood after the event: what GET /v1/tickets/{id} returned then, but
            for
            `attachments` (`ticket.created` lists the files beside it).
        previous (PreviousAssignee | Unset):
        assignment (ExplicitAssignment | ScoreBreakdown | Unset): Staff only. Why routing chose this agent.
    """

    ticket: TicketSnapshot
    previous: PreviousAssignee | Unset = UNSET
    assignment: ExplicitAssignment | ScoreBreakdown | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.score_breakdown import ScoreBreakdown  # noqa: PLC0415

        ticket = self.ticket.to_dict()

        previous: dict[str, Any] | Unset = UNSET
        if not isinstance(self.previous, Unset):
            previous = self.previous.to_dict()

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
                "ticket": ticket,
            }
        )
        if previous is not UNSET:
            field_dict["previous"] = previous
        if assignment is not UNSET:
            field_dict["assignment"] = assignment

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.explicit_assignment import ExplicitAssignment  # noqa: PLC0415
        from ..models.previous_assignee import PreviousAssignee  # noqa: PLC0415
        from ..models.score_breakdown import ScoreBreakdown  # noqa: PLC0415
        from ..models.ticket_snapshot import TicketSnapshot  # noqa: PLC0415

        d = dict(src_dict)
        ticket = TicketSnapshot.from_dict(d.pop("ticket"))

        _previous = d.pop("previous", UNSET)
        previous: PreviousAssignee | Unset
        if isinstance(_previous, Unset):
            previous = UNSET
        else:
            previous = PreviousAssignee.from_dict(_previous)

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

        ticket_assigned_data = cls(
            ticket=ticket,
            previous=previous,
            assignment=assignment,
        )

        ticket_assigned_data.additional_properties = d
        return ticket_assigned_data

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

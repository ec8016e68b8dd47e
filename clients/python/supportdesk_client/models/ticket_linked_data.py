from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.ticket_reference import TicketReference
    from ..models.ticket_snapshot import TicketSnapshot


T = TypeVar("T", bound="TicketLinkedData")


@_attrs_define
class TicketLinkedData:
    """
    Attributes:
        ticket (TicketSnapshot): The ticket as it stood after the event: what GET /v1/tickets/{id} returned then, but
            for
            `attachments` (`ticket.created` lists the files beside it).
        problem (None | TicketReference | Unset): Staff only. The problem ticket; null when unlinked.
    """

    ticket: TicketSnapshot
    problem: None | TicketReference | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.ticket_reference import TicketReference  # noqa: PLC0415

        ticket = self.ticket.to_dict()

        problem: dict[str, Any] | None | Unset
        if isinstance(self.problem, Unset):
            problem = UNSET
        elif isinstance(self.problem, TicketReference):
            problem = self.problem.to_dict()
        else:
            problem = self.problem

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "ticket": ticket,
            }
        )
        if problem is not UNSET:
            field_dict["problem"] = problem

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.ticket_reference import TicketReference  # noqa: PLC0415
        from ..models.ticket_snapshot import TicketSnapshot  # noqa: PLC0415

        d = dict(src_dict)
        ticket = TicketSnapshot.from_dict(d.pop("ticket"))

        def _parse_problem(data: object) -> None | TicketReference | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                problem_type_0 = TicketReference.from_dict(data)

                return problem_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TicketReference | Unset, data)

        problem = _parse_problem(d.pop("problem", UNSET))

        ticket_linked_data = cls(
            ticket=ticket,
            problem=problem,
        )

        ticket_linked_data.additional_properties = d
        return ticket_linked_data

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

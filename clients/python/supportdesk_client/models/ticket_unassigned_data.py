from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.role import Role
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.ticket_snapshot import TicketSnapshot
    from ..models.ticket_unassigned_data_refusals import TicketUnassignedDataRefusals


T = TypeVar("T", bound="TicketUnassignedData")


@_attrs_define
class TicketUnassignedData:
    """
    Attributes:
        ticket (TicketSnapshot): The ticket as it stood after the event: what GET /v1/tickets/{id} returned then, but
            for
            `attachments` (`ticket.created` lists the files beside it).
        roles (list[Role] | Unset): Staff only. The roles that may hold the ticket.
        refusals (TicketUnassignedDataRefusals | Unset): Staff only. Why each agent of those roles could not take it.
    """

    ticket: TicketSnapshot
    roles: list[Role] | Unset = UNSET
    refusals: TicketUnassignedDataRefusals | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        ticket = self.ticket.to_dict()

        roles: list[str] | Unset = UNSET
        if not isinstance(self.roles, Unset):
            roles = []
            for roles_item_data in self.roles:
                roles_item = roles_item_data.value
                roles.append(roles_item)

        refusals: dict[str, Any] | Unset = UNSET
        if not isinstance(self.refusals, Unset):
            refusals = self.refusals.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "ticket": ticket,
            }
        )
        if roles is not UNSET:
            field_dict["roles"] = roles
        if refusals is not UNSET:
            field_dict["refusals"] = refusals

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.ticket_snapshot import TicketSnapshot  # noqa: PLC0415
        from ..models.ticket_unassigned_data_refusals import TicketUnassignedDataRefusals  # noqa: PLC0415

        d = dict(src_dict)
        ticket = TicketSnapshot.from_dict(d.pop("ticket"))

        _roles = d.pop("roles", UNSET)
        roles: list[Role] | Unset = UNSET
        if _roles is not UNSET:
            roles = []
            for roles_item_data in _roles:
                roles_item = Role(roles_item_data)

                roles.append(roles_item)

        _refusals = d.pop("refusals", UNSET)
        refusals: TicketUnassignedDataRefusals | Unset
        if isinstance(_refusals, Unset):
            refusals = UNSET
        else:
            refusals = TicketUnassignedDataRefusals.from_dict(_refusals)

        ticket_unassigned_data = cls(
            ticket=ticket,
            roles=roles,
            refusals=refusals,
        )

        ticket_unassigned_data.additional_properties = d
        return ticket_unassigned_data

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

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.actor import Actor
    from ..models.organization_pm_unassigned_data import OrganizationPmUnassignedData


T = TypeVar("T", bound="OrganizationPmUnassignedWebhookPayload")


@_attrs_define
class OrganizationPmUnassignedWebhookPayload:
    """No PM could take an organization (said once).

    Attributes:
        id (str): `evt_<event id>`; also the `webhook-id` header, the same on every retry.
        type_ (Literal['organization.pm_unassigned']):
        created_at (datetime.datetime):
        ticket_id (None): Not about a ticket: always null.
        organization_id (UUID):
        actor (Actor):
        data (OrganizationPmUnassignedData):
    """

    id: str
    type_: Literal["organization.pm_unassigned"]
    created_at: datetime.datetime
    ticket_id: None
    organization_id: UUID
    actor: Actor
    data: OrganizationPmUnassignedData
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        type_ = self.type_

        created_at = self.created_at.isoformat()

        ticket_id = self.ticket_id

        organization_id = str(self.organization_id)

        actor = self.actor.to_dict()

        data = self.data.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "type": type_,
                "created_at": created_at,
                "ticket_id": ticket_id,
                "organization_id": organization_id,
                "actor": actor,
                "data": data,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.actor import Actor  # noqa: PLC0415
        from ..models.organization_pm_unassigned_data import OrganizationPmUnassignedData  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        type_ = cast(Literal["organization.pm_unassigned"], d.pop("type"))
        if type_ != "organization.pm_unassigned":
            raise ValueError(f"type must match const 'organization.pm_unassigned', got '{type_}'")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        ticket_id = d.pop("ticket_id")

        organization_id = UUID(d.pop("organization_id"))

        actor = Actor.from_dict(d.pop("actor"))

        data = OrganizationPmUnassignedData.from_dict(d.pop("data"))

        organization_pm_unassigned_webhook_payload = cls(
            id=id,
            type_=type_,
            created_at=created_at,
            ticket_id=ticket_id,
            organization_id=organization_id,
            actor=actor,
            data=data,
        )

        organization_pm_unassigned_webhook_payload.additional_properties = d
        return organization_pm_unassigned_webhook_payload

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

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.actor import Actor
    from ..models.ticket_sla_breached_data import TicketSlaBreachedData


T = TypeVar("T", bound="TicketSlaBreachedWebhookPayload")


@_attrs_define
class TicketSlaBreachedWebhookPayload:
    """An SLA clock of a ticket ran past its target.

    Attributes:
        id (str): `evt_<event id>`; also the `webhook-id` header, the same on every retry.
        type_ (Literal['ticket.sla_breached']):
        created_at (datetime.datetime):
        ticket_id (UUID):
        organization_id (UUID):
        actor (Actor):
        data (TicketSlaBreachedData):
    """

    id: str
    type_: Literal["ticket.sla_breached"]
    created_at: datetime.datetime
    ticket_id: UUID
    organization_id: UUID
    actor: Actor
    data: TicketSlaBreachedData
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        type_ = self.type_

        created_at = self.created_at.isoformat()

        ticket_id = str(self.ticket_id)

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
        from ..models.ticket_sla_breached_data import TicketSlaBreachedData  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        type_ = cast(Literal["ticket.sla_breached"], d.pop("type"))
        if type_ != "ticket.sla_breached":
            raise ValueError(f"type must match const 'ticket.sla_breached', got '{type_}'")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        ticket_id = UUID(d.pop("ticket_id"))

        organization_id = UUID(d.pop("organization_id"))

        actor = Actor.from_dict(d.pop("actor"))

        data = TicketSlaBreachedData.from_dict(d.pop("data"))

        ticket_sla_breached_webhook_payload = cls(
            id=id,
            type_=type_,
            created_at=created_at,
            ticket_id=ticket_id,
            organization_id=organization_id,
            actor=actor,
            data=data,
        )

        ticket_sla_breached_webhook_payload.additional_properties = d
        return ticket_sla_breached_webhook_payload

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

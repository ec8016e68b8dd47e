from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.actor import Actor
    from ..models.ticket_status_changed_data import TicketStatusChangedData


T = TypeVar("T", bound="TicketStatusChangedEvent")


@_attrs_define
class TicketStatusChangedEvent:
    """A ticket moved through its lifecycle.

    Attributes:
        id (UUID):
        type_ (Literal['ticket.status_changed']):
        ticket_id (UUID):
        organization_id (UUID):
        actor (Actor):
        created_at (datetime.datetime):
        data (TicketStatusChangedData):
        request_id (None | str): The X-Request-ID of the API call (or job) that caused it.
    """

    id: UUID
    type_: Literal["ticket.status_changed"]
    ticket_id: UUID
    organization_id: UUID
    actor: Actor
    created_at: datetime.datetime
    data: TicketStatusChangedData
    request_id: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        type_ = self.type_

        ticket_id = str(self.ticket_id)

        organization_id = str(self.organization_id)

        actor = self.actor.to_dict()

        created_at = self.created_at.isoformat()

        data = self.data.to_dict()

        request_id: None | str
        request_id = self.request_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "type": type_,
                "ticket_id": ticket_id,
                "organization_id": organization_id,
                "actor": actor,
                "created_at": created_at,
                "data": data,
                "request_id": request_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.actor import Actor  # noqa: PLC0415
        from ..models.ticket_status_changed_data import TicketStatusChangedData  # noqa: PLC0415

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        type_ = cast(Literal["ticket.status_changed"], d.pop("type"))
        if type_ != "ticket.status_changed":
            raise ValueError(f"type must match const 'ticket.status_changed', got '{type_}'")

        ticket_id = UUID(d.pop("ticket_id"))

        organization_id = UUID(d.pop("organization_id"))

        actor = Actor.from_dict(d.pop("actor"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        data = TicketStatusChangedData.from_dict(d.pop("data"))

        def _parse_request_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        request_id = _parse_request_id(d.pop("request_id"))

        ticket_status_changed_event = cls(
            id=id,
            type_=type_,
            ticket_id=ticket_id,
            organization_id=organization_id,
            actor=actor,
            created_at=created_at,
            data=data,
            request_id=request_id,
        )

        ticket_status_changed_event.additional_properties = d
        return ticket_status_changed_event

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

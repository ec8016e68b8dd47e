from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.actor import Actor
    from ..models.webhook_endpoint_disabled_data import WebhookEndpointDisabledData


T = TypeVar("T", bound="WebhookEndpointDisabledWebhookPayload")


@_attrs_define
class WebhookEndpointDisabledWebhookPayload:
    """A webhook endpoint was disabled.

    Attributes:
        id (str): `evt_<event id>`; also the `webhook-id` header, the same on every retry.
        type_ (Literal['webhook_endpoint.disabled']):
        created_at (datetime.datetime):
        ticket_id (None): Not about a ticket: always null.
        organization_id (None | UUID):
        actor (Actor):
        data (WebhookEndpointDisabledData):
    """

    id: str
    type_: Literal["webhook_endpoint.disabled"]
    created_at: datetime.datetime
    ticket_id: None
    organization_id: None | UUID
    actor: Actor
    data: WebhookEndpointDisabledData
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        type_ = self.type_

        created_at = self.created_at.isoformat()

        ticket_id = self.ticket_id

        organization_id: None | str
        if isinstance(self.organization_id, UUID):
            organization_id = str(self.organization_id)
        else:
            organization_id = self.organization_id

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
        from ..models.webhook_endpoint_disabled_data import WebhookEndpointDisabledData  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        type_ = cast(Literal["webhook_endpoint.disabled"], d.pop("type"))
        if type_ != "webhook_endpoint.disabled":
            raise ValueError(f"type must match const 'webhook_endpoint.disabled', got '{type_}'")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        ticket_id = d.pop("ticket_id")

        def _parse_organization_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                organization_id_type_0 = UUID(data)

                return organization_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        organization_id = _parse_organization_id(d.pop("organization_id"))

        actor = Actor.from_dict(d.pop("actor"))

        data = WebhookEndpointDisabledData.from_dict(d.pop("data"))

        webhook_endpoint_disabled_webhook_payload = cls(
            id=id,
            type_=type_,
            created_at=created_at,
            ticket_id=ticket_id,
            organization_id=organization_id,
            actor=actor,
            data=data,
        )

        webhook_endpoint_disabled_webhook_payload.additional_properties = d
        return webhook_endpoint_disabled_webhook_payload

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

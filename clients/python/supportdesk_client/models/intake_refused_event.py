from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.actor import Actor
    from ..models.email_intake_refused_data import EmailIntakeRefusedData
    from ..models.widget_intake_refused_data import WidgetIntakeRefusedData


T = TypeVar("T", bound="IntakeRefusedEvent")


@_attrs_define
class IntakeRefusedEvent:
    """Someone who is not a designated contact was refused at intake.

    Attributes:
        id (UUID):
        type_ (Literal['intake.refused']):
        ticket_id (None): Not about a ticket: always null.
        organization_id (UUID):
        actor (Actor):
        created_at (datetime.datetime):
        data (EmailIntakeRefusedData | WidgetIntakeRefusedData):
        request_id (None | str): The X-Request-ID of the API call (or job) that caused it.
    """

    id: UUID
    type_: Literal["intake.refused"]
    ticket_id: None
    organization_id: UUID
    actor: Actor
    created_at: datetime.datetime
    data: EmailIntakeRefusedData | WidgetIntakeRefusedData
    request_id: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.widget_intake_refused_data import WidgetIntakeRefusedData  # noqa: PLC0415

        id = str(self.id)

        type_ = self.type_

        ticket_id = self.ticket_id

        organization_id = str(self.organization_id)

        actor = self.actor.to_dict()

        created_at = self.created_at.isoformat()

        data: dict[str, Any]
        if isinstance(self.data, WidgetIntakeRefusedData):
            data = self.data.to_dict()
        else:
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
        from ..models.email_intake_refused_data import EmailIntakeRefusedData  # noqa: PLC0415
        from ..models.widget_intake_refused_data import WidgetIntakeRefusedData  # noqa: PLC0415

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        type_ = cast(Literal["intake.refused"], d.pop("type"))
        if type_ != "intake.refused":
            raise ValueError(f"type must match const 'intake.refused', got '{type_}'")

        ticket_id = d.pop("ticket_id")

        organization_id = UUID(d.pop("organization_id"))

        actor = Actor.from_dict(d.pop("actor"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_data(data: object) -> EmailIntakeRefusedData | WidgetIntakeRefusedData:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                data_type_0 = WidgetIntakeRefusedData.from_dict(data)

                return data_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            data_type_1 = EmailIntakeRefusedData.from_dict(data)

            return data_type_1

        data = _parse_data(d.pop("data"))

        def _parse_request_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        request_id = _parse_request_id(d.pop("request_id"))

        intake_refused_event = cls(
            id=id,
            type_=type_,
            ticket_id=ticket_id,
            organization_id=organization_id,
            actor=actor,
            created_at=created_at,
            data=data,
            request_id=request_id,
        )

        intake_refused_event.additional_properties = d
        return intake_refused_event

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

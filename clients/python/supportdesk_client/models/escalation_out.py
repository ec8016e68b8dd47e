from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.trigger import Trigger

if TYPE_CHECKING:
    from ..models.escalation_out_actor import EscalationOutActor


T = TypeVar("T", bound="EscalationOut")


@_attrs_define
class EscalationOut:
    """
    Attributes:
        id (UUID):
        ticket_id (UUID):
        level (int):
        reason (str):
        trigger (Trigger):
        actor (EscalationOutActor):
        assignee_id (None | UUID):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
    """

    id: UUID
    ticket_id: UUID
    level: int
    reason: str
    trigger: Trigger
    actor: EscalationOutActor
    assignee_id: None | UUID
    created_at: datetime.datetime
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        ticket_id = str(self.ticket_id)

        level = self.level

        reason = self.reason

        trigger = self.trigger.value

        actor = self.actor.to_dict()

        assignee_id: None | str
        if isinstance(self.assignee_id, UUID):
            assignee_id = str(self.assignee_id)
        else:
            assignee_id = self.assignee_id

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "ticket_id": ticket_id,
                "level": level,
                "reason": reason,
                "trigger": trigger,
                "actor": actor,
                "assignee_id": assignee_id,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.escalation_out_actor import EscalationOutActor  # noqa: PLC0415

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        ticket_id = UUID(d.pop("ticket_id"))

        level = d.pop("level")

        reason = d.pop("reason")

        trigger = Trigger(d.pop("trigger"))

        actor = EscalationOutActor.from_dict(d.pop("actor"))

        def _parse_assignee_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                assignee_id_type_0 = UUID(data)

                return assignee_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        assignee_id = _parse_assignee_id(d.pop("assignee_id"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        escalation_out = cls(
            id=id,
            ticket_id=ticket_id,
            level=level,
            reason=reason,
            trigger=trigger,
            actor=actor,
            assignee_id=assignee_id,
            created_at=created_at,
            updated_at=updated_at,
        )

        escalation_out.additional_properties = d
        return escalation_out

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

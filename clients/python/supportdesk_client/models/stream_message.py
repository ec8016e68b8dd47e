from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.intake_refused_event import IntakeRefusedEvent
    from ..models.organization_pm_assigned_event import OrganizationPmAssignedEvent
    from ..models.organization_pm_changed_event import OrganizationPmChangedEvent
    from ..models.organization_pm_unassigned_event import OrganizationPmUnassignedEvent
    from ..models.presence_change import PresenceChange
    from ..models.ticket_assigned_event import TicketAssignedEvent
    from ..models.ticket_chat_ended_event import TicketChatEndedEvent
    from ..models.ticket_comment_added_event import TicketCommentAddedEvent
    from ..models.ticket_created_event import TicketCreatedEvent
    from ..models.ticket_emergency_event import TicketEmergencyEvent
    from ..models.ticket_escalated_event import TicketEscalatedEvent
    from ..models.ticket_linked_event import TicketLinkedEvent
    from ..models.ticket_merged_event import TicketMergedEvent
    from ..models.ticket_satisfaction_rated_event import TicketSatisfactionRatedEvent
    from ..models.ticket_sla_at_risk_event import TicketSlaAtRiskEvent
    from ..models.ticket_sla_breached_event import TicketSlaBreachedEvent
    from ..models.ticket_split_event import TicketSplitEvent
    from ..models.ticket_status_changed_event import TicketStatusChangedEvent
    from ..models.ticket_unassigned_event import TicketUnassignedEvent
    from ..models.ticket_updated_event import TicketUpdatedEvent
    from ..models.webhook_endpoint_disabled_event import WebhookEndpointDisabledEvent


T = TypeVar("T", bound="StreamMessage")


@_attrs_define
class StreamMessage:
    """One message of the stream. The body is a sequence of them in the Server-Sent Events
    format: an `id:` line (events only), an `event:` line, one `data:` line holding a JSON
    document, and a blank line. Comment lines (`: ping`) keep an idle stream open.

        Attributes:
            event (str): The event's `type`, or `ticket.presence` for a presence change.
            data (IntakeRefusedEvent | OrganizationPmAssignedEvent | OrganizationPmChangedEvent |
                OrganizationPmUnassignedEvent | PresenceChange | TicketAssignedEvent | TicketChatEndedEvent |
                TicketCommentAddedEvent | TicketCreatedEvent | TicketEmergencyEvent | TicketEscalatedEvent | TicketLinkedEvent |
                TicketMergedEvent | TicketSatisfactionRatedEvent | TicketSlaAtRiskEvent | TicketSlaBreachedEvent |
                TicketSplitEvent | TicketStatusChangedEvent | TicketUnassignedEvent | TicketUpdatedEvent |
                WebhookEndpointDisabledEvent): An `Event`, exactly as the change feed shows it to the same key, or a
                `PresenceChange` when `event` is `ticket.presence`.
            id (str | Unset): The event's change-feed position: what `Last-Event-ID` resumes after. Absent for
                `ticket.presence`.
    """

    event: str
    data: (
        IntakeRefusedEvent
        | OrganizationPmAssignedEvent
        | OrganizationPmChangedEvent
        | OrganizationPmUnassignedEvent
        | PresenceChange
        | TicketAssignedEvent
        | TicketChatEndedEvent
        | TicketCommentAddedEvent
        | TicketCreatedEvent
        | TicketEmergencyEvent
        | TicketEscalatedEvent
        | TicketLinkedEvent
        | TicketMergedEvent
        | TicketSatisfactionRatedEvent
        | TicketSlaAtRiskEvent
        | TicketSlaBreachedEvent
        | TicketSplitEvent
        | TicketStatusChangedEvent
        | TicketUnassignedEvent
        | TicketUpdatedEvent
        | WebhookEndpointDisabledEvent
    )
    id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.intake_refused_event import IntakeRefusedEvent  # noqa: PLC0415
        from ..models.organization_pm_assigned_event import OrganizationPmAssignedEvent  # noqa: PLC0415
        from ..models.organization_pm_changed_event import OrganizationPmChangedEvent  # noqa: PLC0415
        from ..models.organization_pm_unassigned_event import OrganizationPmUnassignedEvent  # noqa: PLC0415
        from ..models.ticket_assigned_event import TicketAssignedEvent  # noqa: PLC0415
        from ..models.ticket_chat_ended_event import TicketChatEndedEvent  # noqa: PLC0415
        from ..models.ticket_comment_added_event import TicketCommentAddedEvent  # noqa: PLC0415
        from ..models.ticket_created_event import TicketCreatedEvent  # noqa: PLC0415
        from ..models.ticket_emergency_event import TicketEmergencyEvent  # noqa: PLC0415
        from ..models.ticket_escalated_event import TicketEscalatedEvent  # noqa: PLC0415
        from ..models.ticket_linked_event import TicketLinkedEvent  # noqa: PLC0415
        from ..models.ticket_merged_event import TicketMergedEvent  # noqa: PLC0415
        from ..models.ticket_satisfaction_rated_event import TicketSatisfactionRatedEvent  # noqa: PLC0415
        from ..models.ticket_sla_at_risk_event import TicketSlaAtRiskEvent  # noqa: PLC0415
        from ..models.ticket_sla_breached_event import TicketSlaBreachedEvent  # noqa: PLC0415
        from ..models.ticket_split_event import TicketSplitEvent  # noqa: PLC0415
        from ..models.ticket_status_changed_event import TicketStatusChangedEvent  # noqa: PLC0415
        from ..models.ticket_unassigned_event import TicketUnassignedEvent  # noqa: PLC0415
        from ..models.ticket_updated_event import TicketUpdatedEvent  # noqa: PLC0415
        from ..models.webhook_endpoint_disabled_event import WebhookEndpointDisabledEvent  # noqa: PLC0415

        event = self.event

        data: dict[str, Any]
        if isinstance(self.data, TicketCreatedEvent):
            data = self.data.to_dict()
        elif isinstance(self.data, TicketUpdatedEvent):
            data = self.data.to_dict()
        elif isinstance(self.data, TicketStatusChangedEvent):
            data = self.data.to_dict()
        elif isinstance(self.data, TicketAssignedEvent):
            data = self.data.to_dict()
        elif isinstance(self.data, TicketUnassignedEvent):
            data = self.data.to_dict()
        elif isinstance(self.data, TicketCommentAddedEvent):
            data = self.data.to_dict()
        elif isinstance(self.data, TicketSlaAtRiskEvent):
            data = self.data.to_dict()
        elif isinstance(self.data, TicketSlaBreachedEvent):
            data = self.data.to_dict()
        elif isinstance(self.data, TicketEscalatedEvent):
            data = self.data.to_dict()
        elif isinstance(self.data, TicketEmergencyEvent):
            data = self.data.to_dict()
        elif isinstance(self.data, TicketSplitEvent):
            data = self.data.to_dict()
        elif isinstance(self.data, TicketMergedEvent):
            data = self.data.to_dict()
        elif isinstance(self.data, TicketLinkedEvent):
            data = self.data.to_dict()
        elif isinstance(self.data, TicketSatisfactionRatedEvent):
            data = self.data.to_dict()
        elif isinstance(self.data, TicketChatEndedEvent):
            data = self.data.to_dict()
        elif isinstance(self.data, OrganizationPmAssignedEvent):
            data = self.data.to_dict()
        elif isinstance(self.data, OrganizationPmChangedEvent):
            data = self.data.to_dict()
        elif isinstance(self.data, OrganizationPmUnassignedEvent):
            data = self.data.to_dict()
        elif isinstance(self.data, IntakeRefusedEvent):
            data = self.data.to_dict()
        elif isinstance(self.data, WebhookEndpointDisabledEvent):
            data = self.data.to_dict()
        else:
            data = self.data.to_dict()

        id = self.id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "event": event,
                "data": data,
            }
        )
        if id is not UNSET:
            field_dict["id"] = id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.intake_refused_event import IntakeRefusedEvent  # noqa: PLC0415
        from ..models.organization_pm_assigned_event import OrganizationPmAssignedEvent  # noqa: PLC0415
        from ..models.organization_pm_changed_event import OrganizationPmChangedEvent  # noqa: PLC0415
        from ..models.organization_pm_unassigned_event import OrganizationPmUnassignedEvent  # noqa: PLC0415
        from ..models.presence_change import PresenceChange  # noqa: PLC0415
        from ..models.ticket_assigned_event import TicketAssignedEvent  # noqa: PLC0415
        from ..models.ticket_chat_ended_event import TicketChatEndedEvent  # noqa: PLC0415
        from ..models.ticket_comment_added_event import TicketCommentAddedEvent  # noqa: PLC0415
        from ..models.ticket_created_event import TicketCreatedEvent  # noqa: PLC0415
        from ..models.ticket_emergency_event import TicketEmergencyEvent  # noqa: PLC0415
        from ..models.ticket_escalated_event import TicketEscalatedEvent  # noqa: PLC0415
        from ..models.ticket_linked_event import TicketLinkedEvent  # noqa: PLC0415
        from ..models.ticket_merged_event import TicketMergedEvent  # noqa: PLC0415
        from ..models.ticket_satisfaction_rated_event import TicketSatisfactionRatedEvent  # noqa: PLC0415
        from ..models.ticket_sla_at_risk_event import TicketSlaAtRiskEvent  # noqa: PLC0415
        from ..models.ticket_sla_breached_event import TicketSlaBreachedEvent  # noqa: PLC0415
        from ..models.ticket_split_event import TicketSplitEvent  # noqa: PLC0415
        from ..models.ticket_status_changed_event import TicketStatusChangedEvent  # noqa: PLC0415
        from ..models.ticket_unassigned_event import TicketUnassignedEvent  # noqa: PLC0415
        from ..models.ticket_updated_event import TicketUpdatedEvent  # noqa: PLC0415
        from ..models.webhook_endpoint_disabled_event import WebhookEndpointDisabledEvent  # noqa: PLC0415

        d = dict(src_dict)
        event = d.pop("event")

        def _parse_data(
            data: object,
        ) -> (
            IntakeRefusedEvent
            | OrganizationPmAssignedEvent
            | OrganizationPmChangedEvent
            | OrganizationPmUnassignedEvent
            | PresenceChange
            | TicketAssignedEvent
            | TicketChatEndedEvent
            | TicketCommentAddedEvent
            | TicketCreatedEvent
            | TicketEmergencyEvent
            | TicketEscalatedEvent
            | TicketLinkedEvent
            | TicketMergedEvent
            | TicketSatisfactionRatedEvent
            | TicketSlaAtRiskEvent
            | TicketSlaBreachedEvent
            | TicketSplitEvent
            | TicketStatusChangedEvent
            | TicketUnassignedEvent
            | TicketUpdatedEvent
            | WebhookEndpointDisabledEvent
        ):
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_event_type_0 = TicketCreatedEvent.from_dict(data)

                return componentsschemas_event_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_event_type_1 = TicketUpdatedEvent.from_dict(data)

                return componentsschemas_event_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_event_type_2 = TicketStatusChangedEvent.from_dict(data)

                return componentsschemas_event_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_event_type_3 = TicketAssignedEvent.from_dict(data)

                return componentsschemas_event_type_3
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_event_type_4 = TicketUnassignedEvent.from_dict(data)

                return componentsschemas_event_type_4
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_event_type_5 = TicketCommentAddedEvent.from_dict(data)

                return componentsschemas_event_type_5
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_event_type_6 = TicketSlaAtRiskEvent.from_dict(data)

                return componentsschemas_event_type_6
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_event_type_7 = TicketSlaBreachedEvent.from_dict(data)

                return componentsschemas_event_type_7
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_event_type_8 = TicketEscalatedEvent.from_dict(data)

                return componentsschemas_event_type_8
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_event_type_9 = TicketEmergencyEvent.from_dict(data)

                return componentsschemas_event_type_9
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_event_type_10 = TicketSplitEvent.from_dict(data)

                return componentsschemas_event_type_10
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_event_type_11 = TicketMergedEvent.from_dict(data)

                return componentsschemas_event_type_11
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_event_type_12 = TicketLinkedEvent.from_dict(data)

                return componentsschemas_event_type_12
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_event_type_13 = TicketSatisfactionRatedEvent.from_dict(data)

                return componentsschemas_event_type_13
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_event_type_14 = TicketChatEndedEvent.from_dict(data)

                return componentsschemas_event_type_14
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_event_type_15 = OrganizationPmAssignedEvent.from_dict(data)

                return componentsschemas_event_type_15
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_event_type_16 = OrganizationPmChangedEvent.from_dict(data)

                return componentsschemas_event_type_16
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_event_type_17 = OrganizationPmUnassignedEvent.from_dict(data)

                return componentsschemas_event_type_17
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_event_type_18 = IntakeRefusedEvent.from_dict(data)

                return componentsschemas_event_type_18
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_event_type_19 = WebhookEndpointDisabledEvent.from_dict(data)

                return componentsschemas_event_type_19
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            data_type_1 = PresenceChange.from_dict(data)

            return data_type_1

        data = _parse_data(d.pop("data"))

        id = d.pop("id", UNSET)

        stream_message = cls(
            event=event,
            data=data,
            id=id,
        )

        stream_message.additional_properties = d
        return stream_message

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

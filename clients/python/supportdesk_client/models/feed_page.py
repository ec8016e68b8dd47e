from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.intake_refused_event import IntakeRefusedEvent
    from ..models.organization_pm_assigned_event import OrganizationPmAssignedEvent
    from ..models.organization_pm_changed_event import OrganizationPmChangedEvent
    from ..models.organization_pm_unassigned_event import OrganizationPmUnassignedEvent
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


T = TypeVar("T", bound="FeedPage")


@_attrs_define
class FeedPage:
    """
    Attributes:
        data (list[IntakeRefusedEvent | OrganizationPmAssignedEvent | OrganizationPmChangedEvent |
            OrganizationPmUnassignedEvent | TicketAssignedEvent | TicketChatEndedEvent | TicketCommentAddedEvent |
            TicketCreatedEvent | TicketEmergencyEvent | TicketEscalatedEvent | TicketLinkedEvent | TicketMergedEvent |
            TicketSatisfactionRatedEvent | TicketSlaAtRiskEvent | TicketSlaBreachedEvent | TicketSplitEvent |
            TicketStatusChangedEvent | TicketUnassignedEvent | TicketUpdatedEvent | WebhookEndpointDisabledEvent]):
        next_cursor (str): Where to continue: always set, so a consumer that has caught up polls with it and gets only
            what is new.
        has_more (bool): More events are waiting after this page.
    """

    data: list[
        IntakeRefusedEvent
        | OrganizationPmAssignedEvent
        | OrganizationPmChangedEvent
        | OrganizationPmUnassignedEvent
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
    ]
    next_cursor: str
    has_more: bool
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

        data = []
        for data_item_data in self.data:
            data_item: dict[str, Any]
            if isinstance(data_item_data, TicketCreatedEvent):
                data_item = data_item_data.to_dict()
            elif isinstance(data_item_data, TicketUpdatedEvent):
                data_item = data_item_data.to_dict()
            elif isinstance(data_item_data, TicketStatusChangedEvent):
                data_item = data_item_data.to_dict()
            elif isinstance(data_item_data, TicketAssignedEvent):
                data_item = data_item_data.to_dict()
            elif isinstance(data_item_data, TicketUnassignedEvent):
                data_item = data_item_data.to_dict()
            elif isinstance(data_item_data, TicketCommentAddedEvent):
                data_item = data_item_data.to_dict()
            elif isinstance(data_item_data, TicketSlaAtRiskEvent):
                data_item = data_item_data.to_dict()
            elif isinstance(data_item_data, TicketSlaBreachedEvent):
                data_item = data_item_data.to_dict()
            elif isinstance(data_item_data, TicketEscalatedEvent):
                data_item = data_item_data.to_dict()
            elif isinstance(data_item_data, TicketEmergencyEvent):
                data_item = data_item_data.to_dict()
            elif isinstance(data_item_data, TicketSplitEvent):
                data_item = data_item_data.to_dict()
            elif isinstance(data_item_data, TicketMergedEvent):
                data_item = data_item_data.to_dict()
            elif isinstance(data_item_data, TicketLinkedEvent):
                data_item = data_item_data.to_dict()
            elif isinstance(data_item_data, TicketSatisfactionRatedEvent):
                data_item = data_item_data.to_dict()
            elif isinstance(data_item_data, TicketChatEndedEvent):
                data_item = data_item_data.to_dict()
            elif isinstance(data_item_data, OrganizationPmAssignedEvent):
                data_item = data_item_data.to_dict()
            elif isinstance(data_item_data, OrganizationPmChangedEvent):
                data_item = data_item_data.to_dict()
            elif isinstance(data_item_data, OrganizationPmUnassignedEvent):
                data_item = data_item_data.to_dict()
            elif isinstance(data_item_data, IntakeRefusedEvent):
                data_item = data_item_data.to_dict()
            else:
                data_item = data_item_data.to_dict()

            data.append(data_item)

        next_cursor = self.next_cursor

        has_more = self.has_more

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "data": data,
                "next_cursor": next_cursor,
                "has_more": has_more,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
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

        d = dict(src_dict)
        data = []
        _data = d.pop("data")
        for data_item_data in _data:

            def _parse_data_item(
                data: object,
            ) -> (
                IntakeRefusedEvent
                | OrganizationPmAssignedEvent
                | OrganizationPmChangedEvent
                | OrganizationPmUnassignedEvent
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
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_event_type_19 = WebhookEndpointDisabledEvent.from_dict(data)

                return componentsschemas_event_type_19

            data_item = _parse_data_item(data_item_data)

            data.append(data_item)

        next_cursor = d.pop("next_cursor")

        has_more = d.pop("has_more")

        feed_page = cls(
            data=data,
            next_cursor=next_cursor,
            has_more=has_more,
        )

        feed_page.additional_properties = d
        return feed_page

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

"""Contains all the data models used in inputs/outputs"""

from .actor import Actor
from .actor_type import ActorType
from .agent_create import AgentCreate
from .agent_list import AgentList
from .agent_out import AgentOut
from .agent_update import AgentUpdate
from .api_key_create import ApiKeyCreate
from .api_key_created import ApiKeyCreated
from .api_key_list import ApiKeyList
from .api_key_out import ApiKeyOut
from .attachment_list import AttachmentList
from .attachment_out import AttachmentOut
from .author_type import AuthorType
from .availability import Availability
from .calendar_create import CalendarCreate
from .calendar_list import CalendarList
from .calendar_out import CalendarOut
from .calendar_update import CalendarUpdate
from .category import Category
from .channel import Channel
from .clock_kind import ClockKind
from .clock_report import ClockReport
from .clock_stats import ClockStats
from .comment_create import CommentCreate
from .comment_list import CommentList
from .comment_out import CommentOut
from .contact_create import ContactCreate
from .contact_list import ContactList
from .contact_out import ContactOut
from .contact_update import ContactUpdate
from .csat import Csat
from .delivery_status import DeliveryStatus
from .email_action import EmailAction
from .email_intake_refused_data import EmailIntakeRefusedData
from .email_intake_refused_data_reason import EmailIntakeRefusedDataReason
from .email_result import EmailResult
from .end_reason import EndReason
from .endpoint_reference import EndpointReference
from .escalation_create import EscalationCreate
from .escalation_list import EscalationList
from .escalation_out import EscalationOut
from .escalation_out_actor import EscalationOutActor
from .escalation_summary import EscalationSummary
from .event_list import EventList
from .event_type import EventType
from .explicit_assignment import ExplicitAssignment
from .feed_page import FeedPage
from .field_error import FieldError
from .first_response import FirstResponse
from .group_by import GroupBy
from .health import Health
from .intake_refused_event import IntakeRefusedEvent
from .intake_refused_webhook_payload import IntakeRefusedWebhookPayload
from .key_kind import KeyKind
from .kind import Kind
from .link_request import LinkRequest
from .location import Location
from .merge_request import MergeRequest
from .metric import Metric
from .notification_list import NotificationList
from .notification_out import NotificationOut
from .notification_preference import NotificationPreference
from .notification_status import NotificationStatus
from .organization_create import OrganizationCreate
from .organization_list import OrganizationList
from .organization_out import OrganizationOut
from .organization_pm_assigned_data import OrganizationPmAssignedData
from .organization_pm_assigned_event import OrganizationPmAssignedEvent
from .organization_pm_assigned_webhook_payload import OrganizationPmAssignedWebhookPayload
from .organization_pm_changed_data import OrganizationPmChangedData
from .organization_pm_changed_event import OrganizationPmChangedEvent
from .organization_pm_changed_webhook_payload import OrganizationPmChangedWebhookPayload
from .organization_pm_unassigned_data import OrganizationPmUnassignedData
from .organization_pm_unassigned_data_refusals import OrganizationPmUnassignedDataRefusals
from .organization_pm_unassigned_event import OrganizationPmUnassignedEvent
from .organization_pm_unassigned_webhook_payload import OrganizationPmUnassignedWebhookPayload
from .organization_update import OrganizationUpdate
from .plan import Plan
from .pm_assign import PmAssign
from .pm_change_request_create import PmChangeRequestCreate
from .pm_change_request_out import PmChangeRequestOut
from .pm_view import PmView
from .pm_view_state import PmViewState
from .policy_target_in import PolicyTargetIn
from .policy_target_out import PolicyTargetOut
from .presence_change import PresenceChange
from .presence_in import PresenceIn
from .presence_list import PresenceList
from .presence_out import PresenceOut
from .presence_state import PresenceState
from .previous_assignee import PreviousAssignee
from .previous_context import PreviousContext
from .previous_pm import PreviousPm
from .previous_status import PreviousStatus
from .priority import Priority
from .problem import Problem
from .queue_out import QueueOut
from .queue_update import QueueUpdate
from .readiness import Readiness
from .readiness_checks import ReadinessChecks
from .readiness_status import ReadinessStatus
from .receive_email_json_inbound_email import ReceiveEmailJsonInboundEmail
from .receive_email_json_inbound_email_attachment_note import ReceiveEmailJsonInboundEmailAttachmentNote
from .receive_email_json_inbound_email_headers import ReceiveEmailJsonInboundEmailHeaders
from .reference_week import ReferenceWeek
from .replay_request import ReplayRequest
from .replay_result import ReplayResult
from .role import Role
from .satisfaction import Satisfaction
from .satisfaction_create import SatisfactionCreate
from .score_breakdown import ScoreBreakdown
from .score_parts import ScoreParts
from .segment_out import SegmentOut
from .sla_clock_out import SlaClockOut
from .sla_filter import SlaFilter
from .sla_policy_table import SlaPolicyTable
from .sla_policy_table_out import SlaPolicyTableOut
from .sla_report import SlaReport
from .sla_report_row import SlaReportRow
from .split_part import SplitPart
from .split_request import SplitRequest
from .state import State
from .status import Status
from .stream_message import StreamMessage
from .ticket_assigned_data import TicketAssignedData
from .ticket_assigned_event import TicketAssignedEvent
from .ticket_assigned_webhook_payload import TicketAssignedWebhookPayload
from .ticket_chat_ended_data import TicketChatEndedData
from .ticket_chat_ended_event import TicketChatEndedEvent
from .ticket_chat_ended_webhook_payload import TicketChatEndedWebhookPayload
from .ticket_comment_added_data import TicketCommentAddedData
from .ticket_comment_added_event import TicketCommentAddedEvent
from .ticket_comment_added_webhook_payload import TicketCommentAddedWebhookPayload
from .ticket_context import TicketContext
from .ticket_context_out import TicketContextOut
from .ticket_create import TicketCreate
from .ticket_created_data import TicketCreatedData
from .ticket_created_event import TicketCreatedEvent
from .ticket_created_webhook_payload import TicketCreatedWebhookPayload
from .ticket_emergency_data import TicketEmergencyData
from .ticket_emergency_event import TicketEmergencyEvent
from .ticket_emergency_webhook_payload import TicketEmergencyWebhookPayload
from .ticket_escalated_data import TicketEscalatedData
from .ticket_escalated_event import TicketEscalatedEvent
from .ticket_escalated_webhook_payload import TicketEscalatedWebhookPayload
from .ticket_linked_data import TicketLinkedData
from .ticket_linked_event import TicketLinkedEvent
from .ticket_linked_webhook_payload import TicketLinkedWebhookPayload
from .ticket_list import TicketList
from .ticket_merged_data import TicketMergedData
from .ticket_merged_event import TicketMergedEvent
from .ticket_merged_webhook_payload import TicketMergedWebhookPayload
from .ticket_out import TicketOut
from .ticket_previous import TicketPrevious
from .ticket_reference import TicketReference
from .ticket_satisfaction_rated_data import TicketSatisfactionRatedData
from .ticket_satisfaction_rated_event import TicketSatisfactionRatedEvent
from .ticket_satisfaction_rated_webhook_payload import TicketSatisfactionRatedWebhookPayload
from .ticket_sla import TicketSla
from .ticket_sla_at_risk_data import TicketSlaAtRiskData
from .ticket_sla_at_risk_event import TicketSlaAtRiskEvent
from .ticket_sla_at_risk_webhook_payload import TicketSlaAtRiskWebhookPayload
from .ticket_sla_breached_data import TicketSlaBreachedData
from .ticket_sla_breached_event import TicketSlaBreachedEvent
from .ticket_sla_breached_webhook_payload import TicketSlaBreachedWebhookPayload
from .ticket_sla_report import TicketSlaReport
from .ticket_snapshot import TicketSnapshot
from .ticket_sort import TicketSort
from .ticket_split_data import TicketSplitData
from .ticket_split_event import TicketSplitEvent
from .ticket_split_webhook_payload import TicketSplitWebhookPayload
from .ticket_status_changed_data import TicketStatusChangedData
from .ticket_status_changed_event import TicketStatusChangedEvent
from .ticket_status_changed_webhook_payload import TicketStatusChangedWebhookPayload
from .ticket_unassigned_data import TicketUnassignedData
from .ticket_unassigned_data_refusals import TicketUnassignedDataRefusals
from .ticket_unassigned_event import TicketUnassignedEvent
from .ticket_unassigned_webhook_payload import TicketUnassignedWebhookPayload
from .ticket_update import TicketUpdate
from .ticket_updated_data import TicketUpdatedData
from .ticket_updated_event import TicketUpdatedEvent
from .ticket_updated_webhook_payload import TicketUpdatedWebhookPayload
from .time_off_create import TimeOffCreate
from .time_off_list import TimeOffList
from .time_off_out import TimeOffOut
from .transcript_line import TranscriptLine
from .transition import Transition
from .trigger import Trigger
from .upload_attachment_body import UploadAttachmentBody
from .upload_widget_attachment_body import UploadWidgetAttachmentBody
from .visibility import Visibility
from .webhook_attempt_out import WebhookAttemptOut
from .webhook_delivery_list import WebhookDeliveryList
from .webhook_delivery_out import WebhookDeliveryOut
from .webhook_endpoint_create import WebhookEndpointCreate
from .webhook_endpoint_disabled_data import WebhookEndpointDisabledData
from .webhook_endpoint_disabled_event import WebhookEndpointDisabledEvent
from .webhook_endpoint_disabled_webhook_payload import WebhookEndpointDisabledWebhookPayload
from .webhook_endpoint_list import WebhookEndpointList
from .webhook_endpoint_out import WebhookEndpointOut
from .webhook_endpoint_update import WebhookEndpointUpdate
from .webhook_endpoint_with_secret import WebhookEndpointWithSecret
from .webhook_test_data import WebhookTestData
from .webhook_test_webhook_payload import WebhookTestWebhookPayload
from .weekly_hours import WeeklyHours
from .weekly_hours_out import WeeklyHoursOut
from .widget_context import WidgetContext
from .widget_intake_refused_data import WidgetIntakeRefusedData
from .widget_intake_refused_data_reason import WidgetIntakeRefusedDataReason
from .widget_receipt import WidgetReceipt
from .widget_submission import WidgetSubmission
from .widget_submission_mode import WidgetSubmissionMode

__all__ = (
    "Actor",
    "ActorType",
    "AgentCreate",
    "AgentList",
    "AgentOut",
    "AgentUpdate",
    "ApiKeyCreate",
    "ApiKeyCreated",
    "ApiKeyList",
    "ApiKeyOut",
    "AttachmentList",
    "AttachmentOut",
    "AuthorType",
    "Availability",
    "CalendarCreate",
    "CalendarList",
    "CalendarOut",
    "CalendarUpdate",
    "Category",
    "Channel",
    "ClockKind",
    "ClockReport",
    "ClockStats",
    "CommentCreate",
    "CommentList",
    "CommentOut",
    "ContactCreate",
    "ContactList",
    "ContactOut",
    "ContactUpdate",
    "Csat",
    "DeliveryStatus",
    "EmailAction",
    "EmailIntakeRefusedData",
    "EmailIntakeRefusedDataReason",
    "EmailResult",
    "EndpointReference",
    "EndReason",
    "EscalationCreate",
    "EscalationList",
    "EscalationOut",
    "EscalationOutActor",
    "EscalationSummary",
    "EventList",
    "EventType",
    "ExplicitAssignment",
    "FeedPage",
    "FieldError",
    "FirstResponse",
    "GroupBy",
    "Health",
    "IntakeRefusedEvent",
    "IntakeRefusedWebhookPayload",
    "KeyKind",
    "Kind",
    "LinkRequest",
    "Location",
    "MergeRequest",
    "Metric",
    "NotificationList",
    "NotificationOut",
    "NotificationPreference",
    "NotificationStatus",
    "OrganizationCreate",
    "OrganizationList",
    "OrganizationOut",
    "OrganizationPmAssignedData",
    "OrganizationPmAssignedEvent",
    "OrganizationPmAssignedWebhookPayload",
    "OrganizationPmChangedData",
    "OrganizationPmChangedEvent",
    "OrganizationPmChangedWebhookPayload",
    "OrganizationPmUnassignedData",
    "OrganizationPmUnassignedDataRefusals",
    "OrganizationPmUnassignedEvent",
    "OrganizationPmUnassignedWebhookPayload",
    "OrganizationUpdate",
    "Plan",
    "PmAssign",
    "PmChangeRequestCreate",
    "PmChangeRequestOut",
    "PmView",
    "PmViewState",
    "PolicyTargetIn",
    "PolicyTargetOut",
    "PresenceChange",
    "PresenceIn",
    "PresenceList",
    "PresenceOut",
    "PresenceState",
    "PreviousAssignee",
    "PreviousContext",
    "PreviousPm",
    "PreviousStatus",
    "Priority",
    "Problem",
    "QueueOut",
    "QueueUpdate",
    "Readiness",
    "ReadinessChecks",
    "ReadinessStatus",
    "ReceiveEmailJsonInboundEmail",
    "ReceiveEmailJsonInboundEmailAttachmentNote",
    "ReceiveEmailJsonInboundEmailHeaders",
    "ReferenceWeek",
    "ReplayRequest",
    "ReplayResult",
    "Role",
    "Satisfaction",
    "SatisfactionCreate",
    "ScoreBreakdown",
    "ScoreParts",
    "SegmentOut",
    "SlaClockOut",
    "SlaFilter",
    "SlaPolicyTable",
    "SlaPolicyTableOut",
    "SlaReport",
    "SlaReportRow",
    "SplitPart",
    "SplitRequest",
    "State",
    "Status",
    "StreamMessage",
    "TicketAssignedData",
    "TicketAssignedEvent",
    "TicketAssignedWebhookPayload",
    "TicketChatEndedData",
    "TicketChatEndedEvent",
    "TicketChatEndedWebhookPayload",
    "TicketCommentAddedData",
    "TicketCommentAddedEvent",
    "TicketCommentAddedWebhookPayload",
    "TicketContext",
    "TicketContextOut",
    "TicketCreate",
    "TicketCreatedData",
    "TicketCreatedEvent",
    "TicketCreatedWebhookPayload",
    "TicketEmergencyData",
    "TicketEmergencyEvent",
    "TicketEmergencyWebhookPayload",
    "TicketEscalatedData",
    "TicketEscalatedEvent",
    "TicketEscalatedWebhookPayload",
    "TicketLinkedData",
    "TicketLinkedEvent",
    "TicketLinkedWebhookPayload",
    "TicketList",
    "TicketMergedData",
    "TicketMergedEvent",
    "TicketMergedWebhookPayload",
    "TicketOut",
    "TicketPrevious",
    "TicketReference",
    "TicketSatisfactionRatedData",
    "TicketSatisfactionRatedEvent",
    "TicketSatisfactionRatedWebhookPayload",
    "TicketSla",
    "TicketSlaAtRiskData",
    "TicketSlaAtRiskEvent",
    "TicketSlaAtRiskWebhookPayload",
    "TicketSlaBreachedData",
    "TicketSlaBreachedEvent",
    "TicketSlaBreachedWebhookPayload",
    "TicketSlaReport",
    "TicketSnapshot",
    "TicketSort",
    "TicketSplitData",
    "TicketSplitEvent",
    "TicketSplitWebhookPayload",
    "TicketStatusChangedData",
    "TicketStatusChangedEvent",
    "TicketStatusChangedWebhookPayload",
    "TicketUnassignedData",
    "TicketUnassignedDataRefusals",
    "TicketUnassignedEvent",
    "TicketUnassignedWebhookPayload",
    "TicketUpdate",
    "TicketUpdatedData",
    "TicketUpdatedEvent",
    "TicketUpdatedWebhookPayload",
    "TimeOffCreate",
    "TimeOffList",
    "TimeOffOut",
    "TranscriptLine",
    "Transition",
    "Trigger",
    "UploadAttachmentBody",
    "UploadWidgetAttachmentBody",
    "Visibility",
    "WebhookAttemptOut",
    "WebhookDeliveryList",
    "WebhookDeliveryOut",
    "WebhookEndpointCreate",
    "WebhookEndpointDisabledData",
    "WebhookEndpointDisabledEvent",
    "WebhookEndpointDisabledWebhookPayload",
    "WebhookEndpointList",
    "WebhookEndpointOut",
    "WebhookEndpointUpdate",
    "WebhookEndpointWithSecret",
    "WebhookTestData",
    "WebhookTestWebhookPayload",
    "WeeklyHours",
    "WeeklyHoursOut",
    "WidgetContext",
    "WidgetIntakeRefusedData",
    "WidgetIntakeRefusedDataReason",
    "WidgetReceipt",
    "WidgetSubmission",
    "WidgetSubmissionMode",
)

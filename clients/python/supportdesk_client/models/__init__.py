"""Contains all the data models used in inputs/outputs"""

from .actor import Actor
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
from .email_result import EmailResult
from .escalation_create import EscalationCreate
from .escalation_list import EscalationList
from .escalation_out import EscalationOut
from .escalation_out_actor import EscalationOutActor
from .event_list import EventList
from .event_out import EventOut
from .event_out_data import EventOutData
from .event_type import EventType
from .feed_page import FeedPage
from .field_error import FieldError
from .first_response import FirstResponse
from .group_by import GroupBy
from .health import Health
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
from .organization_update import OrganizationUpdate
from .plan import Plan
from .pm_assign import PmAssign
from .pm_change_request_create import PmChangeRequestCreate
from .pm_change_request_out import PmChangeRequestOut
from .pm_view import PmView
from .pm_view_assignment_type_0 import PmViewAssignmentType0
from .policy_target_in import PolicyTargetIn
from .policy_target_out import PolicyTargetOut
from .presence_in import PresenceIn
from .presence_list import PresenceList
from .presence_out import PresenceOut
from .presence_state import PresenceState
from .priority import Priority
from .problem import Problem
from .queue_out import QueueOut
from .queue_update import QueueUpdate
from .readiness import Readiness
from .readiness_checks import ReadinessChecks
from .receive_email_json_inbound_email import ReceiveEmailJsonInboundEmail
from .receive_email_json_inbound_email_attachment_note import ReceiveEmailJsonInboundEmailAttachmentNote
from .receive_email_json_inbound_email_headers import ReceiveEmailJsonInboundEmailHeaders
from .replay_request import ReplayRequest
from .replay_result import ReplayResult
from .role import Role
from .satisfaction_create import SatisfactionCreate
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
from .ticket_context import TicketContext
from .ticket_context_out import TicketContextOut
from .ticket_create import TicketCreate
from .ticket_list import TicketList
from .ticket_out import TicketOut
from .ticket_sla import TicketSla
from .ticket_sla_report import TicketSlaReport
from .ticket_sort import TicketSort
from .ticket_update import TicketUpdate
from .time_off_create import TimeOffCreate
from .time_off_list import TimeOffList
from .time_off_out import TimeOffOut
from .transition import Transition
from .trigger import Trigger
from .upload_attachment_body import UploadAttachmentBody
from .upload_widget_attachment_body import UploadWidgetAttachmentBody
from .visibility import Visibility
from .webhook_attempt_out import WebhookAttemptOut
from .webhook_delivery_list import WebhookDeliveryList
from .webhook_delivery_out import WebhookDeliveryOut
from .webhook_endpoint_create import WebhookEndpointCreate
from .webhook_endpoint_list import WebhookEndpointList
from .webhook_endpoint_out import WebhookEndpointOut
from .webhook_endpoint_update import WebhookEndpointUpdate
from .webhook_endpoint_with_secret import WebhookEndpointWithSecret
from .weekly_hours import WeeklyHours
from .widget_context import WidgetContext
from .widget_receipt import WidgetReceipt
from .widget_submission import WidgetSubmission
from .widget_submission_mode import WidgetSubmissionMode

__all__ = (
    "Actor",
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
    "EmailResult",
    "EscalationCreate",
    "EscalationList",
    "EscalationOut",
    "EscalationOutActor",
    "EventList",
    "EventOut",
    "EventOutData",
    "EventType",
    "FeedPage",
    "FieldError",
    "FirstResponse",
    "GroupBy",
    "Health",
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
    "OrganizationUpdate",
    "Plan",
    "PmAssign",
    "PmChangeRequestCreate",
    "PmChangeRequestOut",
    "PmView",
    "PmViewAssignmentType0",
    "PolicyTargetIn",
    "PolicyTargetOut",
    "PresenceIn",
    "PresenceList",
    "PresenceOut",
    "PresenceState",
    "Priority",
    "Problem",
    "QueueOut",
    "QueueUpdate",
    "Readiness",
    "ReadinessChecks",
    "ReceiveEmailJsonInboundEmail",
    "ReceiveEmailJsonInboundEmailAttachmentNote",
    "ReceiveEmailJsonInboundEmailHeaders",
    "ReplayRequest",
    "ReplayResult",
    "Role",
    "SatisfactionCreate",
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
    "TicketContext",
    "TicketContextOut",
    "TicketCreate",
    "TicketList",
    "TicketOut",
    "TicketSla",
    "TicketSlaReport",
    "TicketSort",
    "TicketUpdate",
    "TimeOffCreate",
    "TimeOffList",
    "TimeOffOut",
    "Transition",
    "Trigger",
    "UploadAttachmentBody",
    "UploadWidgetAttachmentBody",
    "Visibility",
    "WebhookAttemptOut",
    "WebhookDeliveryList",
    "WebhookDeliveryOut",
    "WebhookEndpointCreate",
    "WebhookEndpointList",
    "WebhookEndpointOut",
    "WebhookEndpointUpdate",
    "WebhookEndpointWithSecret",
    "WeeklyHours",
    "WidgetContext",
    "WidgetReceipt",
    "WidgetSubmission",
    "WidgetSubmissionMode",
)

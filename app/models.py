"""Imports every table so the metadata (Alembic, tests) knows them all."""

from app.api_keys.models import ApiKey
from app.assignment.models import Agent, PmChangeRequest, TimeOff
from app.attachments.models import Attachment
from app.chat.models import Conversation
from app.escalation.models import Escalation
from app.events.models import Event, FeedState, OutboxEntry
from app.idempotency import IdempotencyRecord
from app.intake.messages import InboundMessage
from app.mail.models import MailState, Notification
from app.organizations.models import Contact, Organization
from app.reports.models import ReportBuild, ReportChange, ReportRollup
from app.sla.models import Calendar, RecomputeRequest, SlaFiring, SlaPolicyRow, TicketClock
from app.tickets.models import Comment, Ticket
from app.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint

__all__ = [
    "Agent",
    "ApiKey",
    "Attachment",
    "Calendar",
    "Comment",
    "Contact",
    "Conversation",
    "Escalation",
    "Event",
    "FeedState",
    "IdempotencyRecord",
    "InboundMessage",
    "MailState",
    "Notification",
    "Organization",
    "OutboxEntry",
    "PmChangeRequest",
    "RecomputeRequest",
    "ReportBuild",
    "ReportChange",
    "ReportRollup",
    "SlaFiring",
    "SlaPolicyRow",
    "Ticket",
    "TicketClock",
    "TimeOff",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEndpoint",
]

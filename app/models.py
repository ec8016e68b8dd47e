"""Imports every table so the metadata (Alembic, tests) knows them all."""

from app.api_keys.models import ApiKey
from app.assignment.models import Agent, PmChangeRequest, TimeOff
from app.escalation.models import Escalation
from app.events.models import Event, OutboxEntry
from app.idempotency import IdempotencyRecord
from app.organizations.models import Contact, Organization
from app.sla.models import Calendar, RecomputeRequest, SlaFiring, SlaPolicyRow, TicketClock
from app.tickets.models import Comment, Ticket

__all__ = [
    "Agent",
    "ApiKey",
    "Calendar",
    "Comment",
    "Contact",
    "Escalation",
    "Event",
    "IdempotencyRecord",
    "Organization",
    "OutboxEntry",
    "PmChangeRequest",
    "RecomputeRequest",
    "SlaFiring",
    "SlaPolicyRow",
    "Ticket",
    "TicketClock",
    "TimeOff",
]

"""Business metrics, counted from the events as the relay numbers them.

The relay sees every committed event exactly once whichever worker runs it, so these
counters, summed over the workers, are exact: no double counting on retries and nothing
counted for a transaction that rolled back.
"""

from collections.abc import Iterable
from typing import Any

from prometheus_client import Counter

TICKETS_CREATED = Counter(
    "supportdesk_tickets_created_total", "Tickets created, by channel", ["channel"]
)
SLA_EVENTS = Counter(
    "supportdesk_sla_events_total",
    "SLA clocks turning at risk or breached, by metric and priority",
    ["kind", "metric", "priority"],
)
ESCALATIONS = Counter(
    "supportdesk_escalations_total", "Escalations, by trigger and level", ["trigger", "level"]
)
ASSIGNMENTS = Counter(
    "supportdesk_assignments_total",
    "Assignments: tickets assigned or left unassigned, PMs assigned or changed",
    ["kind"],
)
EVENTS = Counter("supportdesk_events_total", "Events committed, by type", ["type"])

_ASSIGNMENT_KINDS = {
    "ticket.assigned": "ticket_assigned",
    "ticket.unassigned": "ticket_unassigned",
    "organization.pm_assigned": "pm_assigned",
    "organization.pm_changed": "pm_changed",
    "organization.pm_unassigned": "pm_unassigned",
}


def count(rows: Iterable[Any]) -> None:
    """Counts relayed events (rows with type, channel, priority, metric, trigger, level)."""
    for row in rows:
        EVENTS.labels(row.type).inc()
        if row.type == "ticket.created":
            TICKETS_CREATED.labels(row.channel or "unknown").inc()
        elif row.type in ("ticket.sla_at_risk", "ticket.sla_breached"):
            kind = "breached" if row.type == "ticket.sla_breached" else "at_risk"
            SLA_EVENTS.labels(kind, row.metric or "unknown", row.priority or "unknown").inc()
        elif row.type == "ticket.escalated":
            ESCALATIONS.labels(row.trigger or "unknown", str(row.level or "")).inc()
        elif row.type in _ASSIGNMENT_KINDS:
            ASSIGNMENTS.labels(_ASSIGNMENT_KINDS[row.type]).inc()

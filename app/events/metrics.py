"""Business metrics, counted from the events as the relay numbers them.

The relay sees every committed event exactly once whichever worker runs it, so these
counters, summed over the workers, are exact: no double counting on retries and nothing
counted for a transaction that rolled back.
"""

import collections
from collections.abc import Iterable, Iterator
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
    """Counts relayed events (rows with type, channel, priority, metric, trigger, level): each
    counter's labels tallied first and added once, not once per event (a relay batch holds
    hundreds)."""
    tally: collections.Counter[tuple[Counter, tuple[str, ...]]] = collections.Counter()
    for row in rows:
        for counted in _counted(row):
            tally[counted] += 1
    for (counter, labels), times in tally.items():
        counter.labels(*labels).inc(times)


def _counted(row: Any) -> Iterator[tuple[Counter, tuple[str, ...]]]:
    """The counters one event adds to, with their labels."""
    yield EVENTS, (row.type,)
    if row.type == "ticket.created":
        yield TICKETS_CREATED, (row.channel or "unknown",)
    elif row.type in ("ticket.sla_at_risk", "ticket.sla_breached"):
        kind = "breached" if row.type == "ticket.sla_breached" else "at_risk"
        yield SLA_EVENTS, (kind, row.metric or "unknown", row.priority or "unknown")
    elif row.type == "ticket.escalated":
        yield ESCALATIONS, (row.trigger or "unknown", str(row.level or ""))
    elif row.type in _ASSIGNMENT_KINDS:
        yield ASSIGNMENTS, (_ASSIGNMENT_KINDS[row.type],)

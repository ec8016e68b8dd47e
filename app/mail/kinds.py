"""Which event becomes which mail, and which mail each preference lets through (pure)."""

from collections.abc import Mapping
from typing import Any

from app.events.models import EventType
from app.mail.models import Kind
from app.organizations.models import NotificationPreference as Preference
from app.tickets.lifecycle import Status

# The list: acknowledgments, replies, status changes, escalations and broadcasts.
# A split's confirmation is the acknowledgment of each ticket split off (they get no other).
IMPORTANT = frozenset(
    {
        Kind.acknowledgment,
        Kind.split,
        Kind.reply,
        Kind.pending,
        Kind.awaiting_approval,
        Kind.resolved,
        Kind.reopened,
        Kind.cancelled,
        Kind.escalation,
        Kind.broadcast,
        Kind.chat_transcript,
    }
)
# What a `digest` contact still gets: the summary, and what waits on them.
NEEDS_ACTION = frozenset({Kind.pending, Kind.awaiting_approval})
WANTED: dict[Preference, frozenset[Kind]] = {
    Preference.all: frozenset(Kind),
    Preference.important: IMPORTANT,
    Preference.digest: NEEDS_ACTION | {Kind.weekly_summary},
    Preference.none: frozenset(),
}
# Kinds about an organization rather than one ticket: they go to its designated contacts.
ORGANIZATION_KINDS = frozenset({Kind.pm_welcome, Kind.pm_changed})

_STATUS_KINDS = {
    Status.pending: Kind.pending,
    Status.awaiting_approval: Kind.awaiting_approval,
    Status.resolved: Kind.resolved,
    Status.cancelled: Kind.cancelled,
}
_DONE_BEFORE = frozenset({Status.resolved, Status.closed})
MAILED_TYPES = frozenset(
    {
        EventType.ticket_created,
        EventType.ticket_comment_added,
        EventType.ticket_status_changed,
        EventType.ticket_split,
        EventType.ticket_escalated,
        EventType.organization_pm_assigned,
        EventType.organization_pm_changed,
        EventType.ticket_chat_ended,
    }
)


def wants(preference: str, kind: Kind) -> bool:
    return kind in WANTED[Preference(preference)]


def kind_of(type: str, visibility: str, data: Mapping[str, Any]) -> Kind | None:
    """The mail an event sends the client, if any. Internal events never send one."""
    if visibility != "public":
        return None
    ticket = data.get("ticket") or {}
    match type:
        case EventType.ticket_created:
            # A ticket split off gets its own confirmation (`ticket.split`) instead.
            return None if ticket.get("split_from_id") else Kind.acknowledgment
        case EventType.ticket_split:
            return Kind.split
        case EventType.ticket_comment_added:
            return _comment_kind(data)
        case EventType.ticket_status_changed:
            return _status_kind(ticket.get("status"), (data.get("previous") or {}).get("status"))
        case EventType.ticket_escalated:
            return Kind.escalation
        case EventType.organization_pm_assigned:
            return Kind.pm_welcome
        case EventType.organization_pm_changed:
            return Kind.pm_changed
        case EventType.ticket_chat_ended:
            return Kind.chat_transcript
    return None


def _comment_kind(data: Mapping[str, Any]) -> Kind | None:
    comment = data.get("comment") or {}
    # Staff replies: an agent's, or an admin's posted as the service (`system`).
    if comment.get("visibility") != "public" or comment.get("author_type") == "contact":
        return None
    if data.get("live_chat"):
        return None  # read in the chat as it was said; the transcript comes when it ends
    return Kind.broadcast if data.get("broadcast") else Kind.reply


def _status_kind(status: str | None, previous: str | None) -> Kind | None:
    if status is None:
        return None
    if previous in _DONE_BEFORE and status == Status.open:
        return Kind.reopened
    return _STATUS_KINDS.get(Status(status))

"""Stored events carry every key the spec marks required.

An event keeps the snapshot of its resource as it was shown when it was recorded; fields added
to tickets, clocks, comments or organizations since then are missing from older events, while
the spec (issue 16) says a client always gets them. Each missing key is filled with what it
meant before the field existed: null for a value that was not set (a clock not yet met, a
ticket never rated), an empty list for files or mentions, 0 revisions. Keys that were always
written are left alone, as is everything already present.

Revision ID: 0022
Revises: 0021
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 1000
TICKET: dict[str, Any] = {
    "assignee_id": None,
    "queue_position": None,
    "resolved_at": None,
    "closed_at": None,
    "split_from_id": None,
    "merged_into_id": None,
    "problem_id": None,
    "revision_count": 0,
    "satisfaction_score": None,
    "satisfaction_comment": None,
    "satisfaction_rated_at": None,
    "sla": None,
    "context": {},
}
CONTEXT: dict[str, Any] = {
    "url": None,
    "browser": None,
    "os": None,
    "app_version": None,
    "users_affected": None,
    "location": None,
    "steps": None,
    "attachments": [],
}
SLA = dict.fromkeys(("first_response", "next_update", "resolution", "escalation_review"))
CLOCK = dict.fromkeys(("due_at", "at_risk_at", "breached_at", "met_at"))
COMMENT: dict[str, Any] = {"author_id": None, "mentions": [], "attachments": []}
ORGANIZATION = dict.fromkeys(("industry", "platform", "calendar_id", "pm_id"))
ATTACHMENT = dict.fromkeys(("ticket_id", "comment_id", "deleted_at"))


def _filled(value: Any, defaults: dict[str, Any]) -> Any:
    return {**defaults, **value} if isinstance(value, dict) else value


def _ticket(ticket: dict[str, Any]) -> dict[str, Any]:
    ticket = _filled(ticket, TICKET)
    if "context" in ticket:
        ticket["context"] = _filled(ticket["context"], CONTEXT)
    if isinstance(ticket["sla"], dict):
        sla = _filled(ticket["sla"], SLA)
        ticket["sla"] = {metric: _filled(clock, CLOCK) for metric, clock in sla.items()}
    return ticket


def completed(event_type: str, data: dict[str, Any]) -> dict[str, Any]:
    """The event's data with every key added since it was recorded."""
    data = dict(data)
    if isinstance(data.get("ticket"), dict):
        data["ticket"] = _ticket(data["ticket"])
    if "comment" in data:
        data["comment"] = _filled(data["comment"], COMMENT)
        comment = data["comment"]
        if isinstance(comment, dict) and isinstance(comment["attachments"], list):
            comment["attachments"] = [_filled(a, ATTACHMENT) for a in comment["attachments"]]
    if "organization" in data:
        data["organization"] = _filled(data["organization"], ORGANIZATION)
    if event_type == "ticket.created":
        data.setdefault("attachments", [])
    if isinstance(data.get("attachments"), list):
        data["attachments"] = [_filled(a, ATTACHMENT) for a in data["attachments"]]
    return data


def fill(connection: sa.Connection) -> int:
    """Rewrites the events whose data lacks a key, a batch at a time; how many changed."""
    events = sa.table(
        "events", sa.column("id", sa.Uuid), sa.column("type"), sa.column("data", JSONB)
    )
    changed, after = 0, None
    while True:
        query = sa.select(events.c.id, events.c.type, events.c.data).order_by(events.c.id)
        if after is not None:
            query = query.where(events.c.id > after)
        rows = connection.execute(query.limit(BATCH)).all()
        if not rows:
            return changed
        for row in rows:
            data = completed(row.type, row.data)
            if data != row.data:
                update = events.update().where(events.c.id == row.id).values(data=data)
                connection.execute(update)
                changed += 1
        after = rows[-1].id


def upgrade() -> None:
    fill(op.get_bind())


def downgrade() -> None:
    """Nothing to undo: the keys added say what the missing ones meant."""

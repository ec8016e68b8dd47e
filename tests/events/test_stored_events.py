"""Events recorded before a field existed are completed by migration 0022, so the feed shows
them as the spec says (every answer of `client` is held to the spec: tests/spec_conformance)."""

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import sqlalchemy as sa
from pydantic import TypeAdapter

from app.db import unit_of_work
from app.events.schemas import Event
from tests.events.conformance import violations
from tests.factories import ADMIN, make_ticket

MIGRATION = Path(__file__).parents[2] / "migrations/versions/0022_complete_stored_events.py"
# What an event recorded by an older version lacks (a path of keys in its data).
ADDED_SINCE = [
    ("ticket", "revision_count"),
    ("ticket", "problem_id"),
    ("ticket", "context", "steps"),
    ("ticket", "sla", "escalation_review"),
    ("ticket", "sla", "first_response", "met_at"),
    ("comment", "mentions"),
    ("comment", "attachments"),
    ("attachments",),
]


def _migration() -> ModuleType:
    spec = importlib.util.spec_from_file_location("complete_stored_events", MIGRATION)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _as_recorded_long_ago(data: dict) -> dict:
    for path in ADDED_SINCE:
        node = data
        for key in path[:-1]:
            node = node.get(key) or {}
        node.pop(path[-1], None)
    return data


async def _stored(app) -> list[tuple[str, dict]]:
    async with unit_of_work(app.state.sessions) as session:
        rows = await session.execute(sa.text("SELECT id, data FROM events ORDER BY position"))
        return [(str(row.id), row.data) for row in rows]


async def test_events_recorded_before_a_field_existed_are_completed(app, client, tenant):
    ticket = await make_ticket(client, ADMIN, requester=tenant.contact)
    comment = await client.post(
        f"/v1/tickets/{ticket['id']}/comments",
        json={"body": "Looking into it.", "visibility": "public"},
        headers=ADMIN,
    )
    assert comment.status_code == 201, comment.text
    async with unit_of_work(app.state.sessions) as session:
        for event_id, data in await _stored(app):
            old = sa.text("UPDATE events SET data = CAST(:data AS jsonb) WHERE id = :id")
            recorded = json.dumps(_as_recorded_long_ago(data))
            await session.execute(old, {"data": recorded, "id": event_id})

    async with app.state.engine.begin() as connection:
        changed = await connection.run_sync(_migration().fill)
        again = await connection.run_sync(_migration().fill)

    feed = await client.get("/v1/events", headers=ADMIN)  # held to the spec by `client`
    assert feed.status_code == 200, feed.text
    assert {event["type"] for event in feed.json()["data"]} >= {
        "ticket.created",
        "ticket.comment_added",
    }
    assert changed == len(feed.json()["data"]) and again == 0
    for event in feed.json()["data"]:
        assert violations(event, TypeAdapter(Event)) == []
    created = next(e for e in feed.json()["data"] if e["type"] == "ticket.created")
    assert created["data"]["ticket"]["revision_count"] == 0
    assert created["data"]["ticket"]["sla"]["first_response"]["met_at"] is None

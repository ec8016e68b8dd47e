"""GET /v1/reports/sla against figures worked out by hand from a small, timed set of tickets.

The week of Monday 2026-11-16 on the default calendar (Mon-Fri 09:00-18:00 New York, no
holiday that week); the report covers tickets created Monday and Tuesday and is asked for on
Wednesday at noon. Standard plan targets: critical 15 min / 4 h (calendar), high 1 h / 8 h
(calendar, in hours), medium 4 h / 9 h (business), low 9 h / 27 h (business). Times in
minutes; "none": no outcome yet.

| ticket, created | org | priority | agent | first response | resolution |
|---|---|---|---|---|---|
| T1 Mon 09:00 | A | medium | X | reply 10:00: met, 60 | pending 11-14, resolved 16:00: 240 |
| T2 Mon 17:00 | A | medium | X | reply Tue 10:00: met, 120 | resolved Tue 17:30: 570, late |
| T3 Mon 10:00 | B | high | Y | breach 11:30, reply 12:00: 120 | resolved 15:00: met, 300 |
| T4 Mon 09:30 | B | low | - | running, due Tue 09:30: breached | running, due Thu: none |
| T5 Tue 02:00 | A | critical | Y | reply 02:10: met, 10 | pending since 03:00: none |
| T6 Mon 11:00 | A | medium | - | cancelled 12:00: none | cancelled: none |

T3 is escalated by its breach, T4 by its client; T1 is rated 5 and T2 3. One ticket created
just before the range and one at its (exclusive) end are left out.
"""

import uuid
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from app import timesource
from app.db import unit_of_work
from app.sla import firing
from app.sla.models import TicketClock
from app.tickets.models import Ticket
from tests.factories import ADMIN, make_agent, make_key, make_tenant, make_ticket

NY = ZoneInfo("America/New_York")
START, END = datetime(2026, 11, 16, tzinfo=NY), datetime(2026, 11, 18, tzinfo=NY)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=NY)


def freeze(instant: datetime) -> None:
    timesource.set_source(lambda: instant.astimezone(UTC))


async def transition(client, ticket, to, headers=ADMIN) -> None:
    url = f"/v1/tickets/{ticket['id']}/transitions"
    response = await client.post(url, json={"to": to}, headers=headers)
    assert response.status_code == 200, response.text


async def reply(client, ticket, agent) -> None:
    body = {"body": "Looking into it.", "visibility": "public", "author_id": agent["id"]}
    response = await client.post(f"/v1/tickets/{ticket['id']}/comments", json=body, headers=ADMIN)
    assert response.status_code == 201, response.text


async def opened(client, tenant, created_at, priority, agent=None) -> dict[str, Any]:
    """A ticket imported at `created_at` (the clock frozen there), optionally assigned."""
    freeze(created_at)
    ticket = await make_ticket(
        client,
        requester=tenant.contact,
        priority=priority,
        category="technical",
        created_at=created_at.astimezone(UTC).isoformat(),
    )
    if agent is not None:
        url = f"/v1/tickets/{ticket['id']}"
        response = await client.patch(url, json={"assignee_id": agent["id"]}, headers=ADMIN)
        assert response.status_code == 200, response.text
    return ticket


async def rate(app, ticket, score: int) -> None:
    # The satisfaction endpoint belongs to another change; the report only reads the columns.
    async with unit_of_work(app.state.sessions) as session:
        await session.execute(
            sa.update(Ticket)
            .where(Ticket.id == uuid.UUID(ticket["id"]))
            .values(satisfaction_score=score, satisfaction_rated_at=timesource.now())
        )


async def build(client, app) -> dict[str, Any]:
    """The tickets of the module docstring, driven in time order."""
    org_a, org_b = await make_tenant(client, name="Alpha"), await make_tenant(client, name="Beta")
    x = await make_agent(client, name="Xavier")
    y = await make_agent(client, name="Yvonne")
    await opened(client, org_a, at(15, 23, 59), "medium")  # before the range
    t1 = await opened(client, org_a, at(16, 9), "medium", x)
    t4 = await opened(client, org_b, at(16, 9, 30), "low")
    t3 = await opened(client, org_b, at(16, 10), "high", y)
    await reply(client, t1, x)
    t6 = await opened(client, org_a, at(16, 11), "medium")
    await transition(client, t1, "pending")
    freeze(at(16, 11, 30))
    async with unit_of_work(app.state.sessions) as session:
        assert (
            await firing.fire_due(session, now=timesource.now(), ticket_id=uuid.UUID(t3["id"])) == 1
        )
    async with unit_of_work(app.state.sessions) as session:
        assert await firing.escalate_breach(session, uuid.UUID(t3["id"]), "first_response", 0)
    freeze(at(16, 12))
    await reply(client, t3, y)
    await transition(client, t6, "cancelled")
    freeze(at(16, 14))
    await transition(client, t1, "open", org_a.contact_key)
    freeze(at(16, 15))
    await transition(client, t3, "resolved")
    freeze(at(16, 16))
    await transition(client, t1, "resolved")
    t2 = await opened(client, org_a, at(16, 17), "medium", x)
    t5 = await opened(client, org_a, at(17, 2), "critical", y)
    freeze(at(17, 2, 10))
    await reply(client, t5, y)
    freeze(at(17, 3))
    await transition(client, t5, "pending")
    freeze(at(17, 10))
    await reply(client, t2, x)
    escalation = await client.post(
        f"/v1/tickets/{t4['id']}/escalations",
        json={"reason": "Nobody has answered since yesterday."},
        headers=org_b.contact_key,
    )
    assert escalation.status_code == 201, escalation.text
    freeze(at(17, 17, 30))
    await transition(client, t2, "resolved")
    await rate(app, t1, 5)
    await rate(app, t2, 3)
    await opened(client, org_a, END, "medium")  # at the exclusive end
    freeze(at(18, 12))
    return {
        "org_a": org_a.organization,
        "org_b": org_b.organization,
        "x": x,
        "y": y,
        "tickets": [t1, t2, t3, t4, t5, t6],
    }


async def report(client, group_by: str, headers=ADMIN) -> dict[str, Any]:
    params = {"from": START.isoformat(), "to": END.isoformat(), "group_by": group_by}
    response = await client.get("/v1/reports/sla", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def stats(met, breached, excluded, compliance, median, p90) -> dict[str, Any]:
    return {
        "met": met,
        "breached": breached,
        "excluded": excluded,
        "compliance_percent": compliance,
        "median_minutes": median,
        "p90_minutes": p90,
    }


def row(key, name, tickets, first, resolution, breaches, escalations, csat) -> dict[str, Any]:
    return {
        "key": key,
        "name": name,
        "tickets": tickets,
        "first_response": first,
        "resolution": resolution,
        "breaches": breaches,
        "escalations": escalations,
        "csat": {"average": csat[0], "count": csat[1]},
    }


NONE = stats(0, 0, 0, None, None, None)
# All six tickets: first responses 10, 60, 120, 120 (met) and T3, T4 breached, T6 excluded;
# resolutions 240, 300 (met), 570 (breached), T4, T5, T6 excluded.
TOTAL = row(
    None,
    None,
    6,
    stats(3, 2, 1, 60.0, 90.0, 120.0),
    stats(2, 1, 3, 66.67, 300.0, 516.0),
    3,
    2,
    (4.0, 2),
)


async def test_report_totals_follow_each_clock_outcome(client, app):
    await build(client, app)
    body = await report(client, "priority")
    assert body["from"] == START.astimezone(UTC).isoformat().replace("+00:00", "Z")
    assert body["generated_at"].startswith("2026-11-18T17:00:00")
    assert body["total"] == TOTAL


async def test_report_by_priority(client, app):
    await build(client, app)
    body = await report(client, "priority")
    assert body["group_by"] == "priority"
    assert body["data"] == [
        row("critical", "critical", 1, stats(1, 0, 0, 100.0, 10.0, 10.0),
            stats(0, 0, 1, None, None, None), 0, 0, (None, 0)),
        row("high", "high", 1, stats(0, 1, 0, 0.0, 120.0, 120.0),
            stats(1, 0, 0, 100.0, 300.0, 300.0), 1, 1, (None, 0)),
        row("medium", "medium", 3, stats(2, 0, 1, 100.0, 90.0, 114.0),
            stats(1, 1, 1, 50.0, 405.0, 537.0), 1, 0, (4.0, 2)),
        row("low", "low", 1, stats(0, 1, 0, 0.0, None, None),
            stats(0, 0, 1, None, None, None), 1, 1, (None, 0)),
    ]  # fmt: skip


async def test_report_by_organization(client, app):
    made = await build(client, app)
    body = await report(client, "organization")
    assert body["data"] == [
        row(made["org_a"]["id"], "Alpha", 4, stats(3, 0, 1, 100.0, 60.0, 108.0),
            stats(1, 1, 2, 50.0, 405.0, 537.0), 1, 0, (4.0, 2)),
        row(made["org_b"]["id"], "Beta", 2, stats(0, 2, 0, 0.0, 120.0, 120.0),
            stats(1, 0, 1, 100.0, 300.0, 300.0), 2, 2, (None, 0)),
    ]  # fmt: skip
    assert body["total"] == TOTAL


async def test_report_by_agent_puts_unassigned_tickets_last(client, app):
    made = await build(client, app)
    agent_key = await make_key(client, "agent", agent_id=made["x"]["id"])
    body = await report(client, "agent", headers=agent_key)
    assert body["data"] == [
        row(made["x"]["id"], "Xavier", 2, stats(2, 0, 0, 100.0, 90.0, 114.0),
            stats(1, 1, 0, 50.0, 405.0, 537.0), 1, 0, (4.0, 2)),
        row(made["y"]["id"], "Yvonne", 2, stats(1, 1, 0, 50.0, 65.0, 109.0),
            stats(1, 0, 1, 100.0, 300.0, 300.0), 1, 1, (None, 0)),
        row(None, None, 2, stats(0, 1, 1, 0.0, None, None),
            stats(0, 0, 2, None, None, None), 1, 1, (None, 0)),
    ]  # fmt: skip


async def test_groups_come_in_pages_with_the_total_of_all(client, app):
    await build(client, app)
    whole = await report(client, "agent")
    params = {"from": START.isoformat(), "to": END.isoformat(), "group_by": "agent", "limit": 2}
    first = (await client.get("/v1/reports/sla", params=params, headers=ADMIN)).json()
    assert [group["name"] for group in first["data"]] == ["Xavier", "Yvonne"]
    assert first["total"] == TOTAL and first["next_cursor"]
    params["cursor"] = first["next_cursor"]
    second = (await client.get("/v1/reports/sla", params=params, headers=ADMIN)).json()
    assert second["data"] == whole["data"][2:] and second["next_cursor"] is None
    assert second["total"] == TOTAL and whole["next_cursor"] is None

    wrong = {**params, "group_by": "organization"}  # a cursor of another grouping
    for bad in (wrong, {**params, "cursor": "W10"}, {**params, "cursor": "zz"}):
        response = await client.get("/v1/reports/sla", params=bad, headers=ADMIN)
        assert response.status_code == 422, bad
        assert response.json()["errors"][0]["field"] == "query.cursor"


async def test_met_clocks_store_their_business_minutes_across_pauses(client, app):
    made = await build(client, app)
    t1, t2, t3, t4, t5, t6 = (ticket["id"] for ticket in made["tickets"])
    async with unit_of_work(app.state.sessions) as session:
        rows = await session.execute(
            sa.select(TicketClock.ticket_id, TicketClock.metric, TicketClock.elapsed_minutes)
        )
        elapsed = {(str(r.ticket_id), r.metric): r.elapsed_minutes for r in rows}
    assert elapsed[(t1, "first_response")] == pytest.approx(60)
    assert elapsed[(t1, "resolution")] == pytest.approx(240)  # 3 h pending not counted
    assert elapsed[(t2, "resolution")] == pytest.approx(570)  # over the night
    assert elapsed[(t3, "first_response")] == pytest.approx(120)  # calendar minutes
    assert elapsed[(t4, "first_response")] is None  # still running
    assert elapsed[(t5, "resolution")] is None  # paused
    assert elapsed[(t6, "first_response")] == pytest.approx(60)  # stopped by the cancellation


async def test_reopened_ticket_counts_every_running_stretch(client, tenant):
    freeze(at(16, 9))
    ticket = await make_ticket(client, tenant.contact_key, priority="medium")
    await transition(client, ticket, "open")
    freeze(at(16, 10))
    await transition(client, ticket, "resolved")
    freeze(at(16, 13))
    await transition(client, ticket, "open", tenant.contact_key)
    freeze(at(16, 15))
    await transition(client, ticket, "resolved")
    body = await report(client, "priority")
    assert body["total"]["resolution"] == stats(1, 0, 0, 100.0, 180.0, 180.0)


async def test_running_clock_counts_once_it_is_past_due(client, tenant):
    freeze(at(16, 9))
    await make_ticket(client, tenant.contact_key, priority="medium")
    freeze(at(16, 12, 59))
    assert (await report(client, "priority"))["total"]["first_response"]["excluded"] == 1
    freeze(at(16, 13))  # 4 business hours: due now
    first = (await report(client, "priority"))["total"]["first_response"]
    assert (first["breached"], first["excluded"], first["compliance_percent"]) == (1, 0, 0.0)


async def test_empty_range_lists_every_priority_with_zeros(client):
    body = await report(client, "priority")
    assert [group["key"] for group in body["data"]] == ["critical", "high", "medium", "low"]
    assert body["total"] == row(None, None, 0, NONE, NONE, 0, 0, (None, 0))
    assert (await report(client, "organization"))["data"] == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2026-11-18T00:00:00Z", "to": "2026-11-18T00:00:00Z"}, "query.to"),
        ({"from": "2026-11-19T00:00:00Z", "to": "2026-11-18T00:00:00Z"}, "query.to"),
        ({"from": "2025-11-01T00:00:00Z", "to": "2026-11-03T00:00:00Z"}, "query.to"),
        ({"from": "2026-11-01T00:00:00Z", "to": "2026-11-02T00:00:00Z", "group_by": "team"},
         "query.group_by"),
        ({"from": "2026-11-01T00:00:00", "to": "2026-11-02T00:00:00Z"}, "query.from"),
        ({"to": "2026-11-02T00:00:00Z"}, "query.from"),
    ],
)  # fmt: skip
async def test_bad_parameters_are_422_problems(client, params, field):
    response = await client.get("/v1/reports/sla", params=params, headers=ADMIN)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert field in [error["field"] for error in response.json()["errors"]]


async def test_a_year_and_a_day_is_the_longest_range(client):
    params = {"from": "2025-11-01T00:00:00Z", "to": "2026-11-02T00:00:00Z"}
    response = await client.get("/v1/reports/sla", params=params, headers=ADMIN)
    assert response.status_code == 200, response.text


async def test_only_staff_keys_read_reports(client, tenant):
    params = {"from": START.isoformat(), "to": END.isoformat()}
    for headers in (tenant.contact_key, tenant.integration_key):
        response = await client.get("/v1/reports/sla", params=params, headers=headers)
        assert response.status_code == 403, response.text
    assert (await client.get("/v1/reports/sla", params=params)).status_code == 401

"""Dedicated PMs, emergencies, escalation and capacity through the HTTP API.

Work the API hands to the workers (a new organization's PM, routing a ticket) is carried out
by a real arq burst worker; everything else is the API's own answer.
"""

import asyncio
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import sqlalchemy as sa
from arq.worker import Worker

from app import timesource
from app.workers.settings import WorkerSettings, shutdown, startup
from tests.factories import (
    ADMIN,
    make_agent,
    make_key,
    make_organization,
    make_tenant,
    make_ticket,
)
from tests.problems import assert_problem

# --- helpers -----------------------------------------------------------------------------------


async def run_workers(app, *jobs: str) -> None:
    """Enqueues the named jobs and runs one burst worker until the queue is empty."""
    for name in jobs:
        await app.state.arq.enqueue_job(name)
    # SLA timers deferred into the future would keep a burst worker polling: leave them out.
    await app.state.arq.zremrangebyscore("arq:queue", int(time.time() * 1000) + 1000, "+inf")
    worker = Worker(
        functions=WorkerSettings.functions,
        redis_pool=app.state.arq,
        on_startup=startup,
        on_shutdown=shutdown,
        burst=True,
        poll_delay=0.05,
        handle_signals=False,
    )
    try:
        await asyncio.wait_for(worker.main(), timeout=60)
    finally:
        await worker.close()


def ticking_from(start: datetime):
    """A clock that starts at `start` and runs at the wall clock's pace."""
    origin = datetime.now(UTC)
    return lambda: start + (datetime.now(UTC) - origin)


async def query(app, sql: str, **params: Any) -> list[sa.Row]:
    async with app.state.engine.connect() as connection:
        return list((await connection.execute(sa.text(sql), params)).all())


async def load_of(app, agent_id: str) -> tuple[int, int]:
    [row] = await query(
        app,
        "SELECT organization_count, open_ticket_count FROM agents WHERE id = :id",
        id=agent_id,
    )
    return row[0], row[1]


async def organization_events(app, organization_id: str, event_type: str) -> list[sa.Row]:
    return await query(
        app,
        "SELECT actor, data FROM events WHERE organization_id = :id AND type = :type ORDER BY seq",
        id=organization_id,
        type=event_type,
    )


async def pm_of(client: httpx.AsyncClient, organization_id: str) -> dict:
    response = await client.get(f"/v1/organizations/{organization_id}/pm", headers=ADMIN)
    assert response.status_code == 200, response.text
    return response.json()


async def assign(client: httpx.AsyncClient, organization_id: str, **body: Any) -> httpx.Response:
    return await client.post(
        f"/v1/organizations/{organization_id}/pm/assign", json=body, headers=ADMIN
    )


async def get_ticket(client: httpx.AsyncClient, ticket_id: str) -> dict:
    response = await client.get(f"/v1/tickets/{ticket_id}", headers=ADMIN)
    assert response.status_code == 200, response.text
    return response.json()


async def events_of(client: httpx.AsyncClient, ticket_id: str, event_type: str) -> list[dict]:
    response = await client.get(f"/v1/tickets/{ticket_id}/events?limit=200", headers=ADMIN)
    assert response.status_code == 200, response.text
    return [event for event in response.json()["data"] if event["type"] == event_type]


async def escalations_of(client: httpx.AsyncClient, ticket_id: str) -> list[dict]:
    response = await client.get(f"/v1/tickets/{ticket_id}/escalations", headers=ADMIN)
    assert response.status_code == 200, response.text
    return response.json()["data"]


async def review_clock(client: httpx.AsyncClient, ticket_id: str) -> dict:
    response = await client.get(f"/v1/tickets/{ticket_id}/sla", headers=ADMIN)
    assert response.status_code == 200, response.text
    [clock_report] = [c for c in response.json()["data"] if c["metric"] == "escalation_review"]
    return clock_report


def instant(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


# --- choosing a dedicated PM -------------------------------------------------------------------


async def test_the_best_matching_pm_is_chosen_and_the_choice_is_explained(client, app):
    # A Wednesday in November: New York on EST, London on GMT (5 h apart).
    timesource.set_source(ticking_from(datetime(2026, 11, 18, 15, 0, tzinfo=UTC)))
    await make_agent(
        client, role="pm", expertise=["retail", "shopify"], timezone="Asia/Tokyo", capacity=5
    )
    london = await make_agent(
        client, role="pm", expertise=["Retail", "Shopify"], timezone="Europe/London", capacity=4
    )
    await make_agent(client, role="pm", expertise=["retail"], capacity=5)
    await make_agent(client, role="pm", capacity=5)
    organization = await make_organization(client, industry="Retail", platform="Shopify")
    await run_workers(app)

    view = await pm_of(client, organization["id"])
    assert view["state"] == "assigned"
    assert view["pm_id"] == london["id"]
    assert view["pm"]["id"] == london["id"]
    assert view["assigned_at"] is not None
    explained = view["assignment"]
    assert explained["agent_id"] == london["id"]
    assert explained["expertise"] == 1.0
    assert explained["expertise_wanted"] == ["retail", "shopify"]
    assert explained["expertise_matched"] == ["retail", "shopify"]
    # London 09:00-18:00 meets New York 09:00-18:00 from 09:00 to 13:00 New York time.
    assert explained["overlap_minutes_per_week"] == 5 * 4 * 60
    assert explained["organization_minutes_per_week"] == 5 * 9 * 60
    assert explained["load"] == 0
    assert explained["capacity"] == 4
    assert explained["total"] > 0

    # Stored: the organization names its PM, and the announcement carries the same explanation.
    stored = await client.get(f"/v1/organizations/{organization['id']}", headers=ADMIN)
    assert stored.json()["pm_id"] == london["id"]
    [event] = await organization_events(app, organization["id"], "organization.pm_assigned")
    assert event.data["assignment"] == explained
    assert (await pm_of(client, organization["id"]))["assignment"] == explained


async def test_between_equal_matches_the_pm_with_the_lower_load_is_chosen(client, app):
    pms = {(await make_agent(client, role="pm", expertise=["retail"], capacity=5))["id"]}
    pms.add((await make_agent(client, role="pm", expertise=["retail"], capacity=5))["id"])
    first = await make_organization(client, industry="retail")
    await run_workers(app)
    first_pm = (await pm_of(client, first["id"]))["pm_id"]
    assert first_pm in pms
    second = await make_organization(client, industry="retail")
    await run_workers(app)
    view = await pm_of(client, second["id"])
    assert view["pm_id"] == (pms - {first_pm}).pop()
    assert view["assignment"]["load"] == 0


# --- setting the PM explicitly -----------------------------------------------------------------


async def test_admin_sets_a_pm_explicitly_and_can_rerun_the_choice(client, app):
    best = await make_agent(client, role="pm", expertise=["retail"], capacity=5)
    other = await make_agent(client, role="pm", capacity=5)
    organization = await make_organization(client, industry="retail")
    await run_workers(app)
    assert (await pm_of(client, organization["id"]))["pm_id"] == best["id"]

    response = await assign(client, organization["id"], agent_id=other["id"])
    assert response.status_code == 200, response.text
    assert response.json()["state"] == "assigned"
    assert response.json()["pm_id"] == other["id"]
    [changed] = await organization_events(app, organization["id"], "organization.pm_changed")
    assert changed.data["previous"]["pm_id"] == best["id"]
    assert changed.data["organization"]["pm_id"] == other["id"]
    assert changed.actor["type"] == "bootstrap"  # ADMIN is the bootstrap key
    assert await load_of(app, best["id"]) == (0, 0)
    assert await load_of(app, other["id"]) == (1, 0)

    rerun = await assign(client, organization["id"])
    assert rerun.status_code == 200, rerun.text
    assert rerun.json()["pm_id"] == best["id"]
    assert rerun.json()["assignment"]["expertise_matched"] == ["retail"]
    assert len(await organization_events(app, organization["id"], "organization.pm_changed")) == 2
    assert await load_of(app, best["id"]) == (1, 0)
    assert await load_of(app, other["id"]) == (0, 0)


async def test_an_explicit_pm_at_capacity_is_refused_with_409(client, app):
    first = await make_organization(client)
    second = await make_organization(client)
    full = await make_agent(client, role="pm", capacity=1)
    response = await assign(client, first["id"], agent_id=full["id"])
    assert response.status_code == 200, response.text
    assert len(await organization_events(app, first["id"], "organization.pm_assigned")) == 1

    assert_problem(await assign(client, second["id"], agent_id=full["id"]), 409)
    view = await pm_of(client, second["id"])
    assert view["state"] == "waiting"
    assert view["pm_id"] is None
    assert await load_of(app, full["id"]) == (1, 0)


async def test_only_an_active_pm_can_be_set_and_a_rerun_assigns_one_that_is_free(client, app):
    organization = await make_organization(client)
    tier1 = await make_agent(client, role="support_tier1")
    senior = await make_agent(client, role="senior_pm")
    inactive = await make_agent(client, role="pm", active=False)
    for agent_id in (
        tier1["id"],
        senior["id"],
        inactive["id"],
        "00000000-0000-4000-8000-000000000000",
    ):
        problem = assert_problem(await assign(client, organization["id"], agent_id=agent_id), 422)
        assert "body.agent_id" in {error["field"] for error in problem["errors"]}
    assert (await pm_of(client, organization["id"]))["state"] == "waiting"

    pm = await make_agent(client, role="pm", capacity=2)
    response = await assign(client, organization["id"])
    assert response.status_code == 200, response.text
    assert response.json()["pm_id"] == pm["id"]
    assert response.json()["assignment"]["agent_id"] == pm["id"]
    assert len(await organization_events(app, organization["id"], "organization.pm_assigned")) == 1


async def test_the_pm_endpoints_are_for_admins(client, app):
    tenant = await make_tenant(client)
    url = f"/v1/organizations/{tenant.organization['id']}/pm"
    assert_problem(await client.get(url, headers=tenant.contact_key), 403)
    assert_problem(await client.post(f"{url}/assign", json={}, headers=tenant.contact_key), 403)
    assert_problem(await client.get(url), 401)


# --- emergencies -------------------------------------------------------------------------------


async def test_an_emergency_is_critical_on_calendar_clocks_with_a_senior_at_once(client, app):
    await make_agent(client, role="support_tier1", capacity=5)
    await make_agent(client, role="pm", capacity=5)
    seniors = {
        (await make_agent(client, role="senior_pm", capacity=5))["id"],
        (await make_agent(client, role="support_tier3", capacity=5))["id"],
    }
    tenant = await make_tenant(client)
    body = {
        "subject": "Site down",
        "description": "Every page returns 502",
        "priority": "low",
        "category": "technical",
        "emergency": True,
    }
    response = await client.post("/v1/tickets", json=body, headers=tenant.contact_key)
    assert response.status_code == 201, response.text
    ticket = response.json()
    assert ticket["emergency"] is True
    assert ticket["priority"] == "critical"
    assert ticket["assignee_id"] in seniors
    assert ticket["sla"]["first_response"]["clock"] == "calendar"
    assert ticket["sla"]["first_response"]["target_minutes"] == 15
    assert ticket["sla"]["resolution"]["clock"] == "calendar"
    assert ticket["sla"]["resolution"]["target_minutes"] == 240

    assert len(await events_of(client, ticket["id"], "ticket.emergency")) == 1
    [assigned] = await events_of(client, ticket["id"], "ticket.assigned")
    assert assigned["data"]["ticket"]["assignee_id"] == ticket["assignee_id"]
    assert (await get_ticket(client, ticket["id"]))["assignee_id"] == ticket["assignee_id"]
    assert (await load_of(app, ticket["assignee_id"]))[1] == 1


async def test_marking_a_ticket_an_emergency_hands_it_to_a_senior_at_once(client, app):
    tier1 = await make_agent(client, role="support_tier1", capacity=5)
    senior = await make_agent(client, role="support_tier3", capacity=5)
    tenant = await make_tenant(client)
    ticket = await make_ticket(client, tenant.contact_key, category="technical")
    await run_workers(app, "route_tickets")
    assert (await get_ticket(client, ticket["id"]))["assignee_id"] == tier1["id"]

    response = await client.patch(
        f"/v1/tickets/{ticket['id']}", json={"emergency": True}, headers=tenant.contact_key
    )
    assert response.status_code == 200, response.text
    assert response.json()["priority"] == "critical"
    assert response.json()["assignee_id"] == senior["id"]
    assert len(await events_of(client, ticket["id"], "ticket.emergency")) == 1
    assert await load_of(app, tier1["id"]) == (0, 0)
    assert await load_of(app, senior["id"]) == (0, 1)


# --- escalation --------------------------------------------------------------------------------


async def test_escalation_climbs_the_chain_recording_each_step(client, app):
    pm = await make_agent(client, role="pm", capacity=5)
    tenant = await make_tenant(client)
    await run_workers(app)
    senior = await make_agent(client, role="senior_pm", capacity=5)
    ops = await make_agent(client, role="ops_manager", capacity=5)
    lead = await make_agent(client, role="leadership", capacity=5)
    ticket = await make_ticket(client, tenant.contact_key, category="request")
    await run_workers(app, "route_tickets")
    assert (await get_ticket(client, ticket["id"]))["assignee_id"] == pm["id"]
    pm_key = await make_key(client, "agent", agent_id=pm["id"])
    url = f"/v1/tickets/{ticket['id']}/escalations"

    steps = [
        (tenant.contact_key, "Nobody has answered in two days", "client", "contact", senior),
        (pm_key, "Needs a decision above mine", "agent", "agent", ops),
        (ADMIN, "Contract at risk", "agent", "bootstrap", lead),
    ]
    for level, (headers, reason, trigger, actor_type, assignee) in enumerate(steps, start=2):
        before = datetime.now(UTC)
        response = await client.post(url, json={"reason": reason}, headers=headers)
        after = datetime.now(UTC)
        assert response.status_code == 201, response.text
        step = response.json()
        assert step["level"] == level
        assert step["trigger"] == trigger
        assert step["reason"] == reason
        assert step["actor"]["type"] == actor_type
        assert step["assignee_id"] == assignee["id"]
        assert before <= instant(step["created_at"]) <= after
        current = await get_ticket(client, ticket["id"])
        assert current["escalation_level"] == level
        assert current["assignee_id"] == assignee["id"]
        review = await review_clock(client, ticket["id"])
        assert review["state"] == "on_track"
        assert review["target_minutes"] == 24 * 60
        assert instant(review["due_at"]) == instant(step["created_at"]) + timedelta(days=1)

    chain = await escalations_of(client, ticket["id"])
    assert [s["level"] for s in chain] == [2, 3, 4]
    assert [s["trigger"] for s in chain] == ["client", "agent", "agent"]
    assert chain[0]["actor"]["id"] == tenant.contact["id"]
    assert chain[1]["actor"]["id"] == pm["id"]
    escalated = await events_of(client, ticket["id"], "ticket.escalated")
    assert [e["data"]["escalation"]["level"] for e in escalated] == [2, 3, 4]
    assert [e["data"]["escalation"]["role"] for e in escalated] == [
        "senior_pm",
        "ops_manager",
        "leadership",
    ]
    assert [e["data"]["escalation"]["reason"] for e in escalated] == [s[1] for s in steps]

    assert_problem(await client.post(url, json={"reason": "more"}, headers=ADMIN), 409)
    assert len(await escalations_of(client, ticket["id"])) == 3
    assert (await get_ticket(client, ticket["id"]))["escalation_level"] == 4
    assert (await load_of(app, lead["id"]))[1] == 1
    assert (await load_of(app, senior["id"]))[1] == 0

    # The next level's public reply meets the escalation review target.
    lead_key = await make_key(client, "agent", agent_id=lead["id"])
    reply = await client.post(
        f"/v1/tickets/{ticket['id']}/comments",
        json={"body": "I am on it personally.", "visibility": "public"},
        headers=lead_key,
    )
    assert reply.status_code == 201, reply.text
    review = await review_clock(client, ticket["id"])
    assert review["state"] == "met"
    assert review["met_at"] is not None


async def test_who_may_escalate_and_a_contact_must_say_why(client, app):
    tenant = await make_tenant(client)
    other = await make_tenant(client)
    await make_agent(client, role="senior_pm", capacity=5)
    ticket = await make_ticket(client, tenant.contact_key, category="technical")
    url = f"/v1/tickets/{ticket['id']}/escalations"
    widget = await make_key(
        client,
        "widget",
        organization_id=tenant.organization["id"],
        allowed_origins=["https://app.client.example"],
    )

    for body in ({}, {"reason": "   "}):
        problem = assert_problem(await client.post(url, json=body, headers=tenant.contact_key), 422)
        assert "body.reason" in {error["field"] for error in problem["errors"]}
    reason = {"reason": "urgent"}
    assert_problem(await client.post(url, json=reason, headers=tenant.integration_key), 403)
    assert_problem(await client.post(url, json=reason, headers=widget), 403)
    assert_problem(await client.post(url, json=reason, headers=other.contact_key), 404)
    assert_problem(await client.get(url, headers=other.contact_key), 404)
    assert await escalations_of(client, ticket["id"]) == []
    assert (await get_ticket(client, ticket["id"]))["escalation_level"] == 1
    assert await events_of(client, ticket["id"], "ticket.escalated") == []

    # The ticket's own contact sees the chain.
    response = await client.post(url, json=reason, headers=tenant.contact_key)
    assert response.status_code == 201, response.text
    listed = await client.get(url, headers=tenant.contact_key)
    assert [s["level"] for s in listed.json()["data"]] == [2]


# --- high impact -------------------------------------------------------------------------------


async def test_a_high_impact_ticket_escalates_once_at_creation(client, app):
    senior = await make_agent(client, role="senior_pm", capacity=5)
    tenant = await make_tenant(client)
    ticket = await make_ticket(
        client, tenant.contact_key, category="technical", context={"users_affected": 50}
    )
    assert ticket["escalation_level"] == 2
    assert ticket["assignee_id"] == senior["id"]
    [step] = await escalations_of(client, ticket["id"])
    assert step["trigger"] == "impact"
    assert step["level"] == 2
    assert "50" in step["reason"]

    response = await client.patch(
        f"/v1/tickets/{ticket['id']}",
        json={"context": {"users_affected": 5000}},
        headers=tenant.contact_key,
    )
    assert response.status_code == 200, response.text
    assert response.json()["escalation_level"] == 2
    assert len(await escalations_of(client, ticket["id"])) == 1
    assert len(await events_of(client, ticket["id"], "ticket.escalated")) == 1


async def test_a_ticket_that_becomes_high_impact_escalates_once_even_when_edited_at_once(
    client, app
):
    await make_agent(client, role="senior_pm", capacity=5)
    tenant = await make_tenant(client)
    ticket = await make_ticket(
        client, tenant.contact_key, category="technical", context={"users_affected": 49}
    )
    assert ticket["escalation_level"] == 1
    assert await escalations_of(client, ticket["id"]) == []

    url = f"/v1/tickets/{ticket['id']}"
    responses = await asyncio.gather(
        client.patch(url, json={"context": {"users_affected": 60}}, headers=tenant.contact_key),
        client.patch(url, json={"context": {"users_affected": 75}}, headers=ADMIN),
    )
    assert [r.status_code for r in responses] == [200, 200], [r.text for r in responses]
    chain = await escalations_of(client, ticket["id"])
    assert [(s["level"], s["trigger"]) for s in chain] == [(2, "impact")]
    assert (await get_ticket(client, ticket["id"]))["escalation_level"] == 2
    assert len(await events_of(client, ticket["id"], "ticket.escalated")) == 1


# --- capacity ----------------------------------------------------------------------------------


async def test_capacity_cannot_be_lowered_below_the_current_load(client, app):
    pm = await make_agent(client, role="pm", capacity=2)
    tier1 = await make_agent(client, role="support_tier1", capacity=2)
    tenant = await make_tenant(client)
    await make_organization(client)
    tickets = [
        await make_ticket(client, tenant.contact_key, category="technical") for _ in range(2)
    ]
    await run_workers(app, "route_tickets")
    assert await load_of(app, pm["id"]) == (2, 0)
    assert await load_of(app, tier1["id"]) == (0, 2)

    for agent in (pm, tier1):
        url = f"/v1/agents/{agent['id']}"
        for capacity in (1, 0):
            assert_problem(await client.patch(url, json={"capacity": capacity}, headers=ADMIN), 409)
        assert (await client.get(url, headers=ADMIN)).json()["capacity"] == 2
        same = await client.patch(url, json={"capacity": 2}, headers=ADMIN)
        assert same.status_code == 200, same.text

    for target in ("open", "resolved"):
        moved = await client.post(
            f"/v1/tickets/{tickets[0]['id']}/transitions", json={"to": target}, headers=ADMIN
        )
        assert moved.status_code == 200, moved.text
    lowered = await client.patch(f"/v1/agents/{tier1['id']}", json={"capacity": 1}, headers=ADMIN)
    assert lowered.status_code == 200, lowered.text
    assert lowered.json()["capacity"] == 1

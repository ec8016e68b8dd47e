"""Assignment and escalation carried out by real arq burst workers, several at once.

Everything goes through the HTTP API; the database is read only to check what the API does not
show (agents' load counters, change requests, organization events).
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
    make_contact,
    make_key,
    make_organization,
    make_tenant,
    make_ticket,
)

# --- helpers -----------------------------------------------------------------------------------


def burst_worker(app) -> Worker:
    return Worker(
        functions=WorkerSettings.functions,
        redis_pool=app.state.arq,
        on_startup=startup,
        on_shutdown=shutdown,
        burst=True,
        poll_delay=0.05,
        handle_signals=False,
    )


async def drop_future_timers(app) -> None:
    """SLA timers deferred into the future would keep a burst worker polling: leave them out."""
    now_ms = int(time.time() * 1000)
    await app.state.arq.zremrangebyscore("arq:queue", now_ms + 1000, "+inf")


async def run_workers(app, *jobs: str, workers: int = 1) -> None:
    """Enqueues the named jobs and runs `workers` burst workers at once until the queue is empty."""
    for name in jobs:
        await app.state.arq.enqueue_job(name)
    await drop_future_timers(app)
    pool = [burst_worker(app) for _ in range(workers)]
    try:
        await asyncio.wait_for(asyncio.gather(*(w.main() for w in pool)), timeout=60)
    finally:
        for worker in pool:  # one at a time: they share the API's Redis pool
            await worker.close()


async def query(app, sql: str, **params: Any) -> list[sa.Row]:
    async with app.state.engine.connect() as connection:
        return list((await connection.execute(sa.text(sql), params)).all())


async def agent_row(app, agent_id: str) -> sa.Row:
    rows = await query(
        app,
        "SELECT role, capacity, organization_count, open_ticket_count FROM agents WHERE id = :id",
        id=agent_id,
    )
    return rows[0]


async def assert_counters_exact(app) -> None:
    """Every agent's counters equal what it really holds, and never exceed its capacity."""
    agents = await query(
        app, "SELECT id, role, capacity, organization_count, open_ticket_count FROM agents"
    )
    organizations = dict(
        await query(
            app,
            "SELECT pm_id, count(*) FROM organizations WHERE pm_id IS NOT NULL GROUP BY pm_id",
        )
    )
    tickets = dict(
        await query(
            app,
            "SELECT assignee_id, count(*) FROM tickets WHERE assignee_id IS NOT NULL"
            " AND status NOT IN ('resolved', 'closed', 'cancelled') GROUP BY assignee_id",
        )
    )
    for agent_id, role, capacity, organization_count, open_ticket_count in agents:
        assert organization_count == organizations.get(agent_id, 0), agent_id
        assert open_ticket_count == tickets.get(agent_id, 0), agent_id
        load = organization_count if role == "pm" else open_ticket_count
        assert load <= capacity, (agent_id, role, load, capacity)


async def organization_events(app, event_type: str) -> dict[str, list[dict]]:
    rows = await query(
        app,
        "SELECT organization_id, data FROM events WHERE type = :type ORDER BY seq",
        type=event_type,
    )
    out: dict[str, list[dict]] = {}
    for organization_id, data in rows:
        out.setdefault(str(organization_id), []).append(data)
    return out


async def ticket_events(client: httpx.AsyncClient, ticket_id: str, event_type: str) -> list[dict]:
    response = await client.get(f"/v1/tickets/{ticket_id}/events?limit=200", headers=ADMIN)
    assert response.status_code == 200, response.text
    return [event for event in response.json()["data"] if event["type"] == event_type]


async def pm_view(client: httpx.AsyncClient, organization_id: str) -> dict:
    response = await client.get(f"/v1/organizations/{organization_id}/pm", headers=ADMIN)
    assert response.status_code == 200, response.text
    return response.json()


async def get_ticket(client: httpx.AsyncClient, ticket_id: str) -> dict:
    response = await client.get(f"/v1/tickets/{ticket_id}", headers=ADMIN)
    assert response.status_code == 200, response.text
    return response.json()


async def patch_agent(client: httpx.AsyncClient, agent_id: str, **fields: Any) -> dict:
    response = await client.patch(f"/v1/agents/{agent_id}", json=fields, headers=ADMIN)
    assert response.status_code == 200, response.text
    return response.json()


async def move(client: httpx.AsyncClient, ticket_id: str, *targets: str) -> None:
    for target in targets:
        response = await client.post(
            f"/v1/tickets/{ticket_id}/transitions", json={"to": target}, headers=ADMIN
        )
        assert response.status_code == 200, response.text


async def time_off_now(client: httpx.AsyncClient, agent_id: str) -> None:
    now = datetime.now(UTC)
    body = {
        "starts_at": (now - timedelta(hours=1)).isoformat(),
        "ends_at": (now + timedelta(days=3)).isoformat(),
        "reason": "vacation",
    }
    response = await client.post(f"/v1/agents/{agent_id}/time-off", json=body, headers=ADMIN)
    assert response.status_code == 201, response.text


def instant(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


async def change_requests(app, organization_id: str) -> list[sa.Row]:
    return await query(
        app,
        "SELECT status, previous_pm_id, new_pm_id, reason, completed_at FROM pm_change_requests"
        " WHERE organization_id = :id ORDER BY created_at",
        id=organization_id,
    )


# --- dedicated PMs -----------------------------------------------------------------------------


async def test_sixteen_new_organizations_share_ten_places_and_the_rest_wait_oldest_first(
    client, app
):
    pms = [await make_agent(client, role="pm", capacity=c) for c in (3, 3, 4)]
    responses = await asyncio.gather(
        *(
            client.post("/v1/organizations", json={"name": f"Burst {n}"}, headers=ADMIN)
            for n in range(16)
        )
    )
    assert [r.status_code for r in responses] == [201] * 16
    organization_ids = [r.json()["id"] for r in responses]

    # The 16 assign_pm jobs the API enqueued, on four workers at once.
    await run_workers(app, workers=4)

    views = {oid: await pm_view(client, oid) for oid in organization_ids}
    assigned = [oid for oid, view in views.items() if view["state"] == "assigned"]
    waiting = [oid for oid, view in views.items() if view["state"] == "waiting"]
    assert len(assigned) == 10
    assert len(waiting) == 6
    assert all(views[oid]["pm_id"] in {pm["id"] for pm in pms} for oid in assigned)
    assert all(views[oid]["pm_id"] is None and views[oid]["requested_at"] for oid in waiting)
    for pm in pms:
        row = await agent_row(app, pm["id"])
        assert row.organization_count == row.capacity  # all full
    await assert_counters_exact(app)
    assert await organization_events(app, "organization.pm_changed") == {}
    announced = await organization_events(app, "organization.pm_assigned")
    assert {oid: len(events) for oid, events in announced.items()} == dict.fromkeys(assigned, 1)
    unassigned = await organization_events(app, "organization.pm_unassigned")
    assert {oid: len(events) for oid, events in unassigned.items()} == dict.fromkeys(waiting, 1)

    # Later sweeps with still no room say nothing new.
    await run_workers(app, "assign_waiting_pms", "assign_waiting_pms", workers=2)
    unassigned = await organization_events(app, "organization.pm_unassigned")
    assert {oid: len(events) for oid, events in unassigned.items()} == dict.fromkeys(waiting, 1)
    views = {oid: await pm_view(client, oid) for oid in organization_ids}
    assert sum(1 for view in views.values() if view["pm_id"]) == 10

    # Room for two more: the two organizations that have waited longest get them.
    requested = {oid: instant(views[oid]["requested_at"]) for oid in waiting}
    await patch_agent(client, pms[0]["id"], capacity=5)
    await run_workers(app, "assign_waiting_pms")
    after = {oid: await pm_view(client, oid) for oid in waiting}
    served = [oid for oid in waiting if after[oid]["state"] == "assigned"]
    still = [oid for oid in waiting if after[oid]["state"] == "waiting"]
    assert len(served) == 2
    assert {after[oid]["pm_id"] for oid in served} == {pms[0]["id"]}
    assert max(requested[oid] for oid in served) <= min(requested[oid] for oid in still)
    announced = await organization_events(app, "organization.pm_assigned")
    assert all(len(announced[oid]) == 1 for oid in served)
    await assert_counters_exact(app)


async def test_concurrent_sweeps_give_each_waiting_organization_one_pm_once(client, app):
    organizations = [await make_organization(client) for _ in range(3)]
    await run_workers(app)  # no PM exists yet: all three wait
    unassigned = await organization_events(app, "organization.pm_unassigned")
    assert sorted(unassigned) == sorted(o["id"] for o in organizations)
    pms = [await make_agent(client, role="pm", capacity=2) for _ in range(2)]

    # Sweeps overlap in production (cron every two seconds, any number of workers).
    await run_workers(app, *["assign_waiting_pms"] * 4, workers=2)

    for organization in organizations:
        view = await pm_view(client, organization["id"])
        assert view["pm_id"] in {pm["id"] for pm in pms}
        assert view["requested_at"] is None  # no longer waiting
    announced = await organization_events(app, "organization.pm_assigned")
    assert {oid: len(events) for oid, events in announced.items()} == {
        o["id"]: 1 for o in organizations
    }
    # An organization that got its PM is neither handed to another PM nor reported as waiting.
    assert await organization_events(app, "organization.pm_changed") == {}
    unassigned = await organization_events(app, "organization.pm_unassigned")
    assert {oid: len(events) for oid, events in unassigned.items()} == {
        o["id"]: 1 for o in organizations
    }
    await assert_counters_exact(app)


async def test_pm_change_request_assigns_a_different_pm_and_records_it(client, app):
    first = await make_agent(client, role="pm", expertise=["retail"], capacity=5)
    second = await make_agent(client, role="pm", capacity=5)
    tenant = await make_tenant(client, industry="retail")
    organization_id = tenant.organization["id"]
    await run_workers(app)
    assert (await pm_view(client, organization_id))["pm_id"] == first["id"]

    url = f"/v1/organizations/{organization_id}/pm/change-requests"
    response = await client.post(
        url, json={"reason": "We need someone in our time zone"}, headers=tenant.contact_key
    )
    assert response.status_code == 202, response.text
    body = response.json()
    assert body["status"] == "pending"
    assert body["previous_pm_id"] == first["id"]
    assert body["contact_id"] == tenant.contact["id"]

    await run_workers(app)  # the carry_out_change job enqueued after the commit
    view = await pm_view(client, organization_id)
    # `first` is still the best match by score, but the client asked for someone else.
    assert view["state"] == "assigned"
    assert view["pm_id"] == second["id"]
    [change] = await change_requests(app, organization_id)
    assert change.status == "done"
    assert str(change.previous_pm_id) == first["id"]
    assert str(change.new_pm_id) == second["id"]
    assert change.completed_at is not None
    [changed] = (await organization_events(app, "organization.pm_changed"))[organization_id]
    assert changed["reason"] == "We need someone in our time zone"
    assert changed["previous"]["pm_id"] == first["id"]
    assert changed["organization"]["pm_id"] == second["id"]
    assert (await agent_row(app, first["id"])).organization_count == 0
    assert (await agent_row(app, second["id"])).organization_count == 1

    # Sweeping again changes nothing: the request is done.
    await run_workers(app, "carry_out_changes")
    assert (await pm_view(client, organization_id))["pm_id"] == second["id"]
    assert len((await organization_events(app, "organization.pm_changed"))[organization_id]) == 1


async def test_pm_change_request_waits_while_no_other_pm_is_free(client, app):
    only = await make_agent(client, role="pm", capacity=5)
    tenant = await make_tenant(client)
    organization_id = tenant.organization["id"]
    await run_workers(app)
    assert (await pm_view(client, organization_id))["pm_id"] == only["id"]

    response = await client.post(
        f"/v1/organizations/{organization_id}/pm/change-requests",
        json={"reason": "Slow answers"},
        headers=tenant.contact_key,
    )
    assert response.status_code == 202, response.text
    await run_workers(app, "carry_out_changes")
    view = await pm_view(client, organization_id)
    assert view["pm_id"] == only["id"]  # keeps its PM meanwhile
    [change] = await change_requests(app, organization_id)
    assert change.status == "pending"
    assert change.new_pm_id is None
    assert await organization_events(app, "organization.pm_changed") == {}
    assert await organization_events(app, "organization.pm_unassigned") == {}

    replacement = await make_agent(client, role="pm", capacity=5)
    await run_workers(app, "carry_out_changes")
    assert (await pm_view(client, organization_id))["pm_id"] == replacement["id"]
    [change] = await change_requests(app, organization_id)
    assert change.status == "done"
    assert str(change.new_pm_id) == replacement["id"]
    await assert_counters_exact(app)


async def test_only_the_organizations_designated_contacts_may_ask_for_another_pm(client, app):
    await make_agent(client, role="pm", capacity=5)
    tenant = await make_tenant(client)
    other = await make_tenant(client)
    organization_id = tenant.organization["id"]
    bystander = await make_contact(client, tenant.organization, designated=False)
    bystander_key = await make_key(client, "contact", contact_id=bystander["id"])
    url = f"/v1/organizations/{organization_id}/pm/change-requests"

    refused = await client.post(url, json={"reason": "please"}, headers=bystander_key)
    assert refused.status_code == 403, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    hidden = await client.post(url, json={"reason": "please"}, headers=other.contact_key)
    assert hidden.status_code == 404, hidden.text
    assert hidden.headers["content-type"].startswith("application/problem+json")
    assert await change_requests(app, organization_id) == []


# --- ticket routing ----------------------------------------------------------------------------


async def test_pm_track_ticket_goes_to_the_backup_while_the_pm_is_away(client, app):
    pm = await make_agent(client, role="pm", expertise=["retail"], capacity=5)
    tenant = await make_tenant(client, industry="retail")
    await run_workers(app)
    assert (await pm_view(client, tenant.organization["id"]))["pm_id"] == pm["id"]
    # The backup scores worst of the other PMs (no expertise, no overlap): chosen for being backup.
    backup = await make_agent(client, role="pm", timezone="Asia/Tokyo", capacity=5)
    best_other = await make_agent(client, role="pm", expertise=["retail"], capacity=5)
    await make_agent(client, role="pm", capacity=5)
    await patch_agent(client, pm["id"], backup_agent_id=backup["id"])
    await time_off_now(client, pm["id"])

    tickets = [
        await make_ticket(client, tenant.contact_key, category=category)
        for category in ("request", "project", "feature_request", "general")
    ]
    await run_workers(app, "route_tickets")
    for ticket in tickets:
        current = await get_ticket(client, ticket["id"])
        assert current["assignee_id"] == backup["id"], current["category"]
        assert len(await ticket_events(client, ticket["id"], "ticket.assigned")) == 1

    # Both away: the best other eligible PM takes the new work.
    await time_off_now(client, backup["id"])
    later = await make_ticket(client, tenant.contact_key, category="request")
    await run_workers(app, "route_tickets")
    assert (await get_ticket(client, later["id"]))["assignee_id"] == best_other["id"]
    await assert_counters_exact(app)


async def test_pm_track_ticket_goes_to_the_organizations_own_pm_when_present(client, app):
    pm = await make_agent(client, role="pm", capacity=5)
    tenant = await make_tenant(client, industry="retail")
    await run_workers(app)
    assert (await pm_view(client, tenant.organization["id"]))["pm_id"] == pm["id"]
    # A better match by score, who is not this organization's PM.
    await make_agent(client, role="pm", expertise=["retail"], capacity=5)
    ticket = await make_ticket(client, tenant.contact_key, category="project")
    await run_workers(app, "route_tickets")
    assert (await get_ticket(client, ticket["id"]))["assignee_id"] == pm["id"]


async def test_a_pm_with_a_full_book_of_organizations_still_gets_their_organizations_requests(
    client, app
):
    # PM capacity counts organizations, not tickets: owning as many organizations as the
    # capacity allows must not stop the PM from receiving those organizations' work.
    pm = await make_agent(client, role="pm", capacity=1)
    tenant = await make_tenant(client)
    await run_workers(app)
    assert (await pm_view(client, tenant.organization["id"]))["pm_id"] == pm["id"]
    ticket = await make_ticket(client, tenant.contact_key, category="request")
    await run_workers(app, "route_tickets")
    current = await get_ticket(client, ticket["id"])
    assert current["assignee_id"] == pm["id"]
    assert await ticket_events(client, ticket["id"], "ticket.unassigned") == []


async def test_support_tickets_go_to_tier_one_by_expertise_then_load(client, app):
    expert_a = await make_agent(client, expertise=["shopify"], capacity=5)
    expert_b = await make_agent(client, expertise=["shopify"], capacity=5)
    novice = await make_agent(client, capacity=5)
    await make_agent(client, role="pm", expertise=["shopify"], capacity=5)
    await make_agent(client, role="support_tier2", expertise=["shopify"], capacity=5)
    tenant = await make_tenant(client, platform="Shopify")
    tickets = [
        await make_ticket(client, tenant.contact_key, category=category)
        for category in ("technical", "bug_report")
    ]
    await run_workers(app, "route_tickets")
    assignees = [(await get_ticket(client, t["id"]))["assignee_id"] for t in tickets]
    # Both experts first (the second ticket goes to the one with the lower load).
    assert sorted(assignees) == sorted([expert_a["id"], expert_b["id"]])
    for ticket, assignee in zip(tickets, assignees, strict=True):
        [event] = await ticket_events(client, ticket["id"], "ticket.assigned")
        assert event["data"]["ticket"]["assignee_id"] == assignee
        assert event["data"]["assignment"]["expertise_matched"] == ["shopify"]

    more = [
        await make_ticket(client, tenant.contact_key, category=category)
        for category in ("account", "billing")
    ]
    await run_workers(app, "route_tickets")
    for ticket in more:
        assignee = (await get_ticket(client, ticket["id"]))["assignee_id"]
        assert assignee in {expert_a["id"], expert_b["id"]}
        assert assignee != novice["id"]
    await assert_counters_exact(app)


async def test_unassignable_tickets_wait_and_are_handed_out_most_urgent_first(client, app):
    agent = await make_agent(client, capacity=0)
    tenant = await make_tenant(client)
    older_low = await make_ticket(client, tenant.contact_key, category="technical", priority="low")
    critical = await make_ticket(
        client, tenant.contact_key, category="bug_report", priority="critical"
    )
    await run_workers(app, "route_tickets")
    await run_workers(app, "route_tickets")
    for ticket in (older_low, critical):
        assert (await get_ticket(client, ticket["id"]))["assignee_id"] is None
        assert len(await ticket_events(client, ticket["id"], "ticket.unassigned")) == 1
        assert await ticket_events(client, ticket["id"], "ticket.assigned") == []

    await patch_agent(client, agent["id"], capacity=1)
    await run_workers(app, "route_tickets")
    assert (await get_ticket(client, critical["id"]))["assignee_id"] == agent["id"]
    assert (await get_ticket(client, older_low["id"]))["assignee_id"] is None

    await move(client, critical["id"], "open", "resolved")  # frees the place
    assert (await agent_row(app, agent["id"])).open_ticket_count == 0
    await run_workers(app, "route_tickets")
    assert (await get_ticket(client, older_low["id"]))["assignee_id"] == agent["id"]
    assert len(await ticket_events(client, older_low["id"], "ticket.unassigned")) == 1
    assert len(await ticket_events(client, older_low["id"], "ticket.assigned")) == 1
    await assert_counters_exact(app)


async def test_capacity_holds_when_many_tickets_are_routed_by_concurrent_workers(client, app):
    agents = [await make_agent(client, capacity=c) for c in (4, 3, 3)]
    tenant = await make_tenant(client)
    body = {"subject": "Login broken", "description": "500 on login", "category": "technical"}
    responses = await asyncio.gather(
        *(client.post("/v1/tickets", json=body, headers=tenant.contact_key) for _ in range(30))
    )
    assert [r.status_code for r in responses] == [201] * 30
    ticket_ids = [r.json()["id"] for r in responses]

    await run_workers(app, *["route_tickets"] * 6, workers=4)

    holders = {tid: (await get_ticket(client, tid))["assignee_id"] for tid in ticket_ids}
    assigned = [tid for tid, holder in holders.items() if holder]
    assert len(assigned) == 10
    for agent in agents:
        row = await agent_row(app, agent["id"])
        assert row.open_ticket_count == row.capacity
        assert sum(1 for holder in holders.values() if holder == agent["id"]) == row.capacity
    await assert_counters_exact(app)
    counts = await query(
        app,
        "SELECT ticket_id, type, count(*) FROM events"
        " WHERE type IN ('ticket.assigned', 'ticket.unassigned') GROUP BY ticket_id, type",
    )
    announced = {(str(tid), kind): n for tid, kind, n in counts}
    expected = {
        (tid, "ticket.assigned" if holder else "ticket.unassigned"): 1
        for tid, holder in holders.items()
    }
    assert announced == expected


async def test_a_new_category_reroutes_the_ticket_to_the_other_track(client, app):
    pm = await make_agent(client, role="pm", capacity=5)
    tier1 = await make_agent(client, capacity=5)
    tenant = await make_tenant(client)
    await run_workers(app)
    ticket = await make_ticket(client, tenant.contact_key, category="technical")
    await run_workers(app, "route_tickets")
    assert (await get_ticket(client, ticket["id"]))["assignee_id"] == tier1["id"]

    response = await client.patch(
        f"/v1/tickets/{ticket['id']}", json={"category": "feature_request"}, headers=ADMIN
    )
    assert response.status_code == 200, response.text
    await run_workers(app, "route_tickets")
    current = await get_ticket(client, ticket["id"])
    assert current["category"] == "feature_request"
    assert current["assignee_id"] == pm["id"]
    assert (await agent_row(app, tier1["id"])).open_ticket_count == 0

    response = await client.patch(
        f"/v1/tickets/{ticket['id']}", json={"category": "billing"}, headers=tenant.contact_key
    )
    assert response.status_code == 200, response.text
    await run_workers(app, "route_tickets")
    assert (await get_ticket(client, ticket["id"]))["assignee_id"] == tier1["id"]
    assert len(await ticket_events(client, ticket["id"], "ticket.assigned")) == 3
    await assert_counters_exact(app)


# --- automatic escalation on breach ------------------------------------------------------------


async def test_each_breach_escalates_exactly_once_with_two_workers(client, app):
    senior = await make_agent(client, role="senior_pm", capacity=50)
    ops = await make_agent(client, role="ops_manager", capacity=50)
    await make_agent(client, role="leadership", capacity=50)
    tenant = await make_tenant(client)
    now = timesource.now()

    async def imported(hours_ago: float) -> dict:
        return await make_ticket(
            client,
            requester=tenant.contact,
            priority="critical",
            category="technical",
            created_at=(now - timedelta(hours=hours_ago)).isoformat(),
        )

    both = [await imported(5) for _ in range(8)]  # first response and resolution breached
    first_only = [await imported(1) for _ in range(4)]  # first response breached only
    for n in range(4):
        await app.state.arq.enqueue_job("reconcile_sla", _job_id=f"reconcile-{n}")
    await run_workers(app, workers=2)
    # Escalation is its own job, apart from the firing: two workers race for each breach.
    for n in range(4):
        await app.state.arq.enqueue_job("escalate_breaches", _job_id=f"escalate-{n}")
    await run_workers(app, workers=2)

    async def check() -> None:
        for tickets, levels in ((both, [2, 3]), (first_only, [2])):
            for ticket in tickets:
                response = await client.get(
                    f"/v1/tickets/{ticket['id']}/escalations", headers=ADMIN
                )
                assert response.status_code == 200, response.text
                chain = response.json()["data"]
                assert [step["level"] for step in chain] == levels, ticket["id"]
                assert {step["trigger"] for step in chain} == {"sla_breach"}
                assert all(step["actor"]["type"] == "system" for step in chain)
                reasons = sorted(step["reason"] for step in chain)
                expected = ["first_response", "resolution"][: len(levels)]
                assert all(m in r for m, r in zip(expected, reasons, strict=True)), reasons
                assert [step["assignee_id"] for step in chain] == [senior["id"], ops["id"]][
                    : len(levels)
                ]
                current = await get_ticket(client, ticket["id"])
                assert current["escalation_level"] == levels[-1]
                escalated = await ticket_events(client, ticket["id"], "ticket.escalated")
                assert len(escalated) == len(levels)

    await check()
    for n in range(3):
        await app.state.arq.enqueue_job("reconcile_sla", _job_id=f"again-{n}")
        await app.state.arq.enqueue_job("escalate_breaches", _job_id=f"escalate-again-{n}")
    await run_workers(app, workers=2)
    await check()
    await assert_counters_exact(app)


async def test_tickets_no_one_can_take_do_not_hold_up_the_others(client, app):
    """Sixty support tickets wait with tier 1 full; a PM-track ticket behind them is routed."""
    from app.workers import assignment as jobs
    from tests.factories import make_agent, make_tenant, make_ticket

    tenant = await make_tenant(client)
    pm = await make_agent(client, role="pm", capacity=5)
    await client.patch(
        f"/v1/organizations/{tenant.organization['id']}",
        json={"pm_id": pm["id"]},
        headers=ADMIN,
    )
    for n in range(jobs.BATCH + 10):
        await make_ticket(
            client,
            requester=tenant.contact,
            category="technical",
            priority="critical",
            subject=f"{n}",
        )
    request = await make_ticket(
        client, requester=tenant.contact, category="request", priority="low"
    )
    await jobs.route_tickets({"sessions": app.state.sessions})
    routed = await client.get(f"/v1/tickets/{request['id']}", headers=ADMIN)
    assert routed.json()["assignee_id"] is not None


async def test_a_ticket_assigned_and_unassigned_by_hand_is_announced_once(client, app, tenant):
    ticket = await make_ticket(client, tenant.contact_key)
    await run_workers(app, "route_tickets")  # no tier 1 agent: announced as unassigned
    agent = await make_agent(client, role="support_tier3")  # not tier 1: routing never picks them
    url = f"/v1/tickets/{ticket['id']}"
    for assignee in (agent["id"], None):
        response = await client.patch(url, json={"assignee_id": assignee}, headers=ADMIN)
        assert response.status_code == 200, response.text
    await run_workers(app, "route_tickets")
    assert len(await ticket_events(client, ticket["id"], "ticket.unassigned")) == 1

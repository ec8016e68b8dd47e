"""The client's side of a ticket: split/merge, the queue, approval, satisfaction, auto-close."""

from datetime import timedelta

import pytest

from app import timesource
from app.workers.maintenance import close_resolved_tickets
from tests.api.test_tickets import events_of, fetch, move, ticket_in
from tests.factories import ADMIN, make_contact, make_key, make_tenant, make_ticket
from tests.problems import assert_problem


async def post(client, path: str, body: dict, headers=ADMIN):
    return await client.post(path, json=body, headers=headers)


# --- split -------------------------------------------------------------------------------


async def test_split_makes_linked_tickets_each_with_clocks_and_a_split_event(
    client, tenant, agent_key
):
    original = await make_ticket(
        client, requester=tenant.contact, priority="high", category="technical"
    )
    response = await post(
        client,
        f"/v1/tickets/{original['id']}/split",
        {
            "parts": [
                {"subject": "Export drops rows", "description": "CSV export loses the last row."},
                {"subject": "Login slow", "description": "Takes 20 s.", "priority": "low"},
            ]
        },
        agent_key,
    )
    assert response.status_code == 201, response.text
    parts = response.json()["data"]
    assert [part["subject"] for part in parts] == ["Export drops rows", "Login slow"]
    for part in parts:
        assert part["split_from_id"] == original["id"]
        assert part["requester_id"] == tenant.contact["id"]
        assert part["category"] == "technical"
        assert part["sla"]["first_response"]["due_at"] is not None
        assert len(await events_of(client, part["id"], "ticket.split")) == 1
    assert [part["priority"] for part in parts] == ["high", "low"]
    assert (await fetch(client, original["id"])).json()["status"] == "new"
    # The client sees the confirmation on each new ticket.
    split_events = await client.get(
        f"/v1/tickets/{parts[0]['id']}/events", headers=tenant.contact_key
    )
    assert "ticket.split" in [event["type"] for event in split_events.json()["data"]]


async def test_split_is_for_staff_and_not_for_finished_tickets(client, tenant):
    ticket = await make_ticket(client, requester=tenant.contact)
    body = {"parts": [{"subject": "A", "description": "B"}]}
    response = await post(client, f"/v1/tickets/{ticket['id']}/split", body, tenant.contact_key)
    assert_problem(response, 403)
    cancelled = await ticket_in(client, "cancelled", requester=tenant.contact)
    response = await post(client, f"/v1/tickets/{cancelled['id']}/split", body)
    assert_problem(response, 409)
    empty = await post(client, f"/v1/tickets/{ticket['id']}/split", {"parts": []})
    assert_problem(empty, 422)


# --- merge -------------------------------------------------------------------------------


async def test_merge_moves_comments_and_closes_the_duplicate(client, tenant, agent_key):
    target = await make_ticket(client, requester=tenant.contact, subject="Checkout down")
    duplicate = await make_ticket(client, requester=tenant.contact, subject="Checkout broken")
    comment = await post(
        client,
        f"/v1/tickets/{duplicate['id']}/comments",
        {"body": "Still failing at 10:02"},
        tenant.contact_key,
    )
    assert comment.status_code == 201
    child = (
        await post(
            client,
            f"/v1/tickets/{duplicate['id']}/split",
            {"parts": [{"subject": "Receipts", "description": "No receipts either."}]},
        )
    ).json()["data"][0]

    response = await post(
        client, f"/v1/tickets/{duplicate['id']}/merge", {"into": target["id"]}, agent_key
    )
    assert response.status_code == 200, response.text
    assert response.json()["id"] == target["id"]

    closed = (await fetch(client, duplicate["id"])).json()
    assert closed["status"] == "closed"
    assert closed["merged_into_id"] == target["id"]
    assert closed["sla"]["resolution"]["state"] in ("stopped", "met")
    moved = (await client.get(f"/v1/tickets/{target['id']}/comments", headers=ADMIN)).json()
    assert [c["body"] for c in moved["data"]] == ["Still failing at 10:02"]
    assert (await fetch(client, child["id"])).json()["split_from_id"] == target["id"]
    merged = await events_of(client, target["id"], "ticket.merged")
    assert len(merged) == 1
    assert merged[0]["data"]["merged"]["id"] == duplicate["id"]


async def test_merge_refuses_self_other_tenants_and_finished(client, tenant, other_tenant):
    ticket = await make_ticket(client, requester=tenant.contact)
    theirs = await make_ticket(client, requester=other_tenant.contact)
    finished = await ticket_in(client, "cancelled", requester=tenant.contact)
    url = f"/v1/tickets/{ticket['id']}/merge"
    assert_problem(await post(client, url, {"into": ticket["id"]}), 422)
    assert_problem(await post(client, url, {"into": theirs["id"]}), 422)
    assert_problem(await post(client, url, {"into": finished["id"]}), 409)
    assert_problem(await post(client, url, {"into": ticket["id"]}, tenant.contact_key), 403)
    assert (await fetch(client, ticket["id"])).json()["status"] == "new"


# --- the client's queue ------------------------------------------------------------------


async def test_the_client_orders_its_open_requests(client, tenant):
    first, second, third = [
        await make_ticket(client, requester=tenant.contact, subject=f"T{n}") for n in range(3)
    ]
    url = f"/v1/organizations/{tenant.organization['id']}/queue"
    order = [third["id"], first["id"]]
    response = await client.put(url, json={"ticket_ids": order}, headers=tenant.contact_key)
    assert response.status_code == 200, response.text
    assert response.json()["ticket_ids"] == order
    assert (await fetch(client, third["id"])).json()["queue_position"] == 1
    assert (await fetch(client, first["id"])).json()["queue_position"] == 2
    assert (await fetch(client, second["id"])).json()["queue_position"] is None
    updated = await events_of(client, third["id"], "ticket.updated")
    assert updated[-1]["data"]["previous"] == {"queue_position": None}

    again = await client.put(
        url, json={"ticket_ids": [first["id"]]}, headers=tenant.integration_key
    )
    assert again.status_code == 200
    assert (await client.get(url, headers=tenant.contact_key)).json()["ticket_ids"] == [first["id"]]
    assert (await fetch(client, third["id"])).json()["queue_position"] is None


async def test_queue_refuses_other_tenants_tickets_duplicates_and_closed(
    client, tenant, other_tenant
):
    mine = await make_ticket(client, requester=tenant.contact)
    theirs = await make_ticket(client, requester=other_tenant.contact)
    done = await ticket_in(client, "cancelled", requester=tenant.contact)
    url = f"/v1/organizations/{tenant.organization['id']}/queue"
    for ticket_ids in ([theirs["id"]], [mine["id"], mine["id"]], [done["id"]]):
        response = await client.put(url, json={"ticket_ids": ticket_ids}, headers=ADMIN)
        assert_problem(response, 422)
    other_url = f"/v1/organizations/{other_tenant.organization['id']}/queue"
    response = await client.put(other_url, json={"ticket_ids": []}, headers=tenant.contact_key)
    assert_problem(response, 404)
    assert (await fetch(client, mine["id"])).json()["queue_position"] is None


async def test_work_order_is_sla_urgency_then_queue_position_then_age(client, tenant):
    # Raised at the same instant, the low tickets' first-response clocks fall due together
    # whatever the hour (in business hours, tickets raised a moment apart fall due a moment
    # apart), so the client's order decides between them.
    same = {"priority": "low", "created_at": timesource.now().isoformat()}
    low_a = await make_ticket(client, requester=tenant.contact, subject="a", **same)
    low_b = await make_ticket(client, requester=tenant.contact, subject="b", **same)
    critical = await make_ticket(client, requester=tenant.contact, priority="critical")
    url = f"/v1/organizations/{tenant.organization['id']}/queue"
    await client.put(url, json={"ticket_ids": [low_b["id"]]}, headers=tenant.contact_key)
    response = await client.get(
        "/v1/tickets", params={"sort": "urgency", "limit": 1}, headers=ADMIN
    )
    seen = [ticket["id"] for ticket in response.json()["data"]]
    cursor = response.json()["next_cursor"]
    while cursor:
        page = await client.get(
            "/v1/tickets", params={"sort": "urgency", "limit": 1, "cursor": cursor}, headers=ADMIN
        )
        assert page.status_code == 200, page.text
        seen += [ticket["id"] for ticket in page.json()["data"]]
        cursor = page.json()["next_cursor"]
    assert seen == [critical["id"], low_b["id"], low_a["id"]]
    bad = await client.get(
        "/v1/tickets", params={"sort": "urgency", "cursor": "xyz"}, headers=ADMIN
    )
    assert_problem(bad, 422)


# --- approval ----------------------------------------------------------------------------


async def test_requester_approves_or_sends_back_with_a_reason(client, tenant):
    ticket = await ticket_in(client, "awaiting_approval", requester=tenant.contact)
    no_reason = await move(client, ticket["id"], "open", tenant.contact_key)
    assert_problem(no_reason, 422)
    revised = await move(client, ticket["id"], "open", tenant.contact_key, reason="Wrong colour")
    assert revised.status_code == 200
    assert revised.json()["revision_count"] == 1
    last = (await events_of(client, ticket["id"], "ticket.status_changed"))[-1]
    assert last["data"]["reason"] == "Wrong colour"
    assert (await move(client, ticket["id"], "awaiting_approval")).status_code == 200
    approved = await move(client, ticket["id"], "resolved", tenant.contact_key)
    assert approved.status_code == 200
    assert approved.json()["status"] == "resolved"
    assert approved.json()["revision_count"] == 1


async def test_only_the_requester_contact_approves(client, tenant):
    ticket = await ticket_in(client, "awaiting_approval", requester=tenant.contact)
    colleague = await make_contact(client, tenant.organization)
    colleague_key = await make_key(client, "contact", contact_id=colleague["id"])
    response = await move(client, ticket["id"], "resolved", colleague_key)
    assert_problem(response, 403)
    assert (await fetch(client, ticket["id"])).json()["status"] == "awaiting_approval"


# --- satisfaction ------------------------------------------------------------------------


async def test_requester_rates_a_resolved_ticket_once(client, tenant):
    ticket = await ticket_in(client, "resolved", requester=tenant.contact)
    url = f"/v1/tickets/{ticket['id']}/satisfaction"
    response = await post(client, url, {"score": 4, "comment": "Quick fix"}, tenant.contact_key)
    assert response.status_code == 201, response.text
    assert response.json()["satisfaction_score"] == 4
    assert response.json()["satisfaction_comment"] == "Quick fix"
    rated = await events_of(client, ticket["id"], "ticket.satisfaction_rated")
    assert rated[0]["data"]["satisfaction"] == {"score": 4, "comment": "Quick fix"}
    again = await post(client, url, {"score": 1}, tenant.contact_key)
    assert_problem(again, 409)
    assert (await fetch(client, ticket["id"])).json()["satisfaction_score"] == 4


@pytest.mark.parametrize("score", [0, 6, "five", None])
async def test_rating_validation(client, tenant, score):
    ticket = await ticket_in(client, "resolved", requester=tenant.contact)
    response = await post(
        client, f"/v1/tickets/{ticket['id']}/satisfaction", {"score": score}, tenant.contact_key
    )
    assert_problem(response, 422)


async def test_rating_needs_resolution_and_the_requester(client, tenant, agent_key):
    open_ticket = await ticket_in(client, "open", requester=tenant.contact)
    url = f"/v1/tickets/{open_ticket['id']}/satisfaction"
    assert_problem(await post(client, url, {"score": 5}, tenant.contact_key), 409)
    resolved = await ticket_in(client, "resolved", requester=tenant.contact)
    url = f"/v1/tickets/{resolved['id']}/satisfaction"
    assert_problem(await post(client, url, {"score": 5}, agent_key), 403)
    colleague = await make_contact(client, tenant.organization)
    colleague_key = await make_key(client, "contact", contact_id=colleague["id"])
    assert_problem(await post(client, url, {"score": 5}, colleague_key), 403)
    other = await make_tenant(client)
    assert_problem(await post(client, url, {"score": 5}, other.contact_key), 404)


# --- auto-close --------------------------------------------------------------------------


async def test_resolved_tickets_close_automatically_after_the_configured_days(client, app):
    tenant = await make_tenant(client)
    old = await ticket_in(client, "resolved", requester=tenant.contact)
    reopened = await ticket_in(client, "resolved", requester=tenant.contact)
    assert (await move(client, reopened["id"], "open", tenant.contact_key)).status_code == 200
    real_now = timesource.now()
    timesource.set_source(lambda: real_now + timedelta(days=6, hours=23))
    assert await close_resolved_tickets({"sessions": app.state.sessions}) == 0
    timesource.set_source(lambda: real_now + timedelta(days=7, minutes=1))
    young = await ticket_in(client, "resolved", requester=tenant.contact)
    assert await close_resolved_tickets({"sessions": app.state.sessions}) == 1
    closed = (await fetch(client, old["id"])).json()
    assert closed["status"] == "closed"
    last = (await events_of(client, old["id"], "ticket.status_changed"))[-1]
    assert last["actor"]["type"] == "system"
    assert "automatically" in last["data"]["reason"]
    assert (await fetch(client, young["id"])).json()["status"] == "resolved"
    assert (await fetch(client, reopened["id"])).json()["status"] == "open"


async def test_split_copies_stored_context_as_it_is(client, app, tenant):
    """Context captured from browser headers is stored as it came; splitting must not choke
    on it (a very long user agent made a 500 here)."""
    import sqlalchemy as sa

    original = await make_ticket(client, requester=tenant.contact)
    async with app.state.engine.begin() as connection:
        await connection.execute(
            sa.text("UPDATE tickets SET context = :context WHERE id = :id"),
            {"context": '{"browser": "' + "Chrome 1." * 100 + '"}', "id": original["id"]},
        )
    response = await post(
        client,
        f"/v1/tickets/{original['id']}/split",
        {"parts": [{"subject": "Part", "description": "One part"}]},
    )
    assert response.status_code == 201, response.text
    assert response.json()["data"][0]["context"]["browser"].startswith("Chrome 1.")

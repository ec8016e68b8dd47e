"""Problems and incidents: one outage, many tickets, across organizations.

Staff link tickets of any organization to a problem ticket; a broadcast reply on the problem
reaches every open incident as its own public reply, and resolving the problem resolves its
open incidents. Each client sees only its own ticket, never the other organizations' data.
"""

import json
from typing import Any

import httpx

from tests.factories import ADMIN, Tenant, make_key, make_tenant, make_ticket
from tests.problems import assert_problem
from tests.webhooks.helpers import whole_feed


async def link(
    client: httpx.AsyncClient,
    ticket: dict[str, Any],
    problem: dict[str, Any],
    headers: dict[str, str] = ADMIN,
) -> httpx.Response:
    url = f"/v1/tickets/{ticket['id']}/link"
    return await client.post(url, json={"problem_id": problem["id"]}, headers=headers)


async def linked(
    client: httpx.AsyncClient,
    ticket: dict[str, Any],
    problem: dict[str, Any],
    headers: dict[str, str] = ADMIN,
) -> dict[str, Any]:
    response = await link(client, ticket, problem, headers)
    assert response.status_code == 200, response.text
    return response.json()


async def move(client: httpx.AsyncClient, ticket: dict[str, Any], *steps: str) -> dict[str, Any]:
    response = None
    for step in steps:
        url = f"/v1/tickets/{ticket['id']}/transitions"
        response = await client.post(url, json={"to": step}, headers=ADMIN)
        assert response.status_code == 200, response.text
    assert response is not None
    return response.json()


async def get(
    client: httpx.AsyncClient, ticket: dict[str, Any], headers: dict[str, str] = ADMIN
) -> dict[str, Any]:
    response = await client.get(f"/v1/tickets/{ticket['id']}", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def timeline(
    client: httpx.AsyncClient, ticket: dict[str, Any], headers: dict[str, str] = ADMIN
) -> list[dict[str, Any]]:
    response = await client.get(f"/v1/tickets/{ticket['id']}/events", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["data"]


async def comments(
    client: httpx.AsyncClient, ticket: dict[str, Any], headers: dict[str, str] = ADMIN
) -> list[dict[str, Any]]:
    response = await client.get(f"/v1/tickets/{ticket['id']}/comments", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["data"]


async def incidents(
    client: httpx.AsyncClient, problem: dict[str, Any], **params: Any
) -> dict[str, Any]:
    url = f"/v1/tickets/{problem['id']}/incidents"
    response = await client.get(url, params=params, headers=ADMIN)
    assert response.status_code == 200, response.text
    return response.json()


async def ticket_of(client: httpx.AsyncClient, tenant: Tenant) -> dict[str, Any]:
    return await make_ticket(client, requester=tenant.contact)


async def test_staff_link_another_organizations_ticket_as_an_incident(
    client, tenant, other_tenant, agent_key
):
    problem = await ticket_of(client, tenant)
    incident = await ticket_of(client, other_tenant)

    answer = await linked(client, incident, problem, agent_key)

    assert answer["problem_id"] == problem["id"]
    assert (await get(client, incident, other_tenant.contact_key))["problem_id"] == problem["id"]
    assert (await get(client, problem))["problem_id"] is None
    listed = await incidents(client, problem)
    assert [ticket["id"] for ticket in listed["data"]] == [incident["id"]]
    staff_event = (await timeline(client, incident))[-1]
    assert staff_event["type"] == "ticket.linked"
    assert staff_event["data"]["problem"] == {"id": problem["id"], "number": problem["number"]}
    assert staff_event["data"]["ticket"]["problem_id"] == problem["id"]
    # The requester learns that the ticket was linked, not which other client's ticket.
    client_event = (await timeline(client, incident, other_tenant.contact_key))[-1]
    assert client_event["type"] == "ticket.linked"
    assert set(client_event["data"]) == {"ticket"}
    assert problem["number"] not in json.dumps(client_event)


async def test_unlinking_records_a_link_to_no_problem(client, tenant):
    problem = await ticket_of(client, tenant)
    incident = await ticket_of(client, tenant)
    await linked(client, incident, problem)

    response = await client.delete(f"/v1/tickets/{incident['id']}/link", headers=ADMIN)

    assert response.status_code == 200, response.text
    assert response.json()["problem_id"] is None
    event = (await timeline(client, incident))[-1]
    assert event["type"] == "ticket.linked"
    assert event["data"]["problem"] is None
    assert (await incidents(client, problem))["data"] == []


async def test_linking_unlinking_and_listing_incidents_are_for_staff(client, tenant):
    problem = await ticket_of(client, tenant)
    incident = await ticket_of(client, tenant)
    widget = await make_key(
        client,
        "widget",
        organization_id=tenant.organization["id"],
        allowed_origins=["https://client.example"],
    )
    for headers in (tenant.contact_key, tenant.integration_key, widget):
        assert_problem(await link(client, incident, problem, headers), 403)
        url = f"/v1/tickets/{incident['id']}/link"
        assert_problem(await client.delete(url, headers=headers), 403)
        url = f"/v1/tickets/{problem['id']}/incidents"
        assert_problem(await client.get(url, headers=headers), 403)
    assert (await get(client, incident))["problem_id"] is None


async def test_no_self_links_and_no_chains(client, tenant):
    problem = await ticket_of(client, tenant)
    incident = await ticket_of(client, tenant)
    other = await ticket_of(client, tenant)
    await linked(client, incident, problem)

    assert_problem(await link(client, other, other), 422)
    # An incident is no problem, and a problem is no incident.
    assert_problem(await link(client, other, incident), 422)
    assert_problem(await link(client, problem, other), 422)
    assert_problem(await link(client, other, {"id": "7b0f5a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b"}), 422)
    assert (await get(client, other))["problem_id"] is None
    assert (await get(client, problem))["problem_id"] is None


async def test_a_final_ticket_cannot_be_linked(client, tenant):
    problem = await ticket_of(client, tenant)
    closed = await ticket_of(client, tenant)
    await move(client, closed, "open", "resolved", "closed")
    cancelled_problem = await ticket_of(client, tenant)
    await move(client, cancelled_problem, "cancelled")
    incident = await ticket_of(client, tenant)

    assert_problem(await link(client, closed, problem), 409)
    assert_problem(await link(client, incident, cancelled_problem), 409)


async def test_incidents_are_listed_page_by_page(client, tenant, other_tenant):
    problem = await ticket_of(client, tenant)
    ids = set()
    for owner in (tenant, other_tenant, other_tenant):
        ids.add((await linked(client, await ticket_of(client, owner), problem))["id"])

    first = await incidents(client, problem, limit=2)
    second = await incidents(client, problem, limit=2, cursor=first["next_cursor"])

    assert len(first["data"]) == 2 and first["next_cursor"]
    assert len(second["data"]) == 1 and second["next_cursor"] is None
    assert {ticket["id"] for ticket in first["data"] + second["data"]} == ids


def _traces(tenant: Tenant, incident: dict[str, Any]) -> list[str]:
    """What identifies an organization and its ticket."""
    return [
        tenant.organization["id"],
        tenant.organization["name"],
        tenant.contact["id"],
        tenant.contact["email"],
        incident["id"],
        f'"{incident["number"]}"',
    ]


async def test_a_broadcast_reaches_each_organizations_incident_and_nothing_else(
    client, tenant, other_tenant, agent_key
):
    operator = await make_tenant(client)
    problem = await ticket_of(client, operator)
    ours = await linked(client, await ticket_of(client, tenant), problem)
    theirs = await linked(client, await ticket_of(client, other_tenant), problem)
    done = await linked(client, await ticket_of(client, other_tenant), problem)
    await move(client, done, "open", "resolved")
    body = {"body": "The payment provider is back; please retry.", "broadcast": True}

    response = await client.post(
        f"/v1/tickets/{problem['id']}/comments", json=body, headers=agent_key
    )

    assert response.status_code == 201, response.text
    original = response.json()
    for owner, incident in ((tenant, ours), (other_tenant, theirs)):
        [copy] = await comments(client, incident, owner.contact_key)
        assert copy["body"] == body["body"]
        assert copy["visibility"] == "public"
        assert (copy["author_type"], copy["author_id"]) == ("agent", original["author_id"])
        assert copy["ticket_id"] == incident["id"]
    assert await comments(client, done) == []
    for owner, incident, other, other_incident in (
        (tenant, ours, other_tenant, theirs),
        (other_tenant, theirs, tenant, ours),
    ):
        events = await whole_feed(client, owner.integration_key)
        added = [event for event in events if event["type"] == "ticket.comment_added"]
        assert [event["ticket_id"] for event in added] == [incident["id"]]
        assert added[0]["data"]["comment"]["body"] == body["body"]
        text = json.dumps(events)
        # The problem's id is the incident's `problem_id`: an opaque reference that the client
        # cannot follow (404); nothing else of the problem's organization shows.
        problem_traces = [trace for trace in _traces(operator, problem) if trace != problem["id"]]
        for trace in _traces(other, other_incident) + problem_traces:
            assert trace not in text, trace
        url = f"/v1/tickets/{problem['id']}"
        assert_problem(await client.get(url, headers=owner.integration_key), 404)


async def test_a_broadcast_needs_staff_a_public_reply_and_incidents(client, tenant, agent_key):
    lonely = await ticket_of(client, tenant)
    problem = await ticket_of(client, tenant)
    await linked(client, await ticket_of(client, tenant), problem)

    async def post(ticket: dict[str, Any], headers: dict[str, str], **fields: Any):
        body = {"body": "Update", "broadcast": True, **fields}
        return await client.post(f"/v1/tickets/{ticket['id']}/comments", json=body, headers=headers)

    assert_problem(await post(lonely, agent_key), 422)
    assert_problem(await post(problem, agent_key, visibility="internal"), 422)
    assert_problem(await post(problem, tenant.contact_key), 403)
    assert await comments(client, lonely) == []
    assert await comments(client, problem) == []


async def test_resolving_a_problem_resolves_its_open_incidents(client, tenant, other_tenant):
    problem = await ticket_of(client, tenant)
    same = await linked(client, await ticket_of(client, tenant), problem)
    other = await linked(client, await ticket_of(client, other_tenant), problem)
    approving = await linked(client, await ticket_of(client, other_tenant), problem)
    waiting = await linked(client, await ticket_of(client, tenant), problem)
    cancelled = await linked(client, await ticket_of(client, tenant), problem)
    for ticket in (same, other, waiting):
        await move(client, ticket, "open")
    await move(client, approving, "open", "awaiting_approval")
    await move(client, waiting, "pending")
    cancelled = await move(client, cancelled, "cancelled")
    await move(client, problem, "open")

    await move(client, problem, "resolved")

    for ticket in (same, other, approving):
        assert (await get(client, ticket))["status"] == "resolved"
    # Pending has no move to resolved; a cancelled incident is done and left alone.
    assert (await get(client, waiting))["status"] == "pending"
    after = await get(client, cancelled)
    assert (after["status"], after["updated_at"]) == ("cancelled", cancelled["updated_at"])
    [event] = [
        e
        for e in await timeline(client, same)
        if e["data"].get("reason", "").startswith("Resolved")
    ]
    assert event["data"]["reason"] == f"Resolved with problem {problem['number']}"
    seen = await timeline(client, other, other_tenant.contact_key)
    [event] = [e for e in seen if e["type"] == "ticket.status_changed"][-1:]
    assert event["data"]["ticket"]["status"] == "resolved"
    assert event["data"]["reason"] == "Resolved with the problem it was linked to"
    assert problem["number"] not in json.dumps(seen)

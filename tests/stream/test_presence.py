"""Collision detection: agents on the same ticket see each other, across API processes, and
presence expires on its own; it never reaches the feed or clients."""

import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from app import timesource
from app.stream import presence
from app.stream.presence import PresenceState
from tests.factories import ADMIN, make_agent, make_key, make_ticket
from tests.problems import assert_problem
from tests.stream.sse import opened
from tests.stream.test_stream import api_processes
from tests.test_ratelimit import api_process


@pytest.fixture
async def agents(client) -> list[tuple[dict, dict]]:
    """Two agents and their keys."""
    found = []
    for name in ("Ada Lovelace", "Grace Hopper"):
        agent = await make_agent(client, name=name)
        found.append((agent, await make_key(client, "agent", agent_id=agent["id"])))
    return found


async def put(client, ticket: dict, key: dict, state: str):
    response = await client.put(
        f"/v1/tickets/{ticket['id']}/presence", json={"state": state}, headers=key
    )
    assert response.status_code == 200, response.text
    return response.json()["data"]


async def test_agents_on_one_ticket_see_each_other_live(client, tenant, agents):
    (ada, ada_key), (grace, grace_key) = agents
    ticket = await make_ticket(client, ADMIN, requester=tenant.contact)
    async with (
        api_processes(2) as (first, second),
        opened(first, ada_key, ticket_id=ticket["id"]) as ada_console,
        opened(second, tenant.contact_key, ticket_id=ticket["id"]) as client_portal,
    ):
        await put(client, ticket, ada_key, "viewing")
        arrived = await ada_console.until("ticket.presence")
        present = await put(client, ticket, grace_key, "replying")
        replying = await ada_console.until("ticket.presence")
        await put(client, ticket, grace_key, "replying")  # a refresh: nobody is told
        left = await client.delete(f"/v1/tickets/{ticket['id']}/presence", headers=grace_key)
        gone = await ada_console.until("ticket.presence")

    assert [(p["name"], p["state"]) for p in arrived[-1].data["data"]] == [
        ("Ada Lovelace", "viewing")
    ]
    assert {(p["agent_id"], p["state"]) for p in replying[-1].data["data"]} == {
        (ada["id"], "viewing"),
        (grace["id"], "replying"),
    }
    assert replying[-1].id is None  # ephemeral: no feed position to resume from
    assert {p["agent_id"] for p in present} == {ada["id"], grace["id"]}
    assert left.status_code == 204
    assert [p["agent_id"] for p in gone[-1].data["data"]] == [ada["id"]]
    assert client_portal.pending() == []  # clients never hear of it
    feed = await client.get("/v1/events", params={"types": "ticket.presence"}, headers=ADMIN)
    assert feed.status_code == 422  # not a feed event at all


def later(seconds: float) -> None:
    """The clock `seconds` ahead of real time (the test's teardown resets it)."""
    timesource.set_source(lambda: datetime.now(UTC) + timedelta(seconds=seconds))


async def test_presence_is_gone_thirty_seconds_after_the_last_refresh(client, tenant, agents):
    (ada, ada_key), _ = agents
    ticket = await make_ticket(client, ADMIN, requester=tenant.contact)
    [first] = await put(client, ticket, ada_key, "viewing")
    later(20)
    [refreshed] = await put(client, ticket, ada_key, "viewing")
    later(20 + 25)
    listed = await client.get(f"/v1/tickets/{ticket['id']}/presence", headers=ADMIN)
    assert [p["agent_id"] for p in listed.json()["data"]] == [ada["id"]]
    assert refreshed["since"] == first["since"]  # still viewing since the first PUT
    assert refreshed["expires_at"] > first["expires_at"]

    later(20 + 31)
    listed = await client.get(f"/v1/tickets/{ticket['id']}/presence", headers=ADMIN)
    assert listed.json()["data"] == []


async def test_who_may_use_presence(client, tenant, other_tenant, agents):
    _, (_, grace_key) = agents
    ticket = await make_ticket(client, ADMIN, requester=tenant.contact)
    url = f"/v1/tickets/{ticket['id']}/presence"
    assert (await client.put(url, json={"state": "viewing"}, headers=ADMIN)).status_code == 403
    for headers in (tenant.contact_key, other_tenant.integration_key):
        assert (await client.get(url, headers=headers)).status_code == 403
    bad = await client.put(url, json={"state": "typing"}, headers=grace_key)
    assert_problem(bad, 422)


async def test_without_redis_presence_is_a_503_and_tickets_still_work(client, tenant, agents):
    _, (_, grace_key) = agents
    ticket = await make_ticket(client, ADMIN, requester=tenant.contact)
    async with api_process(redis_url="redis://127.0.0.1:1/0") as application:
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://desk") as http:
            response = await http.put(
                f"/v1/tickets/{ticket['id']}/presence", json={"state": "viewing"}, headers=grace_key
            )
            read = await http.get(f"/v1/tickets/{ticket['id']}", headers=grace_key)
    problem = assert_problem(response, 503)
    assert "Presence is unavailable" in problem["detail"]
    assert int(response.headers["Retry-After"]) > 0
    assert read.status_code == 200


async def test_at_most_a_hundred_agents_are_listed_on_a_ticket(app, client, tenant, agents):
    (_, ada_key), _ = agents
    ticket = await make_ticket(client, ADMIN, requester=tenant.contact)
    ticket_id = uuid.UUID(ticket["id"])
    for n in range(120):
        await presence.enter(
            app.state.redis, ticket_id, uuid.uuid4(), f"Agent {n}", PresenceState.viewing
        )

    listed = await client.get(f"/v1/tickets/{ticket['id']}/presence", headers=ada_key)

    assert listed.status_code == 200
    assert len(listed.json()["data"]) == presence.SHOWN == 100

"""Clients see that a ticket or an organization was (or could not be) assigned, never why:
no score breakdown, no refusals naming agents' time off, load or capacity, no staff key id.
Staff keep the full explanation. Checked on every path a client reads events by: a contact's
timeline, an integration key's change feed and an organization's webhook endpoint."""

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx

from app import timesource
from app.events.audience import CLIENT_DATA
from app.events.models import EventType
from tests.factories import ADMIN, Tenant, bearer, make_agent
from tests.webhooks.helpers import create_endpoint, whole_feed
from tests.webhooks.receiver import Received

# What only staff may see of an assignment: the breakdown's fields and the refusals.
STAFF_KEYS = frozenset(
    {
        "assignment",
        "breakdown",
        "summary",
        "score",
        "total",
        "refusals",
        "roles",
        "capacity",
        "load",
        "load_share",
        "contributions",
        "weights",
        "time_off",
        "expertise_matched",
        "overlap_minutes_per_week",
    }
)
# The words refusals are made of.
STAFF_WORDS = ("out of office", "at capacity", "load ", "total ")
ASSIGNMENT_TYPES = {
    "ticket.assigned",
    "ticket.unassigned",
    "organization.pm_assigned",
    "organization.pm_changed",
    "organization.pm_unassigned",
}


def walk(value: Any) -> Iterator[tuple[str | None, Any]]:
    """Every (key, value) pair in a JSON document, at any depth."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield key, inner
            yield from walk(inner)
    elif isinstance(value, list):
        for inner in value:
            yield None, inner
            yield from walk(inner)


def leaks(events: list[dict[str, Any]], staff_key_ids: set[str]) -> list[str]:
    """What in these events a client must not see."""
    found = []
    for event in events:
        for key, value in walk(event):
            if key in STAFF_KEYS:
                found.append(f"{event['type']}: key {key}")
            if key == "key_id" and value in staff_key_ids:
                found.append(f"{event['type']}: staff key_id {value}")
            if isinstance(value, str) and any(word in value for word in STAFF_WORDS):
                found.append(f"{event['type']}: {value!r}")
    return found


async def staff_key(client: httpx.AsyncClient, kind: str, **fields: Any) -> tuple[dict, str]:
    """A staff key's Authorization header and its id."""
    response = await client.post(
        "/v1/api-keys", json={"kind": kind, "name": f"{kind} key", **fields}, headers=ADMIN
    )
    assert response.status_code == 201, response.text
    return bearer(response.json()["key"]), response.json()["id"]


async def away(client: httpx.AsyncClient, agent: dict[str, Any]) -> None:
    now = timesource.now()
    body = {
        "starts_at": (now - timedelta(hours=1)).isoformat(),
        "ends_at": (now + timedelta(days=2)).isoformat(),
        "reason": "Parental leave",
    }
    response = await client.post(f"/v1/agents/{agent['id']}/time-off", json=body, headers=ADMIN)
    assert response.status_code == 201, response.text


async def emergency(client: httpx.AsyncClient, tenant: Tenant) -> dict[str, Any]:
    body = {"subject": "Site down", "description": "502 everywhere", "emergency": True}
    response = await client.post("/v1/tickets", json=body, headers=tenant.contact_key)
    assert response.status_code == 201, response.text
    return response.json()


async def timeline(client: httpx.AsyncClient, ticket_id: str, headers: dict) -> list[dict]:
    response = await client.get(f"/v1/tickets/{ticket_id}/events?limit=200", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["data"]


def bodies(received: list[Received], path: str) -> list[dict[str, Any]]:
    return [request.json for request in received if request.path == path]


def types_at(received: list[Received], path: str) -> list[str]:
    return [event["type"] for event in bodies(received, path)]


def only(events: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [event for event in events if event["type"] == kind]


async def endpoints(client, receiver, pumps, tenant: Tenant) -> None:
    """An endpoint of the organization (/org) and one of the operator (/operator)."""
    await create_endpoint(client, receiver.url.replace("/hooks", "/org"), tenant.integration_key)
    await create_endpoint(client, receiver.url.replace("/hooks", "/operator"))
    await pumps(1)


async def test_ticket_assignment_reaches_clients_without_the_explanation(
    client, receiver, pumps, tenant
):
    await endpoints(client, receiver, pumps, tenant)
    on_leave = await make_agent(client, role="support_tier3", capacity=5)
    await away(client, on_leave)
    await make_agent(client, role="senior_pm", capacity=0)
    waiting = await emergency(client, tenant)  # nobody free: ticket.unassigned, with refusals
    senior = await make_agent(client, role="support_tier3", capacity=5)
    routed = await emergency(client, tenant)  # ticket.assigned, with the score breakdown
    senior_key, senior_key_id = await staff_key(client, "agent", agent_id=senior["id"])
    response = await client.patch(
        f"/v1/tickets/{waiting['id']}", json={"assignee_id": senior["id"]}, headers=senior_key
    )
    assert response.status_code == 200, response.text
    staff_ids = {senior_key_id}

    contact_view = [
        *await timeline(client, waiting["id"], tenant.contact_key),
        *await timeline(client, routed["id"], tenant.contact_key),
    ]
    feed = await whole_feed(client, tenant.integration_key)
    received = await receiver.wait_for(
        lambda rs: (
            types_at(rs, "/org").count("ticket.assigned") == 2
            and types_at(rs, "/operator").count("ticket.assigned") == 2
        )
    )
    for seen in (contact_view, feed, bodies(received, "/org")):
        assert {"ticket.assigned", "ticket.unassigned"} <= {event["type"] for event in seen}
        assert leaks(seen, staff_ids) == []
        assigned = only(seen, "ticket.assigned")
        assert {event["data"]["ticket"]["assignee_id"] for event in assigned} == {senior["id"]}
        by_senior = [event for event in assigned if event["actor"]["type"] == "agent"]
        assert by_senior[0]["actor"] == {"type": "agent", "id": senior["id"], "key_id": None}
        assert by_senior[0]["data"]["previous"] == {"assignee_id": None}

    # Staff keep the whole explanation, on their timeline, feed and endpoint alike.
    admin_feed = await whole_feed(client, ADMIN)
    admin_timeline = [
        *await timeline(client, waiting["id"], ADMIN),
        *await timeline(client, routed["id"], ADMIN),
    ]
    for seen in (admin_timeline, admin_feed, bodies(received, "/operator")):
        [routing] = [e for e in only(seen, "ticket.assigned") if "assignment" in e["data"]]
        assert routing["data"]["assignment"]["agent_id"] == senior["id"]
        assert {"load", "capacity", "summary", "total"} <= set(routing["data"]["assignment"])
        [refused] = only(seen, "ticket.unassigned")
        assert "out of office" in str(refused["data"]["refusals"][on_leave["id"]])
        [manual] = [e for e in only(seen, "ticket.assigned") if e["actor"]["type"] == "agent"]
        assert manual["actor"]["key_id"] == senior_key_id


async def test_pm_assignment_reaches_integrations_without_the_explanation(
    client, receiver, pumps, tenant
):
    await endpoints(client, receiver, pumps, tenant)
    organization_id = tenant.organization["id"]
    url = f"/v1/organizations/{organization_id}/pm/assign"
    admin_key, admin_key_id = await staff_key(client, "admin")
    on_leave = await make_agent(client, role="pm", capacity=5)
    await away(client, on_leave)

    async def assign(**body: Any) -> dict[str, Any]:
        response = await client.post(url, json=body, headers=admin_key)
        assert response.status_code == 200, response.text
        return response.json()

    assert (await assign())["state"] == "waiting"  # organization.pm_unassigned, with refusals
    free = await make_agent(client, role="pm", capacity=5)
    assert (await assign())["pm_id"] == free["id"]  # organization.pm_assigned, with breakdown
    assert (await assign(agent_id=on_leave["id"]))["pm_id"] == on_leave["id"]  # pm_changed

    kinds = ["organization.pm_unassigned", "organization.pm_assigned", "organization.pm_changed"]
    feed = await whole_feed(client, tenant.integration_key, types=",".join(kinds))
    received = await receiver.wait_for(
        lambda rs: (
            "organization.pm_changed" in types_at(rs, "/org")
            and "organization.pm_changed" in types_at(rs, "/operator")
        )
    )
    for seen in (feed, bodies(received, "/org")):
        assert [event["type"] for event in seen if event["type"] in kinds] == kinds
        assert leaks(seen, {admin_key_id}) == []
        pms = [event["data"]["organization"]["pm_id"] for event in seen if event["type"] in kinds]
        assert pms == [None, free["id"], on_leave["id"]]
        [changed] = only(seen, "organization.pm_changed")
        assert changed["data"]["previous"] == {"pm_id": free["id"]}
        assert changed["actor"] == {"type": "admin", "id": None, "key_id": None}

    admin_feed = await whole_feed(client, ADMIN, types=",".join(kinds))
    for seen in (admin_feed, bodies(received, "/operator")):
        [waiting] = only(seen, "organization.pm_unassigned")
        assert "out of office" in str(waiting["data"]["refusals"][on_leave["id"]])
        [assigned] = only(seen, "organization.pm_assigned")
        assert {"load", "capacity", "summary"} <= set(assigned["data"]["assignment"])
        [changed] = only(seen, "organization.pm_changed")
        assert changed["data"]["assignment"]["explicit"] is True
        assert changed["actor"]["key_id"] == admin_key_id


async def test_a_clients_own_key_id_stays_on_its_events(client, tenant):
    response = await client.post(
        "/v1/tickets",
        json={"subject": "Export", "description": "CSV drops rows"},
        headers=tenant.contact_key,
    )
    assert response.status_code == 201, response.text
    keys = await client.get("/v1/api-keys", params={"limit": 200}, headers=ADMIN)
    assert keys.status_code == 200, keys.text
    [contact_key] = [k for k in keys.json()["data"] if k["contact_id"] == tenant.contact["id"]]
    [created] = only(await whole_feed(client, tenant.integration_key), "ticket.created")
    assert created["actor"] == {
        "type": "contact",
        "id": tenant.contact["id"],
        "key_id": contact_key["id"],
    }


def test_every_event_type_says_what_clients_see():
    assert set(CLIENT_DATA) == set(EventType)
    for kind in ASSIGNMENT_TYPES:
        assert not CLIENT_DATA[kind] & STAFF_KEYS

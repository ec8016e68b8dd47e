"""Tenant isolation and authentication: one organization's keys never reach another's data."""

import httpx
import pytest

from tests.factories import ADMIN, bearer, make_agent, make_key, make_ticket
from tests.problems import assert_problem

CLIENT_KINDS = ["contact", "integration"]

# (method, path, body): {t} is the ticket, {o} the organization, {c} a contact of it.
TICKET_ENDPOINTS = [
    ("GET", "/v1/tickets/{t}", None),
    ("PATCH", "/v1/tickets/{t}", {"subject": "Hijacked"}),
    ("POST", "/v1/tickets/{t}/transitions", {"to": "cancelled"}),
    ("POST", "/v1/tickets/{t}/comments", {"body": "Hello from elsewhere"}),
    ("GET", "/v1/tickets/{t}/comments", None),
    ("GET", "/v1/tickets/{t}/events", None),
]
ORGANIZATION_ENDPOINTS = [
    ("GET", "/v1/organizations/{o}", None),
    ("PATCH", "/v1/organizations/{o}", {"name": "Hijacked"}),
    ("GET", "/v1/organizations/{o}/contacts", None),
    ("POST", "/v1/organizations/{o}/contacts", {"email": "mole@evil.example", "name": "Mole"}),
    ("PATCH", "/v1/organizations/{o}/contacts/{c}", {"name": "Hijacked"}),
    ("DELETE", "/v1/organizations/{o}/contacts/{c}", None),
]


def _id(endpoint: tuple) -> str:
    return f"{endpoint[0]} {endpoint[1]}"


async def call(
    client: httpx.AsyncClient, endpoint: tuple, headers, *, t="", o="", c=""
) -> httpx.Response:
    method, path, body = endpoint
    url = path.format(t=t, o=o, c=c)
    return await client.request(method, url, json=body, headers=headers)


@pytest.fixture
async def victim(client, tenant):
    """Organization A's ticket, with a public comment, as A's contact raised it."""
    ticket = await make_ticket(client, tenant.contact_key, subject="A's private trouble")
    response = await client.post(
        f"/v1/tickets/{ticket['id']}/comments",
        json={"body": "A's reply"},
        headers=tenant.contact_key,
    )
    assert response.status_code == 201, response.text
    return ticket


async def _snapshot(client: httpx.AsyncClient, tenant, ticket: dict) -> dict:
    """What A's data looks like to the operator, to check a refused call changed nothing."""

    async def body(path: str) -> dict:
        response = await client.get(path, headers=ADMIN)
        assert response.status_code == 200, response.text
        return response.json()

    org = tenant.organization["id"]
    return {
        "ticket": await body(f"/v1/tickets/{ticket['id']}"),
        "comments": await body(f"/v1/tickets/{ticket['id']}/comments"),
        "events": await body(f"/v1/tickets/{ticket['id']}/events"),
        "organization": await body(f"/v1/organizations/{org}"),
        "contacts": await body(f"/v1/organizations/{org}/contacts"),
    }


@pytest.mark.parametrize("endpoint", TICKET_ENDPOINTS + ORGANIZATION_ENDPOINTS, ids=_id)
@pytest.mark.parametrize("kind", CLIENT_KINDS)
async def test_another_organizations_key_gets_404_and_changes_nothing(
    client, tenant, other_tenant, victim, kind, endpoint
):
    before = await _snapshot(client, tenant, victim)
    headers = getattr(other_tenant, f"{kind}_key")
    ids = {"t": victim["id"], "o": tenant.organization["id"], "c": tenant.contact["id"]}
    response = await call(client, endpoint, headers, **ids)
    problem = assert_problem(response, 404, "not-found")
    assert "A's private trouble" not in response.text
    assert victim["subject"] not in problem["detail"]
    assert await _snapshot(client, tenant, victim) == before


@pytest.mark.parametrize("endpoint", TICKET_ENDPOINTS, ids=_id)
@pytest.mark.parametrize("kind", CLIENT_KINDS)
async def test_a_clients_own_ticket_is_reachable_with_its_key(
    client, tenant, victim, kind, endpoint
):
    headers = getattr(tenant, f"{kind}_key")
    method, path, body = endpoint
    if kind == "integration" and path.endswith("/comments") and body:
        # An integration comments for one of its organization's contacts, never as `system`.
        endpoint = (method, path, {**body, "author_id": tenant.contact["id"]})
    response = await call(client, endpoint, headers, t=victim["id"])
    assert response.status_code in (200, 201), response.text


@pytest.mark.parametrize("kind", CLIENT_KINDS)
async def test_another_organizations_tickets_never_appear_in_a_clients_list(
    client, tenant, other_tenant, victim, kind
):
    own = await make_ticket(client, other_tenant.contact_key)
    headers = getattr(other_tenant, f"{kind}_key")
    for params in ({}, {"organization_id": tenant.organization["id"]}, {"q": "private"}):
        response = await client.get("/v1/tickets", params=params, headers=headers)
        assert response.status_code == 200, response.text
        assert victim["id"] not in response.text
        assert "A's private trouble" not in response.text
    listed = (await client.get("/v1/tickets", headers=headers)).json()["data"]
    assert [ticket["id"] for ticket in listed] == [own["id"]]
    everything = (await client.get("/v1/tickets", headers=ADMIN)).json()["data"]
    assert {ticket["id"] for ticket in everything} == {own["id"], victim["id"]}


@pytest.mark.parametrize("kind", CLIENT_KINDS)
async def test_a_client_lists_only_its_own_organization(client, tenant, other_tenant, kind):
    headers = getattr(other_tenant, f"{kind}_key")
    response = await client.get("/v1/organizations", headers=headers)
    assert response.status_code == 200, response.text
    assert [org["id"] for org in response.json()["data"]] == [other_tenant.organization["id"]]
    assert tenant.organization["id"] not in response.text
    everything = (await client.get("/v1/organizations", headers=ADMIN)).json()["data"]
    assert len(everything) == 2


# --- authentication --------------------------------------------------------------------------

PROTECTED = [
    ("GET", "/v1/tickets", None),
    ("POST", "/v1/tickets", {"subject": "x", "description": "y"}),
    ("GET", "/v1/organizations", None),
    ("GET", "/v1/api-keys", None),
]


@pytest.mark.parametrize("endpoint", PROTECTED, ids=_id)
@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer sd_contact_not-a-real-key"},
        {"Authorization": "Bearer "},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"Authorization": "sd_contact_not-a-real-key"},
    ],
    ids=["no-key", "unknown-key", "empty-key", "basic-auth", "no-scheme"],
)
async def test_a_missing_or_bad_key_is_a_401_problem(client, endpoint, headers):
    response = await call(client, endpoint, headers)
    assert_problem(response, 401, "unauthorized")
    assert response.headers["www-authenticate"].lower().startswith("bearer")


async def test_a_revoked_key_stops_working(client, tenant):
    response = await client.post(
        "/v1/api-keys",
        json={"kind": "contact", "name": "laptop", "contact_id": tenant.contact["id"]},
        headers=ADMIN,
    )
    assert response.status_code == 201, response.text
    key = response.json()
    headers = bearer(key["key"])
    assert (await client.get("/v1/tickets", headers=headers)).status_code == 200
    assert (await client.delete(f"/v1/api-keys/{key['id']}", headers=ADMIN)).status_code == 204
    assert_problem(await client.get("/v1/tickets", headers=headers), 401, "unauthorized")
    body = {"subject": "Still here?", "description": "Trying with a revoked key."}
    assert_problem(await client.post("/v1/tickets", json=body, headers=headers), 401)
    assert (await client.get("/v1/tickets", headers=ADMIN)).json()["data"] == []
    assert (await client.get("/v1/tickets", headers=tenant.contact_key)).status_code == 200


async def test_a_deleted_contacts_key_stops_working(client, tenant):
    org = tenant.organization["id"]
    url = f"/v1/organizations/{org}/contacts/{tenant.contact['id']}"
    assert (await client.delete(url, headers=tenant.integration_key)).status_code == 204
    assert_problem(await client.get("/v1/tickets", headers=tenant.contact_key), 401)


@pytest.mark.parametrize(
    "endpoint",
    [
        ("POST", "/v1/organizations", {"name": "Rogue Org", "plan": "standard"}),
        ("PATCH", "/v1/organizations/{o}", {"name": "Renamed"}),
        ("POST", "/v1/agents", {"name": "Rogue", "email": "rogue@desk.example", "role": "pm"}),
        ("GET", "/v1/api-keys", None),
        ("POST", "/v1/api-keys", {"kind": "admin", "name": "escalate"}),
        ("POST", "/v1/organizations/{o}/contacts", {"email": "x@y.example", "name": "X"}),
    ],
    ids=_id,
)
async def test_an_agent_key_on_an_admin_only_endpoint_is_a_403(client, tenant, endpoint):
    agent = await make_agent(client)
    headers = await make_key(client, "agent", agent_id=agent["id"])
    response = await call(client, endpoint, headers, o=tenant.organization["id"])
    assert_problem(response, 403, "forbidden")
    organizations = (await client.get("/v1/organizations", headers=ADMIN)).json()["data"]
    assert [org["name"] for org in organizations] == [tenant.organization["name"]]
    agents = (await client.get("/v1/agents", headers=ADMIN)).json()["data"]
    assert [a["id"] for a in agents] == [agent["id"]]

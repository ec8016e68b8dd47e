"""Cross-cutting conventions: Idempotency-Key, body limits, problem documents, pagination."""

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from tests.factories import ADMIN, make_key, make_organization
from tests.problems import assert_problem

MIB = 1024 * 1024


def ticket_body(requester: dict[str, Any], subject: str = "Checkout fails") -> dict[str, Any]:
    return {
        "subject": subject,
        "description": "Card payments error.",
        "requester_id": requester["id"],
    }


async def ticket_ids(client: httpx.AsyncClient) -> list[str]:
    response = await client.get("/v1/tickets?limit=200", headers=ADMIN)
    assert response.status_code == 200, response.text
    return [ticket["id"] for ticket in response.json()["data"]]


# --- Idempotency-Key ---------------------------------------------------------------------------


async def test_concurrent_duplicates_create_exactly_one_ticket(client, tenant):
    headers = {**ADMIN, "Idempotency-Key": "burst-1"}
    body = ticket_body(tenant.contact)
    responses = await asyncio.gather(
        *(client.post("/v1/tickets", json=body, headers=headers) for _ in range(16))
    )
    created = [response for response in responses if response.status_code == 201]
    in_progress = [response for response in responses if response.status_code == 409]
    assert len(created) + len(in_progress) == 16, [r.text for r in responses]
    assert created, "at least the first request must succeed"
    for response in in_progress:
        assert_problem(response, 409)
    assert len({response.json()["id"] for response in created}) == 1
    assert len({response.content for response in created}) == 1
    assert await ticket_ids(client) == [created[0].json()["id"]]


async def test_retry_with_same_key_replays_the_first_response(client, tenant):
    headers = {**ADMIN, "Idempotency-Key": "retry-1"}
    body = ticket_body(tenant.contact)
    first = await client.post("/v1/tickets", json=body, headers=headers)
    assert first.status_code == 201, first.text
    assert "idempotent-replayed" not in first.headers
    again = await client.post("/v1/tickets", json=body, headers=headers)
    assert again.status_code == first.status_code
    assert again.content == first.content
    assert again.headers["idempotent-replayed"] == "true"
    assert again.headers["content-type"] == first.headers["content-type"]
    assert again.headers.get("location") == first.headers.get("location")
    assert await ticket_ids(client) == [first.json()["id"]]


async def test_same_key_with_a_different_body_is_refused(client, tenant):
    headers = {**ADMIN, "Idempotency-Key": "reused-1"}
    first = await client.post("/v1/tickets", json=ticket_body(tenant.contact), headers=headers)
    assert first.status_code == 201
    other = ticket_body(tenant.contact, subject="Another problem")
    assert_problem(await client.post("/v1/tickets", json=other, headers=headers), 422)
    assert await ticket_ids(client) == [first.json()["id"]]


async def test_same_key_on_another_endpoint_is_refused(client, tenant):
    headers = {**ADMIN, "Idempotency-Key": "reused-2"}
    first = await client.post("/v1/tickets", json=ticket_body(tenant.contact), headers=headers)
    assert first.status_code == 201
    response = await client.post("/v1/organizations", json={"name": "Other"}, headers=headers)
    assert_problem(response, 422)


async def test_same_key_from_two_api_keys_makes_two_resources(client, tenant):
    second_admin = await make_key(client, "admin")
    body = ticket_body(tenant.contact)
    first = await client.post(
        "/v1/tickets", json=body, headers={**ADMIN, "Idempotency-Key": "shared"}
    )
    second = await client.post(
        "/v1/tickets", json=body, headers={**second_admin, "Idempotency-Key": "shared"}
    )
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] != second.json()["id"]
    assert "idempotent-replayed" not in second.headers
    assert sorted(await ticket_ids(client)) == sorted([first.json()["id"], second.json()["id"]])


async def test_posts_without_a_key_are_not_deduplicated(client, tenant):
    body = ticket_body(tenant.contact)
    first = await client.post("/v1/tickets", json=body, headers=ADMIN)
    second = await client.post("/v1/tickets", json=body, headers=ADMIN)
    assert first.json()["id"] != second.json()["id"]


# --- body size ---------------------------------------------------------------------------------


async def test_body_over_one_mebibyte_is_refused(client, tenant):
    body = ticket_body(tenant.contact)
    body["description"] = "x" * (MIB + 10)
    problem = assert_problem(await client.post("/v1/tickets", json=body, headers=ADMIN), 413)
    assert problem["type"].endswith("payload-too-large")
    assert await ticket_ids(client) == []


async def test_streamed_body_over_one_mebibyte_is_refused(client, tenant):
    chunk = b" " * (64 * 1024)

    async def stream() -> AsyncIterator[bytes]:
        yield json.dumps(ticket_body(tenant.contact))[:-1].encode() + b', "x": "'
        for _ in range(20):
            yield chunk
        yield b'"}'

    response = await client.post(
        "/v1/tickets",
        content=stream(),
        headers={**ADMIN, "Content-Type": "application/json"},
    )
    assert "content-length" not in {name.lower() for name in response.request.headers}
    assert_problem(response, 413)
    assert await ticket_ids(client) == []


async def test_body_under_the_limit_reaches_validation(client):
    body = {"name": "Big", "industry": "y" * (MIB - 200)}
    response = await client.post("/v1/organizations", json=body, headers=ADMIN)
    # The industry is too long for the schema: a validation problem, not a size problem.
    assert_problem(response, 422)


# --- problem documents -------------------------------------------------------------------------


async def test_validation_errors_are_problems_naming_each_field(client, tenant):
    body = {"subject": "", "priority": "urgent", "requester_id": tenant.contact["id"]}
    problem = assert_problem(await client.post("/v1/tickets", json=body, headers=ADMIN), 422)
    fields = {error["field"] for error in problem["errors"]}
    assert {"body.description", "body.priority", "body.subject"} <= fields
    assert all(error["message"] for error in problem["errors"])


async def test_unknown_route_is_a_problem(client):
    problem = assert_problem(await client.get("/v1/nowhere", headers=ADMIN), 404)
    assert problem["type"].endswith("not-found")


async def test_wrong_method_is_a_problem_listing_the_allowed_methods(client):
    response = await client.delete("/v1/organizations", headers=ADMIN)
    problem = assert_problem(response, 405)
    assert problem["type"].endswith("method-not-allowed")
    allowed = {method.strip() for method in response.headers["allow"].split(",")}
    assert allowed == {"GET", "POST"}


async def test_malformed_json_is_a_problem(client):
    response = await client.post(
        "/v1/organizations",
        content=b'{"name": "Broken",',
        headers={**ADMIN, "Content-Type": "application/json"},
    )
    assert_problem(response, 422)


async def test_body_that_is_not_utf8_is_a_problem(client):
    response = await client.post(
        "/v1/organizations",
        content='{"name": "Café"}'.encode("latin-1"),
        headers={**ADMIN, "Content-Type": "application/json"},
    )
    assert_problem(response, 422)


@pytest.mark.parametrize(
    ("content_type", "content"),
    [
        ("text/plain", b"name=Acme"),
        ("application/x-www-form-urlencoded", b"name=Acme"),
        ("application/xml", b"<organization><name>Acme</name></organization>"),
    ],
)
async def test_non_json_body_is_a_client_error(client, content_type, content):
    response = await client.post(
        "/v1/organizations", content=content, headers={**ADMIN, "Content-Type": content_type}
    )
    assert 400 <= response.status_code < 500, response.text
    assert_problem(response, response.status_code)
    listed = (await client.get("/v1/organizations", headers=ADMIN)).json()["data"]
    assert listed == []


@pytest.fixture
async def tolerant_client(app):
    """A client that sees a 500 response instead of the app's exception."""
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


@pytest.mark.parametrize(
    ("url", "body"),
    [
        ("/v1/organizations", {"name": "Nul\x00Org"}),
        ("/v1/organizations/{org}/contacts", {"email": "nul@client.example", "name": "Nul\x00"}),
        ("/v1/agents", {"name": "Nul\x00", "email": "nul@desk.example", "role": "pm"}),
        ("/v1/tickets", {"subject": "Nul\x00", "description": "d", "requester_id": "{contact}"}),
    ],
    ids=["organization", "contact", "agent", "ticket"],
)
async def test_nul_character_in_a_body_is_a_client_error(tolerant_client, tenant, url, body):
    ids = {"org": tenant.organization["id"], "contact": tenant.contact["id"]}
    body = {name: value.format(**ids) if "{" in value else value for name, value in body.items()}
    response = await tolerant_client.post(url.format(**ids), json=body, headers=ADMIN)
    assert 400 <= response.status_code < 500, response.text
    assert_problem(response, response.status_code)


@pytest.mark.parametrize(
    "url",
    [
        "/v1/tickets?q=a%00b",
        "/v1/agents?expertise=a%00b",
        "/v1/organizations/{org}/contacts?email=a%00b",
    ],
    ids=["ticket-search", "agent-expertise", "contact-email"],
)
async def test_nul_character_in_a_query_is_a_client_error(tolerant_client, tenant, url):
    response = await tolerant_client.get(url.format(org=tenant.organization["id"]), headers=ADMIN)
    assert 400 <= response.status_code < 500, response.text
    assert_problem(response, response.status_code)


async def test_json_that_is_not_an_object_is_a_problem(client):
    response = await client.post("/v1/organizations", json=["Acme"], headers=ADMIN)
    assert_problem(response, 422)


async def test_malformed_path_id_is_a_problem(client):
    problem = assert_problem(await client.get("/v1/organizations/not-a-uuid", headers=ADMIN), 422)
    assert any("organization_id" in error["field"] for error in problem["errors"])


async def test_malformed_if_match_is_refused(client):
    organization = await make_organization(client)
    response = await client.patch(
        f"/v1/organizations/{organization['id']}",
        json={"name": "New"},
        headers={**ADMIN, "If-Match": "garbage"},
    )
    assert_problem(response, 412)


# --- pagination --------------------------------------------------------------------------------


@pytest.mark.parametrize("limit", [0, -1, 201, "many"])
async def test_page_size_out_of_bounds_is_refused(client, limit):
    response = await client.get(f"/v1/organizations?limit={limit}", headers=ADMIN)
    problem = assert_problem(response, 422)
    assert "query.limit" in {error["field"] for error in problem["errors"]}


@pytest.mark.parametrize("limit", [1, 200])
async def test_page_size_bounds_are_accepted(client, limit):
    response = await client.get(f"/v1/organizations?limit={limit}", headers=ADMIN)
    assert response.status_code == 200


async def test_cursor_walks_every_row_once(client):
    created = [await make_organization(client) for _ in range(5)]
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        url = "/v1/organizations?limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = (await client.get(url, headers=ADMIN)).json()
        seen += [row["id"] for row in page["data"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
        assert pages < 10
    assert pages == 3
    assert seen == [row["id"] for row in reversed(created)]


async def test_default_page_size_is_fifty(client):
    for _ in range(51):
        await make_organization(client)
    page = (await client.get("/v1/organizations", headers=ADMIN)).json()
    assert len(page["data"]) == 50
    assert page["next_cursor"] is not None


async def test_forged_cursor_is_refused(client):
    response = await client.get("/v1/organizations?cursor=bm90LWEtY3Vyc29y", headers=ADMIN)
    assert "query.cursor" in {error["field"] for error in assert_problem(response, 422)["errors"]}


async def test_replayable_responses_are_stored_sealed(client, app):
    """A key shown once must not sit in plaintext in the idempotency table for 24 hours."""
    import sqlalchemy as sa

    body = {"kind": "admin", "name": "ops"}
    headers = {**ADMIN, "Idempotency-Key": "sealed-1"}
    first = await client.post("/v1/api-keys", json=body, headers=headers)
    again = await client.post("/v1/api-keys", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json()["key"] == first.json()["key"]
    async with app.state.engine.connect() as connection:
        stored = (
            await connection.execute(sa.text("SELECT response_body FROM idempotency_keys"))
        ).scalar_one()
    assert first.json()["key"].encode() not in stored

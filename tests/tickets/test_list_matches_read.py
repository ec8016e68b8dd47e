"""GET /v1/tickets writes its page straight from one statement's rows (app/tickets/present.py,
`page_json`); each entry must still be exactly what GET /v1/tickets/{id} answers."""

from typing import Any

import httpx
import pytest

from tests.api.test_attachments import uploaded
from tests.factories import ADMIN, Tenant, make_ticket

# Every character class the two writers could escape differently.
AWKWARD = 'Ünïcode “quotes” "plain" \\ / \t tab\nnew line \u2028 é'


async def read(client: httpx.AsyncClient, ticket_id: str, headers: dict[str, str]) -> bytes:
    response = await client.get(f"/v1/tickets/{ticket_id}", headers=headers)
    assert response.status_code == 200, response.text
    return response.content


async def listed(
    client: httpx.AsyncClient, headers: dict[str, str], **params: Any
) -> httpx.Response:
    response = await client.get("/v1/tickets", params={"limit": 200, **params}, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    return response


async def tickets_of_every_shape(client: httpx.AsyncClient, tenant: Tenant) -> list[dict]:
    """A ticket with a file and awkward text, one replied to and resolved (met clock, armed
    next update, resolved_at), one imported long ago (breached clocks, instants on a whole
    second), and one with a file on a comment only."""
    contact = tenant.contact_key
    screenshot = await uploaded(client, contact)
    with_file = await make_ticket(
        client,
        contact,
        subject=AWKWARD[:60],
        description=AWKWARD,
        context={"browser": "Firefox", "users_affected": 3},
        attachment_ids=[screenshot["id"]],
    )
    answered = await make_ticket(client, requester=tenant.contact, priority="high")
    reply = {"body": "Looking into it.", "visibility": "public"}
    response = await client.post(
        f"/v1/tickets/{answered['id']}/comments", json=reply, headers=ADMIN
    )
    assert response.status_code == 201, response.text
    for status in ("open", "resolved"):
        response = await client.post(
            f"/v1/tickets/{answered['id']}/transitions", json={"to": status}, headers=ADMIN
        )
        assert response.status_code == 200, response.text
    old = await make_ticket(
        client, requester=tenant.contact, priority="high", created_at="2025-01-06T10:00:00Z"
    )
    commented = await make_ticket(client, contact)
    note = {"body": "A log.", "attachment_ids": [(await uploaded(client, ADMIN))["id"]]}
    response = await client.post(
        f"/v1/tickets/{commented['id']}/comments", json=note, headers=ADMIN
    )
    assert response.status_code == 201, response.text
    return [with_file, answered, old, commented]


async def assert_entries_read_alike(
    client: httpx.AsyncClient, page: httpx.Response, headers: dict[str, str]
) -> None:
    for entry in page.json()["data"]:
        alone = await read(client, entry["id"], headers)
        # The same bytes: key order, nulls, escapes and the `Z` on instants alike.
        assert alone in page.content, entry["id"]


@pytest.mark.parametrize("who", ["staff", "contact"])
async def test_every_entry_is_what_reading_the_ticket_shows(client, tenant, who):
    made = await tickets_of_every_shape(client, tenant)
    headers = ADMIN if who == "staff" else tenant.contact_key
    for params in ({}, {"sort": "urgency"}, {"status": "new", "priority": "high"}):
        page = await listed(client, headers, **params)
        await assert_entries_read_alike(client, page, headers)
    everything = {entry["id"]: entry for entry in (await listed(client, headers)).json()["data"]}
    assert set(everything) == {ticket["id"] for ticket in made}
    with_file, answered, old, commented = (everything[ticket["id"]] for ticket in made)
    assert with_file["description"] == AWKWARD
    assert [file["filename"] for file in with_file["attachments"]] == ["shot.png"]
    assert with_file["attachments"][0]["created_at"].endswith("Z")
    assert with_file["context"]["os"] is None and with_file["context"]["attachments"] == []
    assert answered["sla"]["first_response"]["state"] == "met"
    assert answered["resolved_at"].endswith("Z")
    assert old["created_at"] == "2025-01-06T10:00:00Z"
    assert old["sla"]["resolution"]["state"] == "breached"
    assert commented["attachments"] == []  # a comment's file is not the ticket's


async def test_a_page_and_its_cursor_read_alike(client, tenant):
    await tickets_of_every_shape(client, tenant)
    first = await listed(client, ADMIN, limit=2)
    cursor = first.json()["next_cursor"]
    assert cursor is not None
    rest = await listed(client, ADMIN, limit=2, cursor=cursor)
    for page in (first, rest):
        await assert_entries_read_alike(client, page, ADMIN)
    seen = [entry["id"] for page in (first, rest) for entry in page.json()["data"]]
    assert len(seen) == len(set(seen)) == 4

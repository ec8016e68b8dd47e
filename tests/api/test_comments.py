"""/v1/tickets/{id}/comments: public replies, internal notes, @mentions and their effects."""

import base64
import json

import httpx
import pytest

from tests.factories import ADMIN, make_agent, make_key, make_ticket
from tests.problems import assert_problem

SECRET = "Internal-only: the client's account is flagged for fraud review zq7x"


async def comment(
    client: httpx.AsyncClient, ticket_id: str, headers, body: str, visibility: str = "public"
) -> httpx.Response:
    return await client.post(
        f"/v1/tickets/{ticket_id}/comments",
        json={"body": body, "visibility": visibility},
        headers=headers,
    )


async def posted(response: httpx.Response) -> dict:
    assert response.status_code == 201, response.text
    return response.json()


async def comments_seen(client: httpx.AsyncClient, ticket_id: str, headers=ADMIN) -> list[dict]:
    response = await client.get(f"/v1/tickets/{ticket_id}/comments", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["data"]


async def status_of(client: httpx.AsyncClient, ticket_id: str) -> str:
    return (await client.get(f"/v1/tickets/{ticket_id}", headers=ADMIN)).json()["status"]


async def move(client: httpx.AsyncClient, ticket_id: str, *steps: str) -> None:
    for step in steps:
        response = await client.post(
            f"/v1/tickets/{ticket_id}/transitions", json={"to": step}, headers=ADMIN
        )
        assert response.status_code == 200, response.text


async def status_changes(client: httpx.AsyncClient, ticket_id: str) -> list[dict]:
    response = await client.get(f"/v1/tickets/{ticket_id}/events", headers=ADMIN)
    return [e for e in response.json()["data"] if e["type"] == "ticket.status_changed"]


async def agent_with_key(client: httpx.AsyncClient, **fields) -> tuple[dict, dict]:
    agent = await make_agent(client, **fields)
    return agent, await make_key(client, "agent", agent_id=agent["id"])


# --- authorship and visibility ---------------------------------------------------------------


async def test_an_agent_reply_is_authored_by_that_agent(client, tenant):
    agent, key = await agent_with_key(client)
    ticket = await make_ticket(client, tenant.contact_key)
    reply = await posted(await comment(client, ticket["id"], key, "We are looking into it."))
    assert reply["author_type"] == "agent"
    assert reply["author_id"] == agent["id"]
    assert reply["visibility"] == "public"
    assert reply["ticket_id"] == ticket["id"]
    assert [c["id"] for c in await comments_seen(client, ticket["id"], tenant.contact_key)] == [
        reply["id"]
    ]


async def test_a_contact_reply_is_authored_by_that_contact(client, tenant):
    ticket = await make_ticket(client, tenant.contact_key)
    reply = await posted(await comment(client, ticket["id"], tenant.contact_key, "Any news?"))
    assert reply["author_type"] == "contact"
    assert reply["author_id"] == tenant.contact["id"]
    events = (await client.get(f"/v1/tickets/{ticket['id']}/events", headers=ADMIN)).json()
    added = [e for e in events["data"] if e["type"] == "ticket.comment_added"]
    assert len(added) == 1
    assert added[0]["data"]["comment"]["id"] == reply["id"]


async def test_comments_are_listed_oldest_first(client, tenant, agent_key):
    ticket = await make_ticket(client, tenant.contact_key)
    first = await posted(await comment(client, ticket["id"], tenant.contact_key, "First"))
    second = await posted(await comment(client, ticket["id"], agent_key, "Second"))
    third = await posted(await comment(client, ticket["id"], tenant.contact_key, "Third"))
    listed = await comments_seen(client, ticket["id"])
    assert [c["id"] for c in listed] == [first["id"], second["id"], third["id"]]


@pytest.mark.parametrize("kind", ["contact", "integration"])
async def test_a_client_cannot_post_an_internal_note(client, tenant, kind):
    ticket = await make_ticket(client, tenant.contact_key)
    response = await comment(
        client, ticket["id"], getattr(tenant, f"{kind}_key"), "Sneaky note", "internal"
    )
    assert_problem(response, 403, "forbidden")
    assert await comments_seen(client, ticket["id"]) == []


@pytest.mark.parametrize(
    "body",
    ["", "   ", "x" * 50_001, "See the log:\x00 attached"],
    ids=["empty", "blank", "oversized", "nul-character"],
)
async def test_an_empty_oversized_or_nul_comment_is_a_422(client, tenant, body):
    ticket = await make_ticket(client, tenant.contact_key)
    problem = assert_problem(await comment(client, ticket["id"], ADMIN, body), 422)
    assert "body.body" in [error["field"] for error in problem["errors"]]
    assert await comments_seen(client, ticket["id"]) == []


async def test_a_forged_comments_cursor_is_a_422(client, tenant):
    ticket = await make_ticket(client, tenant.contact_key)
    raw = json.dumps(["0001-01-01T00:00:00+14:00", "00000000-0000-4000-8000-000000000000"])
    cursor = base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")
    response = await client.get(
        f"/v1/tickets/{ticket['id']}/comments", params={"cursor": cursor}, headers=ADMIN
    )
    assert "query.cursor" in [error["field"] for error in assert_problem(response, 422)["errors"]]


async def test_an_unknown_visibility_is_a_422(client, tenant):
    ticket = await make_ticket(client, tenant.contact_key)
    problem = assert_problem(await comment(client, ticket["id"], ADMIN, "Hi", "secret"), 422)
    assert "body.visibility" in [error["field"] for error in problem["errors"]]


# --- mentions --------------------------------------------------------------------------------


async def test_mentions_resolve_to_agents_by_email_local_part_or_full_email(client, tenant):
    jane, key = await agent_with_key(client, email="jane.doe@desk.example")
    ops, _ = await agent_with_key(client, email="ops@desk.example")
    await make_agent(client, email="bystander@desk.example")
    ticket = await make_ticket(client, tenant.contact_key)
    note = await posted(
        await comment(
            client,
            ticket["id"],
            key,
            "@Jane.Doe please pair with @ops@desk.example on this; @nobody-here is not staff.",
            "internal",
        )
    )
    assert note["mentions"] == [jane["id"], ops["id"]]
    (listed,) = await comments_seen(client, ticket["id"])
    assert listed["mentions"] == [jane["id"], ops["id"]]


async def test_an_email_address_in_the_text_is_not_a_mention(client, tenant, agent_key):
    await make_agent(client, email="jane.doe@desk.example")
    ticket = await make_ticket(client, tenant.contact_key)
    reply = await posted(
        await comment(
            client, ticket["id"], agent_key, "You can also write to jane.doe@desk.example."
        )
    )
    assert reply["mentions"] == []


async def test_a_repeated_mention_is_listed_once(client, tenant, agent_key):
    jane = await make_agent(client, email="jane@desk.example")
    ticket = await make_ticket(client, tenant.contact_key)
    note = await posted(
        await comment(
            client, ticket["id"], agent_key, "@jane, see above. @jane@desk.example!", "internal"
        )
    )
    assert note["mentions"] == [jane["id"]]


# --- replies move the ticket -----------------------------------------------------------------


async def test_a_public_agent_reply_opens_a_new_ticket(client, tenant, agent_key):
    ticket = await make_ticket(client, tenant.contact_key)
    await posted(await comment(client, ticket["id"], agent_key, "Hello, I'm on it."))
    assert await status_of(client, ticket["id"]) == "open"
    (change,) = await status_changes(client, ticket["id"])
    assert change["data"]["previous"] == {"status": "new"}


async def test_an_internal_note_leaves_a_new_ticket_new(client, tenant, agent_key):
    ticket = await make_ticket(client, tenant.contact_key)
    await posted(await comment(client, ticket["id"], agent_key, "Looks like a dup.", "internal"))
    assert await status_of(client, ticket["id"]) == "new"
    assert await status_changes(client, ticket["id"]) == []


async def test_a_contact_reply_leaves_a_new_ticket_new(client, tenant):
    ticket = await make_ticket(client, tenant.contact_key)
    await posted(await comment(client, ticket["id"], tenant.contact_key, "More details."))
    assert await status_of(client, ticket["id"]) == "new"


async def test_a_contact_reply_moves_a_pending_ticket_back_to_open(client, tenant):
    ticket = await make_ticket(client, tenant.contact_key)
    await move(client, ticket["id"], "open", "pending")
    await posted(await comment(client, ticket["id"], tenant.contact_key, "Here is the log."))
    assert await status_of(client, ticket["id"]) == "open"
    last = (await status_changes(client, ticket["id"]))[-1]
    assert last["data"]["previous"] == {"status": "pending"}


@pytest.mark.parametrize("status", ["closed", "cancelled"])
async def test_a_finished_ticket_takes_no_more_comments(client, tenant, status):
    ticket = await make_ticket(client, tenant.contact_key)
    steps = ["open", "resolved", "closed"] if status == "closed" else ["cancelled"]
    await move(client, ticket["id"], *steps)
    assert_problem(await comment(client, ticket["id"], tenant.contact_key, "Hello?"), 409)
    assert await comments_seen(client, ticket["id"]) == []


# --- internal notes never reach the client ---------------------------------------------------


@pytest.fixture
async def ticket_with_internal_note(client, tenant):
    agent, key = await agent_with_key(client, email="reviewer@desk.example")
    ticket = await make_ticket(client, tenant.contact_key)
    await posted(await comment(client, ticket["id"], key, "Thanks, we are on it."))
    await posted(await comment(client, ticket["id"], key, f"@reviewer {SECRET}", "internal"))
    await posted(await comment(client, ticket["id"], ADMIN, f"Also: {SECRET}", "internal"))
    await posted(await comment(client, ticket["id"], tenant.contact_key, "Great, thank you."))
    return ticket, agent, key


def _endpoints(ticket_id: str) -> list[str]:
    return [
        f"/v1/tickets/{ticket_id}/comments",
        f"/v1/tickets/{ticket_id}/events",
        f"/v1/tickets/{ticket_id}",
        "/v1/tickets",
    ]


@pytest.mark.parametrize("kind", ["contact", "integration"])
async def test_internal_notes_never_reach_a_client_key(
    client, tenant, ticket_with_internal_note, kind
):
    ticket, _, _ = ticket_with_internal_note
    headers = getattr(tenant, f"{kind}_key")
    for path in _endpoints(ticket["id"]):
        response = await client.get(path, headers=headers)
        assert response.status_code == 200, (path, response.text)
        assert "zq7x" not in response.text, path
        assert "fraud" not in response.text, path
    listed = await comments_seen(client, ticket["id"], headers)
    assert [c["body"] for c in listed] == ["Thanks, we are on it.", "Great, thank you."]
    events = (await client.get(f"/v1/tickets/{ticket['id']}/events", headers=headers)).json()
    added = [e for e in events["data"] if e["type"] == "ticket.comment_added"]
    assert len(added) == 2


@pytest.mark.parametrize("kind", ["contact", "integration"])
async def test_internal_notes_stay_hidden_from_clients_on_every_page(
    client, tenant, ticket_with_internal_note, kind
):
    ticket, _, _ = ticket_with_internal_note
    headers = getattr(tenant, f"{kind}_key")
    for path in _endpoints(ticket["id"])[:2]:
        cursor, pages = None, 0
        while True:
            params = {"limit": 1, **({"cursor": cursor} if cursor else {})}
            response = await client.get(path, params=params, headers=headers)
            assert response.status_code == 200, response.text
            assert "zq7x" not in response.text, path
            cursor, pages = response.json()["next_cursor"], pages + 1
            if cursor is None or pages > 50:
                break
        assert pages > 1


@pytest.mark.parametrize("kind", ["admin", "agent"])
async def test_staff_see_internal_notes_in_comments_and_timeline(
    client, ticket_with_internal_note, kind
):
    ticket, agent, agent_key = ticket_with_internal_note
    headers = ADMIN if kind == "admin" else agent_key
    listed = await comments_seen(client, ticket["id"], headers)
    assert [c["visibility"] for c in listed] == ["public", "internal", "internal", "public"]
    assert SECRET in listed[1]["body"] and SECRET in listed[2]["body"]
    assert listed[1]["author_id"] == agent["id"]
    assert listed[1]["mentions"] == [agent["id"]]
    events = await client.get(f"/v1/tickets/{ticket['id']}/events", headers=headers)
    assert events.text.count("zq7x") >= 2

"""GET /v1/stream from real API processes: fan-out across processes, scoping, resuming by
Last-Event-ID with nothing missed or repeated, filters, and a revoked key's stream closing."""

import asyncio
import contextlib
import os
import signal
from collections.abc import AsyncIterator

import httpx
import pytest

from tests.api.test_health import sample
from tests.factories import ADMIN, bearer, created, make_tenant, make_ticket
from tests.processes import free_port, start, wait_until_up
from tests.stream.sse import PATIENCE, opened

pytestmark = pytest.mark.usefixtures("app")

REQUESTS = "supportdesk_http_requests_total"


@contextlib.asynccontextmanager
async def api_processes(count: int, **env: str) -> AsyncIterator[list[str]]:
    """`supportdesk serve` processes on this run's database and Redis; their base URLs."""
    ports = [free_port() for _ in range(count)]
    processes = [
        start("serve", "--host", "127.0.0.1", "--port", str(port), **env) for port in ports
    ]
    bases = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        await asyncio.gather(*(wait_until_up(base, within=60) for base in bases))
        yield bases
    finally:
        for process in processes:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            process.wait(timeout=30)


@pytest.fixture
async def api() -> AsyncIterator[str]:
    async with api_processes(1) as (base,):
        yield base


async def comment(client, ticket: dict, headers: dict, body: str, visibility: str = "public"):
    response = await client.post(
        f"/v1/tickets/{ticket['id']}/comments",
        json={"body": body, "visibility": visibility},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    return response.json()


async def test_every_process_streams_what_it_may_see(client, tenant, agent_key):
    other = await make_tenant(client)
    async with (
        api_processes(2) as (first, second),
        opened(first, agent_key) as staff,
        opened(second, tenant.contact_key) as contact,
        opened(first, other.integration_key) as outsider,
    ):
        ticket = await make_ticket(client, tenant.contact_key, requester=tenant.contact)
        await comment(client, ticket, agent_key, "Checking the logs.", "internal")
        await comment(client, ticket, agent_key, "Fixed; please try again.")

        staff_seen = await staff.until("ticket.comment_added")
        staff_seen += await staff.until("ticket.comment_added")
        client_seen = await contact.until("ticket.comment_added")

    assert staff_seen[0].event == "ticket.created"
    bodies = [m.data["data"]["comment"]["body"] for m in staff_seen if m.event.endswith("added")]
    assert bodies == ["Checking the logs.", "Fixed; please try again."]
    assert [m.data["data"]["comment"]["body"] for m in client_seen[1:]] == [
        "Fixed; please try again."
    ]  # the internal note never reaches the client
    assert client_seen[0].event == "ticket.created"
    assert all(m.data["ticket_id"] == ticket["id"] for m in client_seen)
    positions = [int(m.id) for m in staff_seen]
    assert positions == sorted(positions) and len(set(positions)) == len(positions)
    assert outsider.pending() == []  # another organization's stream heard nothing


async def test_a_reconnect_resumes_after_the_last_event_id(client, tenant, api):
    ticket = await make_ticket(client, ADMIN, requester=tenant.contact)
    async with opened(api, ADMIN) as stream:
        first = await comment(client, ticket, ADMIN, "one")
        seen = (await stream.until("ticket.comment_added"))[-1]
    assert seen.data["data"]["comment"]["id"] == first["id"]

    # Offline: two more changes commit.
    missed = [(await comment(client, ticket, ADMIN, word))["id"] for word in ("two", "three")]

    resumed_headers = {**ADMIN, "Last-Event-ID": seen.id}
    async with opened(api, resumed_headers, ticket_id=ticket["id"]) as stream:
        replayed = [await stream.next(), await stream.next()]
        live = await comment(client, ticket, ADMIN, "four")
        after = await stream.next()

    assert [m.data["data"]["comment"]["id"] for m in replayed] == missed
    assert after.data["data"]["comment"]["id"] == live["id"]
    ids = [int(m.id) for m in [seen, *replayed, after]]
    assert ids == sorted(ids) and len(set(ids)) == 4


async def test_a_feed_cursor_resumes_too(client, tenant, api):
    ticket = await make_ticket(client, ADMIN, requester=tenant.contact)
    page = await client.get("/v1/events", headers=ADMIN)
    cursor = page.json()["next_cursor"]
    added = await comment(client, ticket, ADMIN, "after the cursor")

    async with opened(api, ADMIN, cursor=cursor) as stream:
        message = await stream.next()

    assert message.event == "ticket.comment_added"
    assert message.data["data"]["comment"]["id"] == added["id"]


async def test_filters_by_type_and_ticket(client, tenant, api):
    watched = await make_ticket(client, ADMIN, requester=tenant.contact)
    other = await make_ticket(client, ADMIN, requester=tenant.contact)
    params = {"ticket_id": watched["id"], "types": "ticket.comment_added"}
    async with opened(api, tenant.contact_key, **params) as stream:
        await comment(client, other, ADMIN, "not this ticket")
        await comment(client, watched, ADMIN, "this one")
        message = await stream.next()
    # Replayed from the start of the feed, the same filters apply.
    async with opened(api, {**tenant.contact_key, "Last-Event-ID": "0"}, **params) as replayed:
        again = await replayed.next()
        await comment(client, watched, ADMIN, "and then this")
        following = await replayed.next()  # nothing else was replayed in between

    assert message.event == "ticket.comment_added"
    assert message.data["data"]["comment"]["body"] == "this one"
    assert (again.id, again.event) == (message.id, message.event)
    assert following.data["data"]["comment"]["body"] == "and then this"


async def test_a_revoked_keys_stream_closes(client, tenant, api):
    body = {"kind": "contact", "name": "console", "contact_id": tenant.contact["id"]}
    key = await created(await client.post("/v1/api-keys", json=body, headers=ADMIN))
    async with opened(api, bearer(key["key"])) as stream:
        revoked = await client.delete(f"/v1/api-keys/{key['id']}", headers=ADMIN)
        assert revoked.status_code in (200, 204), revoked.text
        await asyncio.wait_for(stream.ended.wait(), PATIENCE)


async def test_what_a_stream_refuses(client, tenant, api):
    other = await make_tenant(client)
    theirs = await make_ticket(client, ADMIN, requester=other.contact)
    async with httpx.AsyncClient(base_url=api) as http:
        not_theirs = await http.get(
            "/v1/stream", params={"ticket_id": theirs["id"]}, headers=tenant.contact_key
        )
        bad_id = await http.get("/v1/stream", headers={**ADMIN, "Last-Event-ID": "abc"})
        unicode_digits = [
            await http.get("/v1/stream", params={"cursor": "²"}, headers=ADMIN),
            await http.get(
                "/v1/stream", headers={**ADMIN, "Last-Event-ID": "1²".encode("latin-1")}
            ),
        ]
        key_in_the_query = await http.get(
            "/v1/stream", params={"conversation_token": ADMIN["Authorization"].split()[1]}
        )
        bad_type = await http.get("/v1/stream", params={"types": "nope"}, headers=ADMIN)
        anonymous = await http.get("/v1/stream")
    assert not_theirs.status_code == 404
    assert bad_id.status_code == 422 and bad_type.status_code == 422
    assert anonymous.status_code == 401
    assert [response.status_code for response in unicode_digits] == [422, 422]
    assert key_in_the_query.status_code == 401  # only a chat's token rides in the URL
    assert anonymous.headers["content-type"] == "application/problem+json"


async def test_an_open_stream_is_an_answered_request(client, api):
    """Once started, a stream leaves the request's routing and middleware behind (what keeps
    ten thousand idle streams in one process small): it is counted in the API's metrics while
    it stays open, echoes its request id, and still closes cleanly."""
    labels = {"method": "GET", "route": "/v1/stream", "status": "200"}
    async with httpx.AsyncClient(base_url=api) as http:
        before = sample((await http.get("/metrics")).text, REQUESTS, **labels)
        headers = {**ADMIN, "X-Request-ID": "console-stream-1"}
        async with opened(api, headers) as stream:
            during = sample((await http.get("/metrics")).text, REQUESTS, **labels)
            assert stream.response.headers["x-request-id"] == "console-stream-1"
        assert during == before + 1
        assert (await http.get("/readyz")).status_code == 200


async def test_an_idle_stream_hears_a_comment_line_to_keep_proxies_open(client):
    async with (
        api_processes(1, SUPPORTDESK_STREAM_PING_SECONDS="1") as (api,),
        opened(api, ADMIN) as stream,
    ):
        ping = await asyncio.wait_for(stream.comment_starting("ping"), PATIENCE)
        assert stream.pending() == []  # a comment line, not a message
    assert ping.startswith("ping")


async def test_a_stream_that_saw_nothing_yet_resumes_from_where_it_began(client, tenant, api):
    ticket = await make_ticket(client, ADMIN, requester=tenant.contact)
    async with opened(api, tenant.contact_key, ticket_id=ticket["id"]) as quiet:
        begun = quiet.last_id  # the first frame names the position the stream began at
    assert begun is not None
    missed = await comment(client, ticket, ADMIN, "said while reconnecting")

    resumed = {**tenant.contact_key, "Last-Event-ID": begun}
    async with opened(api, resumed, ticket_id=ticket["id"]) as stream:
        message = (await stream.until("ticket.comment_added"))[-1]
    assert message.data["data"]["comment"]["id"] == missed["id"]


async def test_contacts_stream_their_tickets_not_the_organizations_other_events(
    client, tenant, api
):
    from tests.intake.widget_helpers import make_widget_key, widget_headers, widget_request

    ticket = await make_ticket(client, ADMIN, requester=tenant.contact)
    key = (await make_widget_key(client, tenant.organization))["key"]
    async with opened(api, {**tenant.contact_key, "Last-Event-ID": "0"}) as stream:
        stranger = widget_request("stranger@elsewhere.example")
        refused = await client.post("/v1/intake/widget", json=stranger, headers=widget_headers(key))
        assert refused.status_code == 422  # recorded as intake.refused: for integrations
        await comment(client, ticket, ADMIN, "after the refusal")
        seen = await stream.until("ticket.comment_added")
    assert "intake.refused" not in [message.event for message in seen]
    assert all(message.data["ticket_id"] == ticket["id"] for message in seen)

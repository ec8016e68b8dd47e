"""Live chat from the widget: started only while support is there, carried on as public
comments with a conversation token that opens nothing else, ended by the client or by an
idle half hour, and mailed to the client as a transcript."""

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from app import timesource
from app.api_keys.models import KeyKind
from app.chat import service as chat
from app.chat.models import EndReason
from app.security import Principal
from app.tickets.models import Ticket
from app.workers.chat import end_idle_chats
from tests.factories import ADMIN, bearer, make_agent, make_key
from tests.intake.widget_helpers import (
    ORIGIN,
    browser_client,
    make_widget_key,
    ticket_count,
    widget_headers,
    widget_request,
)
from tests.mail.test_kinds import addressed_to, settled, text_of
from tests.problems import assert_problem
from tests.stream.sse import PATIENCE, opened
from tests.stream.test_availability import ALWAYS, OFFICE, tenant_on
from tests.stream.test_stream import api_processes

INTAKE = "/v1/intake/widget"


async def open_desk(
    client, origins: tuple[str, ...] = (ORIGIN,)
) -> tuple[Any, str, dict[str, str]]:
    """A 24/7 desk with an agent on duty: the tenant, its widget key, the agent's key."""
    tenant = await tenant_on(client, ALWAYS)
    agent = await make_agent(client, working_hours=ALWAYS, timezone="UTC", name="Sam Support")
    key = (await make_widget_key(client, tenant.organization, origins))["key"]
    return tenant, key, await make_key(client, "agent", agent_id=agent["id"])


async def start_chat(app, tenant, key: str, text: str = "Hi, checkout fails") -> dict[str, Any]:
    body = widget_request(tenant.contact["email"], mode="chat", subject="Chat", description=text)
    async with browser_client(app) as browser:
        response = await browser.post(INTAKE, json=body, headers=widget_headers(key))
    assert response.status_code == 201, response.text
    return response.json()


async def say(client, receipt: dict[str, Any], headers: dict[str, str], text: str, **body: Any):
    response = await client.post(
        f"/v1/tickets/{receipt['id']}/comments", json={"body": text, **body}, headers=headers
    )
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_chat_starts_while_support_is_there_and_not_after_hours(app, client):
    tenant, key, _ = await open_desk(client)
    receipt = await start_chat(app, tenant, key)
    assert receipt["conversation_token"].startswith("sd_chat_")
    ticket = (await client.get(f"/v1/tickets/{receipt['id']}", headers=ADMIN)).json()
    assert ticket["channel"] == "chat"

    closed = await tenant_on(client, OFFICE)
    key = (await make_widget_key(client, closed.organization))["key"]
    timesource.set_source(lambda: datetime(2026, 12, 6, 3, 0, tzinfo=UTC))  # a Sunday night
    body = widget_request(closed.contact["email"], mode="chat")
    async with browser_client(app) as browser:
        refused = await browser.post(INTAKE, json=body, headers=widget_headers(key))
    assert "Nobody is available to chat" in assert_problem(refused, 409)["detail"]
    assert await ticket_count(app, closed.organization["id"]) == 0


async def test_the_token_opens_its_ticket_comments_and_nothing_else(app, client):
    tenant, key, agent_key = await open_desk(client)
    receipt = await start_chat(app, tenant, key)
    other = await start_chat(app, tenant, key)
    token = bearer(receipt["conversation_token"])

    mine = await say(client, receipt, token, "It says card declined")
    assert mine["author_type"] == "contact" and mine["author_id"] == tenant.contact["id"]
    await say(client, receipt, agent_key, "Looking at the logs", visibility="internal")
    listed = await client.get(f"/v1/tickets/{receipt['id']}/comments", headers=token)
    assert [c["body"] for c in listed.json()["data"]] == ["It says card declined"]

    for method, url in (
        ("GET", f"/v1/tickets/{other['id']}/comments"),
        ("POST", f"/v1/tickets/{other['id']}/comments"),
    ):
        response = await client.request(method, url, json={"body": "x"}, headers=token)
        assert response.status_code == 403, (url, response.text)
    for url in (f"/v1/tickets/{receipt['id']}", "/v1/tickets", "/v1/events", "/v1/availability"):
        assert (await client.get(url, headers=token)).status_code == 401, url
    internal = await client.post(
        f"/v1/tickets/{receipt['id']}/comments",
        json={"body": "x", "visibility": "internal"},
        headers=token,
    )
    assert internal.status_code in (403, 422)


async def test_the_widgets_page_may_call_it_cross_origin(app, client):
    tenant, key, _ = await open_desk(client)
    receipt = await start_chat(app, tenant, key)
    url = f"/v1/tickets/{receipt['id']}/comments"
    params = {"conversation_token": receipt["conversation_token"]}
    async with browser_client(app) as browser:
        preflight = await browser.options(
            url,
            params=params,
            headers={"Origin": ORIGIN, "Access-Control-Request-Method": "POST"},
        )
        posted = await browser.post(
            url, params=params, json={"body": "Still failing"}, headers={"Origin": ORIGIN}
        )
        elsewhere = await browser.post(
            url,
            params=params,
            json={"body": "From elsewhere"},
            headers={"Origin": "https://evil.example"},
        )
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert posted.status_code == 201, posted.text
    assert posted.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert "Access-Control-Allow-Origin" not in elsewhere.headers  # the browser hides it


async def test_the_chat_ends_and_the_client_gets_the_transcript(app, client, sink, mail_pump):
    await mail_pump()
    tenant, key, agent_key = await open_desk(client)
    receipt = await start_chat(app, tenant, key, "Hi, checkout fails")
    token = bearer(receipt["conversation_token"])
    await say(client, receipt, agent_key, "Which browser do you use?")
    ticket = (await client.get(f"/v1/tickets/{receipt['id']}", headers=ADMIN)).json()
    assert ticket["sla"]["first_response"]["met_at"] is not None  # as on any ticket
    await say(client, receipt, token, "Firefox 128")
    await say(client, receipt, agent_key, "Fixed, please retry")

    ended = await client.post(
        f"/v1/tickets/{receipt['id']}/chat/end",
        params={"conversation_token": receipt["conversation_token"]},
        content=b"",
        headers={"Content-Type": "text/plain"},  # what navigator.sendBeacon sends
    )
    assert ended.status_code == 204, ended.text
    again = await client.post(f"/v1/tickets/{receipt['id']}/chat/end", headers=agent_key)
    assert again.status_code == 204

    rows = await settled(client, receipt["id"], 2)
    assert sorted(row["kind"] for row in rows) == ["acknowledgment", "chat_transcript"]
    [mail] = [m for m in addressed_to(sink.received, tenant.contact) if "chat" in text_of(m)]
    text = text_of(mail)
    order = ["Hi, checkout fails", "Which browser", "Firefox 128", "Fixed, please retry"]
    assert [text.index(line) for line in order] == sorted(text.index(line) for line in order)
    assert "Sam Support" in text
    late = await client.post(
        f"/v1/tickets/{receipt['id']}/comments", json={"body": "one more"}, headers=token
    )
    assert "chat has ended" in assert_problem(late, 409)["detail"]
    after = await say(client, receipt, agent_key, "Anything else?")  # now mailed as a reply
    rows = await settled(client, receipt["id"], 3)
    assert "reply" in [row["kind"] for row in rows] and after["body"] == "Anything else?"


async def test_a_chat_nobody_writes_in_for_half_an_hour_ends(app, client):
    tenant, key, _ = await open_desk(client)
    receipt = await start_chat(app, tenant, key)
    context = {"sessions": app.state.sessions}

    start = datetime.now(UTC)
    timesource.set_source(lambda: start + timedelta(minutes=29))
    assert await end_idle_chats(context) == 0
    timesource.set_source(lambda: start + timedelta(minutes=31))
    assert await end_idle_chats(context) == 1

    events = await client.get(f"/v1/tickets/{receipt['id']}/events", headers=ADMIN)
    [ended] = [e for e in events.json()["data"] if e["type"] == "ticket.chat_ended"]
    assert ended["data"]["reason"] == "idle"
    assert ended["data"]["transcript"][0]["body"] == "Hi, checkout fails"


async def test_the_token_expires_after_a_day(app, client):
    tenant, key, _ = await open_desk(client)
    receipt = await start_chat(app, tenant, key)
    token = bearer(receipt["conversation_token"])
    start = datetime.now(UTC)
    timesource.set_source(lambda: start + timedelta(hours=25))
    response = await client.get(f"/v1/tickets/{receipt['id']}/comments", headers=token)
    assert_problem(response, 401)


@pytest.mark.usefixtures("app")
async def test_agent_replies_reach_the_chats_stream_and_internal_notes_do_not(client):
    tenant, key, agent_key = await open_desk(client)
    async with api_processes(1) as (api,):
        body = widget_request(tenant.contact["email"], mode="chat", description="Hello?")
        async with httpx.AsyncClient(base_url=api) as http:
            response = await http.post(INTAKE, json=body, headers=widget_headers(key))
        receipt = response.json()
        params = {"ticket_id": receipt["id"], "conversation_token": receipt["conversation_token"]}
        async with opened(api, {"Origin": ORIGIN}, **params) as stream:
            await say(client, receipt, agent_key, "A note", visibility="internal")
            await say(client, receipt, agent_key, "Hello! How can I help?")
            seen = await stream.until("ticket.comment_added")
    comments = [m.data["data"]["comment"]["body"] for m in seen if m.event.endswith("added")]
    assert comments == ["Hello! How can I help?"]
    assert stream.response.headers["Access-Control-Allow-Origin"] == ORIGIN


async def test_a_message_retried_with_its_idempotency_key_is_posted_once(app, client):
    tenant, key, _ = await open_desk(client)
    receipt = await start_chat(app, tenant, key)
    token = bearer(receipt["conversation_token"])
    url = f"/v1/tickets/{receipt['id']}/comments"
    headers = {**token, "Idempotency-Key": "chat-message-1"}
    first = await client.post(url, json={"body": "Are you there?"}, headers=headers)
    again = await client.post(url, json={"body": "Are you there?"}, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json()["id"] == first.json()["id"]


async def test_ending_a_chat_while_an_agent_replies_waits_instead_of_deadlocking(app, client):
    """Both lock the ticket before the chat's row (every writer's order): the ending waits
    for the reply's transaction, then ends the chat."""
    tenant, key, _ = await open_desk(client)
    receipt = await start_chat(app, tenant, key)
    async with app.state.sessions() as replying, replying.begin():
        locked = sa.select(Ticket).where(Ticket.id == receipt["id"]).with_for_update()
        ticket = (await replying.execute(locked)).scalar_one()

        async def end_it() -> bool:
            async with app.state.sessions() as ending, ending.begin():
                return await chat.end(ending, ticket.id, EndReason.agent, None)

        ending = asyncio.create_task(end_it())
        await _someone_waits_for_a_lock(app)
        agent = Principal(kind=KeyKind.agent)
        assert await chat.on_public_comment(replying, ticket, agent) is True
    assert await asyncio.wait_for(ending, PATIENCE) is True


async def _someone_waits_for_a_lock(app) -> None:
    waiting = sa.text("SELECT count(*) FROM pg_locks WHERE NOT granted")
    while True:
        async with app.state.engine.connect() as connection:
            if (await connection.execute(waiting)).scalar_one():
                return
        await asyncio.sleep(0.02)

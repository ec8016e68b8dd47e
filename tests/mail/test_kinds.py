"""Each kind of mail a client gets, end to end: an API call, the planner, SMTP to a real sink,
and what the client reads in their inbox (and staff in the ticket's notifications)."""

import asyncio
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import httpx
from pydantic import SecretStr

from app import timesource
from app.config import Settings, get_settings
from app.db import unit_of_work
from app.mail.summary import plan_summaries
from app.workers.assignment import assign_pm
from tests.factories import (
    ADMIN,
    make_agent,
    make_contact,
    make_key,
    make_organization,
    make_tenant,
    make_ticket,
)
from tests.mail.sink import Sink

# A phrase only that kind's text says: how a reader (and these tests) tell the mails apart.
PHRASES = {
    "acknowledgment": "We have received your request",
    "reply": " replied to SUP-",
    "pending": "We need your reply",
    "awaiting_approval": "is ready for your approval",
    "resolved": "is resolved.",
    "reopened": "is open again",
    "cancelled": "is cancelled",
    "split": "is now a ticket of its own",
    "escalation": "has been escalated to",
    "broadcast": "An update on the issue affecting",
    "pm_welcome": "dedicated project manager",
    "pm_changed": "project manager is now",
    "weekly_summary": "open requests with",
}


# --- reading the inbox ---------------------------------------------------------------------


def text_of(mail: EmailMessage) -> str:
    return mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]


def html_of(mail: EmailMessage) -> str:
    return mail.get_body(("html",)).get_content()  # type: ignore[union-attr]


def everything(mail: EmailMessage) -> str:
    """What a reader could see: the headers and both bodies, decoded."""
    headers = "\n".join(f"{name}: {value}" for name, value in mail.items())
    return f"{headers}\n{text_of(mail)}\n{html_of(mail)}"


def kind_of(mail: EmailMessage) -> str:
    [kind] = [kind for kind, phrase in PHRASES.items() if phrase in text_of(mail)]
    return kind


def addressed_to(received: list[EmailMessage], contact: dict[str, Any]) -> list[EmailMessage]:
    """Mails to exactly this contact's address (c1@ must not match c11@)."""
    wanted = contact["email"].lower()
    return [m for m in received if m["To"].addresses[0].addr_spec.lower() == wanted]


async def inbox(sink: Sink, contact: dict[str, Any], count: int) -> list[EmailMessage]:
    """The contact's mails once at least `count` arrived, oldest first."""
    received = await sink.wait_for(lambda got: len(addressed_to(got, contact)) >= count)
    return addressed_to(received, contact)


async def mail_of_kind(sink: Sink, contact: dict[str, Any], kind: str) -> EmailMessage:
    """The one mail of `kind` the contact got, once it arrived."""

    def mine(received: list[EmailMessage]) -> list[EmailMessage]:
        return [m for m in addressed_to(received, contact) if kind_of(m) == kind]

    return mine(await sink.wait_for(lambda received: len(mine(received)) >= 1))[-1]


def mentions(text: str, reference: str) -> bool:
    """Whether `reference` (SUP-2, a name) appears as a whole word: SUP-2 is not in SUP-21."""
    return re.search(rf"(?<![\w-]){re.escape(reference)}(?![\w-])", text, re.I) is not None


# --- what staff see ------------------------------------------------------------------------


async def notifications(client: httpx.AsyncClient, ticket_id: str) -> list[dict[str, Any]]:
    """The ticket's mails as staff list them, oldest first."""
    response = await client.get(f"/v1/tickets/{ticket_id}/notifications", headers=ADMIN)
    assert response.status_code == 200, response.text
    return sorted(response.json()["data"], key=lambda row: row["created_at"])


async def settled(
    client: httpx.AsyncClient,
    ticket_id: str,
    count: int,
    done: Callable[[dict[str, Any]], bool] = lambda row: row["status"] != "pending",
) -> list[dict[str, Any]]:
    """The ticket's mails once `count` of them are planned and each is `done`."""
    deadline = time.monotonic() + 15
    while True:
        rows = await notifications(client, ticket_id)
        if len(rows) >= count and all(done(row) for row in rows):
            return rows
        assert time.monotonic() < deadline, f"mail did not settle: {rows}"
        await asyncio.sleep(0.05)


def sent_kinds(rows: list[dict[str, Any]], contact: dict[str, Any]) -> list[str]:
    return sorted(row["kind"] for row in rows if row["contact_id"] == contact["id"])


# --- driving the desk ----------------------------------------------------------------------


async def move(
    client: httpx.AsyncClient, ticket: dict[str, Any], *steps: str, reason: str | None = None
) -> dict[str, Any]:
    response = None
    for step in steps:
        body = {"to": step} if reason is None else {"to": step, "reason": reason}
        url = f"/v1/tickets/{ticket['id']}/transitions"
        response = await client.post(url, json=body, headers=ADMIN)
        assert response.status_code == 200, response.text
    assert response is not None
    return response.json()


async def comment(
    client: httpx.AsyncClient, ticket: dict[str, Any], headers: dict[str, str], **body: Any
) -> dict[str, Any]:
    response = await client.post(f"/v1/tickets/{ticket['id']}/comments", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


async def split(
    client: httpx.AsyncClient, ticket: dict[str, Any], headers: dict[str, str], *subjects: str
) -> list[dict[str, Any]]:
    parts = [{"subject": subject, "description": f"{subject}, in detail."} for subject in subjects]
    url = f"/v1/tickets/{ticket['id']}/split"
    response = await client.post(url, json={"parts": parts}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()["data"]


async def calendar_in(client: httpx.AsyncClient, timezone: str) -> dict[str, Any]:
    body = {"name": f"{timezone} office", "timezone": timezone}
    response = await client.post("/v1/calendars", json=body, headers=ADMIN)
    assert response.status_code == 201, response.text
    return response.json()


async def agent_with_key(client: httpx.AsyncClient, **fields: Any) -> tuple[dict, dict]:
    agent = await make_agent(client, **fields)
    return agent, await make_key(client, "agent", agent_id=agent["id"])


async def run_assign_pm(app: Any, organization_id: str) -> bool:
    """The job the API queues for a new organization, run as a worker runs it."""
    return await assign_pm(
        {"sessions": app.state.sessions, "redis": app.state.arq}, organization_id
    )


def ticking_from(start: datetime) -> Callable[[], datetime]:
    """A clock that starts at `start` and runs at the wall clock's pace."""
    origin = datetime.now(UTC)
    return lambda: start + (datetime.now(UTC) - origin)


def smtp_settings(sink: Sink) -> Settings:
    return get_settings().model_copy(update={"smtp_url": SecretStr(sink.url)})


async def summaries_at(app: Any, settings: Settings, now: datetime) -> int:
    """The weekly summary job's work at `now`, in one transaction: the mails it planned."""
    async with unit_of_work(app.state.sessions) as session:
        return await plan_summaries(session, settings=settings, now=now)


# --- acknowledgment ------------------------------------------------------------------------


async def test_a_new_ticket_is_acknowledged_with_the_reply_target_in_the_clients_time_zone(
    client, sink, mail_pump
):
    await mail_pump()
    new_york = await make_tenant(
        client, calendar_id=(await calendar_in(client, "America/New_York"))["id"]
    )
    tokyo = await make_tenant(client, calendar_id=(await calendar_in(client, "Asia/Tokyo"))["id"])
    # A Wednesday in January (New York on EST), then one in July (on EDT).
    timesource.set_source(ticking_from(datetime(2026, 1, 14, 15, 0, tzinfo=UTC)))
    winter = await make_ticket(client, requester=new_york.contact, subject="Invoices missing")
    in_tokyo = await make_ticket(client, requester=tokyo.contact)
    timesource.set_source(ticking_from(datetime(2026, 7, 15, 15, 0, tzinfo=UTC)))
    summer = await make_ticket(client, requester=new_york.contact, subject="Refunds stuck")

    for tenant, ticket, zone, abbreviation in (
        (new_york, winter, "America/New_York", "EST"),
        (tokyo, in_tokyo, "Asia/Tokyo", "JST"),
        (new_york, summer, "America/New_York", "EDT"),
    ):
        mail = next(
            m
            for m in await inbox(sink, tenant.contact, 2 if tenant is new_york else 1)
            if m["Subject"] == f"[{ticket['number']}] {ticket['subject']}"
        )
        due = datetime.fromisoformat(ticket["sla"]["first_response"]["due_at"])
        local = due.astimezone(ZoneInfo(zone))
        text = text_of(mail)
        assert ticket["number"] in text
        assert f"We will reply by {local:%a} {local.day} {local:%b %H:%M} {abbreviation}." in text
        assert f"{local:%H:%M} {abbreviation}" in html_of(mail)
        [row] = await notifications(client, ticket["id"])
        assert (row["kind"], row["contact_id"]) == ("acknowledgment", tenant.contact["id"])


# --- replies -------------------------------------------------------------------------------


async def test_public_replies_reach_the_thread_and_notes_and_client_comments_do_not(
    client, sink, mail_pump
):
    await mail_pump()
    tenant = await make_tenant(client)
    colleague = await make_contact(client, tenant.organization, designated=True)
    end_user = await make_contact(client, tenant.organization, designated=False)
    _, agent_key = await agent_with_key(client, name="Alex Kim")
    ticket = await make_ticket(client, requester=tenant.contact, subject="Export hangs")
    [ack] = await inbox(sink, tenant.contact, 1)

    for contact, words in ((colleague, "Same here since Monday."), (end_user, "Me too!")):
        key = await make_key(client, "contact", contact_id=contact["id"])
        await comment(client, ticket, key, body=words)
    await comment(client, ticket, agent_key, body="Checking the logs.", visibility="internal")
    await comment(client, ticket, agent_key, body="Fixed: please retry the export.")

    rows = await settled(client, ticket["id"], 3)
    # The requester and the designated colleague who wrote get the reply; the end user who
    # wrote does not (never CC'd end users), and no client comment is mailed to anyone.
    assert sent_kinds(rows, tenant.contact) == ["acknowledgment", "reply"]
    assert sent_kinds(rows, colleague) == ["reply"]
    assert sent_kinds(rows, end_user) == []
    assert len(rows) == 3
    for contact in (tenant.contact, colleague):
        reply = await mail_of_kind(sink, contact, "reply")
        assert reply["Subject"] == f"[{ticket['number']}] Export hangs"
        assert "Alex Kim replied to" in text_of(reply)
        assert "Fixed: please retry the export." in text_of(reply)
        assert reply["In-Reply-To"] == ack["Message-ID"]
    assert len(addressed_to(sink.received, end_user)) == 0
    for words in ("Checking the logs.", "Same here since Monday.", "Me too!"):
        assert not any(words in everything(mail) for mail in sink.received), words


# --- status changes ------------------------------------------------------------------------


async def test_status_changes_are_mailed_and_the_resolution_carries_a_rating_link(
    client, sink, mail_pump
):
    await mail_pump()
    tenant = await make_tenant(client)
    ticket = await make_ticket(client, requester=tenant.contact, subject="Stock sync")
    other = await make_ticket(client, requester=tenant.contact, subject="Other")
    await move(client, ticket, "open", "pending", "open", "awaiting_approval", "resolved")

    resolved = await mail_of_kind(sink, tenant.contact, "resolved")
    [link] = re.findall(r"https?://\S+/satisfaction/\S+", text_of(resolved))
    parts = urlsplit(link)
    assert parts.path == f"/satisfaction/{ticket['id']}"
    assert link.replace("&", "&amp;") in html_of(resolved)
    [token] = parse_qs(parts.query)["token"]
    await rate_with_the_link(client, ticket, other, parts, token)

    await move(client, ticket, "open")
    await move(client, ticket, "cancelled", reason="Replaced by a new shop")
    cancelled = await mail_of_kind(sink, tenant.contact, "cancelled")
    assert "(Replaced by a new shop)" in text_of(cancelled)
    mails = [m for m in await inbox(sink, tenant.contact, 7) if m["Subject"].endswith("Stock sync")]
    assert sorted(kind_of(m) for m in mails) == sorted(
        ["acknowledgment", "pending", "awaiting_approval", "resolved", "reopened", "cancelled"]
    )
    # One thread: every later mail refers back to the acknowledgment.
    [ack] = [m for m in mails if kind_of(m) == "acknowledgment"]
    assert all(ack["Message-ID"] in m["References"] for m in mails if m is not ack)
    rows = await settled(client, ticket["id"], 6)
    assert [row["status"] for row in rows] == ["sent"] * 6


async def rate_with_the_link(
    client: httpx.AsyncClient, ticket: dict, other: dict, link: Any, token: str
) -> None:
    """What the rating page does with the link's token: no API key, this ticket only, once."""
    url = f"/v1/tickets/{ticket['id']}/satisfaction"
    rating = {"score": 5, "comment": "Quick and kind", "token": token}
    response = await client.post(url, json=rating)
    assert response.status_code == 201, response.text
    assert response.json()["satisfaction_score"] == 5
    again = await client.post(url, json={**rating, "score": 1})
    assert again.status_code == 409, again.text
    elsewhere = await client.post(f"/v1/tickets/{other['id']}/satisfaction", json=rating)
    assert elsewhere.status_code == 403, elsewhere.text
    page = await client.get(f"{link.path}?{link.query}")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in page.headers["content-security-policy"]


# --- split ---------------------------------------------------------------------------------


async def test_a_split_confirms_each_new_ticket_once_and_sends_no_acknowledgment(
    client, sink, mail_pump
):
    await mail_pump()
    tenant = await make_tenant(client)
    _, agent_key = await agent_with_key(client)
    original = await make_ticket(client, requester=tenant.contact, subject="Two problems")
    await inbox(sink, tenant.contact, 1)

    parts = await split(client, original, agent_key, "Export drops rows", "Login slow")

    mails = await inbox(sink, tenant.contact, 3)
    for part in parts:
        [mail] = [m for m in mails if m["Subject"] == f"[{part['number']}] {part['subject']}"]
        text = text_of(mail)
        assert kind_of(mail) == "split"
        assert f"part of {original['number']} is now a ticket of its own" in text
        assert "We will reply on it by" in text
        assert [row["kind"] for row in await settled(client, part["id"], 1)] == ["split"]
    assert [row["kind"] for row in await notifications(client, original["id"])] == [
        "acknowledgment"
    ]
    assert len(addressed_to(sink.received, tenant.contact)) == 3


# --- the organization's PM -----------------------------------------------------------------


async def test_the_new_pm_introduces_themselves_and_a_change_is_announced(
    client, app, sink, mail_pump
):
    await mail_pump()
    tenant = await make_tenant(client, name="Northwind Traders")
    second = await make_contact(client, tenant.organization, designated=True)
    end_user = await make_contact(client, tenant.organization, designated=False)
    first_pm = await make_agent(client, role="pm", name="Priya Shah", email="priya@desk.example")

    assert await run_assign_pm(app, tenant.organization["id"])

    for contact in (tenant.contact, second):
        welcome = await mail_of_kind(sink, contact, "pm_welcome")
        assert welcome["Subject"] == "Meet your project manager at Support: Priya Shah"
        assert "I am Priya Shah, Northwind Traders's dedicated project manager" in text_of(welcome)
        assert "priya@desk.example" in text_of(welcome)
    new_pm = await make_agent(client, role="pm", name="Tom Berg", email="tom@desk.example")
    url = f"/v1/organizations/{tenant.organization['id']}/pm/assign"
    response = await client.post(url, json={"agent_id": new_pm["id"]}, headers=ADMIN)
    assert response.status_code == 200, response.text

    for contact in (tenant.contact, second):
        changed = await mail_of_kind(sink, contact, "pm_changed")
        assert changed["Subject"] == "Your project manager at Support is now Tom Berg"
        text = text_of(changed)
        assert "project manager is now Tom Berg (tom@desk.example)" in text
        assert f"taking over from {first_pm['name']}" in text
    assert addressed_to(sink.received, end_user) == []


# --- escalation ----------------------------------------------------------------------------


async def test_the_client_is_told_who_their_escalated_ticket_went_to(client, sink, mail_pump):
    await mail_pump()
    tenant = await make_tenant(client)
    ticket = await make_ticket(client, requester=tenant.contact, subject="Orders vanish")
    url = f"/v1/tickets/{ticket['id']}/escalations"
    response = await client.post(url, json={"reason": "Still down"}, headers=tenant.contact_key)
    assert response.status_code == 201, response.text

    mail = await mail_of_kind(sink, tenant.contact, "escalation")
    assert mail["Subject"] == f"[{ticket['number']}] Orders vanish"
    assert "has been escalated to a senior project manager" in text_of(mail)
    rows = await settled(client, ticket["id"], 2)
    assert sent_kinds(rows, tenant.contact) == ["acknowledgment", "escalation"]


# --- broadcast -----------------------------------------------------------------------------


async def test_a_broadcast_reaches_each_requester_on_their_own_thread_and_nothing_else(
    client, sink, mail_pump
):
    await mail_pump()
    operator = await make_tenant(client, name="Operator Platform")
    acme = await make_tenant(client, name="Acme Retail")
    globex = await make_tenant(client, name="Globex Foods")
    _, agent_key = await agent_with_key(client, name="Sam Ortiz")
    problem = await make_ticket(client, requester=operator.contact, subject="Gateway outage")
    ours = await make_ticket(client, requester=acme.contact, subject="Card payments fail")
    theirs = await make_ticket(client, requester=globex.contact, subject="Checkout errors")
    for incident in (ours, theirs):
        url = f"/v1/tickets/{incident['id']}/link"
        response = await client.post(url, json={"problem_id": problem["id"]}, headers=ADMIN)
        assert response.status_code == 200, response.text
    acks = {t.contact["id"]: (await inbox(sink, t.contact, 1))[0] for t in (acme, globex)}

    update = "The gateway is back; please retry."
    await comment(client, problem, agent_key, body=update, broadcast=True)

    for owner, incident, other, other_incident in (
        (acme, ours, globex, theirs),
        (globex, theirs, acme, ours),
    ):
        mail = await mail_of_kind(sink, owner.contact, "broadcast")
        number = incident["number"]
        assert mail["Subject"] == f"[{number}] {incident['subject']}"
        assert mail["Message-ID"].startswith(f"<sup-{number.removeprefix('SUP-')}.")
        assert mail["In-Reply-To"] == acks[owner.contact["id"]]["Message-ID"]
        assert update in text_of(mail)
        assert f"affecting {number}, from Sam Ortiz" in text_of(mail)
        seen = everything(mail)
        for trace in (
            other.organization["name"],
            other.contact["email"],
            other_incident["number"],
            other_incident["subject"],
            operator.organization["name"],
            problem["number"],
            problem["subject"],
        ):
            assert not mentions(seen, trace), trace
        rows = await settled(client, incident["id"], 2)
        assert sent_kinds(rows, owner.contact) == ["acknowledgment", "broadcast"]


# --- the weekly summary --------------------------------------------------------------------

# Monday 3 March 2025, 09:05 in Tokyo (UTC+9, no DST): Monday 00:05 UTC.
MONDAY_0905_TOKYO = datetime(2025, 3, 3, 0, 5, tzinfo=UTC)


async def test_the_weekly_summary_lists_open_requests_in_queue_order_once_a_week(
    client, app, sink, mail_pump
):
    tokyo = (await calendar_in(client, "Asia/Tokyo"))["id"]
    busy = await make_tenant(client, name="Kyoto Crafts", calendar_id=tokyo)
    digest = await make_contact(client, busy.organization, notification_preference="digest")
    quiet = await make_contact(client, busy.organization, notification_preference="important")
    tickets = [
        await make_ticket(client, requester=busy.contact, subject=f"Request {n}") for n in (1, 2, 3)
    ]
    done = await make_ticket(client, requester=busy.contact, subject="Finished")
    await move(client, done, "cancelled")
    queue = [tickets[2]["id"], tickets[0]["id"]]
    url = f"/v1/organizations/{busy.organization['id']}/queue"
    response = await client.put(url, json={"ticket_ids": queue}, headers=busy.contact_key)
    assert response.status_code == 200, response.text
    small = await make_organization(client, name="Small Shop", calendar_id=tokyo)
    small_contact = await make_contact(client, small)
    for n in (1, 2):
        await make_ticket(client, requester=small_contact, subject=f"Small {n}")
    settings = smtp_settings(sink)

    assert await summaries_at(app, settings, MONDAY_0905_TOKYO - timedelta(minutes=10)) == 0
    assert await summaries_at(app, settings, MONDAY_0905_TOKYO + timedelta(days=1)) == 0
    # Kyoto Crafts' contacts who want it; Small Shop has 2 open requests, fewer than 3.
    assert await summaries_at(app, settings, MONDAY_0905_TOKYO) == 2
    assert await summaries_at(app, settings, MONDAY_0905_TOKYO + timedelta(hours=6)) == 0

    await mail_pump()
    ordered = [tickets[2], tickets[0], tickets[1]]
    for contact in (busy.contact, digest):
        mail = await mail_of_kind(sink, contact, "weekly_summary")
        assert mail["Subject"] == "Kyoto Crafts: your 3 open requests this week"
        text = text_of(mail)
        listed = [f"{n}. {t['number']} {t['subject']}" for n, t in enumerate(ordered, 1)]
        positions = [text.index(line) for line in listed]
        assert positions == sorted(positions)
        assert not mentions(text, done["number"])
        assert all(f"{t['number']} {t['subject']}" in html_of(mail) for t in ordered)
    summaries = [m for m in sink.received if kind_of(m) == "weekly_summary"]
    assert len(summaries) == 2
    assert addressed_to(summaries, quiet) == []
    assert addressed_to(summaries, small_contact) == []

"""GET /v1/events, the change feed: every event once, in commit order, from a stable cursor,
with no gaps when transactions commit out of order."""

import asyncio
import random
import uuid
from collections import defaultdict

from app.events.models import EventType, EventVisibility
from app.events.service import NewEvent, record
from app.security import SYSTEM_ACTOR
from tests.factories import ADMIN, make_ticket
from tests.problems import assert_problem
from tests.webhooks.helpers import eventually, feed, query, whole_feed


async def comment(client, ticket_id: str, body: str, headers=ADMIN, visibility="public"):
    response = await client.post(
        f"/v1/tickets/{ticket_id}/comments",
        json={"body": body, "visibility": visibility},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    return response.json()


async def move(client, ticket_id: str, status: str) -> None:
    response = await client.post(
        f"/v1/tickets/{ticket_id}/transitions", json={"to": status}, headers=ADMIN
    )
    assert response.status_code == 200, response.text


async def test_feed_lists_events_in_commit_order_with_a_stable_cursor(client, tenant):
    empty = await feed(client)
    assert empty["data"] == [] and empty["has_more"] is False

    ticket = await make_ticket(client, requester=tenant.contact)
    await comment(client, ticket["id"], "first")
    await move(client, ticket["id"], "open")
    other = await make_ticket(client, requester=tenant.contact)
    await comment(client, ticket["id"], "second")
    await comment(client, other["id"], "third")

    expected = [
        ("ticket.created", ticket["id"]),
        ("ticket.comment_added", ticket["id"]),
        ("ticket.status_changed", ticket["id"]),
        ("ticket.created", other["id"]),
        ("ticket.comment_added", ticket["id"]),
        ("ticket.comment_added", other["id"]),
    ]
    everything = await feed(client)
    assert [(e["type"], e["ticket_id"]) for e in everything["data"]] == expected
    assert everything["has_more"] is False
    event = everything["data"][0]
    assert event.keys() >= {"id", "type", "ticket_id", "organization_id", "actor", "created_at"}
    assert event["data"]["ticket"]["id"] == ticket["id"]
    assert event["organization_id"] == tenant.organization["id"]
    ids = [e["id"] for e in everything["data"]]
    assert len(set(ids)) == len(ids)

    # Page by page with the cursor: the same events, each once.
    pages, cursor = [], None
    while True:
        page = await feed(client, limit=4, **({"cursor": cursor} if cursor else {}))
        pages.append(page)
        cursor = page["next_cursor"]
        if not page["has_more"]:
            break
    assert [len(p["data"]) for p in pages] == [4, 2]
    assert pages[0]["has_more"] is True
    assert [e["id"] for p in pages for e in p["data"]] == ids

    # A cursor is stable: reading from it again gives the same page.
    again = await feed(client, limit=4, cursor=pages[0]["next_cursor"])
    assert again["data"] == pages[1]["data"]
    # Caught up: an empty page whose cursor stays put, until something new happens.
    caught_up = await feed(client, cursor=pages[-1]["next_cursor"])
    assert caught_up["data"] == [] and caught_up["has_more"] is False
    assert caught_up["next_cursor"] == pages[-1]["next_cursor"]
    await comment(client, other["id"], "fourth")
    new = await feed(client, cursor=caught_up["next_cursor"])
    assert [e["data"]["comment"]["body"] for e in new["data"]] == ["fourth"]


async def test_types_filter_by_repeating_or_commas(client, tenant):
    ticket = await make_ticket(client, requester=tenant.contact)
    await comment(client, ticket["id"], "hello")
    await move(client, ticket["id"], "open")
    await move(client, ticket["id"], "pending")

    created = await feed(client, types="ticket.created")
    assert [e["type"] for e in created["data"]] == ["ticket.created"]
    repeated = await client.get(
        "/v1/events?types=ticket.created&types=ticket.status_changed", headers=ADMIN
    )
    commas = await client.get(
        "/v1/events?types=ticket.created,%20ticket.status_changed", headers=ADMIN
    )
    assert repeated.status_code == commas.status_code == 200
    assert repeated.json()["data"] == commas.json()["data"]
    assert [e["type"] for e in repeated.json()["data"]] == [
        "ticket.created",
        "ticket.status_changed",
        "ticket.status_changed",
    ]
    # A filtered cursor continues after the filtered page, and skips what it filters out.
    first = await feed(client, types="ticket.status_changed", limit=1)
    assert first["has_more"] is True
    rest = await feed(client, types="ticket.status_changed", cursor=first["next_cursor"])
    assert [e["data"]["ticket"]["status"] for e in first["data"] + rest["data"]] == [
        "open",
        "pending",
    ]
    nothing = await feed(client, types="ticket.merged")
    assert nothing["data"] == [] and nothing["has_more"] is False


async def test_feed_parameters_are_validated(client):
    for params in (
        {"types": "ticket.exploded"},
        {"types": "ticket.created,nope"},
        {"limit": 0},
        {"limit": 201},
        {"limit": "ten"},
        {"cursor": "not-a-cursor"},
        {"cursor": "eyJzZXEiOiAtMX0"},  # {"seq": -1}
    ):
        response = await client.get("/v1/events", params=params, headers=ADMIN)
        assert_problem(response, 422)
    assert (await client.get("/v1/events", params={"limit": 200}, headers=ADMIN)).is_success


async def test_feed_is_scoped_like_endpoints(client, tenant, other_tenant, agent_key):
    mine = await make_ticket(client, requester=tenant.contact)
    theirs = await make_ticket(client, requester=other_tenant.contact)
    await comment(client, mine["id"], "note to self", visibility="internal")

    seen = await whole_feed(client, tenant.integration_key)
    assert [(e["type"], e["ticket_id"]) for e in seen] == [("ticket.created", mine["id"])]
    theirs_seen = await whole_feed(client, other_tenant.integration_key)
    assert [e["ticket_id"] for e in theirs_seen] == [theirs["id"]]
    assert len(await whole_feed(client, ADMIN)) == 3
    for headers, status in ((tenant.contact_key, 403), (agent_key, 403), ({}, 401)):
        assert_problem(await client.get("/v1/events", headers=headers), status)


async def test_integration_cursor_skips_other_organizations(client, tenant, other_tenant):
    for n in range(3):
        await make_ticket(client, requester=tenant.contact, subject=f"mine {n}")
        await make_ticket(client, requester=other_tenant.contact, subject=f"theirs {n}")
    pages, cursor = [], None
    while True:
        page = await feed(
            client, tenant.integration_key, limit=1, **({"cursor": cursor} if cursor else {})
        )
        pages.append(page)
        cursor = page["next_cursor"]
        if not page["has_more"]:
            break
    subjects = [e["data"]["ticket"]["subject"] for p in pages for e in p["data"]]
    assert subjects == ["mine 0", "mine 1", "mine 2"]


def _event(organization_id: str, label: str) -> NewEvent:
    return NewEvent(
        type=EventType.intake_refused,
        actor=SYSTEM_ACTOR,
        data={
            "channel": "widget",
            "email": "someone@client.example",
            "name": label,
            "reason": "unknown_contact",
        },
        organization_id=uuid.UUID(organization_id),
        visibility=EventVisibility.public,
    )


async def test_no_gap_when_an_earlier_transaction_commits_later(app, client, tenant):
    """Transaction A writes first but commits last: a reader that has moved past B must
    still get A."""
    organization_id = tenant.organization["id"]
    start = (await feed(client))["next_cursor"]
    async with app.state.sessions() as a:
        await record(a, _event(organization_id, "A"))  # A's transaction stays open
        async with app.state.sessions() as b:
            await record(b, _event(organization_id, "B"))
            await b.commit()
        seen = await asyncio.wait_for(feed(client, cursor=start), 10)
        assert [e["data"]["name"] for e in seen["data"]] == ["B"]
        # Still nothing more, however often the reader polls while A is open.
        again = await feed(client, cursor=seen["next_cursor"])
        assert again["data"] == []
        await a.commit()
    after = await feed(client, cursor=seen["next_cursor"])
    assert [e["data"]["name"] for e in after["data"]] == ["A"]
    assert (await feed(client, cursor=after["next_cursor"]))["data"] == []
    # From the start, the feed shows commit order: B, then A.
    whole = await feed(client, cursor=start)
    assert [e["data"]["name"] for e in whole["data"]] == ["B", "A"]
    # Seen by the organization's integration the same way (the test's `label` is no field
    # of intake.refused a client is shown, so compare the events themselves).
    scoped = await whole_feed(client, tenant.integration_key)
    assert [e["id"] for e in scoped] == [e["id"] for e in whole["data"]]


async def test_no_gap_when_a_ticket_comment_commits_late(app, client, tenant):
    """The same with a real comment transaction holding its ticket's lock."""
    from app.api_keys.models import KeyKind
    from app.security import Principal
    from app.tickets import comments
    from app.tickets.schemas import CommentCreate

    slow_ticket = await make_ticket(client, requester=tenant.contact)
    fast_ticket = await make_ticket(client, requester=tenant.contact)
    start = (await feed(client))["next_cursor"]
    admin = Principal(kind=KeyKind.admin)
    async with app.state.sessions() as session, session.begin():
        await comments.add(
            session,
            principal=admin,
            ticket_id=uuid.UUID(slow_ticket["id"]),
            data=CommentCreate(body="slow"),
        )
        await comment(client, fast_ticket["id"], "fast")
        seen = await feed(client, cursor=start)
        assert [e["data"]["comment"]["body"] for e in seen["data"]] == ["fast"]
    after = await feed(client, cursor=seen["next_cursor"])
    assert [e["data"]["comment"]["body"] for e in after["data"]] == ["slow"]


STREAMS, WRITES = 3, 8


async def test_concurrent_writers_and_a_polling_reader(app, client, tenant, other_tenant, pumps):
    """Writers commit in any order while a reader follows the feed with its cursor (and
    two workers relay too): the reader gets every event exactly once, each ticket's in
    commit order."""
    rng = random.Random(99)
    await pumps(2)
    tickets = [await make_ticket(client, requester=t.contact) for t in (tenant, other_tenant)]
    tickets += [await make_ticket(client, requester=tenant.contact)]
    writing = True
    collected: list[dict] = []

    async def reader() -> None:
        cursor = None
        while True:
            done = not writing
            page = await feed(
                client, limit=rng.randint(1, 20), **({"cursor": cursor} if cursor else {})
            )
            collected.extend(page["data"])
            cursor = page["next_cursor"]
            if done and not page["has_more"]:
                return
            await asyncio.sleep(0)

    async def write(stream: int) -> None:
        for n in range(WRITES):
            ticket = rng.choice(tickets)
            visibility = rng.choice(["public", "internal"])
            await comment(client, ticket["id"], f"comment {stream}.{n}", visibility=visibility)
            await asyncio.sleep(rng.uniform(0.02, 0.1))

    async def write_slowly(stream: int) -> None:
        # Transactions that stay open a while after writing: later ones overtake them.
        for n in range(WRITES):
            async with app.state.sessions() as session:
                await record(session, _event(rng.choice(organizations), f"slow {stream}.{n}"))
                await asyncio.sleep(rng.uniform(0.02, 0.1))
                await session.commit()
            await asyncio.sleep(rng.uniform(0.02, 0.1))

    organizations = [tenant.organization["id"], other_tenant.organization["id"]]
    reading = asyncio.create_task(reader())
    await asyncio.gather(
        *[write(stream) for stream in range(STREAMS)],
        *[write_slowly(stream) for stream in range(STREAMS)],
    )
    # Every event has been numbered for the feed (a worker may still be committing its batch).
    await eventually(lambda: _all_positioned(app))
    writing = False
    await asyncio.wait_for(reading, 20)

    ids = [e["id"] for e in collected]
    assert len(ids) == len(set(ids)), "the reader got an event twice"
    everything = {str(row.id) for row in await query(app, "SELECT id FROM events")}
    assert set(ids) == everything
    assert len(ids) == 3 + 2 * STREAMS * WRITES
    # Per ticket, in the order the writers committed (each ticket's writers queue on it).
    order = await query(
        app, "SELECT id, ticket_id FROM events WHERE ticket_id IS NOT NULL ORDER BY seq"
    )
    by_ticket: dict[str, list[str]] = defaultdict(list)
    for row in order:
        by_ticket[str(row.ticket_id)].append(str(row.id))
    for ticket_id, expected in by_ticket.items():
        assert [e["id"] for e in collected if e["ticket_id"] == ticket_id] == expected


async def _all_positioned(app) -> bool:
    rows = await query(app, "SELECT count(*) AS n FROM events WHERE position IS NULL")
    return rows[0].n == 0

"""Events of one ticket reach an endpoint in commit order, even with two workers sending and
a receiver that fails now and then; every event is delivered successfully exactly once."""

import asyncio
import random
from collections import defaultdict
from datetime import UTC, datetime

from standardwebhooks.webhooks import Webhook

from app import timesource
from tests.factories import ADMIN, Tenant, make_tenant, make_ticket
from tests.webhooks.helpers import create_endpoint, delivery_rows, eventually, whole_feed
from tests.webhooks.receiver import Received, Reply

SPEED = 60  # the app's clock runs this much faster: a 5 s retry comes after ~0.1 s
TICKETS_PER_TENANT = 2
FAILURE_RATE = 0.3
EXPECTED_TYPES = [
    "ticket.created",
    "ticket.comment_added",
    "ticket.status_changed",
    "ticket.comment_added",  # internal
    "ticket.comment_added",
    "ticket.status_changed",
    "ticket.comment_added",  # the client's reply...
    "ticket.status_changed",  # ...reopens it
    "ticket.status_changed",
]


def internal(event: dict) -> bool:
    return (event["data"].get("comment") or {}).get("visibility") == "internal"


def fast_clock() -> None:
    origin = datetime.now(UTC)
    timesource.set_source(lambda: origin + (datetime.now(UTC) - origin) * SPEED)


async def ticket_story(client, tenant: Tenant, n: int) -> None:
    """One ticket's life: each step commits before the next starts."""
    ticket = await make_ticket(client, requester=tenant.contact, subject=f"Ticket {n}")
    path = f"/v1/tickets/{ticket['id']}"

    async def comment(body: str, headers=ADMIN, visibility: str = "public") -> None:
        response = await client.post(
            f"{path}/comments", json={"body": body, "visibility": visibility}, headers=headers
        )
        assert response.status_code == 201, response.text

    async def move(status: str) -> None:
        response = await client.post(f"{path}/transitions", json={"to": status}, headers=ADMIN)
        assert response.status_code == 200, response.text

    await comment(f"{n}: looking into it")
    await move("open")
    await comment(f"{n}: internal note", visibility="internal")
    await comment(f"{n}: which browser?")
    await move("pending")
    await comment(f"{n}: Firefox", headers=tenant.contact_key)
    await move("resolved")


async def complete_feed(client, count: int) -> list[dict] | None:
    events = await whole_feed(client, ADMIN)
    assert len(events) <= count
    return events if len(events) == count else None


async def test_each_tickets_events_arrive_in_commit_order(client, app, receiver, pumps):
    rng = random.Random(20261123)
    first_arrivals: set[tuple[str, str]] = set()

    def reply(request: Received) -> Reply:
        key = (request.path, request.headers["webhook-id"])
        if key in first_arrivals:
            return Reply(204)
        first_arrivals.add(key)
        return Reply(500) if rng.random() < FAILURE_RATE else Reply(204)

    receiver.reply = reply
    tenants = [await make_tenant(client), await make_tenant(client)]
    operator = await create_endpoint(client, receiver.url.replace("/hooks", "/operator"))
    organization = await create_endpoint(
        client, receiver.url.replace("/hooks", "/org"), tenants[0].integration_key
    )
    fast_clock()
    await pumps(2, webhook_lease_seconds=86400)

    await asyncio.gather(
        *[
            ticket_story(client, tenant, index * TICKETS_PER_TENANT + n)
            for index, tenant in enumerate(tenants)
            for n in range(TICKETS_PER_TENANT)
        ]
    )

    # What each endpoint should get, per ticket, in the feed's (commit) order. (A worker
    # may be numbering the last events right now: the feed shows them once it has.)
    count = 2 * TICKETS_PER_TENANT * len(EXPECTED_TYPES)
    events = await eventually(lambda: complete_feed(client, count))
    expected: dict[str, dict[str, list[str]]] = {"/operator": {}, "/org": {}}
    by_ticket: dict[str, list[dict]] = defaultdict(list)
    for event in events:
        by_ticket[event["ticket_id"]].append(event)
    assert len(by_ticket) == 2 * TICKETS_PER_TENANT
    for ticket_id, ticket_events in by_ticket.items():
        assert [e["type"] for e in ticket_events] == EXPECTED_TYPES
        expected["/operator"][ticket_id] = [f"evt_{e['id']}" for e in ticket_events]
        if ticket_events[0]["organization_id"] == tenants[0].organization["id"]:
            public = [e for e in ticket_events if not internal(e)]
            expected["/org"][ticket_id] = [f"evt_{e['id']}" for e in public]
    assert len(expected["/org"]) == TICKETS_PER_TENANT

    def all_succeeded(received: list[Received]) -> bool:
        done = {(r.path, r.headers["webhook-id"]) for r in received if r.replied == 204}
        return all(
            (path, msg_id) in done
            for path, tickets in expected.items()
            for ids in tickets.values()
            for msg_id in ids
        )

    received = await receiver.wait_for(all_succeeded, within=45)
    failures = sum(1 for r in received if r.replied == 500)
    assert failures >= 5, "the receiver should have failed some first attempts"

    secrets = {"/operator": operator["secret"], "/org": organization["secret"]}
    for path, tickets in expected.items():
        arrivals: dict[str, list[Received]] = defaultdict(list)
        for request in received:
            if request.path == path:
                arrivals[request.headers["webhook-id"]].append(request)
        wanted = {msg_id for ids in tickets.values() for msg_id in ids}
        assert set(arrivals) == wanted, f"{path} got events it should not have"
        for ticket_id, ids in tickets.items():
            success_at = []
            for msg_id in ids:
                attempts = arrivals[msg_id]
                successes = [r for r in attempts if r.replied == 204]
                assert len(successes) == 1, (path, msg_id, [r.replied for r in attempts])
                assert all(r.replied == 500 for r in attempts if r is not successes[0])
                assert successes[0] is attempts[-1]
                success_at.append(successes[0].at)
                body = Webhook(secrets[path]).verify(attempts[-1].body, attempts[-1].headers)
                assert body["ticket_id"] == ticket_id
            for k in range(1, len(ids)):
                first_arrival = min(r.at for r in arrivals[ids[k]])
                assert first_arrival > success_at[k - 1], (
                    f"{path}: event {k} of ticket {ticket_id} arrived before event {k - 1} "
                    "was delivered"
                )

    async def all_delivered() -> bool:
        return {row.status for row in await delivery_rows(app)} == {"delivered"}

    await eventually(all_delivered)
    rows = await delivery_rows(app)
    assert len(rows) == sum(len(ids) for t in expected.values() for ids in t.values())

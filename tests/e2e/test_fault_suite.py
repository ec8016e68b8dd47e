"""Faults injected for real under load: PostgreSQL stopped and started, Redis killed and
started empty, an API process and the worker killed with SIGKILL and started again, while
integrators create tickets (retrying by Idempotency-Key), comment and move them along.

Then: every acknowledged write is stored exactly once; every SLA breach that fell due fired
exactly once, those due during an outage after it; every event reached the webhook receiver
at least once and, per ticket, first in commit order; every mail planned was sent to a real
SMTP server (tests/mail/sink.py), each ticket's requester acknowledged; every answer was 2xx,
409 or 503 (a connection dropped only by the process that was killed); the worker lived
through it all and logged each outage once. It runs its own servers and processes
(tests/e2e/stack.py), about two and a half minutes."""

import asyncio
import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx
import pytest

from tests.e2e.load import Downtime, Load
from tests.e2e.servers import can_run_postgres
from tests.e2e.stack import Stack
from tests.mail.sink import Sink
from tests.webhooks.receiver import Receiver

LOAD_SECONDS = 100
# Seconds after the load starts (SLA targets are a minute: what was created in the first
# seconds falls due during the database's outage).
REDIS_STOP, REDIS_DOWN = 18, 5
API_KILL = 34
DATABASE_STOP, DATABASE_DOWN = 62, 3
WORKER_KILL, WORKER_DOWN = 80, 3
# After the load, the last tickets' breaches fall due for a minute and escalate; the worker
# works that off on the same two cores as everything else. Settling waits while work moves
# (the feed grows, what is left changes) and fails when nothing moved for STALL_SECONDS.
STALL_SECONDS, SETTLE_SECONDS = 30, 300
ENV = {
    # A delivery whose send the worker's death cut short goes again after this.
    "SUPPORTDESK_WEBHOOK_LEASE_SECONDS": "5",
    "SUPPORTDESK_WEBHOOK_TIMEOUT_SECONDS": "3",
    # And a mail the worker was sending when it died.
    "SUPPORTDESK_MAIL_LEASE_SECONDS": "5",
}


@dataclass
class Window:
    name: str
    start: float  # time.time()
    end: float


async def _configure(stack: Stack, receiver: Receiver) -> str:
    """A one-minute first response (wall clock), a webhook endpoint for every event, a
    requester. The other clocks are hours away: a breach escalates the ticket, and the
    escalation's review clock should not set off another one within the test."""
    async with httpx.AsyncClient(base_url=stack.bases[0], headers=stack.admin) as admin:
        targets = (await admin.get("/v1/sla-policies")).json()["targets"]
        for row in targets:
            minutes = 1 if row["metric"] == "first_response" else 600
            row.update(
                target_minutes=minutes,
                after_hours_minutes=minutes,
                closed_day_minutes=minutes,
                clock="calendar",
            )
        saved = await admin.put("/v1/sla-policies", json={"targets": targets})
        assert saved.status_code == 200, saved.text
        endpoint = await admin.post("/v1/webhook-endpoints", json={"url": receiver.url})
        assert endpoint.status_code == 201, endpoint.text
        organization = await admin.post(
            "/v1/organizations", json={"name": "Faulty Ltd", "plan": "standard"}
        )
        assert organization.status_code == 201, organization.text
        contact = await admin.post(
            f"/v1/organizations/{organization.json()['id']}/contacts",
            json={"email": "ops@faulty.example", "name": "Ops", "designated": True},
        )
        assert contact.status_code == 201, contact.text
        return contact.json()["id"]


async def _stopped_for(server: Any, seconds: float, name: str) -> Window:
    """Stops a server of the stack for `seconds`, then starts it again."""
    begun = time.time()
    await asyncio.to_thread(server.stop)
    await asyncio.sleep(seconds)
    await asyncio.to_thread(server.start)
    return Window(name, begun, time.time())


async def _inject(stack: Stack, load: Load, started: float) -> list[Window]:
    """The faults, one after another, on the load's clock."""
    windows: list[Window] = []

    async def at(offset: float) -> None:
        await asyncio.sleep(max(0.0, started + offset - time.monotonic()))

    await at(REDIS_STOP)
    windows.append(await _stopped_for(stack.redis, REDIS_DOWN, "redis stopped"))

    await at(API_KILL)
    begun, down = time.time(), Downtime(1, time.monotonic())
    load.downtimes.append(down)
    await stack.restart_api(1)
    down.end = time.monotonic()
    windows.append(Window("api killed", begun, time.time()))

    await at(DATABASE_STOP)
    windows.append(await _stopped_for(stack.postgres, DATABASE_DOWN, "database stopped"))

    await at(WORKER_KILL)
    begun = time.time()
    stack.worker.kill()
    await asyncio.sleep(WORKER_DOWN)
    stack.worker.start()
    windows.append(Window("worker killed", begun, time.time()))
    return windows


async def _left(connection: asyncpg.Connection) -> tuple[dict[str, int], int]:
    """What is left to do (events to relay or deliver, transitions due unfired, mail to plan
    or send) and the feed's last position, in one snapshot."""
    row = await connection.fetchrow(
        """
        SELECT (SELECT last_position FROM feed_state) AS position,
               (SELECT count(*) FROM outbox) AS unrelayed,
               (SELECT count(*) FROM webhook_deliveries WHERE status = 'pending') AS undelivered,
               (SELECT count(*) FROM ticket_clocks
                 WHERE next_fire_at <= now() - interval '2 seconds') AS unfired,
               (SELECT last_position FROM feed_state)
                 - (SELECT last_position FROM mail_state) AS unplanned,
               (SELECT count(*) FROM notifications WHERE status = 'pending') AS unsent
        """
    )
    return {name: value for name, value in row.items() if value and name != "position"}, row[
        "position"
    ]


async def _stuck(connection: asyncpg.Connection) -> str:
    """What the database's sessions are doing and what is waiting, for a failed settle."""
    sessions = await connection.fetch(
        "SELECT pid, application_name, client_port, state, wait_event_type, wait_event,"
        " now() - xact_start AS in_transaction, left(query, 160) AS query"
        " FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
    )
    waiting = await connection.fetch(
        "SELECT o.id, o.event_id, e.type, e.created_at FROM outbox o"
        " JOIN events e ON e.id = o.event_id ORDER BY o.id LIMIT 5"
    )
    deliveries = await connection.fetch(
        "SELECT attempt_count, failures, next_attempt_at - now() AS due_in, last_error"
        " FROM webhook_deliveries WHERE status = 'pending' LIMIT 10"
    )
    mail = await connection.fetch(
        "SELECT attempts, next_attempt_at - now() AS due_in, smtp_reply FROM notifications"
        " WHERE status = 'pending' LIMIT 10"
    )
    parts = {"sessions": sessions, "outbox": waiting, "deliveries": deliveries, "mail": mail}
    return "\n".join(
        f"{name}:\n" + "\n".join(str(dict(row)) for row in rows) for name, rows in parts.items()
    )


async def _wait_until_settled(stack: Stack) -> tuple[float, int]:
    """Seconds until nothing is left behind, and the feed's position then: every event up to
    it was relayed and delivered. (Tickets created in the load's last minute breach later,
    while the checks run: their events come after it.) Fails on a stall: nothing done for
    STALL_SECONDS while work is left."""
    started = moved = time.monotonic()
    connection = await asyncpg.connect(stack.dsn())
    try:
        last = None
        while True:
            left, position = await _left(connection)
            if not left:
                return time.monotonic() - started, position
            if (left, position) != last:
                last, moved = (left, position), time.monotonic()
            if time.monotonic() > min(moved + STALL_SECONDS, started + SETTLE_SECONDS):
                raise AssertionError(f"work left behind: {left}\n{await _stuck(connection)}")
            await asyncio.sleep(0.5)
    finally:
        await connection.close()


async def _check_writes(connection: asyncpg.Connection, load: Load) -> None:
    stored = await connection.fetch(
        "SELECT subject, count(*) AS n, min(id::text) AS id FROM tickets "
        "WHERE subject LIKE $1 GROUP BY subject",
        f"fault {load.run_id} #%",
    )
    tickets = {row["subject"]: row for row in stored}
    assert not load.gave_up, f"creates never acknowledged: {load.gave_up[:5]}"
    assert len(load.tickets) > 500, "too little load to mean anything"
    doubled = [subject for subject, row in tickets.items() if row["n"] != 1]
    assert not doubled, f"tickets stored more than once: {doubled[:5]}"
    lost = [s for s, ticket_id in load.tickets.items() if tickets.get(s, {}).get("id") != ticket_id]
    assert not lost, f"acknowledged tickets not stored as acknowledged: {lost[:5]}"
    comments = Counter(
        row["body"]
        for row in await connection.fetch(
            "SELECT body FROM comments WHERE body LIKE $1", f"reply {load.run_id} #%"
        )
    )
    wrong = [body for body in load.comments if comments[body] != 1]
    assert not wrong, f"acknowledged comments not stored exactly once: {wrong[:5]}"
    assert all(n == 1 for n in comments.values())


async def _check_breaches(connection: asyncpg.Connection, windows: list[Window]) -> dict:
    # One snapshot: clocks of the load's last minute are still breaching meanwhile.
    async with connection.transaction(isolation="repeatable_read", readonly=True):
        unfired = await connection.fetchval(
            "SELECT count(*) FROM ticket_clocks WHERE due_at <= now() - interval '10 seconds' "
            "AND status = 'running' AND breached_at IS NULL"
        )
        events = await connection.fetch(
            "SELECT ticket_id, data->>'metric' AS metric, (data->>'cycle')::int AS cycle, "
            "(data->>'due_at')::timestamptz AS due_at, created_at FROM events "
            "WHERE type = 'ticket.sla_breached'"
        )
        firings = await connection.fetchval(
            "SELECT count(*) FROM sla_firings WHERE kind = 'breach'"
        )
    assert unfired == 0, f"{unfired} clocks past due without a breach"
    fired = Counter((row["ticket_id"], row["metric"], row["cycle"]) for row in events)
    twice = [key for key, n in fired.items() if n != 1]
    assert not twice, f"breaches fired more than once: {twice[:5]}"
    assert firings == len(events)
    due_during: dict[str, int] = {}
    for window in windows:
        inside = [row for row in events if window.start <= row["due_at"].timestamp() <= window.end]
        # Fired once it could be: not before the due time, and within seconds of the end.
        assert all(row["created_at"] >= row["due_at"] for row in inside)
        late = [row for row in inside if row["created_at"].timestamp() > window.end + 15]
        assert not late, f"{window.name}: breaches fired long after the outage: {late[:3]}"
        due_during[window.name] = len(inside)
    assert due_during["database stopped"] > 0, "no breach fell due while the database was down"
    assert due_during["worker killed"] > 0, "no breach fell due while the worker was down"
    return {"breaches": len(events), "due during": due_during}


async def _check_webhooks(
    connection: asyncpg.Connection, receiver: Receiver, settled_at: int
) -> dict:
    events = await connection.fetch(
        "SELECT id::text AS id, ticket_id, position FROM events WHERE position <= $1 "
        "ORDER BY position",
        settled_at,
    )
    assert len(events) == settled_at
    delivered = {r.headers["webhook-id"] for r in receiver.received if r.replied == 204}
    missing = [row["id"] for row in events if f"evt_{row['id']}" not in delivered]
    assert not missing, f"{len(missing)} events never delivered"
    expected: dict[Any, list[str]] = defaultdict(list)
    for row in events:
        if row["ticket_id"] is not None:  # order is kept per ticket
            expected[row["ticket_id"]].append(f"evt_{row['id']}")
    first: dict[str, list[str]] = defaultdict(list)
    seen: set[str] = set()
    ticket_of = {f"evt_{row['id']}": row["ticket_id"] for row in events}
    for request in receiver.received:
        msg_id = request.headers["webhook-id"]
        if msg_id not in seen and msg_id in ticket_of:
            seen.add(msg_id)
            first[ticket_of[msg_id]].append(msg_id)
    disordered = [ticket for ticket, ids in expected.items() if first[ticket][: len(ids)] != ids]
    assert not disordered, f"events out of order for {len(disordered)} tickets"
    return {"events": len(events), "requests": len(receiver.received)}


async def _check_mail(
    connection: asyncpg.Connection, sink: Sink, load: Load, settled_at: int
) -> dict:
    """Every mail planned from an event up to `settled_at` was sent and reached the SMTP
    server (once or, cut short by a kill, again); every acknowledged ticket's requester had
    the acknowledgment."""
    mails = await connection.fetch(
        "SELECT n.message_id, n.status, n.kind, n.ticket_id::text AS ticket_id "
        "FROM notifications n JOIN events e ON e.id = n.event_id WHERE e.position <= $1",
        settled_at,
    )
    unsent = Counter(row["status"] for row in mails if row["status"] != "sent")
    assert not unsent, f"mails not sent: {dict(unsent)}"
    received = set(sink.message_ids())
    missing = [row["message_id"] for row in mails if row["message_id"] not in received]
    assert not missing, f"{len(missing)} mails marked sent never reached the server"
    told = {row["ticket_id"] for row in mails if row["kind"] == "acknowledgment"}
    untold = [ticket for ticket in load.tickets.values() if ticket not in told]
    assert not untold, f"{len(untold)} tickets without an acknowledgment: {untold[:3]}"
    return {"mails": len(mails), "smtp_messages": len(received)}


def _check_logs(stack: Stack) -> dict:
    """The worker lived through every fault and said so once per outage."""
    assert stack.worker.alive(), f"the worker exited:\n{stack.worker.output()[-3000:]}"
    assert all(api.alive() for api in stack.apis)
    log = stack.worker.output()
    starts = log.count("--- start ")
    outages = {
        name: len(re.findall(rf'"message": "{name} is unreachable', log))
        for name in ("the database", "Redis")
    }
    assert outages["Redis"] == 1, outages
    assert 1 <= outages["the database"] <= 2, outages
    errors = [line for line in log.splitlines() if '"level": "error"' in line]
    assert not errors, "\n".join(errors[:5])
    assert starts == 2
    return outages


@pytest.mark.skipif(
    not can_run_postgres(), reason="needs PostgreSQL server binaries and a user to run them"
)
async def test_nothing_is_lost_through_restarts_stops_and_kills():
    sink = Sink().start()
    stack = Stack(apis=2, env={**ENV, "SUPPORTDESK_SMTP_URL": sink.url})
    receiver = Receiver()
    await receiver.start()
    passed = False
    try:
        await stack.start()
        requester = await _configure(stack, receiver)
        load = Load(stack.bases, stack.admin, requester, lanes=6)
        started = time.monotonic()
        traffic = asyncio.create_task(load.run(LOAD_SECONDS, pause=0.1))
        windows = await _inject(stack, load, started)
        await traffic
        settled, position = await _wait_until_settled(stack)
        assert not load.unexpected(), load.unexpected()[:10]
        connection = await asyncpg.connect(stack.dsn())
        try:
            await _check_writes(connection, load)
            breaches = await _check_breaches(connection, windows)
            webhooks = await _check_webhooks(connection, receiver, position)
            mail = await _check_mail(connection, sink, load, position)
        finally:
            await connection.close()
        outages = _check_logs(stack)
        statuses = Counter(answer.status for answer in load.answers)
        print(
            f"\nfault suite: {len(load.tickets)} tickets, {len(load.comments)} comments, "
            f"{load.transitions} transitions; answers {dict(statuses)}; {breaches}; "
            f"{webhooks}; {mail}; worker outage lines {outages}; settled in {settled:.0f} s; "
            f"{time.monotonic() - started:.0f} s from the load's start"
        )
        passed = True
    finally:
        await receiver.stop()
        sink.stop()
        stack.close(keep_logs=not passed)
        if not passed:
            print(f"logs kept in {stack.folder}")

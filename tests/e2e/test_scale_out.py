"""Scale-out: 2 API processes and 3 workers on one Postgres and Redis, one worker killed and
another added mid-run. Every breach fires once, every webhook is delivered, nobody is
overfilled.

Prints its figures (tickets, events, deliveries, seconds to settle) for the ops note.
"""

import asyncio
import os
import signal
import time
from collections import Counter
from datetime import timedelta

import httpx
import sqlalchemy as sa

from app import timesource
from tests.conftest import ADMIN_KEY
from tests.factories import ADMIN, make_agent, make_tenant
from tests.processes import free_port, start, wait_until_up
from tests.webhooks.receiver import Receiver

TICKETS = 500
TENANTS = 10
AGENTS = 6
CAPACITY = 25
HEADERS = {"Authorization": f"Bearer {ADMIN_KEY}"}
WORKER_ENV = {"SUPPORTDESK_WORKER_WEBHOOKS": "true", "SUPPORTDESK_WEBHOOK_LEASE_SECONDS": "5"}


async def create_tickets(bases: list[str], requesters: list[str]) -> list[str]:
    """500 critical tickets imported as raised five hours ago, spread over both APIs."""
    created_at = (timesource.now() - timedelta(hours=5)).isoformat()
    limits = asyncio.Semaphore(16)
    clients = [httpx.AsyncClient(base_url=base, headers=HEADERS, timeout=60) for base in bases]

    async def one(n: int) -> str:
        body = {
            "subject": f"Outage {n}",
            "description": "Checkout is down",
            "priority": "critical",
            "category": "technical",
            "requester_id": requesters[n % len(requesters)],
            "created_at": created_at,
        }
        # As an integrator does: a connection dropped mid-request (a keep-alive race on a
        # busy machine) is retried with the same Idempotency-Key, never making two tickets.
        headers = {"Idempotency-Key": f"scale-out-{n}"}
        for attempt in range(3):
            try:
                async with limits:
                    response = await clients[(n + attempt) % len(clients)].post(
                        "/v1/tickets", json=body, headers=headers
                    )
                break
            except httpx.TransportError:
                if attempt == 2:
                    raise
        assert response.status_code == 201, response.text
        return response.json()["id"]

    try:
        return await asyncio.gather(*(one(n) for n in range(TICKETS)))
    finally:
        for http in clients:
            await http.aclose()


async def settled(app, receiver: Receiver, tickets: int) -> dict:
    """The figures once every breach fired and every delivery was made."""
    queries = {
        "breaches": "SELECT count(*) FROM events WHERE type = 'ticket.sla_breached'",
        "pending": "SELECT count(*) FROM webhook_deliveries WHERE status <> 'delivered'",
        "deliveries": "SELECT count(*) FROM webhook_deliveries",
        "outbox": "SELECT count(*) FROM outbox",
    }
    async with app.state.engine.connect() as connection:
        figures = {
            name: (await connection.execute(sa.text(sql))).scalar_one()
            for name, sql in queries.items()
        }
    figures["received"] = len({r.headers["webhook-id"] for r in receiver.received})
    figures["done"] = (
        figures["breaches"] >= 2 * tickets
        and figures["pending"] == 0
        and figures["outbox"] == 0
        and figures["received"] >= figures["deliveries"]
    )
    return figures


async def test_two_apis_three_workers_one_killed_one_added(client, app):
    receiver = Receiver()
    await receiver.start()
    endpoint = await client.post("/v1/webhook-endpoints", json={"url": receiver.url}, headers=ADMIN)
    assert endpoint.status_code == 201
    tenants = [await make_tenant(client) for _ in range(TENANTS)]
    for _ in range(AGENTS):
        await make_agent(client, role="support_tier1", capacity=CAPACITY)
    for role in ("pm", "senior_pm", "ops_manager", "leadership"):
        await make_agent(client, role=role, capacity=CAPACITY)

    ports = [free_port(), free_port()]
    apis = [start("serve", "--host", "127.0.0.1", "--port", str(port)) for port in ports]
    workers = [start("worker", **WORKER_ENV) for _ in range(3)]
    started = time.monotonic()
    try:
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        for base in bases:
            await wait_until_up(base)
        creating = asyncio.create_task(
            create_tickets(bases, [tenant.contact["id"] for tenant in tenants])
        )
        await asyncio.sleep(2)
        os.killpg(workers[0].pid, signal.SIGKILL)  # mid-run, mid-whatever it was doing
        workers.append(start("worker", **WORKER_ENV))
        ticket_ids = await creating
        created_in = time.monotonic() - started
        deadline = time.monotonic() + float(os.environ.get("SCALE_DEADLINE", 300))
        while not (figures := await settled(app, receiver, len(ticket_ids)))["done"]:
            assert time.monotonic() < deadline, figures
            if os.environ.get("SCALE_DEBUG"):
                print(round(time.monotonic() - started), figures, flush=True)
            await asyncio.sleep(1)
        settled_in = time.monotonic() - started
    finally:
        for process in [*apis, *workers]:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in [*apis, *workers]:
            try:
                process.wait(timeout=40)
            except Exception:
                os.killpg(process.pid, signal.SIGKILL)
        await receiver.stop()

    async with app.state.engine.connect() as connection:
        breaches = Counter(
            (row.ticket_id, row.metric)
            for row in await connection.execute(
                sa.text(
                    "SELECT ticket_id, data ->> 'metric' AS metric FROM events "
                    "WHERE type = 'ticket.sla_breached'"
                )
            )
        )
        overfilled = (
            await connection.execute(
                sa.text(
                    "SELECT a.id FROM agents a LEFT JOIN tickets t ON t.assignee_id = a.id "
                    "AND t.status NOT IN ('resolved', 'closed', 'cancelled') "
                    "GROUP BY a.id, a.capacity, a.open_ticket_count "
                    "HAVING count(t.id) > a.capacity OR count(t.id) <> a.open_ticket_count"
                )
            )
        ).all()
        event_ids = {
            f"evt_{row.id}" for row in await connection.execute(sa.text("SELECT id FROM events"))
        }
    assert set(breaches.values()) == {1}
    assert {metric for _, metric in breaches} == {"first_response", "resolution"}
    assert len(breaches) == 2 * len(ticket_ids)
    assert overfilled == []
    assert event_ids <= {r.headers["webhook-id"] for r in receiver.received}
    print(
        f"\nscale-out: {len(ticket_ids)} tickets over 2 APIs in {created_in:.1f} s; "
        f"{len(event_ids)} events, {figures['deliveries']} deliveries "
        f"({len(receiver.received)} POSTs received, duplicates after the kill allowed), "
        f"{len(breaches)} breaches exactly once; settled {settled_in:.1f} s after start"
    )

"""SIGTERM, as an orchestrator sends it: the API drains, a worker finishes what it holds."""

import asyncio
import os
import signal
import time

import httpx
import sqlalchemy as sa

from app.webhooks.models import WebhookDelivery
from tests.conftest import ADMIN_KEY
from tests.factories import ADMIN, make_tenant, make_ticket
from tests.processes import free_port, start, wait_until_up
from tests.webhooks.receiver import Receiver, Reply


async def test_sigterm_lets_the_api_finish_requests_in_flight(client):
    receiver = Receiver()
    receiver.reply = lambda _: Reply(204, delay=2.0)  # the test ping takes two seconds
    await receiver.start()
    port = free_port()
    api = start("serve", "--host", "127.0.0.1", "--port", str(port), "--grace", "10")
    base = f"http://127.0.0.1:{port}"
    try:
        await wait_until_up(base)
        endpoint = await client.post(
            "/v1/webhook-endpoints", json={"url": receiver.url}, headers=ADMIN
        )
        assert endpoint.status_code == 201
        async with httpx.AsyncClient(base_url=base, timeout=20) as http:
            slow = asyncio.create_task(
                http.post(
                    f"/v1/webhook-endpoints/{endpoint.json()['id']}/test",
                    headers={"Authorization": f"Bearer {ADMIN_KEY}"},
                )
            )
            await receiver.wait_for(lambda got: len(got) == 1)
            api.send_signal(signal.SIGTERM)
            response = await slow
        assert response.status_code == 200, response.text
        assert response.json()["status"] == "delivered"
        # uvicorn drains, then re-raises the signal so the exit status reports it.
        assert api.wait(timeout=15) in (0, -signal.SIGTERM)
        async with httpx.AsyncClient() as http:
            try:
                await http.get(f"{base}/healthz")
                raise AssertionError("the API still answers after shutting down")
            except httpx.ConnectError:
                pass
    finally:
        if api.poll() is None:
            os.killpg(api.pid, signal.SIGKILL)
        await receiver.stop()


async def test_sigterm_lets_a_worker_finish_its_send_and_lose_nothing(client, app):
    receiver = Receiver()
    receiver.reply = lambda _: Reply(204, delay=3.0)
    await receiver.start()
    worker = None
    try:
        created = await client.post(
            "/v1/webhook-endpoints",
            json={"url": receiver.url, "event_types": ["ticket.created"]},
            headers=ADMIN,
        )
        assert created.status_code == 201
        tenant = await make_tenant(client)
        await make_ticket(client, requester=tenant.contact)
        worker = start("worker", SUPPORTDESK_WORKER_WEBHOOKS="true")
        await receiver.wait_for(lambda got: len(got) == 1, within=30)
        stopping = time.monotonic()
        worker.send_signal(signal.SIGTERM)
        assert await asyncio.to_thread(worker.wait, 30) == 0
        assert time.monotonic() - stopping < 25  # within job_completion_wait and a margin
        async with app.state.engine.connect() as connection:
            states = (
                await connection.execute(
                    sa.select(WebhookDelivery.status, WebhookDelivery.attempt_count)
                )
            ).all()
        assert [tuple(row) for row in states] == [("delivered", 1)]
        assert len(receiver.received) == 1
    finally:
        if worker is not None and worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
        await receiver.stop()

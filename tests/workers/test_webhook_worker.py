"""Webhooks from real worker processes: a worker killed mid-send loses nothing."""

import asyncio
import os
import signal
import time

import sqlalchemy as sa

from app.webhooks.models import WebhookDelivery
from tests.factories import ADMIN, make_tenant, make_ticket
from tests.processes import start
from tests.webhooks.receiver import Receiver, Reply

LEASE_SECONDS = 3


def start_worker_process():
    return start(
        "worker",
        SUPPORTDESK_WORKER_WEBHOOKS="true",
        SUPPORTDESK_WEBHOOK_LEASE_SECONDS=str(LEASE_SECONDS),
        SUPPORTDESK_WEBHOOK_TIMEOUT_SECONDS="20",
    )


async def delivery_states(app) -> list[tuple[str, int]]:
    statement = sa.select(WebhookDelivery.status, WebhookDelivery.attempt_count)
    async with app.state.engine.connect() as connection:
        return [(status, count) for status, count in (await connection.execute(statement)).all()]


async def test_worker_killed_mid_send_is_resent_with_the_same_id(client, app):
    receiver = Receiver()
    # The first request hangs (the worker is killed while waiting); later ones succeed.
    receiver.reply = lambda r: Reply(delay=60) if len(receiver.received) == 1 else Reply(204)
    await receiver.start()
    try:
        created = await client.post(
            "/v1/webhook-endpoints",
            json={"url": receiver.url, "event_types": ["ticket.created"]},
            headers=ADMIN,
        )
        assert created.status_code == 201
        tenant = await make_tenant(client)
        ticket = await make_ticket(client, requester=tenant.contact)

        doomed = start_worker_process()
        try:
            await receiver.wait_for(lambda received: len(received) >= 1, within=30)
        finally:
            os.killpg(doomed.pid, signal.SIGKILL)
            doomed.wait()
        assert await delivery_states(app) == [("pending", 1)]

        survivor = start_worker_process()
        try:
            await receiver.wait_for(lambda received: len(received) >= 2, within=30)
            deadline = time.monotonic() + 10
            while await delivery_states(app) != [("delivered", 2)]:
                assert time.monotonic() < deadline, await delivery_states(app)
                await asyncio.sleep(0.2)
        finally:
            survivor.send_signal(signal.SIGTERM)
            survivor.wait(timeout=30)
    finally:
        await receiver.stop()

    first, second = receiver.received[:2]
    assert first.headers["webhook-id"] == second.headers["webhook-id"]
    assert second.json["data"]["ticket"]["id"] == ticket["id"]

"""Fair sending: a worker claims no more for an endpoint or an organization than their free
send slots, so one organization's hanging receivers never take every slot of a worker."""

import asyncio
import time
from collections import Counter

from tests.factories import make_ticket
from tests.webhooks.helpers import (
    create_endpoint,
    eventually,
    pumps_have_looked,
    query,
    sentinel_endpoint,
)
from tests.webhooks.receiver import Received, Receiver

CAPS = {
    "webhook_concurrency": 8,
    "webhook_endpoint_concurrency": 2,
    "webhook_organization_concurrency": 4,
    "webhook_timeout_seconds": 30,
}


class HangingReceiver(Receiver):
    """Answers nothing until released: every request it holds is a send in flight."""

    def __init__(self) -> None:
        super().__init__()
        self.release = asyncio.Event()
        self.open: Counter[str] = Counter()
        self.most_open: Counter[str] = Counter()  # per path, and "" for all paths

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return
        while (await receive()).get("more_body"):
            pass
        path = scope["path"]
        self.received.append(Received(path, {}, b"", time.monotonic()))
        self.arrived.set()
        for key in (path, ""):
            self.open[key] += 1
            self.most_open[key] = max(self.most_open[key], self.open[key])
        try:
            await self.release.wait()
            await send({"type": "http.response.start", "status": 204, "headers": []})
            await send({"type": "http.response.body", "body": b""})
        finally:
            for key in (path, ""):
                self.open[key] -= 1


async def hanging_receiver() -> HangingReceiver:
    server = HangingReceiver()
    await server.start()
    return server


async def stop(server: HangingReceiver) -> None:
    server.release.set()
    await server.stop()


async def holding(server: HangingReceiver, count: int) -> None:
    """Waits until the receiver holds `count` requests."""

    async def check() -> bool:
        return server.open[""] >= count

    await eventually(check)


async def claimed(app, endpoint_ids: list[str]) -> int:
    """Deliveries of these endpoints claimed so far (each claim counts an attempt)."""
    rows = await query(
        app,
        "SELECT count(*) AS n FROM webhook_deliveries "
        "WHERE endpoint_id::text = ANY(:ids) AND attempt_count > 0",
        ids=endpoint_ids,
    )
    return rows[0].n


async def test_hanging_endpoints_of_one_organization_leave_slots_for_another(
    client, app, receiver, pumps, tenant, other_tenant
):
    hanging = await hanging_receiver()
    try:
        slow = [
            await create_endpoint(
                client,
                f"{hanging.url}/{n}",
                tenant.integration_key,
                event_types=["ticket.created"],
            )
            for n in range(3)
        ]
        # A backlog of 3 x 6 = 18 deliveries, more than the worker's 8 slots.
        for _ in range(6):
            await make_ticket(client, requester=tenant.contact)
        await create_endpoint(
            client, receiver.url, other_tenant.integration_key, event_types=["ticket.created"]
        )
        await pumps(1, **CAPS)
        await holding(hanging, 4)

        for _ in range(3):
            ticket = await make_ticket(client, requester=other_tenant.contact)
            await receiver.wait_for(
                lambda got, ticket=ticket: any(
                    r.json["data"]["ticket"]["id"] == ticket["id"] for r in got
                ),
                within=3,
            )

        assert hanging.most_open[""] == 4  # the organization's cap, not the worker's 8
        assert all(hanging.most_open[f"/hooks/{n}"] <= 2 for n in range(3)), hanging.most_open
        # Nothing more of the organization is claimed (leased) than is being sent.
        assert await claimed(app, [endpoint["id"] for endpoint in slow]) == 4
    finally:
        await stop(hanging)


async def test_a_hanging_endpoint_is_claimed_only_up_to_its_free_slots(
    client, app, receiver, pumps, tenant, other_tenant
):
    hanging = await hanging_receiver()
    try:
        endpoint = await create_endpoint(
            client, hanging.url, tenant.integration_key, event_types=["ticket.created"]
        )
        await sentinel_endpoint(client, receiver, other_tenant)
        for _ in range(6):
            await make_ticket(client, requester=tenant.contact)
        await pumps(1, **CAPS)
        await holding(hanging, 2)
        await pumps_have_looked(client, receiver, other_tenant)

        assert hanging.most_open[""] == 2
        # The other four wait unclaimed: no lease, no slot, another worker may take them.
        assert await claimed(app, [endpoint["id"]]) == 2
    finally:
        await stop(hanging)

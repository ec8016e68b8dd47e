"""No outbound HTTP or DNS inside a database transaction: a test ping, and the address check of
creating or changing an endpoint, wait on the network holding no pooled connection, so
requests hanging there cannot starve the rest of the API of connections."""

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from app.config import get_settings
from app.main import create_app
from tests.factories import ADMIN
from tests.problems import assert_problem
from tests.webhooks.helpers import create_endpoint, eventually, query
from tests.webhooks.receiver import Reply

POOL = 3  # connections of the API under test: far fewer than the requests hanging
HANGING = 30
TIMEOUT = 6.0  # seconds a ping waits for the silent receiver
QUICKLY = 2.0  # what "still answers" means while they hang (on today's code: >= TIMEOUT)


class SilentServer:
    """A real TCP server on loopback that accepts connections and never answers."""

    def __init__(self) -> None:
        self.accepted = 0
        self.writers: list[asyncio.StreamWriter] = []
        self.server: asyncio.Server | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.sockets[0].getsockname()[1]}/hooks"

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.accepted += 1
        self.writers.append(writer)  # kept open, never written to

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._accept, "127.0.0.1", 0)

    async def stop(self) -> None:
        for writer in self.writers:
            writer.close()
        assert self.server is not None
        self.server.close()
        await self.server.wait_closed()


@pytest.fixture
async def silent() -> AsyncIterator[SilentServer]:
    server = SilentServer()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def small_app(app, monkeypatch) -> AsyncIterator[Any]:
    """A second API process on the same database, with a pool of POOL connections."""
    settings = get_settings()
    monkeypatch.setattr(settings, "webhook_timeout_seconds", TIMEOUT)
    monkeypatch.setattr(settings, "webhook_manual_sends_per_minute", 0)  # not what is tested
    application = create_app(
        settings.model_copy(update={"db_pool_size": POOL, "db_max_overflow": 0})
    )
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def small_client(small_app) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=small_app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver", timeout=60
    ) as http:
        yield http


@pytest.fixture
async def slow_dns(monkeypatch) -> None:
    """The operating system's resolver, slow for names under `.slow.test` (then loopback):
    a DNS server that takes its time, without a DNS server."""
    loop = asyncio.get_running_loop()
    real = loop.getaddrinfo

    async def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(host, str) and host.endswith(".slow.test"):
            await asyncio.sleep(TIMEOUT / 2)
            host = "127.0.0.1"
        return await real(host, port, *args, **kwargs)

    monkeypatch.setattr(loop, "getaddrinfo", getaddrinfo)


async def _still_answers(client: httpx.AsyncClient, hanging: list[asyncio.Task]) -> None:
    """Other requests get a connection at once while `hanging` are all still waiting."""
    started = time.monotonic()
    listed = await asyncio.wait_for(client.get("/v1/tickets", headers=ADMIN), QUICKLY)
    assert listed.status_code == 200, listed.text
    assert time.monotonic() - started < QUICKLY
    assert not any(task.done() for task in hanging), "the hanging requests ended first"


async def _finish(tasks: list[asyncio.Task]) -> list[httpx.Response]:
    try:
        return await asyncio.gather(*tasks)
    finally:
        for task in tasks:
            task.cancel()


async def test_hanging_test_pings_leave_connections_for_other_requests(
    small_client, silent, tenant
):
    endpoint = await create_endpoint(small_client, silent.url, tenant.integration_key)
    path = f"/v1/webhook-endpoints/{endpoint['id']}/test"
    pings = [
        asyncio.create_task(small_client.post(path, headers=tenant.integration_key))
        for _ in range(HANGING)
    ]

    async def hanging() -> bool:
        return silent.accepted >= POOL

    try:
        await eventually(hanging)
        await _still_answers(small_client, pings)
    finally:
        responses = await _finish(pings)
    for response in responses:
        assert response.status_code == 200, response.text
        delivery = response.json()
        assert delivery["status"] == "failed"
        assert delivery["attempts"][0]["error"].startswith("timed out")
    assert silent.accepted >= 20  # the API's webhook client opens up to 20 at once


async def test_slow_address_checks_leave_connections_for_other_requests(
    small_client, slow_dns, tenant
):
    key = tenant.integration_key
    endpoint = await create_endpoint(small_client, "http://127.0.0.1:9/hooks", key)
    changes = [
        small_client.patch(
            f"/v1/webhook-endpoints/{endpoint['id']}",
            json={"url": f"http://hooks-{n}.slow.test:9/hooks"},
            headers=key,
        )
        for n in range(HANGING // 2)
    ]
    creates = [
        small_client.post(
            "/v1/webhook-endpoints", json={"url": f"http://new-{n}.slow.test:9/x"}, headers=key
        )
        for n in range(10)
    ]
    checks = [asyncio.create_task(request) for request in [*changes, *creates]]
    try:
        await asyncio.sleep(0.5)  # every one is resolving by now
        await _still_answers(small_client, checks)
    finally:
        responses = await _finish(checks)
    assert [r.status_code for r in responses] == [200] * len(changes) + [201] * len(creates)
    listed = await small_client.get("/v1/webhook-endpoints", headers=key)
    assert len(listed.json()["data"]) == 11


async def test_a_test_ping_with_an_idempotency_key_is_sent_once(client, receiver):
    endpoint = await create_endpoint(client, receiver.url)
    path = f"/v1/webhook-endpoints/{endpoint['id']}/test"
    headers = {**ADMIN, "Idempotency-Key": "ping-1"}
    first = await client.post(path, headers=headers)
    again = await client.post(path, headers=headers)
    assert first.status_code == again.status_code == 200, again.text
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert len(receiver.received) == 1


async def test_a_concurrent_duplicate_ping_never_sends_twice(client, receiver):
    receiver.reply = lambda _: Reply(204, delay=1.0)
    endpoint = await create_endpoint(client, receiver.url)
    path = f"/v1/webhook-endpoints/{endpoint['id']}/test"
    headers = {**ADMIN, "Idempotency-Key": "ping-2"}
    responses = await asyncio.gather(*(client.post(path, headers=headers) for _ in range(2)))
    statuses = sorted(response.status_code for response in responses)
    assert statuses in ([200, 200], [200, 409]), statuses
    for response in responses:
        if response.status_code == 409:
            assert "in progress" in assert_problem(response, 409)["detail"]
    assert len(receiver.received) == 1


async def test_a_failed_ping_gives_its_idempotency_key_back(client, app, receiver):
    headers = {**ADMIN, "Idempotency-Key": "ping-3"}
    missing = "/v1/webhook-endpoints/00000000-0000-4000-8000-000000000000/test"
    assert_problem(await client.post(missing, headers=headers), 404)
    assert await query(app, "SELECT * FROM idempotency_keys") == []
    # The key is free: the same request runs afresh (and fails the same way).
    assert_problem(await client.post(missing, headers=headers), 404)


async def test_a_created_endpoint_replays_with_its_secret(client, app):
    headers = {**ADMIN, "Idempotency-Key": "endpoint-2"}
    body = {"url": "http://127.0.0.1:9/hooks"}
    first = await client.post("/v1/webhook-endpoints", json=body, headers=headers)
    again = await client.post("/v1/webhook-endpoints", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json()["secret"] == first.json()["secret"]
    (stored,) = await query(app, "SELECT status_code FROM idempotency_keys")
    assert stored.status_code == 201
    count = await query(app, "SELECT count(*) AS n FROM webhook_endpoints")
    assert count[0].n == 1


async def test_an_address_check_slower_than_the_webhook_timeout_is_422(
    client, slow_dns, monkeypatch
):
    monkeypatch.setattr(get_settings(), "webhook_timeout_seconds", 0.5)
    response = await client.post(
        "/v1/webhook-endpoints", json={"url": "http://hooks.slow.test/x"}, headers=ADMIN
    )
    problem = assert_problem(response, 422)
    assert problem["errors"][0]["field"] == "body.url"
    assert "in time" in problem["errors"][0]["message"]

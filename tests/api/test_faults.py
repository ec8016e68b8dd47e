"""Faults as a client sees them: while the database is unreachable every request answers 503
with Retry-After, /readyz says so within a second, the same process serves again once it is
back, and an unexpected error is a 500 problem that leaves the connection usable.

The database is cut without touching the shared server: the app reaches it through a small
TCP proxy (`Proxy`) that the test can stop, make refuse or stall, and restore."""

import asyncio
import contextlib
import logging
import os
import socket
import time
import uuid
from collections.abc import AsyncIterator
from urllib.parse import urlparse

import asyncpg
import httpx
import pytest
import uvicorn
from fastapi import Request

from tests.factories import ADMIN, make_tenant, make_ticket
from tests.problems import assert_problem
from tests.proxy import Proxy


@pytest.fixture
async def proxy() -> AsyncIterator[Proxy]:
    parsed = urlparse(os.environ["SUPPORTDESK_DATABASE_URL"])
    server = Proxy(parsed.hostname or "127.0.0.1", parsed.port or 5432)
    await server.start()
    yield server
    await server.close()


@contextlib.asynccontextmanager
async def serving(**overrides: str):
    """An app of its own (its own pool) with these settings, started."""
    from app.config import get_settings
    from app.main import create_app

    application = create_app(get_settings().model_copy(update=overrides))
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def http(app, proxy) -> AsyncIterator[httpx.AsyncClient]:
    """A client of an app whose database is behind the proxy; an exception that escaped the
    app would raise here."""
    async with serving(database_url=proxy.url(os.environ["SUPPORTDESK_DATABASE_URL"])) as proxied:
        transport = httpx.ASGITransport(app=proxied)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client


def assert_outage(response: httpx.Response) -> dict:
    problem = assert_problem(response, 503, "unavailable")
    assert 1 <= int(response.headers["Retry-After"]) <= 5, response.headers
    return problem


def create(http: httpx.AsyncClient, requester: dict, key: str | None = None):
    headers = {**ADMIN, **({"Idempotency-Key": key} if key else {})}
    body = {"subject": "Checkout fails", "description": "d", "requester_id": requester["id"]}
    return http.post("/v1/tickets", json=body, headers=headers)


async def ticket_count(http: httpx.AsyncClient) -> int:
    response = await http.get("/v1/tickets", params={"limit": 100}, headers=ADMIN)
    assert response.status_code == 200, response.text
    return len(response.json()["data"])


@pytest.mark.parametrize("mode", ["refused", "starting"])
async def test_an_outage_answers_503_with_retry_after_and_the_same_app_serves_after_it(
    http, proxy, mode
):
    tenant = await make_tenant(http)
    ticket = await make_ticket(http, requester=tenant.contact)

    await proxy.cut(mode)
    for response in (
        await create(http, tenant.contact),
        await create(http, tenant.contact, key=str(uuid.uuid4())),
        await http.get(f"/v1/tickets/{ticket['id']}", headers=ADMIN),
        await http.get("/v1/tickets", headers=ADMIN),
        await http.get(f"/v1/organizations/{tenant.organization['id']}", headers=ADMIN),
        await http.post("/v1/organizations", json={"name": "Down"}, headers=ADMIN),
    ):
        problem = assert_outage(response)
        assert "nothing was changed" in problem["detail"], problem

    await proxy.restore()
    assert (await create(http, tenant.contact)).status_code == 201
    fetched = await http.get(f"/v1/tickets/{ticket['id']}", headers=ADMIN)
    assert fetched.status_code == 200, fetched.text
    assert await ticket_count(http) == 2


async def test_connections_the_server_dropped_are_replaced_without_a_failed_request(http, proxy):
    tenant = await make_tenant(http)
    ticket = await make_ticket(http, requester=tenant.contact)

    def mixed(n: int):
        return [
            create(http, tenant.contact)
            if i % 2
            else http.get(f"/v1/tickets/{ticket['id']}", headers=ADMIN)
            for i in range(n)
        ]

    for response in await asyncio.gather(*mixed(8)):  # several connections in the pool
        assert response.status_code in (200, 201), response.text

    for _ in range(2):
        proxy.drop_all()  # a restart that is over: every pooled connection is dead
        await asyncio.sleep(0.2)
        for response in [await create(http, tenant.contact), *await asyncio.gather(*mixed(8))]:
            assert response.status_code in (200, 201), response.text
    assert await ticket_count(http) == 1 + 4 + 2 * (1 + 4)

    # Dropped at once, unseen: a read may go out on a dead connection; it is run again.
    proxy.drop_all()
    fetched = await http.get(f"/v1/tickets/{ticket['id']}", headers=ADMIN)
    assert fetched.status_code == 200, fetched.text


async def test_a_create_whose_commit_reply_was_lost_may_be_retried_with_its_key(http, proxy):
    tenant = await make_tenant(http)
    key = str(uuid.uuid4())

    proxy.lose_reply_to(b"COMMIT")
    problem = assert_outage(await create(http, tenant.contact, key=key))
    assert "may or may not" in problem["detail"], problem
    assert "same Idempotency-Key is safe" in problem["detail"], problem

    retried = await create(http, tenant.contact, key=key)
    assert retried.status_code == 201, retried.text
    assert retried.headers.get("Idempotent-Replayed") == "true"  # it had committed
    assert await ticket_count(http) == 1


async def test_a_create_without_a_key_whose_reply_was_lost_is_not_called_safe_to_retry(http, proxy):
    tenant = await make_tenant(http)
    await proxy.cut()
    await proxy.restore()  # new connections: the insert's text goes out with it

    proxy.lose_reply_to(b"INSERT INTO tickets")
    problem = assert_outage(await create(http, tenant.contact))
    assert "may or may not" in problem["detail"], problem
    assert "is safe" not in problem["detail"] and "nothing was changed" not in problem["detail"]
    assert await ticket_count(http) <= 1


@pytest.mark.parametrize(("minutes_ago", "status"), [(1, 409), (11, 201)])
async def test_a_key_a_detached_request_could_not_give_back_is_free_after_ten_minutes(
    app, client, minutes_ago, status
):
    """A DetachedRoute commits its claim before its work and gives the key back if the work
    fails; while the database is down, giving it back fails too. The claim left behind keeps
    retries at 409 ("still in progress") for a while, not for the key's 24 hours."""
    import hashlib
    from datetime import timedelta

    import sqlalchemy as sa

    from app import timesource
    from app.idempotency import IdempotencyRecord

    path, body = "/v1/webhook-endpoints", b'{"url": "http://127.0.0.1:9/hooks"}'
    key = str(uuid.uuid4())
    async with app.state.engine.begin() as connection:
        await connection.execute(
            sa.insert(IdempotencyRecord.__table__).values(
                id=uuid.uuid4(),
                owner=hashlib.sha256(ADMIN["Authorization"].encode()).digest(),
                key=key,
                request_hash=hashlib.sha256(b"POST " + path.encode() + b"\n" + body).digest(),
                created_at=timesource.now() - timedelta(minutes=minutes_ago),
            )
        )
    headers = {**ADMIN, "Idempotency-Key": key, "Content-Type": "application/json"}
    response = await client.post(path, content=body, headers=headers)
    assert response.status_code == status, response.text


def _dbapi(kind, cause: Exception, invalidated: bool = False) -> Exception:
    orig = Exception(str(cause))
    orig.__cause__ = cause
    return kind("SELECT 1", None, orig, connection_invalidated=invalidated)


def _unreachable_cases():
    import asyncpg
    from sqlalchemy import exc

    from app.db import Unreachable

    closed = asyncpg.InterfaceError("connection is closed")
    return [
        (Unreachable("cannot connect"), True),
        (exc.TimeoutError("QueuePool limit of size 10 overflow 20 reached"), True),
        (_dbapi(exc.InterfaceError, closed, invalidated=True), True),
        (_dbapi(exc.DBAPIError, asyncpg.ConnectionDoesNotExistError("closed"), True), True),
        (_dbapi(exc.OperationalError, asyncpg.AdminShutdownError("terminating")), True),
        (asyncpg.CannotConnectNowError("the database system is starting up"), True),
        (ExceptionGroup("one", [Unreachable("cannot connect")]), True),
        (_dbapi(exc.IntegrityError, asyncpg.UniqueViolationError("duplicate")), False),
        (_dbapi(exc.DBAPIError, asyncpg.QueryCanceledError("statement timeout")), False),
        # An OSError counts only from connecting to the database (Unreachable's cause): a
        # file or a webhook that fails is no database outage.
        (ConnectionRefusedError(111, "refused"), False),
        (ValueError("a bug"), False),
    ]


@pytest.mark.parametrize(
    ("error", "expected"), _unreachable_cases(), ids=lambda value: type(value).__name__
)
def test_what_counts_as_the_database_being_unreachable(error, expected):
    from app.db import unreachable

    assert unreachable(error) is expected


async def poll_readiness(http: httpx.AsyncClient, status: int) -> tuple[float, dict]:
    """Seconds until /readyz answers `status`, and its body; every answer comes fast."""
    started = time.monotonic()
    while True:
        asked = time.monotonic()
        response = await http.get("/readyz")
        assert time.monotonic() - asked < 2.0, "a readiness probe must answer within ~1 s"
        if response.status_code == status:
            return time.monotonic() - started, response.json()
        assert time.monotonic() - started < 3.0, response.text
        await asyncio.sleep(0.05)


@pytest.mark.parametrize("mode", ["refused", "silent"])
async def test_readiness_names_postgres_within_a_second_of_an_outage_and_of_its_end(
    http, proxy, mode
):
    assert (await http.get("/readyz")).status_code == 200

    await proxy.cut(mode)
    _, body = await poll_readiness(http, 503)
    assert body["status"] == "unavailable"
    assert body["checks"]["postgres"].startswith("failing"), body
    assert body["checks"]["redis"] == "ok", body

    await proxy.restore()
    _, body = await poll_readiness(http, 200)
    assert body["checks"]["postgres"] == "ok"


async def test_readiness_names_redis_when_it_is_down(app):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        nothing_there = probe.getsockname()[1]
    async with serving(redis_url=f"redis://127.0.0.1:{nothing_there}/0") as application:
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            _, body = await poll_readiness(http, 503)
    assert body["checks"]["postgres"] == "ok", body
    assert body["checks"]["redis"].startswith("failing"), body


async def test_an_outage_is_logged_once_for_all_its_503s_and_once_when_it_is_over(
    http, proxy, caplog, monkeypatch
):
    from app import jobs

    monkeypatch.setattr(jobs.DATABASE, "since", None)
    monkeypatch.setattr(jobs.Outage, "QUIET_SECONDS", 0.0)
    assert (await http.get("/v1/tickets", headers=ADMIN)).status_code == 200

    await proxy.cut("refused")
    caplog.set_level(logging.WARNING)
    for _ in range(5):
        assert_outage(await http.get("/v1/tickets", headers=ADMIN))
    await proxy.restore()
    assert (await http.get("/v1/tickets", headers=ADMIN)).status_code == 200

    logged = [r.getMessage() for r in caplog.records if r.name.startswith("supportdesk")]
    assert len(logged) == 2, logged
    assert logged[0].startswith("the database is unreachable (")
    assert "503" in logged[0]
    assert logged[1].startswith("the database is reachable again after")


async def test_metrics_answer_through_an_outage_which_is_logged_once_without_a_traceback(
    http, proxy, caplog, monkeypatch
):
    from app import jobs, queue_depth

    monkeypatch.setattr(jobs.DATABASE, "since", None)
    monkeypatch.setattr(queue_depth, "MIN_INTERVAL", 0.0)  # every scrape asks the database
    assert (await http.get("/metrics")).status_code == 200

    await proxy.cut("refused")
    caplog.set_level(logging.WARNING)
    for _ in range(3):
        scraped = await http.get("/metrics")
        assert scraped.status_code == 200, scraped.text
        assert 'supportdesk_queue_depth{queue="outbox",state="ready"}' in scraped.text
    await proxy.restore()
    assert (await http.get("/metrics")).status_code == 200

    logged = [r for r in caplog.records if r.name.startswith("supportdesk")]
    assert [r.getMessage().split(" (")[0] for r in logged] == ["the database is unreachable"]
    assert logged[0].exc_info is None


async def test_a_request_that_gets_no_connection_in_time_answers_503_and_changes_nothing(app):
    settings = {"db_pool_size": 1, "db_max_overflow": 0, "db_pool_timeout_seconds": 0.5}
    async with serving(**settings) as application:
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            tenant = await make_tenant(http)
            ticket = await make_ticket(http, requester=tenant.contact)
            dsn = os.environ["SUPPORTDESK_DATABASE_URL"].replace("+asyncpg", "")
            locker = await asyncpg.connect(dsn)
            holding = locker.transaction()
            await holding.start()
            await locker.execute("SELECT 1 FROM tickets WHERE id = $1 FOR UPDATE", ticket["id"])
            # The pool's one connection waits on the row lock with this change.
            change = {"priority": "high"}
            path = f"/v1/tickets/{ticket['id']}"
            waiting = asyncio.create_task(http.patch(path, json=change, headers=ADMIN))
            await asyncio.sleep(0.3)

            started = time.monotonic()
            refused = await create(http, tenant.contact)
            problem = assert_outage(refused)
            assert "nothing was changed" in problem["detail"], problem
            assert time.monotonic() - started < 3

            await holding.rollback()
            await locker.close()
            assert (await waiting).status_code == 200
            assert await ticket_count(http) == 1


@contextlib.asynccontextmanager
async def real_server(application) -> AsyncIterator[str]:
    """Uvicorn serving the app on a free port, in this process (its logs reach caplog)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    config = uvicorn.Config(application, log_config=None, lifespan="on")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[listener]))
    try:
        while not server.started:
            assert not task.done(), "uvicorn did not start"
            await asyncio.sleep(0.02)
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        server.should_exit = True
        await task
        listener.close()


class FailsOutsideEverything:
    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and scope["path"] == "/test/outer-boom":
            raise RuntimeError("a bug in the outermost middleware")
        await self.app(scope, receive, send)


async def test_an_unexpected_error_is_a_500_problem_with_the_request_id_on_a_live_connection(
    app, caplog
):
    from app.config import get_settings
    from app.main import create_app

    application = create_app(get_settings())

    async def peer(request: Request) -> dict:
        return {"port": request.client.port}

    async def boom() -> None:
        raise RuntimeError("a bug, with a secret in its message: hunter2")

    async def database_gone() -> None:
        from app.db import Unreachable

        raise Unreachable("outside any unit of work")

    application.add_api_route("/test/peer", peer)
    application.add_api_route("/test/boom", boom)
    application.add_api_route("/test/database-gone", database_gone)

    # Outside RequestIdMiddleware and Metrics: only Starlette's ServerErrorMiddleware is left.
    application.add_middleware(FailsOutsideEverything)

    caplog.set_level(logging.INFO)
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with (
        real_server(application) as base,
        httpx.AsyncClient(base_url=base, limits=limits) as client,
    ):
        created = await client.post(
            "/v1/webhook-endpoints", json={"url": "http://127.0.0.1:9/hooks"}, headers=ADMIN
        )
        assert created.status_code == 201, created.text
        port = (await client.get("/test/peer")).json()["port"]

        failed = await client.get("/test/boom", headers={"X-Request-ID": "trace-me-42"})
        problem = assert_problem(failed, 500, "internal")
        assert failed.headers["X-Request-ID"] == problem["request_id"] == "trace-me-42"
        assert "hunter2" not in failed.text and "Traceback" not in failed.text
        assert (await client.get("/test/peer")).json()["port"] == port

        made_up = await client.get("/test/boom")
        assert assert_problem(made_up, 500)["request_id"] == made_up.headers["X-Request-ID"]

        deliveries = f"/v1/webhook-endpoints/{created.json()['id']}/deliveries"
        nul = await client.get(deliveries, params={"event_type": "\x00"}, headers=ADMIN)
        assert_problem(nul, 422)
        assert (await client.get("/test/peer")).json()["port"] == port

        assert_outage(await client.get("/test/database-gone"))
        assert (await client.get("/test/peer")).json()["port"] == port

        outer = await client.get("/test/outer-boom")
        assert_problem(outer, 500, "internal")
        assert (await client.get("/test/peer")).json()["port"] == port

    messages = [record.getMessage() for record in caplog.records]
    assert not [m for m in messages if "Exception in ASGI application" in m], messages
    logged = [r for r in caplog.records if r.exc_info and "/test/boom" in r.getMessage()]
    assert len(logged) == 2, messages  # once per failed request, with its traceback
    assert len([r for r in caplog.records if r.exc_info and "outer-boom" in r.getMessage()]) == 1

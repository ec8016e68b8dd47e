"""Test setup: real PostgreSQL and Redis (embedded ones when none answers), migrated once.

SUPPORTDESK_TEST_DATABASE_URL / SUPPORTDESK_TEST_REDIS_URL choose the servers. Each run
creates its own database (the named one with the process id appended), migrates it from empty
with `alembic upgrade head`, and drops it at the end.
"""

import asyncio
import os
import shutil
import socket
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

DEFAULT_DATABASE = "postgresql+asyncpg://postgres@127.0.0.1:5432/supportdesk_test"
DEFAULT_REDIS = "redis://127.0.0.1:6379/15"
ADMIN_KEY = "test-admin-key-" + "x" * 24
# The API and workers refuse to start without real secret keys; processes tests start inherit it.
SECRET_KEYS = "test-secret-key-" + "s" * 24
_embedded: list = []


def _answers(url: str, default_port: int) -> bool:
    parsed = urlparse(url.replace("+asyncpg", ""))
    if not parsed.hostname:
        return True  # a Unix socket: trust the configuration
    try:
        with socket.create_connection((parsed.hostname, parsed.port or default_port), timeout=2):
            return True
    except OSError:
        return False


def _database_url() -> str:
    url = os.environ.get("SUPPORTDESK_TEST_DATABASE_URL", DEFAULT_DATABASE)
    if _answers(url, 5432):
        return url
    from app.embedded import EmbeddedPostgres

    server = EmbeddedPostgres(Path(".supportdesk/test-postgres").resolve())
    _embedded.append(server)
    return server.url("supportdesk_test")


def _redis_url() -> str:
    url = os.environ.get("SUPPORTDESK_TEST_REDIS_URL", DEFAULT_REDIS)
    if _answers(url, 6379):
        return url
    from app.embedded import EmbeddedRedis

    server = EmbeddedRedis(Path(".supportdesk/test-redis").resolve())
    _embedded.append(server)
    return server.url(15)


async def _recreate_database(url: str) -> None:
    import asyncpg

    parsed = urlparse(url.replace("postgresql+asyncpg", "postgresql"))
    database = parsed.path.lstrip("/")
    maintenance = parsed._replace(path="/postgres").geturl()
    connection = await asyncpg.connect(maintenance)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        await connection.execute(f'CREATE DATABASE "{database}"')
    finally:
        await connection.close()


def _private(url: str) -> str:
    """A database of this run's own, so concurrent runs on one server cannot collide."""
    parsed = urlparse(url)
    return parsed._replace(path=f"{parsed.path}_{os.getpid()}").geturl()


def pytest_configure(config: pytest.Config) -> None:
    database_url, redis_url = _private(_database_url()), _redis_url()
    os.environ.update(
        SUPPORTDESK_DATABASE_URL=database_url,
        SUPPORTDESK_REDIS_URL=redis_url,
        SUPPORTDESK_ADMIN_KEY=ADMIN_KEY,
        SUPPORTDESK_SECRET_KEYS=SECRET_KEYS,
        SUPPORTDESK_WEBHOOK_ALLOWED_NETWORKS="127.0.0.0/8",
        SUPPORTDESK_API_KEY_CACHE_SECONDS="0",
        # Tests run webhook pumps themselves; worker processes they start turn it back on.
        SUPPORTDESK_WORKER_WEBHOOKS="false",
        # No API-wide budget, so no test is throttled by the others; tests/test_api_rate_limit.py
        # turns it on for its own apps.
        SUPPORTDESK_API_RATE_LIMIT_PER_MINUTE="0",
        SUPPORTDESK_API_RATE_LIMIT_PER_MINUTE_ANONYMOUS="0",
        # This run's own folder (the S3 storage tests start an S3-compatible server).
        SUPPORTDESK_STORAGE_URL=f"file://{Path(f'.supportdesk/test-attachments-{os.getpid()}').resolve()}",
    )
    asyncio.run(_recreate_database(database_url))
    from app.cli import migrate

    migrate(database_url)


async def _drop_database(url: str) -> None:
    import asyncpg

    parsed = urlparse(url.replace("postgresql+asyncpg", "postgresql"))
    connection = await asyncpg.connect(parsed._replace(path="/postgres").geturl())
    try:
        await connection.execute(
            f'DROP DATABASE IF EXISTS "{parsed.path.lstrip("/")}" WITH (FORCE)'
        )
    finally:
        await connection.close()


def pytest_unconfigure(config: pytest.Config) -> None:
    url = os.environ.get("SUPPORTDESK_DATABASE_URL")
    if url:
        asyncio.run(_drop_database(url))
    for server in reversed(_embedded):
        server.stop()
    storage = os.environ.get("SUPPORTDESK_STORAGE_URL", "")
    if storage.startswith("file://") and "test-attachments-" in storage:
        shutil.rmtree(storage.removeprefix("file://"), ignore_errors=True)


MUTABLE_TABLES = (
    "api_keys, organizations, contacts, agents, tickets, comments, events, outbox, "
    "idempotency_keys, ticket_clocks, sla_firings, sla_recompute_requests, agent_time_off, "
    "escalations, pm_change_requests, webhook_endpoints, webhook_deliveries, webhook_attempts, "
    "inbound_messages, notifications, attachments, conversations, report_changes, report_builds, "
    "report_rollups"
)


@pytest.fixture(scope="session")
async def app():
    from app.main import create_app

    application = create_app()
    async with application.router.lifespan_context(application):
        yield application


async def _reset_policies(connection) -> None:
    import sqlalchemy as sa

    from app import timesource
    from app.sla.models import SlaPolicyRow
    from app.sla.policy import default_table

    await connection.execute(sa.delete(SlaPolicyRow))
    await connection.execute(
        sa.insert(SlaPolicyRow),
        [
            {
                "plan": row.plan,
                "priority": row.priority,
                "metric": row.metric.value,
                "clock": row.clock.value,
                "target_minutes": row.target_minutes,
                "after_hours_minutes": row.after_hours_minutes,
                "closed_day_minutes": row.closed_day_minutes,
                "at_risk_percent": row.at_risk_percent,
                "updated_at": timesource.now(),
            }
            for row in default_table()
        ],
    )


@pytest.fixture(autouse=True)
async def clean_state(request: pytest.FixtureRequest) -> AsyncIterator[None]:
    """Every test starts from the migrated database and an empty Redis."""
    if "app" not in request.fixturenames:
        yield
        return
    application = request.getfixturevalue("app")
    import sqlalchemy as sa

    from app import timesource

    async with application.state.engine.begin() as connection:
        await connection.execute(sa.text(f"TRUNCATE {MUTABLE_TABLES} RESTART IDENTITY CASCADE"))
        await connection.execute(sa.text("DELETE FROM calendars WHERE NOT is_default"))
        await connection.execute(sa.text("UPDATE feed_state SET last_position = 0"))
        await connection.execute(sa.text("UPDATE mail_state SET last_position = 0"))
        await _reset_policies(connection)
    await application.state.redis.flushdb()
    yield
    timesource.set_source(None)


@pytest.fixture(scope="session")
def conformance(app):
    from tests.spec_conformance import SpecConformance

    return SpecConformance(app.openapi())


@pytest.fixture
async def client(app, conformance):
    """The app over ASGI; every answer is checked against the spec (tests/spec_conformance)."""
    import httpx

    transport = httpx.ASGITransport(app=app)
    hooks = {"response": [conformance]}
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver", event_hooks=hooks
    ) as http:
        yield http


pytest_plugins = ["tests.factories"]

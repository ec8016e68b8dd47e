"""The API-wide request budget: per key or per address, in Redis, with RateLimit-* headers."""

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from redis.asyncio import Redis
from starlette.middleware import Middleware
from starlette.types import Message

from app.config import Settings
from app.main import create_app
from app.middleware import BodyLimit
from app.ratelimit import Budget, RateLimiter
from app.ratelimit_api import ApiRateLimit
from tests.factories import ADMIN
from tests.intake.widget_helpers import browser_client, random_address, unflushed_redis_url
from tests.problems import assert_problem

FIELDS = ("ratelimit-limit", "ratelimit-remaining", "ratelimit-reset")


def with_api_budget(application: FastAPI, settings: Settings) -> None:
    """The middleware where app/main.py wires it (inside the request id and the metrics),
    unless the app has it already."""
    stack = application.user_middleware
    if any(entry.cls is ApiRateLimit for entry in stack):
        return
    position = next(n for n, entry in enumerate(stack) if entry.cls is BodyLimit)
    stack.insert(position, Middleware(ApiRateLimit, settings=settings))


@asynccontextmanager
async def api_process(**fields: Any) -> AsyncIterator[FastAPI]:
    """Another API process in all but the process, with the API budget on; its Redis is the
    test's, flushed before every test."""
    settings = Settings(
        **{"api_rate_limit_per_minute": 5, "api_rate_limit_per_minute_anonymous": 3, **fields}
    )
    application = create_app(settings)
    with_api_budget(application, settings)
    async with application.router.lifespan_context(application):
        yield application


def budget_of(response: httpx.Response) -> tuple[int, int, int]:
    """RateLimit-Limit, -Remaining and -Reset."""
    limit, remaining, reset = (int(response.headers[name]) for name in FIELDS)
    return limit, remaining, reset


def unlimited(response: httpx.Response) -> bool:
    return not any(name in response.headers for name in FIELDS)


async def test_every_answer_says_what_is_left_of_the_budget(client):
    async with (
        api_process(api_rate_limit_per_minute=5) as application,
        browser_client(application) as http,
    ):
        responses = [
            await http.get("/v1/tickets", headers=ADMIN),
            await http.get(f"/v1/tickets/{uuid.uuid4()}", headers=ADMIN),
            await http.post("/v1/tickets", json={}, headers=ADMIN),
        ]
    assert [response.status_code for response in responses] == [200, 404, 422]
    budgets = [budget_of(response) for response in responses]
    assert [(limit, remaining) for limit, remaining, _ in budgets] == [(5, 4), (5, 3), (5, 2)]
    # One request's worth comes back every 12 s: full again after 12, 24, 36 s.
    assert all(1 <= reset <= 60 for _, _, reset in budgets)
    assert budgets[0][2] <= budgets[1][2] <= budgets[2][2]


async def test_a_request_over_the_budget_is_refused_and_changes_nothing(client, tenant):
    body = {"subject": "Checkout fails", "description": "Card payments error."}
    body["requester_id"] = tenant.contact["id"]
    async with (
        api_process(api_rate_limit_per_minute=2) as application,
        browser_client(application) as http,
    ):
        responses = [
            await http.post(
                "/v1/tickets", json=body, headers={**ADMIN, "X-Request-ID": f"budget-{n}"}
            )
            for n in range(3)
        ]
    assert [response.status_code for response in responses] == [201, 201, 429]
    refused = responses[2]
    problem = assert_problem(refused, 429, "rate-limited")
    assert "Too many requests for this API key (at most 2 a minute)" in problem["detail"]
    assert 1 <= int(refused.headers["Retry-After"]) <= 30
    assert budget_of(refused)[:2] == (2, 0)
    assert refused.headers["X-Request-ID"] == "budget-2"
    listed = (await client.get("/v1/tickets", headers=ADMIN)).json()["data"]
    assert len(listed) == 2


async def test_each_key_has_its_own_budget(client, tenant, other_tenant):
    async with (
        api_process(api_rate_limit_per_minute=1) as application,
        browser_client(application) as http,
    ):
        first = await http.get("/v1/tickets", headers=tenant.integration_key)
        again = await http.get("/v1/tickets", headers=tenant.integration_key)
        other = await http.get("/v1/tickets", headers=other_tenant.integration_key)
    assert [first.status_code, again.status_code, other.status_code] == [200, 429, 200]
    assert budget_of(other)[:2] == (1, 0)


async def test_requests_without_a_key_are_limited_per_address(client):
    alice, bob = random_address(), random_address()
    async with api_process(api_rate_limit_per_minute_anonymous=2) as application:
        async with browser_client(application, alice) as http:
            anonymous = [await http.get("/v1/tickets") for _ in range(3)]
            keyed = await http.get("/v1/tickets", headers=ADMIN)
        async with browser_client(application, bob) as http:
            elsewhere = await http.get("/v1/tickets")
    assert [response.status_code for response in anonymous] == [401, 401, 429]
    assert [budget_of(response)[:2] for response in anonymous] == [(2, 1), (2, 0), (2, 0)]
    assert "Too many requests for this address" in assert_problem(anonymous[2], 429)["detail"]
    assert (keyed.status_code, budget_of(keyed)[:2]) == (200, (5, 4))
    assert (elsewhere.status_code, budget_of(elsewhere)[:2]) == (401, (2, 1))


async def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_budget(client):
    proxy = f"192.0.2.{uuid.uuid4().int % 250 + 1}"
    alice, bob = random_address(), random_address()
    async with (
        api_process(api_rate_limit_per_minute_anonymous=1, trusted_proxies="192.0.2.0/24") as app_,
        browser_client(app_, proxy) as http,
    ):
        statuses = [
            (await http.get("/v1/tickets", headers={"X-Forwarded-For": who})).status_code
            for who in (alice, bob, f"{bob}, {alice}")
        ]
    assert statuses == [401, 401, 429]


async def test_health_metrics_and_the_docs_are_not_limited(client):
    async with (
        api_process(api_rate_limit_per_minute_anonymous=1) as application,
        browser_client(application) as http,
    ):
        responses = [
            await http.get(path)
            for path in ("/healthz", "/healthz", "/readyz", "/metrics", "/openapi.json", "/docs")
        ]
    assert [response.status_code for response in responses] == [200] * 6
    assert all(unlimited(response) for response in responses)


async def open_stream(application: FastAPI, headers: dict[str, str]) -> Message:
    """Opens GET /v1/stream over ASGI and hangs up once it has started; its start message."""
    started = asyncio.Event()
    sent: list[Message] = []
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/v1/stream",
        "raw_path": b"/v1/stream",
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"desk.example")]
        + [(name.lower().encode(), value.encode()) for name, value in headers.items()],
        "client": (random_address(), 50123),
        "server": ("desk.example", 80),
    }
    requested = False

    async def receive() -> Message:
        nonlocal requested
        if not requested:
            requested = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await started.wait()
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        sent.append(message)
        if message["type"] == "http.response.start":
            started.set()

    await asyncio.wait_for(application(scope, receive, send), timeout=15)
    return sent[0]


async def test_the_event_stream_spends_one_request_when_opened(client):
    async with api_process(api_rate_limit_per_minute=2) as application:
        start = await open_stream(application, ADMIN)
        async with browser_client(application) as http:
            after = [await http.get("/v1/tickets", headers=ADMIN) for _ in range(2)]
    headers = {name.decode(): value.decode() for name, value in start["headers"]}
    assert start["status"] == 200
    assert (headers["ratelimit-limit"], headers["ratelimit-remaining"]) == ("2", "1")
    assert [response.status_code for response in after] == [200, 429]


async def test_when_redis_is_down_requests_pass_without_the_headers(caplog):
    down = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    with caplog.at_level(logging.WARNING, logger="supportdesk.ratelimit"):
        async with (
            api_process(redis_url=down, api_rate_limit_per_minute=1) as application,
            browser_client(application) as http,
        ):
            responses = [await http.get("/v1/tickets", headers=ADMIN) for _ in range(3)]
    assert [response.status_code for response in responses] == [200] * 3
    assert all(unlimited(response) for response in responses)
    warnings = [record for record in caplog.records if record.name == "supportdesk.ratelimit"]
    assert len(warnings) == 1
    assert "not enforced" in warnings[0].getMessage()


async def test_a_zero_limit_is_no_limit_and_no_headers(client):
    async with (
        api_process(api_rate_limit_per_minute=0, api_rate_limit_per_minute_anonymous=1) as app_,
        browser_client(app_) as http,
    ):
        keyed = [await http.get("/v1/tickets", headers=ADMIN) for _ in range(3)]
        anonymous = await http.get("/v1/tickets")
    assert [response.status_code for response in keyed] == [200] * 3
    assert all(unlimited(response) for response in keyed)
    assert budget_of(anonymous)[:2] == (1, 0)  # the other budget is still on


async def test_two_app_instances_share_one_budget(client):
    async with (
        api_process(api_rate_limit_per_minute=4) as first,
        api_process(api_rate_limit_per_minute=4) as second,
    ):
        responses = []
        for application in (first, second, first, second, first, second):
            async with browser_client(application) as http:
                responses.append(await http.get("/v1/tickets", headers=ADMIN))
    assert [response.status_code for response in responses] == [200] * 4 + [429] * 2
    assert [budget_of(response)[1] for response in responses] == [3, 2, 1, 0, 0, 0]


async def test_the_tests_own_apps_have_no_api_budget(client):
    """The suite runs unthrottled (tests/conftest.py turns the budget off)."""
    settings = Settings()
    assert settings.api_rate_limit_per_minute == settings.api_rate_limit_per_minute_anonymous == 0
    response = await client.get("/v1/tickets", headers=ADMIN)
    assert response.status_code == 200 and unlimited(response)


# --- what the limiter reports ---------------------------------------------------------------------


@pytest.fixture
async def redis() -> AsyncIterator[Redis]:
    client = Redis.from_url(unflushed_redis_url())
    yield client
    await client.aclose()


async def test_the_limiter_counts_down_to_exactly_the_limit(redis):
    limiter = RateLimiter(redis)
    budget = Budget("key", f"test:{uuid.uuid4()}", 7)  # 60 s is not a multiple of 7 requests
    verdicts = [await limiter.spend([budget]) for _ in range(8)]
    assert [verdict.allowed for verdict in verdicts] == [True] * 7 + [False]
    assert [verdict.remaining for verdict in verdicts] == [6, 5, 4, 3, 2, 1, 0, 0]
    assert verdicts[0].reset == 9  # one request's worth is 8.572 s
    assert all(60 <= verdict.reset <= 61 for verdict in verdicts[6:])
    assert 1 <= verdicts[7].retry_after <= 9


async def test_the_limiter_reports_the_tightest_budget(redis):
    limiter = RateLimiter(redis)
    wide, narrow = (Budget("key", f"test:{uuid.uuid4()}", limit) for limit in (100, 3))
    verdict = await limiter.spend([wide, narrow])
    assert (verdict.allowed, verdict.remaining, verdict.reset) == (True, 2, 20)

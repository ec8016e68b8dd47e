"""Widget budgets per client address and per key: atomic in Redis, shared by API processes."""

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from ipaddress import ip_network
from typing import Any

import pytest
from fastapi import FastAPI
from redis.asyncio import Redis

from app.config import Settings
from app.main import create_app
from app.ratelimit import PREFIX, Budget, RateLimiter, client_ip, ip_bucket
from tests.intake.widget_helpers import (
    ORIGIN,
    browser_client,
    make_widget_key,
    random_address,
    unflushed_redis_url,
    widget_headers,
    widget_request,
)
from tests.problems import assert_problem

URL = "/v1/intake/widget"
PROXIES = [ip_network("192.0.2.0/24"), ip_network("2001:db8:100::/48")]


# --- who the client is -------------------------------------------------------------------------


def test_a_direct_client_is_the_socket_peer_whatever_it_claims():
    assert client_ip("203.0.113.9", ["198.51.100.1"], PROXIES) == "203.0.113.9"
    assert client_ip("203.0.113.9", ["198.51.100.1"], []) == "203.0.113.9"


def test_behind_a_trusted_proxy_the_client_is_the_right_most_untrusted_address():
    forwarded = ["198.51.100.1, 203.0.113.50", "192.0.2.7"]
    assert client_ip("192.0.2.1", forwarded, PROXIES) == "203.0.113.50"


def test_addresses_a_client_prepends_do_not_count():
    # The client sent "X-Forwarded-For: 1.1.1.1"; our proxy appended the real peer.
    assert client_ip("192.0.2.1", ["1.1.1.1, 203.0.113.50"], PROXIES) == "203.0.113.50"


def test_only_proxies_in_the_chain_is_the_left_most_of_them():
    assert client_ip("192.0.2.1", ["192.0.2.9, 192.0.2.8"], PROXIES) == "192.0.2.9"


def test_garbage_stops_the_walk_at_the_last_trusted_hop():
    assert client_ip("192.0.2.1", ["not-an-ip, 192.0.2.8"], PROXIES) == "192.0.2.8"
    assert client_ip("192.0.2.1", [], PROXIES) == "192.0.2.1"


def test_ports_and_brackets_are_understood():
    assert client_ip("192.0.2.1", ["203.0.113.50:51234"], PROXIES) == "203.0.113.50"
    assert client_ip("2001:db8:100::1", ["[2001:db8:9::5]:443"], PROXIES) == "2001:db8:9::5"
    assert client_ip("::ffff:192.0.2.1", ["203.0.113.50"], PROXIES) == "203.0.113.50"


def test_no_peer_is_one_unknown_client():
    assert client_ip(None, ["203.0.113.50"], PROXIES) == "unknown"


def test_ipv6_clients_share_a_budget_per_64():
    assert ip_bucket("2001:db8:1:2:aaaa::1") == ip_bucket("2001:db8:1:2:bbbb::9")
    assert ip_bucket("2001:db8:1:2::1") != ip_bucket("2001:db8:1:3::1")
    assert ip_bucket("::ffff:203.0.113.9") == ip_bucket("203.0.113.9") == "203.0.113.9"


# --- the limiter over Redis ----------------------------------------------------------------------


@pytest.fixture
async def redis() -> AsyncIterator[Redis]:
    client = Redis.from_url(unflushed_redis_url())
    yield client
    await client.aclose()


def _budget(limit: int, owner: str = "key") -> Budget:
    return Budget(owner, f"test:{uuid.uuid4()}", limit)


async def test_a_burst_up_to_the_limit_passes_then_the_next_waits(redis):
    limiter = RateLimiter(redis)
    budget = _budget(5)
    verdicts = [await limiter.spend([budget]) for _ in range(6)]
    assert [verdict.allowed for verdict in verdicts] == [True] * 5 + [False]
    assert verdicts[-1].exhausted == budget
    assert 1 <= verdicts[-1].retry_after <= 12  # one request every 12 s refills a 5/min budget


async def elapse(redis: Redis, budget: Budget, seconds: float) -> None:
    """Moves the bucket's theoretical arrival time back, as if `seconds` had passed.

    Not a sleep: under load a sleep of "a little more than one request's worth" can be two
    requests' worth by the time the next call runs.
    """
    key = PREFIX + budget.key
    await redis.decrby(key, round(seconds * 1000))


async def test_the_budget_refills_smoothly(redis):
    limiter = RateLimiter(redis, period_seconds=60.0)
    budget = _budget(2)  # one request's worth comes back every 30 s
    assert (await limiter.spend([budget])).allowed
    assert (await limiter.spend([budget])).allowed
    assert not (await limiter.spend([budget])).allowed
    await elapse(redis, budget, seconds=31)
    assert (await limiter.spend([budget])).allowed
    assert not (await limiter.spend([budget])).allowed


async def test_a_refused_request_spends_nothing(redis):
    limiter = RateLimiter(redis)
    address, key = _budget(1, "address"), _budget(3)
    assert (await limiter.spend([address, key])).allowed
    refused = await limiter.spend([address, key])
    assert (refused.allowed, refused.exhausted) == (False, address)
    # The key's budget lost only the request that went through.
    assert [(await limiter.spend([key])).allowed for _ in range(3)] == [True, True, False]


async def test_concurrent_spenders_never_overspend(redis):
    limiters = [RateLimiter(redis) for _ in range(4)]
    budget = _budget(10)
    verdicts = await asyncio.gather(
        *(limiters[n % 4].spend([budget]) for n in range(40)),
    )
    assert sum(verdict.allowed for verdict in verdicts) == 10


async def test_a_zero_limit_is_no_limit(redis):
    limiter = RateLimiter(redis)
    assert all([(await limiter.spend([_budget(0)])).allowed for _ in range(5)])


async def test_when_redis_is_down_requests_pass_and_it_is_logged_once(caplog):
    redis = Redis.from_url("redis://127.0.0.1:1/0")  # nothing listens on port 1
    limiter = RateLimiter(redis)
    try:
        with caplog.at_level(logging.WARNING, logger="supportdesk.ratelimit"):
            verdicts = [await limiter.spend([_budget(1)]) for _ in range(3)]
    finally:
        await redis.aclose()
    assert all(verdict.allowed for verdict in verdicts)
    warnings = [record for record in caplog.records if record.name == "supportdesk.ratelimit"]
    assert len(warnings) == 1
    assert "not enforced" in warnings[0].getMessage()


# --- through the API ------------------------------------------------------------------------------


@asynccontextmanager
async def api_process(**settings: Any) -> AsyncIterator[FastAPI]:
    """Another API process in all but the process: its own app, pools and limiter."""
    application = create_app(Settings(**{"redis_url": unflushed_redis_url(), **settings}))
    async with application.router.lifespan_context(application):
        yield application


async def test_two_api_processes_share_one_budget_per_key(client, tenant):
    key = (await make_widget_key(client, tenant.organization))["key"]
    body = widget_request(tenant.contact["email"])
    statuses = []
    async with (
        api_process(widget_rate_per_key=4) as first,
        api_process(widget_rate_per_key=4) as second,
    ):
        for application in (first, second, first, second, first, second):
            # A new address each time: only the key's budget is in play.
            async with browser_client(application) as browser:
                response = await browser.post(URL, json=body, headers=widget_headers(key))
            statuses.append(response.status_code)
    assert statuses == [201, 201, 201, 201, 429, 429]


async def test_an_address_over_its_budget_gets_429_the_page_can_read(client, tenant):
    keys = [(await make_widget_key(client, tenant.organization))["key"] for _ in range(3)]
    body = widget_request(tenant.contact["email"])
    address = random_address()
    async with (
        api_process(widget_rate_per_ip=2) as application,
        browser_client(application, address) as browser,
    ):
        responses = [
            await browser.post(URL, json=body, headers=widget_headers(key)) for key in keys
        ]
    assert [response.status_code for response in responses] == [201, 201, 429]
    problem = assert_problem(responses[2], 429, "rate-limited")
    assert "Too many requests for this address (at most 2 a minute)" in problem["detail"]
    assert 1 <= int(responses[2].headers["Retry-After"]) <= 30
    assert responses[2].headers["Access-Control-Allow-Origin"] == ORIGIN
    assert "retry-after" in responses[2].headers["Access-Control-Expose-Headers"]


async def test_preflights_draw_from_the_same_budget(client, tenant):
    key = (await make_widget_key(client, tenant.organization))["key"]
    headers = {"Origin": ORIGIN, "Access-Control-Request-Method": "POST"}
    async with (
        api_process(widget_rate_per_ip=2) as application,
        browser_client(application) as browser,
    ):
        statuses = [
            (await browser.options(URL, params={"key": key}, headers=headers)).status_code
            for _ in range(3)
        ]
    assert statuses == [204, 204, 429]


async def test_behind_trusted_proxies_each_forwarded_client_has_its_own_budget(client, tenant):
    key = (await make_widget_key(client, tenant.organization))["key"]
    body = widget_request(tenant.contact["email"])
    proxy = f"192.0.2.{uuid.uuid4().int % 250 + 1}"
    alice, bob = random_address(), random_address()
    async with (
        api_process(widget_rate_per_ip=1, trusted_proxies="192.0.2.0/24") as application,
        browser_client(application, proxy) as browser,
    ):

        async def post(forwarded_for: str) -> int:
            headers = widget_headers(key, **{"X-Forwarded-For": forwarded_for})
            return (await browser.post(URL, json=body, headers=headers)).status_code

        assert await post(alice) == 201
        assert await post(bob) == 201
        assert await post(f"{bob}, {alice}") == 429  # alice, whatever she prepends


async def test_a_direct_client_cannot_dodge_its_budget_with_forwarded_for(client, tenant):
    key = (await make_widget_key(client, tenant.organization))["key"]
    body = widget_request(tenant.contact["email"])
    statuses = []
    async with (
        api_process(widget_rate_per_ip=1, trusted_proxies="192.0.2.0/24") as application,
        browser_client(application) as browser,
    ):
        for _ in range(2):
            headers = widget_headers(key, **{"X-Forwarded-For": random_address()})
            statuses.append((await browser.post(URL, json=body, headers=headers)).status_code)
    assert statuses == [201, 429]


async def test_the_api_takes_requests_while_redis_is_down(client, tenant):
    key = (await make_widget_key(client, tenant.organization))["key"]
    body = widget_request(tenant.contact["email"])
    down = "redis://127.0.0.1:1/0"
    async with (
        api_process(redis_url=down, widget_rate_per_ip=1) as application,
        browser_client(application) as browser,
    ):
        statuses = [
            (await browser.post(URL, json=body, headers=widget_headers(key))).status_code
            for _ in range(2)
        ]
    assert statuses == [201, 201]


@pytest.mark.parametrize("value", ["10.0.0.0/8, 2001:db8::/32", ""])
def test_trusted_proxies_are_configured_as_a_comma_separated_list(value, monkeypatch):
    monkeypatch.setenv("SUPPORTDESK_TRUSTED_PROXIES", value)
    assert [str(network) for network in Settings().trusted_proxies] == [
        part.strip() for part in value.split(",") if part.strip()
    ]

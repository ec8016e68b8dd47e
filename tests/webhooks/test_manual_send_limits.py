"""Sends on request are limited per endpoint: each test ping (and each retry of one delivery) is
an immediate POST to a URL the caller chose, so a loop of them must not turn the service into
a request cannon."""

from redis.asyncio import Redis

from app.config import get_settings
from app.ratelimit import RateLimiter
from tests.factories import ADMIN, make_ticket
from tests.problems import assert_problem
from tests.webhooks.helpers import create_endpoint, deliveries, eventually


def _ping(client, endpoint: dict, headers: dict[str, str] = ADMIN):
    return client.post(f"/v1/webhook-endpoints/{endpoint['id']}/test", headers=headers)


async def test_test_pings_are_rate_limited_per_endpoint(client, receiver, tenant, monkeypatch):
    monkeypatch.setattr(get_settings(), "webhook_manual_sends_per_minute", 2)
    endpoint = await create_endpoint(client, receiver.url, tenant.integration_key)
    other = await create_endpoint(client, receiver.url, tenant.integration_key)
    for _ in range(2):
        assert (await _ping(client, endpoint)).status_code == 200
    refused = await _ping(client, endpoint, tenant.integration_key)
    problem = assert_problem(refused, 429, "rate-limited")
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert "this endpoint" in problem["detail"] and "2 a minute" in problem["detail"]
    # The refused ping went nowhere and was not logged; another endpoint has its own budget.
    assert len(receiver.received) == 2
    assert len(await deliveries(client, endpoint["id"])) == 2
    assert (await _ping(client, other)).status_code == 200


async def test_an_unknown_endpoint_is_404_not_429(client, monkeypatch):
    monkeypatch.setattr(get_settings(), "webhook_manual_sends_per_minute", 1)
    missing = {"id": "00000000-0000-4000-8000-000000000000"}
    for _ in range(3):
        assert_problem(await _ping(client, missing), 404)


async def test_retries_draw_from_the_same_budget(client, receiver, pumps, tenant, monkeypatch):
    monkeypatch.setattr(get_settings(), "webhook_manual_sends_per_minute", 2)
    endpoint = await create_endpoint(client, receiver.url, event_types=["ticket.created"])
    await pumps(1)
    await make_ticket(client, requester=tenant.contact)

    async def delivered() -> list[dict]:
        rows = await deliveries(client, endpoint["id"])
        return [row for row in rows if row["status"] == "delivered"]

    (delivery,) = await eventually(delivered)
    retry = f"/v1/webhook-deliveries/{delivery['id']}/retry"
    assert (await _ping(client, endpoint)).status_code == 200
    assert (await client.post(retry, headers=ADMIN)).status_code == 202
    refused = await client.post(retry, headers=ADMIN)
    assert_problem(refused, 429, "rate-limited")
    assert int(refused.headers["Retry-After"]) >= 1


async def test_the_limit_fails_open_when_redis_is_unavailable(client, app, receiver, monkeypatch):
    monkeypatch.setattr(get_settings(), "webhook_manual_sends_per_minute", 1)
    unreachable = Redis.from_url("redis://127.0.0.1:1/0")
    monkeypatch.setattr(app.state, "rate_limiter", RateLimiter(unreachable), raising=False)
    endpoint = await create_endpoint(client, receiver.url)
    try:
        for _ in range(3):
            assert (await _ping(client, endpoint)).status_code == 200
    finally:
        await unreachable.aclose()
    assert len(receiver.received) == 3

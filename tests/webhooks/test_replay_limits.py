"""Replays are bounded per endpoint: a bulk replay waits out a cooldown after the previous one,
and no replay or retry may leave an endpoint more pending deliveries than the cap."""

from datetime import timedelta

import sqlalchemy as sa

from app.config import get_settings
from tests.factories import ADMIN, make_ticket
from tests.problems import assert_problem
from tests.webhooks.helpers import create_endpoint, delivery_rows, whole_feed

URL = "http://127.0.0.1:9/hooks"  # nothing is sent: no pump runs in these tests


async def _replay(client, endpoint: dict, since, until=None, headers=ADMIN):
    body = {"since": since.isoformat(), **({"until": until.isoformat()} if until else {})}
    return await client.post(
        f"/v1/webhook-endpoints/{endpoint['id']}/replay", json=body, headers=headers
    )


async def _tickets(client, tenant, count: int) -> None:
    for _ in range(count):
        await make_ticket(client, requester=tenant.contact)
    await whole_feed(client, ADMIN)  # gives the events their feed positions


async def _set_status(app, delivery_id, status: str) -> None:
    async with app.state.engine.begin() as connection:
        await connection.execute(
            sa.text("UPDATE webhook_deliveries SET status = :status WHERE id = :id"),
            {"status": status, "id": delivery_id},
        )


async def test_a_second_replay_within_the_cooldown_is_429(
    client, tenant, movable_clock, monkeypatch
):
    monkeypatch.setattr(get_settings(), "webhook_replay_cooldown_seconds", 60)
    endpoint = await create_endpoint(client, URL, tenant.integration_key)
    other = await create_endpoint(client, URL, tenant.integration_key)
    since = movable_clock() - timedelta(hours=1)
    key = tenant.integration_key
    assert (await _replay(client, endpoint, since, headers=key)).status_code == 202

    movable_clock.advance(timedelta(seconds=20))
    refused = await _replay(client, endpoint, since, headers=key)
    problem = assert_problem(refused, 429, "rate-limited")
    assert 39 <= int(refused.headers["Retry-After"]) <= 41
    assert "60 s" in problem["detail"]
    # The cooldown is the endpoint's own.
    assert (await _replay(client, other, since, headers=key)).status_code == 202

    movable_clock.advance(timedelta(seconds=41))
    assert (await _replay(client, endpoint, since, headers=key)).status_code == 202


async def test_a_refused_replay_does_not_start_the_cooldown(
    client, app, tenant, movable_clock, monkeypatch
):
    monkeypatch.setattr(get_settings(), "webhook_replay_cooldown_seconds", 60)
    monkeypatch.setattr(get_settings(), "webhook_max_pending_deliveries", 2)
    since = movable_clock() - timedelta(seconds=1)
    movable_clock.advance(timedelta(seconds=1))
    await _tickets(client, tenant, 3)
    endpoint = await create_endpoint(client, URL, event_types=["ticket.created"])

    too_many = await _replay(client, endpoint, since)
    problem = assert_problem(too_many, 409)
    assert "more than 2 deliveries pending" in problem["detail"]
    assert await delivery_rows(app, endpoint["id"]) == []  # nothing was queued

    monkeypatch.setattr(get_settings(), "webhook_max_pending_deliveries", 3)
    accepted = await _replay(client, endpoint, since)
    assert accepted.status_code == 202 and accepted.json() == {"deliveries": 3}


async def test_a_replay_is_refused_while_the_endpoint_has_too_many_pending(
    client, app, tenant, movable_clock, monkeypatch
):
    monkeypatch.setattr(get_settings(), "webhook_replay_cooldown_seconds", 0)
    since = movable_clock() - timedelta(seconds=1)
    movable_clock.advance(timedelta(seconds=1))
    await _tickets(client, tenant, 2)
    middle = movable_clock()
    movable_clock.advance(timedelta(seconds=1))
    await _tickets(client, tenant, 1)
    endpoint = await create_endpoint(client, URL, event_types=["ticket.created"])
    monkeypatch.setattr(get_settings(), "webhook_max_pending_deliveries", 2)

    assert (await _replay(client, endpoint, since, middle)).json() == {"deliveries": 2}
    # Two pending already: even the one later event would make three.
    assert_problem(await _replay(client, endpoint, middle), 409)
    assert len(await delivery_rows(app, endpoint["id"])) == 2


async def test_a_retry_is_refused_when_it_would_exceed_the_cap(
    client, app, tenant, movable_clock, monkeypatch
):
    since = movable_clock() - timedelta(seconds=1)
    movable_clock.advance(timedelta(seconds=1))
    await _tickets(client, tenant, 2)
    endpoint = await create_endpoint(client, URL, event_types=["ticket.created"])
    assert (await _replay(client, endpoint, since)).json() == {"deliveries": 2}
    first, second = await delivery_rows(app, endpoint["id"])
    await _set_status(app, first.id, "failed")
    monkeypatch.setattr(get_settings(), "webhook_max_pending_deliveries", 1)

    refused = await client.post(f"/v1/webhook-deliveries/{first.id}/retry", headers=ADMIN)
    assert "at most 1" in assert_problem(refused, 409)["detail"]
    assert {row.id: row.status for row in await delivery_rows(app, endpoint["id"])} == {
        first.id: "failed",
        second.id: "pending",
    }
    # Retrying the delivery that is already pending leaves the count as it was.
    again = await client.post(f"/v1/webhook-deliveries/{second.id}/retry", headers=ADMIN)
    assert again.status_code == 202
    await _set_status(app, second.id, "delivered")
    retried = await client.post(f"/v1/webhook-deliveries/{first.id}/retry", headers=ADMIN)
    assert retried.status_code == 202 and retried.json()["status"] == "pending"

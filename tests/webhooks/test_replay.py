"""Sending again: a manual retry of one delivery, a bulk replay since a time, and the
synchronous test ping."""

from datetime import timedelta

from standardwebhooks.webhooks import Webhook

from tests.factories import ADMIN, make_ticket
from tests.problems import assert_problem
from tests.webhooks.helpers import (
    create_endpoint,
    deliveries,
    delivery_rows,
    eventually,
    settled,
    whole_feed,
)
from tests.webhooks.receiver import Reply


async def _statuses(client, endpoint_id: str) -> list[str]:
    return sorted(d["status"] for d in await deliveries(client, endpoint_id))


async def story(client, tenant) -> dict:
    """A ticket with a comment and a status change: three events, in this order."""
    ticket = await make_ticket(client, requester=tenant.contact)
    response = await client.post(
        f"/v1/tickets/{ticket['id']}/comments", json={"body": "On it."}, headers=ADMIN
    )
    assert response.status_code == 201
    response = await client.post(
        f"/v1/tickets/{ticket['id']}/transitions", json={"to": "open"}, headers=ADMIN
    )
    assert response.status_code == 200
    return ticket


async def test_retry_resends_a_delivered_delivery_with_the_same_id(
    client, app, receiver, pumps, tenant
):
    endpoint = await create_endpoint(
        client, receiver.url, tenant.integration_key, event_types=["ticket.created"]
    )
    await pumps(1)
    await make_ticket(client, requester=tenant.contact)
    await receiver.wait_for(lambda rs: len(rs) == 1)
    await eventually(lambda: _is(client, endpoint["id"], ["delivered"]))
    (delivery,) = await deliveries(client, endpoint["id"])

    response = await client.post(
        f"/v1/webhook-deliveries/{delivery['id']}/retry", headers=tenant.integration_key
    )
    assert response.status_code == 202, response.text
    assert response.json()["id"] == delivery["id"]
    assert response.json()["status"] == "pending"

    first, second = await receiver.wait_for(lambda rs: len(rs) == 2)
    assert first.headers["webhook-id"] == second.headers["webhook-id"] == delivery["webhook_id"]
    assert first.json == second.json
    Webhook(endpoint["secret"]).verify(second.body, second.headers)
    await eventually(lambda: _attempts(client, endpoint["id"], 2))
    shown = await client.get(f"/v1/webhook-deliveries/{delivery['id']}", headers=ADMIN)
    assert shown.status_code == 200
    assert shown.json()["status"] == "delivered"
    assert len(shown.json()["attempts"]) == 2


async def _is(client, endpoint_id: str, statuses: list[str]) -> bool:
    return await _statuses(client, endpoint_id) == statuses


async def _attempts(client, endpoint_id: str, count: int) -> bool:
    rows = await deliveries(client, endpoint_id)
    return all(d["attempt_count"] == count and d["status"] != "pending" for d in rows)


async def test_retry_sends_a_waiting_delivery_now_and_starts_the_schedule_over(
    client, app, receiver, pumps, tenant, frozen_clock
):
    answers = iter([Reply(500), Reply(503, headers={"Retry-After": "86400"}), Reply(500)])
    receiver.reply = lambda _: next(answers, Reply(204))
    endpoint = await create_endpoint(client, receiver.url, event_types=["ticket.created"])
    await pumps(1)
    await make_ticket(client, requester=tenant.contact)
    # Two failures in: the next try would be tomorrow.
    (row,) = await settled(app, endpoint["id"], failures=1)
    await client.post(f"/v1/webhook-deliveries/{row.id}/retry", headers=ADMIN)
    # Retried at once; the count of failures started over.
    (row,) = await settled(app, endpoint["id"], failures=1, attempts=2)
    # ...then Retry-After (a day) pushed it out; retrying now sends it now anyway.
    assert row.next_attempt_at - row.updated_at >= timedelta(hours=23)
    response = await client.post(f"/v1/webhook-deliveries/{row.id}/retry", headers=ADMIN)
    assert response.status_code == 202
    (row,) = await settled(app, endpoint["id"], failures=1, attempts=3)
    # The schedule started over: the failure after a manual retry waits 5 s, not 5 min.
    assert row.next_attempt_at - row.updated_at <= timedelta(seconds=6)
    assert len({r.headers["webhook-id"] for r in receiver.received}) == 1


async def test_retry_of_a_failed_delivery(client, app, receiver, pumps, tenant):
    gone = True
    receiver.reply = lambda r: Reply(410) if gone and r.path == "/hooks" else Reply(204)
    endpoint = await create_endpoint(client, receiver.url, event_types=["ticket.created"])
    await pumps(1)
    await make_ticket(client, requester=tenant.contact)
    await eventually(lambda: _is(client, endpoint["id"], ["failed"]))
    (delivery,) = await deliveries(client, endpoint["id"])
    gone = False
    enabled = await client.patch(
        f"/v1/webhook-endpoints/{endpoint['id']}", json={"enabled": True}, headers=ADMIN
    )
    assert enabled.status_code == 200
    response = await client.post(f"/v1/webhook-deliveries/{delivery['id']}/retry", headers=ADMIN)
    assert response.status_code == 202
    await receiver.wait_for(lambda rs: len(rs) == 2)
    await eventually(lambda: _is(client, endpoint["id"], ["delivered"]))
    assert receiver.received[1].headers["webhook-id"] == delivery["webhook_id"]


async def test_replay_since_includes_events_from_before_the_endpoint(
    client, app, receiver, pumps, tenant, movable_clock
):
    movable_clock.offset = -timedelta(hours=2)
    old_ticket = await story(client, tenant)
    movable_clock.offset = -timedelta(hours=1)
    since = movable_clock()
    movable_clock.offset = timedelta(0)  # signatures are checked against the wall clock
    tickets = [await story(client, tenant), await story(client, tenant)]
    feed = await whole_feed(client, ADMIN)  # relays them all: none goes to the new endpoint
    assert len(feed) == 9

    endpoint = await create_endpoint(client, receiver.url)
    await pumps(1)
    assert await delivery_rows(app, endpoint["id"]) == []
    response = await client.post(
        f"/v1/webhook-endpoints/{endpoint['id']}/replay",
        json={"since": since.isoformat()},
        headers=ADMIN,
    )
    assert response.status_code == 202, response.text
    assert response.json() == {"deliveries": 6}

    received = await receiver.wait_for(lambda rs: len(rs) == 6)
    wanted = [e for e in feed if e["ticket_id"] != old_ticket["id"]]
    assert {r.headers["webhook-id"] for r in received} == {f"evt_{e['id']}" for e in wanted}
    for ticket in tickets:
        arrived = [r.json["id"] for r in received if r.json["ticket_id"] == ticket["id"]]
        in_order = [f"evt_{e['id']}" for e in wanted if e["ticket_id"] == ticket["id"]]
        assert arrived == in_order
    for request in received:
        Webhook(endpoint["secret"]).verify(request.body, request.headers)
    await eventually(lambda: _is(client, endpoint["id"], ["delivered"] * 6))


async def test_replay_resends_delivered_events_with_their_ids(
    client, app, receiver, pumps, tenant, movable_clock
):
    endpoint = await create_endpoint(client, receiver.url)
    await pumps(1)
    start = movable_clock() - timedelta(seconds=1)
    await story(client, tenant)
    first = await receiver.wait_for(lambda rs: len(rs) == 3)
    first_ids = [r.headers["webhook-id"] for r in first]
    await eventually(lambda: _is(client, endpoint["id"], ["delivered"] * 3))

    response = await client.post(
        f"/v1/webhook-endpoints/{endpoint['id']}/replay",
        json={"since": start.isoformat()},
        headers=ADMIN,
    )
    assert response.json() == {"deliveries": 3}
    again = await receiver.wait_for(lambda rs: len(rs) == 6)
    assert [r.headers["webhook-id"] for r in again[3:]] == first_ids
    await eventually(lambda: _attempts(client, endpoint["id"], 2))
    # Still one delivery per event, now with two attempts each.
    assert len(await deliveries(client, endpoint["id"])) == 3


async def test_replay_window_and_filters(client, app, receiver, pumps, tenant, movable_clock):
    before = movable_clock()
    movable_clock.advance(timedelta(minutes=1))
    await story(client, tenant)
    movable_clock.advance(timedelta(minutes=1))
    middle = movable_clock()
    movable_clock.advance(timedelta(minutes=1))
    await story(client, tenant)
    await whole_feed(client, ADMIN)
    endpoint = await create_endpoint(client, receiver.url, event_types=["ticket.created"])
    path = f"/v1/webhook-endpoints/{endpoint['id']}/replay"

    async def replay(**body) -> int:
        response = await client.post(path, json=body, headers=ADMIN)
        assert response.status_code == 202, response.text
        movable_clock.advance(timedelta(minutes=1))  # past the endpoint's replay cooldown
        return response.json()["deliveries"]

    assert await replay(since=movable_clock().isoformat()) == 0
    assert await replay(since=before.isoformat(), until=middle.isoformat()) == 1
    await pumps(1)
    (only,) = await receiver.wait_for(lambda rs: len(rs) == 1)
    assert only.json["type"] == "ticket.created"
    await eventually(lambda: _is(client, endpoint["id"], ["delivered"]))
    assert await replay(since=before.isoformat()) == 2


async def test_replay_validation(client, tenant, other_tenant):
    endpoint = await create_endpoint(client, "http://127.0.0.1:9/", tenant.integration_key)
    path = f"/v1/webhook-endpoints/{endpoint['id']}/replay"
    invalid = [
        {},
        {"since": "yesterday"},
        {"since": "2026-01-01T00:00:00"},  # no time zone
        {"since": "1900-01-01T00:00:00Z"},
        {"since": "2026-01-01T00:00:00Z", "until": "soon"},
        {"since": "2026-01-01T00:00:00Z", "types": ["ticket.created"]},
    ]
    for body in invalid:
        assert_problem(await client.post(path, json=body, headers=ADMIN), 422)
    assert_problem(
        await client.post(
            path, json={"since": "2026-01-01T00:00:00Z"}, headers=other_tenant.integration_key
        ),
        404,
    )


async def test_test_ping_is_signed_and_logged(client, receiver, tenant):
    endpoint = await create_endpoint(client, receiver.url, tenant.integration_key)
    response = await client.post(
        f"/v1/webhook-endpoints/{endpoint['id']}/test", headers=tenant.integration_key
    )
    assert response.status_code == 200, response.text
    delivery = response.json()
    # Sent before the response: no pump is running.
    (request,) = receiver.received
    body = Webhook(endpoint["secret"]).verify(request.body, request.headers)
    assert body["type"] == "webhook.test"
    assert body["id"] == request.headers["webhook-id"] == delivery["webhook_id"]
    assert body["data"]["endpoint"]["id"] == endpoint["id"]
    assert body["organization_id"] == tenant.organization["id"]
    assert delivery["status"] == "delivered"
    assert delivery["event_type"] == "webhook.test"
    assert delivery["event_id"] is None
    assert delivery["attempt_count"] == 1
    assert delivery["attempts"][0]["status_code"] == 204
    assert delivery["attempts"][0]["error"] is None
    logged = await deliveries(client, endpoint["id"], tenant.integration_key)
    assert [d["id"] for d in logged] == [delivery["id"]]
    assert logged[0]["attempts"] == delivery["attempts"]

    # Each ping is a new message.
    again = await client.post(f"/v1/webhook-endpoints/{endpoint['id']}/test", headers=ADMIN)
    assert again.json()["webhook_id"] != delivery["webhook_id"]
    # A test ping is not retried.
    assert_problem(
        await client.post(f"/v1/webhook-deliveries/{delivery['id']}/retry", headers=ADMIN), 409
    )


async def test_test_ping_to_a_failing_receiver(client, receiver):
    receiver.reply = lambda _: Reply(500, body=b"database is down")
    endpoint = await create_endpoint(client, receiver.url)
    response = await client.post(f"/v1/webhook-endpoints/{endpoint['id']}/test", headers=ADMIN)
    assert response.status_code == 200, response.text
    delivery = response.json()
    assert delivery["status"] == "failed"
    assert delivery["last_status_code"] == 500
    assert delivery["attempts"][0]["response_body"] == "database is down"
    assert delivery["next_attempt_at"] is None
    assert len(receiver.received) == 1
    (logged,) = await deliveries(client, endpoint["id"], status="failed")
    assert logged["id"] == delivery["id"]


async def test_a_replay_covers_at_most_31_days(client, tenant):
    from datetime import timedelta

    from app import timesource

    created = await client.post(
        "/v1/webhook-endpoints",
        json={"url": "http://127.0.0.1:9/hooks"},
        headers=tenant.integration_key,
    )
    path = f"/v1/webhook-endpoints/{created.json()['id']}/replay"
    too_long = {"since": (timesource.now() - timedelta(days=32)).isoformat()}
    response = await client.post(path, json=too_long, headers=tenant.integration_key)
    assert response.status_code == 422
    backwards = {
        "since": timesource.now().isoformat(),
        "until": (timesource.now() - timedelta(hours=1)).isoformat(),
    }
    response = await client.post(path, json=backwards, headers=tenant.integration_key)
    assert response.status_code == 422

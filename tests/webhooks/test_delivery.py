"""Sending deliveries: retries with the same webhook-id, the attempt log, Retry-After, giving
up, disabling endpoints that are gone or failing for days, and resuming them."""

from datetime import datetime, timedelta

import sqlalchemy as sa
from standardwebhooks.webhooks import Webhook

from app.webhooks.models import WebhookAttempt
from tests.factories import ADMIN, make_ticket
from tests.webhooks.helpers import (
    create_endpoint,
    deliveries,
    delivery_rows,
    eventually,
    get_endpoint,
    make_due,
    of_type,
    pumps_have_looked,
    sentinel_endpoint,
    settled,
    signed_by,
    whole_feed,
)
from tests.webhooks.receiver import Reply


def instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


async def test_retry_after_a_500_keeps_the_webhook_id_and_logs_every_attempt(
    client, app, receiver, pumps, tenant, movable_clock
):
    answers = iter(
        [
            Reply(500, body=b"x" * 5000, delay=0.05),
            Reply(503, body=b"busy"),
            Reply(200, body=b"ok"),
        ]
    )
    receiver.reply = lambda _: next(answers)
    endpoint = await create_endpoint(client, receiver.url, event_types=["ticket.created"])
    started = await pumps(1)
    await make_ticket(client, requester=tenant.contact)

    await receiver.wait_for(lambda rs: len(rs) == 1)
    rows = await settled(app, endpoint["id"], failures=1)
    make_due(movable_clock, rows, started)
    await receiver.wait_for(lambda rs: len(rs) == 2)
    rows = await settled(app, endpoint["id"], failures=2)
    make_due(movable_clock, rows, started)
    await receiver.wait_for(lambda rs: len(rs) == 3)
    await eventually(
        lambda: _statuses(client, endpoint["id"], ["delivered"]),
    )

    ids = {request.headers["webhook-id"] for request in receiver.received}
    assert len(ids) == 1
    for request in receiver.received:
        # Signed afresh each time (the clock has moved: checked without the verifier's
        # five-minute tolerance against the wall clock).
        assert signed_by(request, endpoint["secret"])
        assert request.json["id"] == request.headers["webhook-id"]
    assert len({r.headers["webhook-timestamp"] for r in receiver.received}) == 3

    (delivery,) = await deliveries(client, endpoint["id"])
    assert delivery["webhook_id"] == ids.pop()
    assert delivery["status"] == "delivered"
    assert delivery["attempt_count"] == 3
    assert delivery["next_attempt_at"] is None
    assert delivery["delivered_at"] is not None
    first, second, third = delivery["attempts"]
    assert first["status_code"] == 500
    assert first["error"] and "500" in first["error"]
    assert first["response_body"] == "x" * 2048  # kept, but only the start
    assert first["duration_ms"] >= 50
    assert second["status_code"] == 503 and second["response_body"] == "busy"
    assert third["status_code"] == 200 and third["error"] is None
    assert third["response_body"] == "ok"
    assert instant(first["attempted_at"]) < instant(second["attempted_at"])
    assert instant(second["attempted_at"]) < instant(third["attempted_at"])
    # The second attempt came on the schedule (5 s ± 20 %), not at once.
    gap = instant(second["attempted_at"]) - instant(first["attempted_at"])
    assert gap >= timedelta(seconds=4)


async def _statuses(client, endpoint_id: str, wanted: list[str]) -> bool:
    return sorted(d["status"] for d in await deliveries(client, endpoint_id)) == wanted


async def test_no_retry_before_its_time(
    client, app, receiver, pumps, tenant, other_tenant, frozen_clock
):
    receiver.reply = lambda r: Reply(500) if r.path == "/hooks" else Reply(204)
    await sentinel_endpoint(client, receiver, other_tenant)
    endpoint = await create_endpoint(client, receiver.url, tenant.integration_key)
    started = await pumps(1)
    await make_ticket(client, requester=tenant.contact)
    (row,) = await settled(app, endpoint["id"], failures=1)
    assert row.status == "pending"
    wait = row.next_attempt_at - row.updated_at
    assert timedelta(seconds=4) <= wait <= timedelta(seconds=6), wait
    # Three seconds on, the pumps look for work, but the retry is not due yet.
    frozen_clock.advance(timedelta(seconds=3))
    await pumps_have_looked(client, receiver, other_tenant)
    (row,) = await settled(app, endpoint["id"])
    assert row.attempt_count == 1
    make_due(frozen_clock, [row], started)
    await settled(app, endpoint["id"], failures=2)
    assert [r.path for r in receiver.received].count("/hooks") == 2


async def test_retry_after_is_honoured(
    client, app, receiver, pumps, tenant, other_tenant, movable_clock
):
    answers = iter([Reply(503, headers={"Retry-After": "3600"}), Reply(429), Reply(204)])
    receiver.reply = lambda r: next(answers) if r.path == "/hooks" else Reply(204)
    await sentinel_endpoint(client, receiver, other_tenant)
    endpoint = await create_endpoint(client, receiver.url, tenant.integration_key)
    started = await pumps(1)
    await make_ticket(client, requester=tenant.contact)
    (row,) = await settled(app, endpoint["id"], failures=1)
    (delivery,) = await deliveries(client, endpoint["id"])
    attempted = instant(delivery["attempts"][0]["attempted_at"])
    assert instant(delivery["next_attempt_at"]) >= attempted + timedelta(seconds=3600)
    # Long after the schedule's 5 s, but before the receiver's hour: not retried.
    movable_clock.advance(timedelta(minutes=30))
    await pumps_have_looked(client, receiver, other_tenant)
    (row,) = await settled(app, endpoint["id"])
    assert row.attempt_count == 1
    # After the hour it is; a 429 without Retry-After falls back to the schedule.
    make_due(movable_clock, [row], started)
    (row,) = await settled(app, endpoint["id"], failures=2)
    assert timedelta(minutes=4) <= row.next_attempt_at - row.updated_at <= timedelta(minutes=6)
    make_due(movable_clock, [row], started)
    await eventually(lambda: _statuses(client, endpoint["id"], ["delivered"]))
    assert [r.replied for r in receiver.received if r.path == "/hooks"] == [503, 429, 204]


async def test_retry_after_as_an_http_date(client, app, receiver, pumps, tenant, movable_clock):
    from email.utils import format_datetime

    def reply(_):
        when = movable_clock() + timedelta(hours=2)
        return Reply(503, headers={"Retry-After": format_datetime(when, usegmt=True)})

    receiver.reply = reply
    endpoint = await create_endpoint(client, receiver.url, event_types=["ticket.created"])
    await pumps(1)
    await make_ticket(client, requester=tenant.contact)
    (row,) = await settled(app, endpoint["id"], failures=1)
    assert row.next_attempt_at - row.updated_at >= timedelta(hours=1, minutes=59)


async def test_gives_up_after_the_eighth_failure(
    client, app, receiver, pumps, tenant, movable_clock
):
    receiver.reply = lambda _: Reply(500)
    endpoint = await create_endpoint(client, receiver.url, event_types=["ticket.created"])
    started = await pumps(1)
    await make_ticket(client, requester=tenant.contact)
    waits = []
    for failures in range(1, 8):
        (row,) = await settled(app, endpoint["id"], failures=failures)
        assert row.status == "pending"
        waits.append(row.next_attempt_at - row.updated_at)
        make_due(movable_clock, [row], started)
    (row,) = await settled(app, endpoint["id"], failures=8)
    assert row.status == "failed" and row.next_attempt_at is None
    assert len(receiver.received) == 8
    assert len({r.headers["webhook-id"] for r in receiver.received}) == 1

    schedule = [5, 300, 1800, 7200, 18000, 36000, 36000]
    for wait, seconds in zip(waits, schedule, strict=True):
        assert seconds * 0.8 - 1 <= wait.total_seconds() <= seconds * 1.2 + 1, waits

    (delivery,) = await deliveries(client, endpoint["id"])
    assert delivery["status"] == "failed" and delivery["attempt_count"] == 8
    assert [a["status_code"] for a in delivery["attempts"]] == [500] * 8
    failed = await deliveries(client, endpoint["id"], status="failed")
    assert [d["id"] for d in failed] == [delivery["id"]]
    assert await deliveries(client, endpoint["id"], status="pending") == []
    # Giving up on one delivery does not disable the endpoint (it has not failed for 5 days).
    assert (await get_endpoint(client, endpoint["id"]))["enabled"] is True
    assert await whole_feed(client, ADMIN, types="webhook_endpoint.disabled") == []


async def test_410_disables_the_endpoint_at_once(client, app, receiver, pumps, tenant):
    gone_url = receiver.url.replace("/hooks", "/gone")
    receiver.reply = lambda r: Reply(410) if r.path == "/gone" else Reply(204)
    gone = await create_endpoint(client, gone_url, tenant.integration_key)
    watcher = await create_endpoint(client, receiver.url, event_types=["webhook_endpoint.disabled"])
    await pumps(1)
    await make_ticket(client, requester=tenant.contact)

    notices = await receiver.wait_for(lambda rs: of_type(rs, "webhook_endpoint.disabled"))
    (notice,) = of_type(notices, "webhook_endpoint.disabled")
    body = Webhook(watcher["secret"]).verify(notice.body, notice.headers)
    assert body["data"]["endpoint"]["id"] == gone["id"]
    assert "410" in body["data"]["reason"]
    assert body["organization_id"] == tenant.organization["id"]

    shown = await get_endpoint(client, gone["id"], tenant.integration_key)
    assert shown["enabled"] is False
    assert "410" in shown["disabled_reason"]
    assert shown["disabled_at"] is not None
    (delivery,) = await deliveries(client, gone["id"], tenant.integration_key)
    assert delivery["status"] == "failed" and delivery["attempt_count"] == 1
    assert delivery["attempts"][0]["status_code"] == 410
    assert [r.path for r in receiver.received].count("/gone") == 1

    # The operator's feed and the organization's feed both record it.
    for headers in (ADMIN, tenant.integration_key):
        disabled = await whole_feed(client, headers, types="webhook_endpoint.disabled")
        assert [e["data"]["endpoint"]["id"] for e in disabled] == [gone["id"]]
        assert disabled[0]["actor"]["type"] == "system"


async def test_410_from_an_operator_endpoint_is_in_the_admin_feed_only(
    client, receiver, pumps, tenant
):
    receiver.reply = lambda _: Reply(410)
    gone = await create_endpoint(client, receiver.url, event_types=["ticket.created"])
    await pumps(1)
    await make_ticket(client, requester=tenant.contact)
    disabled = await eventually(
        lambda: whole_feed(client, ADMIN, types="webhook_endpoint.disabled")
    )
    assert [e["data"]["endpoint"]["id"] for e in disabled] == [gone["id"]]
    assert disabled[0]["organization_id"] is None
    assert await whole_feed(client, tenant.integration_key, types="webhook_endpoint.disabled") == []
    assert (await get_endpoint(client, gone["id"]))["enabled"] is False


async def test_endpoint_failing_for_five_days_is_disabled_and_resumes_when_enabled(
    client, app, receiver, pumps, tenant, movable_clock
):
    failing = True
    receiver.reply = lambda _: Reply(500) if failing else Reply(204)
    endpoint = await create_endpoint(client, receiver.url)
    started = await pumps(1)
    await make_ticket(client, requester=tenant.contact)
    (row,) = await settled(app, endpoint["id"], failures=1)
    assert (await get_endpoint(client, endpoint["id"]))["failing_since"] is not None

    # Four days of failures later it is still enabled.
    movable_clock.advance(timedelta(days=4))
    make_due(movable_clock, [row], started)
    (row,) = await settled(app, endpoint["id"], failures=2)
    assert (await get_endpoint(client, endpoint["id"]))["enabled"] is True

    # Past five days since the first failure, the next failure disables it.
    movable_clock.advance(timedelta(days=1))
    make_due(movable_clock, [row], started)
    await eventually(lambda: _disabled(client, endpoint["id"]))
    shown = await get_endpoint(client, endpoint["id"])
    assert "5 days" in shown["disabled_reason"]
    assert shown["disabled_at"] is not None
    events = await whole_feed(client, ADMIN, types="webhook_endpoint.disabled")
    assert [e["data"]["endpoint"]["id"] for e in events] == [endpoint["id"]]
    (row,) = await settled(app, endpoint["id"], failures=3)
    assert row.status == "pending"  # it keeps its place; its next try is half an hour off
    assert row.next_attempt_at > movable_clock() + timedelta(minutes=20)

    # Re-enabled: the pending delivery goes out at once, not on its old schedule.
    failing = False
    enabled = await client.patch(
        f"/v1/webhook-endpoints/{endpoint['id']}", json={"enabled": True}, headers=ADMIN
    )
    assert enabled.status_code == 200, enabled.text
    assert enabled.json()["enabled"] is True
    assert enabled.json()["failing_since"] is None
    assert enabled.json()["disabled_reason"] is None
    await receiver.wait_for(lambda rs: rs[-1].replied == 204, within=5)
    await eventually(lambda: _statuses(client, endpoint["id"], ["delivered"]))
    (delivery,) = await deliveries(client, endpoint["id"])
    assert [a["status_code"] for a in delivery["attempts"]] == [500, 500, 500, 204]


async def _disabled(client, endpoint_id: str) -> bool:
    return not (await get_endpoint(client, endpoint_id))["enabled"]


async def test_disabled_endpoint_resumes_its_queued_deliveries_in_order(
    client, app, receiver, pumps, tenant, other_tenant
):
    gone = True
    receiver.reply = lambda r: Reply(410) if gone and r.path == "/hooks" else Reply(204)
    await sentinel_endpoint(client, receiver, other_tenant)
    endpoint = await create_endpoint(client, receiver.url, tenant.integration_key)
    ticket = await make_ticket(client, requester=tenant.contact)
    for n in range(3):
        response = await client.post(
            f"/v1/tickets/{ticket['id']}/comments", json={"body": f"update {n}"}, headers=ADMIN
        )
        assert response.status_code == 201
    # The pump relays all four events at once; only the first is sent (ticket order), and
    # its 410 disables the endpoint with the comments still queued.
    await pumps(1)
    await eventually(lambda: _disabled(client, endpoint["id"]))
    # Due, but the endpoint is disabled: nothing more goes out.
    await pumps_have_looked(client, receiver, other_tenant)
    await settled(app, endpoint["id"])
    assert [r.path for r in receiver.received].count("/hooks") == 1
    pending = await deliveries(client, endpoint["id"], status="pending")
    assert len(pending) == 3
    assert all(d["attempt_count"] == 0 for d in pending)

    gone = False
    response = await client.patch(
        f"/v1/webhook-endpoints/{endpoint['id']}",
        json={"enabled": True},
        headers=tenant.integration_key,
    )
    assert response.status_code == 200
    received = await receiver.wait_for(lambda rs: [r.path for r in rs].count("/hooks") == 4)
    hooks = [r.json for r in received if r.path == "/hooks"]
    bodies = [body["data"]["comment"]["body"] for body in hooks[1:]]
    assert bodies == ["update 0", "update 1", "update 2"]
    # The 410'd one stays failed; re-enabling does not resend what was given up.
    await eventually(
        lambda: _statuses(client, endpoint["id"], ["delivered", "delivered", "delivered", "failed"])
    )


async def test_event_type_filter(client, app, receiver, pumps, tenant):
    endpoint = await create_endpoint(client, receiver.url, event_types=["ticket.status_changed"])
    everything = await create_endpoint(client, receiver.url.replace("/hooks", "/all"))
    await pumps(1)
    ticket = await make_ticket(client, requester=tenant.contact)
    await client.post(f"/v1/tickets/{ticket['id']}/comments", json={"body": "hi"}, headers=ADMIN)
    for status in ("open", "pending"):
        moved = await client.post(
            f"/v1/tickets/{ticket['id']}/transitions", json={"to": status}, headers=ADMIN
        )
        assert moved.status_code == 200, moved.text

    def both_moves_arrived(received) -> bool:
        everywhere = [r.json["type"] for r in received if r.path == "/all"]
        filtered = [r.json["type"] for r in received if r.path == "/hooks"]
        return everywhere.count("ticket.status_changed") == len(filtered) == 2

    received = await receiver.wait_for(both_moves_arrived)
    filtered = [r.json for r in received if r.path == "/hooks"]
    assert {body["type"] for body in filtered} == {"ticket.status_changed"}
    assert [body["data"]["ticket"]["status"] for body in filtered] == ["open", "pending"]
    assert {row.event_type for row in await delivery_rows(app, endpoint["id"])} == {
        "ticket.status_changed"
    }
    all_types = {row.event_type for row in await delivery_rows(app, everything["id"])}
    assert all_types == {"ticket.created", "ticket.comment_added", "ticket.status_changed"}

    # Changing the filter applies to events from then on.
    await client.patch(
        f"/v1/webhook-endpoints/{endpoint['id']}",
        json={"event_types": ["ticket.comment_added"]},
        headers=ADMIN,
    )
    await client.post(f"/v1/tickets/{ticket['id']}/comments", json={"body": "2"}, headers=ADMIN)
    await receiver.wait_for(
        lambda rs: any(r.path == "/hooks" and r.json["type"] == "ticket.comment_added" for r in rs)
    )


async def test_disabled_endpoint_gets_no_new_events(client, app, receiver, pumps, tenant):
    endpoint = await create_endpoint(client, receiver.url, enabled=False)
    live = await create_endpoint(client, receiver.url.replace("/hooks", "/live"))
    await pumps(1)
    await make_ticket(client, requester=tenant.contact)
    await receiver.wait_for(lambda rs: len(rs) == 1)
    assert receiver.received[0].path == "/live"
    assert await delivery_rows(app, endpoint["id"]) == []
    assert len(await delivery_rows(app, live["id"])) == 1


async def test_a_failing_endpoint_does_not_hold_up_another(
    client, app, receiver, pumps, tenant, frozen_clock
):
    receiver.reply = lambda r: Reply(500) if r.path == "/down" else Reply(204)
    down = await create_endpoint(client, receiver.url.replace("/hooks", "/down"))
    up = await create_endpoint(client, receiver.url)
    await pumps(1)
    ticket = await make_ticket(client, requester=tenant.contact)
    for n in range(3):
        await client.post(
            f"/v1/tickets/{ticket['id']}/comments", json={"body": f"c{n}"}, headers=ADMIN
        )
    await receiver.wait_for(lambda rs: [r.path for r in rs].count("/hooks") == 4)
    await eventually(lambda: _statuses(client, up["id"], ["delivered"] * 4))
    # The failing one is stuck on the ticket's first event: the rest wait behind it.
    rows = await settled(app, down["id"], failures=1)
    assert sorted(row.attempt_count for row in rows) == [0, 0, 0, 1]


async def test_redirects_are_not_followed(client, app, receiver, pumps, tenant, frozen_clock):
    elsewhere = receiver.url.replace("/hooks", "/elsewhere")
    receiver.reply = lambda r: (
        Reply(307, headers={"Location": elsewhere}) if r.path == "/hooks" else Reply(204)
    )
    endpoint = await create_endpoint(client, receiver.url, event_types=["ticket.created"])
    await pumps(1)
    await make_ticket(client, requester=tenant.contact)
    await settled(app, endpoint["id"], failures=1)
    assert [r.path for r in receiver.received] == ["/hooks"]
    (delivery,) = await deliveries(client, endpoint["id"])
    assert delivery["status"] == "pending"
    attempt = delivery["attempts"][0]
    assert attempt["status_code"] == 307
    assert "redirect" in attempt["error"]


async def test_a_slow_receiver_times_out(client, app, receiver, pumps, tenant, frozen_clock):
    receiver.reply = lambda _: Reply(204, delay=1.5)
    endpoint = await create_endpoint(client, receiver.url, event_types=["ticket.created"])
    await pumps(1, webhook_timeout_seconds=0.5)
    await make_ticket(client, requester=tenant.contact)
    (row,) = await settled(app, endpoint["id"], failures=1)
    assert row.status == "pending"
    (delivery,) = await deliveries(client, endpoint["id"])
    attempt = delivery["attempts"][0]
    assert attempt["status_code"] is None
    assert "timed out" in attempt["error"]


async def test_an_unreachable_receiver_is_logged_as_an_error(
    client, app, pumps, tenant, frozen_clock
):
    endpoint = await create_endpoint(
        client, "http://127.0.0.1:9/hooks", event_types=["ticket.created"]
    )
    await pumps(1)
    await make_ticket(client, requester=tenant.contact)
    await settled(app, endpoint["id"], failures=1)
    (delivery,) = await deliveries(client, endpoint["id"])
    assert delivery["status"] == "pending"
    assert delivery["attempts"][0]["status_code"] is None
    assert delivery["attempts"][0]["error"]
    assert delivery["last_error"] == delivery["attempts"][0]["error"]


async def test_deleting_an_endpoint_stops_its_deliveries(
    client, app, receiver, pumps, tenant, movable_clock
):
    receiver.reply = lambda _: Reply(500)
    endpoint = await create_endpoint(client, receiver.url, event_types=["ticket.created"])
    started = await pumps(1)
    await make_ticket(client, requester=tenant.contact)
    (row,) = await settled(app, endpoint["id"], failures=1)
    response = await client.delete(f"/v1/webhook-endpoints/{endpoint['id']}", headers=ADMIN)
    assert response.status_code == 204
    assert await delivery_rows(app, endpoint["id"]) == []
    make_due(movable_clock, [row], started)
    await make_ticket(client, requester=tenant.contact)
    await client.get("/v1/events", headers=ADMIN)  # relays the new event: nowhere to go
    assert await delivery_rows(app) == []
    assert len(receiver.received) == 1


async def test_a_delivery_shows_its_latest_hundred_attempts_oldest_first(
    client, app, receiver, pumps, tenant
):
    endpoint = await create_endpoint(client, receiver.url, event_types=["ticket.created"])
    await pumps(1)
    await make_ticket(client, requester=tenant.contact)
    await receiver.wait_for(lambda rs: len(rs) == 1)
    await eventually(lambda: _statuses(client, endpoint["id"], ["delivered"]))
    (delivery,) = await deliveries(client, endpoint["id"])
    # Retries and replays by hand start the schedule again: 150 more attempts, a minute apart.
    start = instant(delivery["attempts"][0]["attempted_at"])
    async with app.state.sessions.begin() as session:
        await session.execute(
            sa.insert(WebhookAttempt),
            [
                {
                    "delivery_id": delivery["id"],
                    "attempted_at": start + timedelta(minutes=n),
                    "status_code": 500,
                    "duration_ms": n,
                }
                for n in range(1, 151)
            ],
        )

    shown = (await client.get(f"/v1/webhook-deliveries/{delivery['id']}", headers=ADMIN)).json()
    assert [attempt["duration_ms"] for attempt in shown["attempts"]] == list(range(51, 151))

"""Request ids that follow the work, JSON logs, and the business metrics."""

import json
import logging

from app import logs
from app.config import get_settings
from app.webhooks.pump import WebhookPump
from app.webhooks.relay import relay
from tests.api.test_health import sample
from tests.factories import ADMIN, make_tenant, make_ticket
from tests.webhooks.receiver import Receiver


async def test_a_request_id_is_made_or_adopted_and_echoed(client):
    made = await client.get("/healthz")
    assert len(made.headers["x-request-id"]) == 32
    adopted = await client.get("/healthz", headers={"X-Request-ID": "checkout-42.retry:1"})
    assert adopted.headers["x-request-id"] == "checkout-42.retry:1"
    # Anything that is not a plain token is replaced, never echoed into logs or headers.
    hostile = await client.get("/healthz", headers={"X-Request-ID": "a b\tc" + "x" * 80})
    assert hostile.headers["x-request-id"] != "a b\tc" + "x" * 80


async def test_the_request_id_follows_a_ticket_to_its_events_and_webhooks(client, app):
    receiver = Receiver()
    await receiver.start()
    pump = WebhookPump(app.state.engine, app.state.sessions, get_settings(), poll=0.2)
    try:
        endpoint = await client.post(
            "/v1/webhook-endpoints",
            json={"url": receiver.url, "event_types": ["ticket.created"]},
            headers=ADMIN,
        )
        assert endpoint.status_code == 201
        await pump.start()
        tenant = await make_tenant(client)
        response = await client.post(
            "/v1/tickets",
            json={"subject": "s", "description": "d", "requester_id": tenant.contact["id"]},
            headers={**ADMIN, "X-Request-ID": "req-follow-me"},
        )
        assert response.status_code == 201
        ticket_id = response.json()["id"]
        timeline = await client.get(f"/v1/tickets/{ticket_id}/events", headers=ADMIN)
        assert timeline.json()["data"][0]["request_id"] == "req-follow-me"
        received = await receiver.wait_for(lambda got: len(got) >= 1)
        assert received[0].headers["x-request-id"] == "req-follow-me"
    finally:
        await pump.stop(grace=5)
        await receiver.stop()


def test_json_log_lines_carry_the_request_id_and_extra_fields():
    formatter = logs.JsonFormatter()
    record = logging.makeLogRecord(
        {"name": "supportdesk.test", "levelno": 20, "levelname": "INFO", "msg": "hello %s"}
    )
    record.args = ("world",)
    record.ticket_id = "t-1"
    token = logs.request_id.set("req-7")
    try:
        line = json.loads(formatter.format(record))
    finally:
        logs.request_id.reset(token)
    assert line["message"] == "hello world"
    assert line["request_id"] == "req-7"
    assert line["ticket_id"] == "t-1"
    assert line["level"] == "info"


async def test_jobs_run_under_the_request_id_they_were_enqueued_with():
    seen = []

    async def job(ctx, value):
        seen.append((value, logs.request_id.get()))

    wrapped = logs.traced(job)
    await wrapped({"job_id": "j1"}, 1, request_id_="req-9")
    await wrapped({"job_id": "j2"}, 2)
    assert seen == [(1, "req-9"), (2, "job-j2")]
    assert logs.request_id.get() is None


async def test_business_metrics_count_each_committed_event_once(client, app):
    before = (await client.get("/metrics")).text
    tenant = await make_tenant(client)
    await make_ticket(client, requester=tenant.contact)
    await make_ticket(client, requester=tenant.contact, priority="critical", emergency=True)
    await relay(app.state.engine)
    await relay(app.state.engine)  # nothing left: nothing counted twice
    after = (await client.get("/metrics")).text

    def delta(name: str, **labels: str) -> float:
        return sample(after, name, **labels) - sample(before, name, **labels)

    assert delta("supportdesk_tickets_created_total", channel="api") == 2
    assert delta("supportdesk_events_total", type="ticket.emergency") == 1

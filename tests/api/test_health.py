"""/healthz, /readyz and /metrics for probes and Prometheus."""

import re

from tests.factories import ADMIN

MISSING_TICKET = "00000000-0000-4000-8000-0000000071c7"


def sample(metrics: str, name: str, **labels: str) -> float:
    """The value of one sample in Prometheus text format; 0 when absent."""
    for line in metrics.splitlines():
        match = re.fullmatch(rf"{re.escape(name)}\{{(.*)\}} (\S+)", line)
        if match is None:
            continue
        found = dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', match.group(1)))
        if found == labels:
            return float(match.group(2))
    return 0.0


async def test_liveness_answers_without_a_key(client):
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readiness_reports_postgres_and_redis(client):
    response = await client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    storage = body["checks"].pop("storage")
    assert body["checks"] == {"postgres": "ok", "redis": "ok", "mail": "off"}
    assert storage.startswith("ok (file:///") and "test-attachments" in storage


async def test_storage_that_does_not_answer_is_reported_without_making_the_api_unready(
    app, tmp_path
):
    import httpx

    from app.config import get_settings
    from app.main import create_app

    folder = tmp_path / "attachments"
    settings = get_settings().model_copy(update={"storage_url": folder.as_uri()})
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        folder.rmdir()  # gone after start: a volume that was unmounted
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            response = await http.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["storage"] == "failing: Unavailable"


async def test_readiness_names_the_smtp_server_without_credentials_or_probing_it(app):
    """Workers send mail, not the API: a mail server that does not answer (nothing listens on
    port 9 here) leaves the API ready, and the password never appears."""
    import httpx
    from pydantic import SecretStr

    from app.config import get_settings
    from app.main import create_app

    url = "smtp://mailer:hunter2-secret@127.0.0.1:9?starttls=false"
    application = create_app(get_settings().model_copy(update={"smtp_url": SecretStr(url)}))
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            response = await http.get("/readyz")
    assert response.status_code == 200
    checks = response.json()["checks"]
    assert {name: checks[name] for name in ("postgres", "redis", "mail")} == {
        "postgres": "ok",
        "redis": "ok",
        "mail": "smtp://127.0.0.1:9",
    }
    assert "hunter2" not in response.text and "mailer" not in response.text


async def test_metrics_are_prometheus_text(client):
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert "# TYPE supportdesk_http_requests_total counter" in response.text


async def test_requests_are_counted_by_route_template(client):
    labels = {"method": "GET", "route": "/v1/tickets/{ticket_id}", "status": "404"}
    before = sample(
        (await client.get("/metrics")).text, "supportdesk_http_requests_total", **labels
    )
    response = await client.get(f"/v1/tickets/{MISSING_TICKET}", headers=ADMIN)
    assert response.status_code == 404
    metrics = (await client.get("/metrics")).text
    after = sample(metrics, "supportdesk_http_requests_total", **labels)
    assert after == before + 1
    assert MISSING_TICKET not in metrics


async def test_request_latency_is_observed_by_route_template(client):
    labels = {"method": "GET", "route": "/v1/organizations"}
    name = "supportdesk_http_request_duration_seconds_count"
    before = sample((await client.get("/metrics")).text, name, **labels)
    await client.get("/v1/organizations", headers=ADMIN)
    after = sample((await client.get("/metrics")).text, name, **labels)
    assert after == before + 1


async def queue_depths(client) -> dict[tuple[str, str], float]:
    from app import queue_depth

    queue_depth._last_refresh = 0.0  # the gauges refresh at most once a second
    text = (await client.get("/metrics")).text
    return {
        (queue, state): sample(text, "supportdesk_queue_depth", queue=queue, state=state)
        for queue in ("jobs", "outbox", "webhooks")
        for state in ("ready", "deferred")
    }


async def test_queue_depth_separates_ready_from_deferred_work(client, app):
    from datetime import timedelta

    from app import timesource
    from app.webhooks import relay
    from tests.factories import make_tenant, make_ticket

    created = await client.post(
        "/v1/webhook-endpoints", json={"url": "http://127.0.0.1:9/hooks"}, headers=ADMIN
    )
    assert created.status_code == 201
    tenant = await make_tenant(client)
    await make_ticket(client, requester=tenant.contact)
    # A timer due in an hour is deferred work; a job due now is ready.
    await app.state.arq.enqueue_job("fire_clock", "timer", _defer_by=3600)
    await app.state.arq.enqueue_job("route_tickets", _job_id="ready-now")
    before = await queue_depths(client)
    assert before[("outbox", "ready")] >= 1
    assert before[("jobs", "deferred")] == 1
    assert before[("jobs", "ready")] >= 1

    await relay.relay(app.state.engine)
    after = await queue_depths(client)
    assert after[("outbox", "ready")] == 0
    assert after[("webhooks", "ready")] >= 1

    real_now = timesource.now()
    timesource.set_source(lambda: real_now - timedelta(hours=1))
    earlier = await queue_depths(client)
    assert earlier[("webhooks", "ready")] == 0
    assert earlier[("webhooks", "deferred")] == after[("webhooks", "ready")]

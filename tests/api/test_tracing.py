"""Optional tracing: off by default; on, requests and their SQL become spans."""

import asyncio

import httpx

from app import tracing
from app.config import get_settings
from app.main import create_app
from tests.factories import ADMIN


def uninstrument() -> None:
    """Undoes what tracing.setup instrumented (it is process-wide)."""
    from opentelemetry.instrumentation.aiohttp_client import AioHttpClientInstrumentor
    from opentelemetry.instrumentation.asyncpg import AsyncPGInstrumentor
    from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor

    for instrumentor in (AsyncPGInstrumentor, HTTPXClientInstrumentor, AioHttpClientInstrumentor):
        instrumentor().uninstrument()


def test_tracing_is_off_by_default():
    assert get_settings().tracing is False
    assert tracing.setup(get_settings(), service="test") is False


async def test_requests_and_their_queries_become_spans():
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    settings = get_settings().model_copy(update={"tracing": True})
    exporter = InMemorySpanExporter()
    app = create_app()  # tracing off: it is switched on below with an in-memory exporter
    try:
        assert tracing.setup(settings, service="supportdesk-api", app=app, exporter=exporter)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
                response = await http.get("/v1/organizations", headers=ADMIN)
        assert response.status_code == 200
    finally:
        uninstrument()
    spans = exporter.get_finished_spans()
    names = [span.name for span in spans]
    assert "GET /v1/organizations" in names
    server = next(span for span in spans if span.name == "GET /v1/organizations")
    queries = [span for span in spans if span.attributes.get("db.system") == "postgresql"]
    assert queries, names
    assert all(span.context.trace_id == server.context.trace_id for span in queries)


async def test_webhook_posts_carry_the_trace():
    """Webhooks go out through aiohttp: with tracing on, each POST is a span and the receiver
    gets its `traceparent`."""
    import ipaddress

    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    from app.webhooks.client import guarded_client, post

    heads: list[bytes] = []

    async def receive(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        heads.append(await reader.readuntil(b"\r\n\r\n"))
        writer.write(b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(receive, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    exporter = InMemorySpanExporter()
    settings = get_settings().model_copy(update={"tracing": True})
    assert tracing.setup(settings, service="supportdesk-worker", exporter=exporter)
    client = guarded_client([ipaddress.ip_network("127.0.0.0/8")], 5.0, 4)
    try:
        url = f"http://127.0.0.1:{port}/hook"
        outcome = await post(client, url, b"{}", {"content-type": "application/json"}, 5.0)
    finally:
        await client.aclose()
        server.close()
        uninstrument()
    assert outcome.status_code == 204, outcome
    assert b"traceparent:" in heads[0].lower()
    names = [span.name for span in exporter.get_finished_spans()]
    assert any(name.startswith("POST") for name in names), names

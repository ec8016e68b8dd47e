"""Optional tracing: off by default; on, requests and their SQL become spans."""

import httpx

from app import tracing
from app.config import get_settings
from app.main import create_app
from tests.factories import ADMIN


def test_tracing_is_off_by_default():
    assert get_settings().tracing is False
    assert tracing.setup(get_settings(), service="test") is False


async def test_requests_and_their_queries_become_spans():
    from opentelemetry.instrumentation.asyncpg import AsyncPGInstrumentor
    from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
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
        AsyncPGInstrumentor().uninstrument()
        HTTPXClientInstrumentor().uninstrument()
    spans = exporter.get_finished_spans()
    names = [span.name for span in spans]
    assert "GET /v1/organizations" in names
    server = next(span for span in spans if span.name == "GET /v1/organizations")
    queries = [span for span in spans if span.attributes.get("db.system") == "postgresql"]
    assert queries, names
    assert all(span.context.trace_id == server.context.trace_id for span in queries)

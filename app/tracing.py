"""Optional OpenTelemetry tracing: off by default, on with SUPPORTDESK_TRACING=true.

Spans for HTTP requests (by route template), SQL (asyncpg) and outbound webhooks (aiohttp;
httpx for any other client),
exported over OTLP/HTTP to the collector named by the standard OTEL_EXPORTER_OTLP_* variables
(default http://localhost:4318). Needs the `otel` extra: pip install 'supportdesk[otel]'.
"""

import logging
from typing import Any

from fastapi import FastAPI

from app.config import Settings

log = logging.getLogger("supportdesk.tracing")


def setup(
    settings: Settings, *, service: str, app: FastAPI | None = None, exporter: Any = None
) -> bool:
    """Installs tracing when enabled; returns whether it did. `exporter` replaces OTLP (tests)."""
    if not settings.tracing:
        return False
    try:
        from opentelemetry import trace
        from opentelemetry.instrumentation.aiohttp_client import AioHttpClientInstrumentor
        from opentelemetry.instrumentation.asyncpg import AsyncPGInstrumentor
        from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
        from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor
    except ImportError:
        log.warning("SUPPORTDESK_TRACING is on but the otel extra is not installed")
        return False
    provider = TracerProvider(resource=Resource.create({"service.name": service}))
    if exporter is None:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    else:
        provider.add_span_processor(SimpleSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    AsyncPGInstrumentor().instrument(tracer_provider=provider)
    HTTPXClientInstrumentor().instrument(tracer_provider=provider)
    AioHttpClientInstrumentor().instrument(tracer_provider=provider)
    if app is not None:
        FastAPIInstrumentor.instrument_app(
            app, tracer_provider=provider, excluded_urls="healthz,readyz,metrics"
        )
    log.info("tracing on", extra={"service": service})
    return True

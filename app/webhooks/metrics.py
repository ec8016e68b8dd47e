"""Webhook delivery metrics (served by the workers that send)."""

from datetime import datetime
from typing import Any

from prometheus_client import Counter, Histogram

from app.webhooks.models import DeliveryStatus

ATTEMPTS = Counter(
    "supportdesk_webhook_attempts_total",
    "Webhook delivery attempts by outcome: delivered, retrying (failed, will retry), "
    "failed (gave up or endpoint gone)",
    ["outcome"],
)
ATTEMPT_SECONDS = Histogram(
    "supportdesk_webhook_attempt_duration_seconds",
    "Duration of one webhook POST",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15),
)
LATENCY_SECONDS = Histogram(
    "supportdesk_webhook_event_to_delivery_seconds",
    "From an event's commit to its successful delivery",
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300),
)
ENDPOINTS_DISABLED = Counter(
    "supportdesk_webhook_endpoints_disabled_total", "Endpoints disabled (410 or failing too long)"
)


def observe(result: Any, status: str, now: datetime) -> None:
    """One attempt's outcome (a sender Result) and, once delivered, the end-to-end latency."""
    label = {DeliveryStatus.delivered: "delivered", DeliveryStatus.pending: "retrying"}.get(
        status, "failed"
    )
    ATTEMPTS.labels(label).inc()
    ATTEMPT_SECONDS.observe(result.outcome.duration_ms / 1000)
    if status == DeliveryStatus.delivered:
        LATENCY_SECONDS.observe((now - result.claim.event_created_at).total_seconds())

"""Work waiting, by whether it could run now (`ready`) or waits for its time (`deferred`).

Autoscalers scale workers on the ready depth: a million SLA timers deferred to next week, or
webhook retries waiting out their backoff, are no reason to add workers.
"""

import time

import sqlalchemy as sa
from arq.connections import ArqRedis
from arq.constants import default_queue_name
from prometheus_client import Gauge
from sqlalchemy.ext.asyncio import AsyncEngine

from app import timesource

QUEUE_DEPTH = Gauge(
    "supportdesk_queue_depth",
    "Work waiting: arq jobs, outbox events not yet relayed, webhook deliveries",
    ["queue", "state"],
)
QUEUE_DEPTH_READY = Gauge(
    "supportdesk_queue_ready_total", "All work that could run now (scale workers on this)"
)
BACKLOG = Gauge(
    "supportdesk_backlog",
    "Work waiting for people: tickets no one could take, organizations without a PM",
    ["kind"],
)
RECONCILER_LAG = Gauge(
    "supportdesk_sla_reconciler_lag_seconds",
    "How late the most overdue SLA transition is (0 when nothing due is waiting)",
)
# Everything a scrape reads from Postgres, in one round trip.
_STATE = sa.text(
    """
    SELECT deliveries.ready AS deliveries_ready, deliveries.deferred AS deliveries_deferred,
      (SELECT count(*) FROM outbox) AS outbox,
      (SELECT count(*) FROM tickets WHERE routing_requested_at IS NOT NULL
         AND status NOT IN ('resolved', 'closed', 'cancelled')) AS unassigned,
      (SELECT count(*) FROM organizations
         WHERE pm_id IS NULL AND pm_requested_at IS NOT NULL) AS without_pm,
      (SELECT min(next_fire_at) FROM ticket_clocks
         WHERE next_fire_at IS NOT NULL AND next_fire_at <= :now) AS oldest_due
    FROM (
      SELECT count(*) FILTER (WHERE d.next_attempt_at <= :now) AS ready,
             count(*) FILTER (WHERE d.next_attempt_at > :now) AS deferred
      FROM webhook_deliveries d JOIN webhook_endpoints w ON w.id = d.endpoint_id AND w.enabled
      WHERE d.status = 'pending'
    ) AS deliveries
    """
)
MIN_INTERVAL = 1.0
_last_refresh = 0.0


async def refresh(engine: AsyncEngine, redis: ArqRedis) -> None:
    """Updates the gauges, at most once a second however often Prometheus scrapes."""
    global _last_refresh
    if time.monotonic() - _last_refresh < MIN_INTERVAL:
        return
    _last_refresh = time.monotonic()
    now = timesource.now()
    async with engine.connect() as connection:
        row = (await connection.execute(_STATE, {"now": now})).one()
    now_ms = int(now.timestamp() * 1000)
    depths = {
        ("jobs", "ready"): await redis.zcount(default_queue_name, "-inf", now_ms),
        ("jobs", "deferred"): await redis.zcount(default_queue_name, f"({now_ms}", "+inf"),
        ("outbox", "ready"): row.outbox,
        ("webhooks", "ready"): row.deliveries_ready,
        ("webhooks", "deferred"): row.deliveries_deferred,
    }
    for (queue, state), value in depths.items():
        QUEUE_DEPTH.labels(queue, state).set(value)
    QUEUE_DEPTH_READY.set(sum(value for (_, state), value in depths.items() if state == "ready"))
    BACKLOG.labels("unassigned_tickets").set(row.unassigned)
    BACKLOG.labels("organizations_without_pm").set(row.without_pm)
    lag = (now - row.oldest_due).total_seconds() if row.oldest_due is not None else 0.0
    RECONCILER_LAG.set(max(lag, 0.0))

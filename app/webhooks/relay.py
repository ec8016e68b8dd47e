"""The outbox relay: gives committed events their change-feed position and fans them out
into webhook deliveries, in one transaction per batch.

One relay runs at a time (the feed_state row lock). It takes outbox rows in insertion order
and numbers their events by `seq`; writers lock a ticket before recording its events, so
events of one ticket are numbered in the order their transactions committed. Rows of a
transaction still open are invisible here and get the next positions once it commits, so
a feed reader never sees a position appear below one it has already read.
"""

import time
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from app import timesource
from app.events import metrics

BATCH = 2000
NOTIFY_CHANNEL = "supportdesk_deliveries"
# Told the last position numbered after every batch: API processes stream from it.
FEED_CHANNEL = "supportdesk_feed"

_LOCK = sa.text("SELECT last_position FROM feed_state WHERE id = 1 FOR UPDATE SKIP LOCKED")
# For a feed reader: wait (briefly) for a running relay, then number what is still left, so
# a client reading the feed right after its own write sees that write.
_LOCK_WAITING = sa.text("SELECT last_position FROM feed_state WHERE id = 1 FOR UPDATE")
_TAKE = sa.text(
    """
    WITH taken AS (
        DELETE FROM outbox
        WHERE id IN (SELECT id FROM outbox ORDER BY id LIMIT :batch)
        RETURNING event_id
    ), numbered AS (
        SELECT e.id, :last + row_number() OVER (ORDER BY e.seq) AS position
        FROM events e JOIN taken t ON t.event_id = e.id
    )
    UPDATE events SET position = numbered.position
    FROM numbered WHERE events.id = numbered.id
    RETURNING events.id, events.position, events.type,
              events.data -> 'ticket' ->> 'channel' AS channel,
              events.data -> 'ticket' ->> 'priority' AS priority,
              events.data ->> 'metric' AS metric,
              events.data -> 'escalation' ->> 'trigger' AS trigger,
              events.data -> 'escalation' ->> 'level' AS level
    """
)
_FAN_OUT = sa.text(
    """
    INSERT INTO webhook_deliveries (id, endpoint_id, event_id, event_type, ticket_id, position,
                                    status, attempt_count, failures, next_attempt_at,
                                    created_at, updated_at)
    SELECT gen_random_uuid(), w.id, e.id, e.type, e.ticket_id, e.position,
           'pending', 0, 0, :now, :now, :now
    FROM events e
    JOIN webhook_endpoints w
      ON w.enabled
     AND (w.organization_id IS NULL
          OR (w.organization_id = e.organization_id AND e.visibility = 'public'))
     AND (cardinality(w.event_types) = 0 OR e.type = ANY (w.event_types))
    WHERE e.position > :after AND e.position <= :upto
    ON CONFLICT (endpoint_id, event_id) DO NOTHING
    """
)


@dataclass
class Batch:
    """The events one relay batch numbered, and how many deliveries it created for them."""

    events: list[Any]
    deliveries: int = 0


async def relay_batch(connection: AsyncConnection, *, wait: bool = False) -> Batch | None:
    """Relays one batch inside the caller's transaction; None when another relay holds the
    lock (or, with `wait`, still holds it after a second)."""
    if wait:
        await connection.execute(sa.text("SET LOCAL lock_timeout = '1s'"))
    try:
        last = (await connection.execute(_LOCK_WAITING if wait else _LOCK)).scalar_one_or_none()
    except DBAPIError as error:
        if "lock timeout" not in str(error):
            raise
        return None
    if last is None:
        return None
    rows = list((await connection.execute(_TAKE, {"batch": BATCH, "last": last})).all())
    if not rows:
        return Batch(rows)
    upto = last + len(rows)
    await connection.execute(
        sa.text("UPDATE feed_state SET last_position = :upto WHERE id = 1"), {"upto": upto}
    )
    fanned = await connection.execute(
        _FAN_OUT, {"now": timesource.now(), "after": last, "upto": upto}
    )
    if fanned.rowcount:
        await connection.execute(sa.text(f"NOTIFY {NOTIFY_CHANNEL}"))
    await connection.execute(sa.text(f"NOTIFY {FEED_CHANNEL}"))
    return Batch(rows, fanned.rowcount or 0)


# A burst of new deliveries makes the table's statistics stale, and with stale statistics the
# claim query's "earlier delivery of this ticket still pending?" check can be planned as a
# scan of every pending row per candidate. Autovacuum catches up eventually (0011 makes it
# keener); a burst is analyzed at once, at most once a minute per process.
ANALYZE_AFTER = 1000
ANALYZE_EVERY = 60.0
_last_analyze = 0.0


async def _analyze_after_burst(engine: AsyncEngine, fanned: int) -> None:
    global _last_analyze
    if fanned < ANALYZE_AFTER or time.monotonic() - _last_analyze < ANALYZE_EVERY:
        return
    _last_analyze = time.monotonic()
    async with engine.connect() as connection:
        await connection.execute(sa.text("ANALYZE webhook_deliveries"))
        await connection.commit()


async def relay(
    engine: AsyncEngine, *, max_batches: int = 50, wait: bool = False
) -> tuple[int, bool]:
    """Relays until the outbox is empty (or max_batches): the events numbered, and whether
    another relay held the lock."""
    total, fanned = 0, 0
    async with engine.connect() as connection:
        # A cheap look first: feed readers call this on every page.
        if not await connection.scalar(sa.text("SELECT EXISTS (SELECT 1 FROM outbox)")):
            return 0, False
    for _ in range(max_batches):
        async with engine.begin() as connection:
            batch = await relay_batch(connection, wait=wait)
        if batch is None:
            return total, True
        metrics.count(batch.events)  # committed: count each event once
        total += len(batch.events)
        fanned += batch.deliveries
        if len(batch.events) < BATCH:
            break
    await _analyze_after_burst(engine, fanned)
    return total, False

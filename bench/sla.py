"""SLA breach lateness and reconciler query time with many open tickets.

Run from the repository root::

    .venv/bin/python bench/sla.py                       # 1,000,000 then 100,000 open tickets
    .venv/bin/python bench/sla.py --open 200000 --also 0 --due 2000 --window 20
    .venv/bin/python bench/sla.py --json

For each size it drops and recreates the bench database, migrates it, bulk-loads one
organization, one designated contact and N open tickets with their two running clocks in
server-side SQL, arms ``--due`` first-response clocks to breach uniformly over
[T0 + 15 s, T0 + 15 s + window] (T0 = the database clock when loading is done), starts
``--workers`` ``supportdesk worker`` processes and waits for the breaches. It reports breach
lateness (``breached_at - due_at``), exactly-once counts (``sla_firings``, ``events``) and the
``EXPLAIN (ANALYZE, BUFFERS)`` time of the reconciler's due-rows query, then compares sizes.
Worker logs and the last results go to ``bench/results/`` (git-ignored).
Exit status: 0 ok, 1 setup error, 3 a run missed or duplicated breaches.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import asyncpg
import redis.asyncio as aioredis
from arq import create_pool
from arq.connections import RedisSettings
from arq.constants import result_key_prefix as RESULT_PREFIX
from arq.jobs import JobResult, deserialize_result
from arq.utils import ms_to_datetime
from harness import (
    RESULTS_DIR,
    BenchError,
    Process,
    add_common,
    add_load,
    app_env,
    check_alive,
    code_line,
    connection,
    drop_unless_kept,
    flush_redis,
    fmt,
    fresh_database,
    lanes,
    load_avg,
    log,
    parse,
    parser,
    processes,
    provenance,
    rounded,
    run_bench,
    supportdesk_bin,
    vacuum_analyze,
    write_report,
)

DEFAULT_DATABASE = "supportdesk_bench_sla"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/13"
TARGET_P99_MS = 500.0  # issue 15 (was 2,000 ms)
LEAD_S = 15.0  # first due instant after T0: room for the workers to start
GRACE_S = 10.0  # wait this long after the last due instant
STOP_TIMEOUT_S = 20.0
DUE_QUERY = (
    "SELECT * FROM ticket_clocks WHERE next_fire_at <= now() "
    "ORDER BY next_fire_at LIMIT 500 FOR UPDATE SKIP LOCKED"
)
DUE_INDEX = "ix_ticket_clocks_next_fire_at"
# Query time "does not grow" if the larger size is within this factor (+ a noise floor).
GROWTH_FACTOR, GROWTH_FLOOR_MS = 1.5, 0.5


# --------------------------------------------------------------------- results


@dataclass
class Lateness:
    clocks: int
    fired: int
    never_fired: int
    min_ms: float | None
    p50_ms: float | None
    p90_ms: float | None
    p99_ms: float | None
    max_ms: float | None
    # events.created_at - due_at: when the breach event was written, just before its commit
    # (breached_at is the instant the firing batch started).
    event_p50_ms: float | None
    event_p99_ms: float | None
    event_max_ms: float | None


@dataclass
class Counts:
    breach_firings: int
    at_risk_firings: int
    breach_events: int
    breach_event_tickets: int
    outbox_rows: int
    breached_clocks: int


@dataclass
class QueryTime:
    runs: int
    median_ms: float
    first_ms: float
    max_ms: float
    planning_ms: float
    rows: int
    buffers: int
    uses_index: bool
    plan: str


@dataclass
class Reconciler:
    """reconcile_sla cron runs (busy = fired something) and fire_clock jobs, from arq's results.

    start = job start - cron tick; missed = ticks between the first and last run with no run.
    """

    runs: int
    failed_runs: int
    missed_ticks: int
    start_p50_ms: float | None
    start_max_ms: float | None
    busy_runs: int
    busy_p50_ms: float | None
    busy_max_ms: float | None
    fired: int
    timer_jobs: int
    timer_fired: int
    first_error: str | None


@dataclass
class Scenario:
    open_tickets: int
    due: int
    load_s: float
    vacuum_s: float
    waited_s: float
    # 1-minute load average of the machine after the firing phase (other work skews results).
    load_avg: float
    lateness: Lateness
    counts: Counts
    query: QueryTime
    reconciler: Reconciler

    @property
    def exactly_once(self) -> bool:
        c, due = self.counts, self.due
        return (
            self.lateness.never_fired == 0
            and c.breach_firings == due
            and c.breach_events == due
            and c.breach_event_tickets == due
            and c.breached_clocks == due
        )


# ------------------------------------------------------------------------- CLI


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = parser(__doc__)
    p.add_argument("--open", type=int, default=1_000_000, help="open tickets (first run)")
    p.add_argument("--also", type=int, default=100_000, help="open tickets of the 2nd run; 0 skips")
    p.add_argument("--due", type=int, default=10_000, help="first-response clocks coming due")
    p.add_argument("--window", type=float, default=60.0, help="seconds the due instants span")
    p.add_argument("--workers", type=int, default=2, help="`supportdesk worker` processes")
    add_load(p, chunk=50_000)
    p.add_argument("--explain-runs", type=int, default=7, help="EXPLAIN ANALYZE repetitions")
    p.add_argument(
        "--timers",
        action="store_true",
        help="also enqueue the deferred fire_clock job of each due clock (as the app does\n"
        "when it writes a clock); by default only the once-a-second reconciler fires them",
    )
    add_common(p, database=DEFAULT_DATABASE, redis_url=DEFAULT_REDIS_URL)
    args = parse(p, argv)
    if args.open < 1 or not 0 < args.due <= min(s for s in (args.open, args.also) if s > 0):
        p.error("--due must be positive and at most the number of open tickets")
    if args.window <= 0 or args.workers < 1 or args.chunk < 1 or args.load_connections < 1:
        p.error("--window, --workers, --chunk and --load-connections must be positive")
    return args


# ------------------------------------------------------------------------ load

SEED_SQL = """
WITH org AS (
    INSERT INTO organizations (id, created_at, updated_at, version, name, plan, industry,
                               platform, max_designated_contacts, designated_count)
    VALUES (gen_random_uuid(), now(), now(), 1, 'Bench Logistics GmbH', 'standard',
            'logistics', 'web', 5, 0)
    RETURNING id
)
INSERT INTO contacts (id, created_at, updated_at, version, organization_id, email, name,
                      designated)
SELECT gen_random_uuid(), now(), now(), 1, org.id, 'ops@bench-logistics.example',
       'Dana Ops', true
FROM org
RETURNING organization_id, id
"""

SUBJECTS = [
    "Cannot log in to %s after the password reset",
    "%s dashboard takes over a minute to load",
    "Export from %s produces an empty CSV file",
    "Webhook deliveries from %s fail with 502",
    "Invoice totals in %s do not match the order lines",
    "Users see a blank page in %s on Safari",
    "Please add SSO via Okta for %s",
    "%s sends duplicate notification e-mails",
    "Search in %s ignores the date filter",
    "Scheduled report from %s arrived twice",
    "Mobile upload to %s stalls at 99 percent",
    "Access request: new team members for %s",
]
PRODUCTS = [
    "the customer portal",
    "Billing",
    "the analytics module",
    "the shipment tracker",
    "the admin console",
    "the partner API",
    "the warehouse app",
]
OPENINGS = [
    "Since this morning several of our dispatchers are affected.",
    "We noticed this right after yesterday's release.",
    "A customer escalated this to our account manager today.",
    "This happens intermittently, roughly one request in ten.",
    "Our finance team relies on this for the month-end close.",
]
DETAILS = [
    "Steps: open the page, apply the usual filters, press Save; the spinner never stops.",
    "The browser console shows a 500 response and a request id we can share.",
    "Clearing the cache and trying another browser did not change anything.",
    "It works for administrators but not for regular users of the same organization.",
    "The same action through the API returns a timeout after thirty seconds.",
    "Attached logs show the error started at about 07:40 UTC.",
]
CLOSINGS = [
    "Could you please look into it and tell us about a workaround?",
    "Please let us know if you need access to a test account.",
    "We would appreciate an update before our shift change at 16:00.",
    "Thanks in advance for your help.",
]

LOAD_SQL = """
WITH src AS MATERIALIZED (
    SELECT g, gen_random_uuid() AS id, is_due,
           CASE WHEN is_due THEN $3::timestamptz - interval '4 hours'
                ELSE $3::timestamptz - make_interval(secs => (g % 86400)::float8) END AS opened_at
    FROM (SELECT g, (g % $4::bigint = 0 AND g / $4::bigint <= $5::bigint) AS is_due
          FROM generate_series($1::bigint, $2::bigint) AS g) AS numbered
), new_tickets AS (
    INSERT INTO tickets (id, created_at, updated_at, version, organization_id, requester_id,
                         subject, description, priority, category, channel, status, emergency,
                         context, escalation_level, revision_count)
    SELECT id, opened_at, opened_at, 1, $6::uuid, $7::uuid,
           format(s.subjects[1 + g % cardinality(s.subjects)],
                  s.products[1 + (g / 13) % cardinality(s.products)]),
           concat_ws(' ',
                     s.openings[1 + (g / 7) % cardinality(s.openings)],
                     s.details[1 + g % cardinality(s.details)],
                     'Reference ' || to_char(g, 'FM0000000') || '.',
                     s.closings[1 + (g / 11) % cardinality(s.closings)]),
           'medium',
           (ARRAY['technical', 'account', 'billing', 'request', 'project', 'feature_request',
                  'bug_report', 'general'])[1 + g % 8],
           (ARRAY['api', 'widget', 'email', 'portal', 'phone', 'chat'])[1 + (g / 8) % 6],
           'open', false,
           jsonb_build_object(
               'browser', (ARRAY['Firefox 133', 'Chrome 131', 'Safari 18'])[1 + g % 3],
               'os', (ARRAY['Windows 11', 'macOS 15', 'Ubuntu 24.04'])[1 + (g / 3) % 3]),
           1, 0
    FROM src, (SELECT $8::text[] AS subjects, $9::text[] AS products, $10::text[] AS openings,
                      $11::text[] AS details, $12::text[] AS closings) AS s
), planned AS (
    SELECT src.id, src.opened_at, m.metric, m.target_minutes,
           src.is_due AND m.metric = 'first_response' AS armed,
           $3::timestamptz + make_interval(days => m.days_ahead, secs => (src.g % 86400)::float8)
               AS far_due
    FROM src
    CROSS JOIN (VALUES ('first_response', 240, 3), ('resolution', 540, 5))
        AS m(metric, target_minutes, days_ahead)
), new_clocks AS (
    INSERT INTO ticket_clocks (ticket_id, metric, clock, target_minutes, at_risk_percent, status,
                               cycle, segments, started_at, due_at, at_risk_at, at_risk_fired_at,
                               next_fire_at, revision, updated_at)
    SELECT id, metric, 'business', target_minutes, 80, 'running', 0,
           jsonb_build_array(jsonb_build_object('state', 'running', 'start', opened_at,
                                                'end', NULL, 'reason', 'created')),
           opened_at, far_due, at_risk_at,
           CASE WHEN armed THEN opened_at END,
           CASE WHEN armed THEN far_due ELSE at_risk_at END,
           1, opened_at
    FROM (SELECT planned.*,
                 CASE WHEN armed THEN opened_at
                      ELSE far_due - make_interval(mins => target_minutes / 5) END AS at_risk_at
          FROM planned) AS p
)
SELECT id FROM src WHERE is_due
"""


async def seed_organization(database: str) -> tuple[uuid.UUID, uuid.UUID]:
    async with connection(database) as conn:
        row = await conn.fetchrow(SEED_SQL)
    return row["organization_id"], row["id"]


async def load_chunks(
    database: str, bounds: list[tuple[int, int]], params: tuple[Any, ...]
) -> list[uuid.UUID]:
    """Runs the load statement for each chunk on one connection; returns the due tickets."""
    due: list[uuid.UUID] = []
    async with connection(database) as conn:
        await conn.execute("SET synchronous_commit = off")
        for first, last in bounds:
            due += [row["id"] for row in await conn.fetch(LOAD_SQL, first, last, *params)]
    return due


async def load_tickets(database: str, args: argparse.Namespace, size: int) -> list[uuid.UUID]:
    org_id, contact_id = await seed_organization(database)
    async with connection(database) as conn:
        loaded_at = await conn.fetchval("SELECT now()")
    stride = size // args.due
    texts = (SUBJECTS, PRODUCTS, OPENINGS, DETAILS, CLOSINGS)
    params = (loaded_at, stride, args.due, org_id, contact_id, *texts)
    parts = lanes(size, args.chunk, args.load_connections)
    results = await asyncio.gather(*(load_chunks(database, lane, params) for lane in parts))
    due = [ticket_id for lane in results for ticket_id in lane]
    if len(due) != args.due:
        raise BenchError(f"loaded {len(due)} due tickets, expected {args.due}")
    return due


ARM_SQL = """
WITH due AS (
    SELECT d.ticket_id,
           now() + make_interval(secs => $2::float8 + $3::float8 * (d.k - 1)
                                         / greatest($4::bigint - 1, 1)) AS due_at
    FROM unnest($1::uuid[]) WITH ORDINALITY AS d(ticket_id, k)
)
UPDATE ticket_clocks AS c
SET due_at = due.due_at, next_fire_at = due.due_at, updated_at = now()
FROM due
WHERE c.ticket_id = due.ticket_id AND c.metric = 'first_response'
RETURNING c.ticket_id, c.due_at, c.cycle, c.revision
"""


async def arm_due(database: str, due: list[uuid.UUID], window: float) -> list[asyncpg.Record]:
    """Spreads the due clocks uniformly over [now + LEAD_S, now + LEAD_S + window]."""
    async with connection(database) as conn:
        rows = await conn.fetch(ARM_SQL, due, LEAD_S, window, len(due))
    if len(rows) != len(due):
        raise BenchError(f"armed {len(rows)} clocks, expected {len(due)}")
    return rows


async def enqueue_timers(redis_url: str, armed: list[asyncpg.Record]) -> None:
    """The deferred fire_clock jobs the app enqueues after committing a clock write."""
    pool = await create_pool(RedisSettings.from_dsn(redis_url))
    try:
        for row in armed:
            job_id = f"sla:{row['ticket_id']}:first_response:{row['cycle']}:{row['revision']}"
            await pool.enqueue_job(
                "fire_clock", str(row["ticket_id"]), _job_id=job_id, _defer_until=row["due_at"]
            )
    finally:
        await pool.aclose()


# --------------------------------------------------------------------- workers


def worker_log(size: int, index: int) -> Path:
    return RESULTS_DIR / f"sla-worker-{size}-{index}.log"


@contextmanager
def workers(env: dict[str, str], count: int, size: int) -> Iterator[list[Process]]:
    """`supportdesk worker` processes, each in its own process group; always stopped."""
    commands = [([supportdesk_bin(), "worker"], worker_log(size, i)) for i in range(count)]
    with processes(f"{count} workers", commands, env, STOP_TIMEOUT_S) as procs:
        yield procs


def check_workers(procs: list[Process], size: int) -> None:
    for index, proc in enumerate(procs):
        check_alive(proc, f"worker {index}", worker_log(size, index))


BREACHED_SQL = """
SELECT count(*) FROM ticket_clocks
WHERE ticket_id = ANY($1::uuid[]) AND metric = 'first_response' AND breached_at IS NOT NULL
"""


class JobResults:
    """arq's stored job results (kept 60 s for the crons), collected while the workers run."""

    def __init__(self, redis_url: str) -> None:
        self.client = aioredis.from_url(redis_url)
        self.results: dict[str, JobResult] = {}

    async def collect(self) -> None:
        keys = [key async for key in self.client.scan_iter(match=f"{RESULT_PREFIX}*", count=1000)]
        values = await self.client.mget(keys) if keys else []
        for key, value in zip(keys, values, strict=True):
            if value is not None:
                job_id = key.decode().removeprefix(RESULT_PREFIX)
                self.results[job_id] = deserialize_result(value)

    async def close(self) -> None:
        await self.client.aclose()

    def of(self, function: str) -> dict[str, JobResult]:
        return {job_id: r for job_id, r in self.results.items() if r.function == function}


async def wait_for_breaches(
    database: str,
    due: list[uuid.UUID],
    procs: list[Process],
    size: int,
    jobs: JobResults,
) -> float:
    """Polls until every due clock breached or the last due instant + GRACE_S passed."""
    started = time.monotonic()
    async with connection(database) as conn:
        remaining = await conn.fetchval(
            "SELECT extract(epoch FROM max(due_at) - clock_timestamp()) FROM ticket_clocks "
            "WHERE ticket_id = ANY($1::uuid[]) AND metric = 'first_response'",
            due,
        )
        deadline = started + float(remaining) + GRACE_S
        breached, last_report = 0, started
        while time.monotonic() < deadline:
            check_workers(procs, size)
            await jobs.collect()
            breached = await conn.fetchval(BREACHED_SQL, due)
            if breached >= len(due):
                break
            if time.monotonic() - last_report >= 10:
                log(f"  {breached}/{len(due)} breached")
                last_report = time.monotonic()
            await asyncio.sleep(1.0)
        log(f"  {breached}/{len(due)} breached after {time.monotonic() - started:.1f}s")
    return time.monotonic() - started


# --------------------------------------------------------------------- measure

LATENESS_SQL = """
SELECT count(*) AS clocks, count(breached_at) AS fired,
       percentile_cont(ARRAY[0.5, 0.9, 0.99]) WITHIN GROUP (ORDER BY ms) AS pcts,
       min(ms) AS min_ms, max(ms) AS max_ms
FROM (SELECT breached_at, extract(epoch FROM breached_at - due_at)::float8 * 1000 AS ms
      FROM ticket_clocks
      WHERE ticket_id = ANY($1::uuid[]) AND metric = 'first_response') AS lateness
"""

EVENT_LATENESS_SQL = """
SELECT percentile_cont(ARRAY[0.5, 0.99]) WITHIN GROUP (ORDER BY ms) AS pcts, max(ms) AS max_ms
FROM (SELECT extract(epoch FROM e.created_at - c.due_at)::float8 * 1000 AS ms
      FROM events AS e
      JOIN ticket_clocks AS c ON c.ticket_id = e.ticket_id AND c.metric = e.data ->> 'metric'
      WHERE e.type = 'ticket.sla_breached') AS lateness
"""

COUNTS_SQL = """
SELECT (SELECT count(*) FROM sla_firings WHERE kind = 'breach') AS breach_firings,
       (SELECT count(*) FROM sla_firings WHERE kind = 'at_risk') AS at_risk_firings,
       (SELECT count(*) FROM events WHERE type = 'ticket.sla_breached') AS breach_events,
       (SELECT count(DISTINCT ticket_id) FROM events
        WHERE type = 'ticket.sla_breached') AS breach_event_tickets,
       (SELECT count(*) FROM outbox) AS outbox_rows,
       (SELECT count(*) FROM ticket_clocks WHERE breached_at IS NOT NULL) AS breached_clocks
"""

REARM_SQL = """
UPDATE ticket_clocks SET next_fire_at = now() - interval '1 minute'
WHERE (ticket_id, metric) IN (
    SELECT ticket_id, metric FROM ticket_clocks
    WHERE metric = 'resolution' AND next_fire_at IS NOT NULL LIMIT 500)
"""


async def measure_lateness(conn: asyncpg.Connection, due: list[uuid.UUID]) -> Lateness:
    row = await conn.fetchrow(LATENESS_SQL, due)
    pcts = row["pcts"] or [None, None, None]
    events = await conn.fetchrow(EVENT_LATENESS_SQL)
    event_pcts = events["pcts"] or [None, None]
    return Lateness(
        clocks=row["clocks"],
        fired=row["fired"],
        never_fired=row["clocks"] - row["fired"],
        min_ms=rounded(row["min_ms"]),
        p50_ms=rounded(pcts[0]),
        p90_ms=rounded(pcts[1]),
        p99_ms=rounded(pcts[2]),
        max_ms=rounded(row["max_ms"]),
        event_p50_ms=rounded(event_pcts[0]),
        event_p99_ms=rounded(event_pcts[1]),
        event_max_ms=rounded(events["max_ms"]),
    )


async def measure_counts(conn: asyncpg.Connection) -> Counts:
    return Counts(**dict(await conn.fetchrow(COUNTS_SQL)))


def plan_nodes(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for child in node.get("Plans", []):
        yield from plan_nodes(child)


def plan_text(node: dict[str, Any], depth: int = 0) -> str:
    name = node["Node Type"] + (f" using {node['Index Name']}" if "Index Name" in node else "")
    line = f"{'  ' * depth}{name} (rows={node.get('Actual Rows')})"
    return "\n".join([line, *(plan_text(c, depth + 1) for c in node.get("Plans", []))])


async def explain_once(conn: asyncpg.Connection) -> dict[str, Any]:
    """EXPLAIN ANALYZE of the due-rows query in a transaction that is rolled back."""
    transaction = conn.transaction()
    await transaction.start()
    try:
        raw = await conn.fetchval(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {DUE_QUERY}")
    finally:
        await transaction.rollback()
    result: dict[str, Any] = json.loads(raw)[0]
    return result


async def measure_query(conn: asyncpg.Connection, runs: int) -> QueryTime:
    """Re-arms 500 clocks as due (workers stopped) and times the reconciler's query."""
    await conn.execute(REARM_SQL)
    explained = [await explain_once(conn) for _ in range(runs)]
    times = [e["Execution Time"] for e in explained]
    top = explained[-1]["Plan"]
    return QueryTime(
        runs=runs,
        median_ms=round(statistics.median(times), 3),
        first_ms=round(times[0], 3),
        max_ms=round(max(times), 3),
        planning_ms=round(statistics.median(e["Planning Time"] for e in explained), 3),
        rows=top.get("Actual Rows", 0),
        buffers=top.get("Shared Hit Blocks", 0) + top.get("Shared Read Blocks", 0),
        uses_index=any(n.get("Index Name") == DUE_INDEX for n in plan_nodes(top)),
        plan=plan_text(top),
    )


def ms_between(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() * 1000


def p50_max(values: list[float]) -> tuple[float | None, float | None]:
    if not values:
        return None, None
    return round(statistics.median(values), 1), round(max(values), 1)


def missed_ticks(ticks: list[int]) -> int:
    """Seconds between the first and the last cron tick that have no run."""
    if not ticks:
        return 0
    return (max(ticks) - min(ticks)) // 1000 + 1 - len(set(ticks))


def fired_count(result: JobResult) -> int:
    return result.result if result.success and isinstance(result.result, int) else 0


def reconciler_stats(jobs: JobResults) -> Reconciler:
    runs = jobs.of("cron:reconcile_sla")
    ticks = {job_id: int(job_id.rsplit(":", 1)[1]) for job_id in runs}
    starts = [ms_between(ms_to_datetime(ticks[j]), r.start_time) for j, r in runs.items()]
    busy = [r for r in runs.values() if fired_count(r) > 0]
    failed = [r for r in runs.values() if not r.success]
    timers = list(jobs.of("fire_clock").values())
    start_p50, start_max = p50_max(starts)
    busy_p50, busy_max = p50_max([ms_between(r.start_time, r.finish_time) for r in busy])
    return Reconciler(
        runs=len(runs),
        failed_runs=len(failed),
        missed_ticks=missed_ticks(list(ticks.values())),
        start_p50_ms=start_p50,
        start_max_ms=start_max,
        busy_runs=len(busy),
        busy_p50_ms=busy_p50,
        busy_max_ms=busy_max,
        fired=sum(fired_count(r) for r in runs.values()),
        timer_jobs=len(timers),
        timer_fired=sum(fired_count(r) for r in timers),
        first_error=repr(failed[0].result)[:300] if failed else None,
    )


# ------------------------------------------------------------------------ runs


async def prepare(args: argparse.Namespace, size: int) -> tuple[list[uuid.UUID], float, float]:
    """Fresh database, migrations, bulk load and VACUUM ANALYZE; returns the due tickets."""
    await fresh_database(args.database)
    log(f"loading {size:,} open tickets ({args.due:,} to come due) in chunks of {args.chunk:,}")
    started = time.monotonic()
    due = await load_tickets(args.database, args, size)
    load_s = time.monotonic() - started
    log(f"loaded in {load_s:.1f}s; VACUUM ANALYZE")
    started = time.monotonic()
    tables = ("organizations", "contacts", "tickets", "ticket_clocks")
    await vacuum_analyze(args.database, tables, before=["ANALYZE"])
    vacuum_s = time.monotonic() - started
    log(f"VACUUM ANALYZE + CHECKPOINT in {vacuum_s:.1f}s")
    random.Random(size).shuffle(due)
    return due, load_s, vacuum_s


async def fire(
    args: argparse.Namespace, size: int, due: list[uuid.UUID], jobs: JobResults
) -> float:
    """Arms the due clocks, runs the workers until they breached, stops the workers."""
    env = app_env(args.database, args.redis_url)
    await flush_redis(args.redis_url)
    armed = await arm_due(args.database, due, args.window)
    if args.timers:
        await enqueue_timers(args.redis_url, armed)
    log(f"armed {len(armed):,} clocks due over {LEAD_S:.0f}s..{LEAD_S + args.window:.0f}s")
    log(f"starting {args.workers} workers")
    with workers(env, args.workers, size) as procs:
        waited = await wait_for_breaches(args.database, due, procs, size, jobs)
    await jobs.collect()
    return waited


async def measure(
    args: argparse.Namespace, due: list[uuid.UUID]
) -> tuple[Lateness, Counts, QueryTime]:
    async with connection(args.database) as conn:
        lateness = await measure_lateness(conn, due)
        counts = await measure_counts(conn)
        query = await measure_query(conn, args.explain_runs)
    return lateness, counts, query


async def run_size(args: argparse.Namespace, size: int) -> Scenario:
    due, load_s, vacuum_s = await prepare(args, size)
    jobs = JobResults(args.redis_url)
    try:
        waited_s = await fire(args, size, due, jobs)
    finally:
        await jobs.close()
    lateness, counts, query = await measure(args, due)
    scenario = Scenario(
        open_tickets=size,
        due=args.due,
        load_s=round(load_s, 1),
        vacuum_s=round(vacuum_s, 1),
        waited_s=round(waited_s, 1),
        load_avg=load_avg()[0],
        lateness=lateness,
        counts=counts,
        query=query,
        reconciler=reconciler_stats(jobs),
    )
    log(f"{size:,}: p99 {lateness.p99_ms} ms, query {query.median_ms} ms")
    return scenario


# ---------------------------------------------------------------------- report


def ms(value: float | None) -> str:
    """Milliseconds to the unit; '-' when there are none."""
    return fmt(value, ".0f")


def growth_verdict(scenarios: list[Scenario]) -> str | None:
    if len(scenarios) < 2:
        return None
    by_size = sorted(scenarios, key=lambda s: s.open_tickets)
    small, big = by_size[0], by_size[-1]
    ratio = big.query.median_ms / small.query.median_ms if small.query.median_ms else 0.0
    grows = big.query.median_ms > small.query.median_ms * GROWTH_FACTOR + GROWTH_FLOOR_MS
    return (
        f"reconciler query: {'GROWS' if grows else 'does not grow'} with open tickets "
        f"({small.open_tickets:,}: {small.query.median_ms:.2f} ms, {small.query.buffers} buffers; "
        f"{big.open_tickets:,}: {big.query.median_ms:.2f} ms, {big.query.buffers} buffers; "
        f"x{ratio:.2f}; index {DUE_INDEX} used: "
        f"{'yes' if all(s.query.uses_index for s in scenarios) else 'NO'})"
    )


def p99_verdict(scenarios: list[Scenario]) -> str:
    p99s = [s.lateness.p99_ms for s in scenarios]
    met = all(p is not None and p <= TARGET_P99_MS for p in p99s)
    met = met and all(s.lateness.never_fired == 0 for s in scenarios)
    shown = ", ".join(f"{s.open_tickets:,}: {ms(s.lateness.p99_ms)} ms" for s in scenarios)
    verdict = "MET" if met else "NOT MET"
    return f"target (p99 lateness <= {TARGET_P99_MS:.0f} ms): {verdict} ({shown})"


def details(s: Scenario) -> list[str]:
    r, q, lat = s.reconciler, s.query, s.lateness
    plan = " > ".join(line.strip() for line in q.plan.splitlines())
    return [
        f"{s.open_tickets:,} open: load {s.load_s:.1f} s + VACUUM ANALYZE {s.vacuum_s:.1f} s; "
        f"waited {s.waited_s:.1f} s (load avg {s.load_avg:.2f}); "
        f"lateness min {ms(lat.min_ms)} ms, "
        f"event p50/max {ms(lat.event_p50_ms)}/{ms(lat.event_max_ms)} ms",
        f"  reconcile_sla: {r.runs} runs ({r.failed_runs} failed, {r.missed_ticks} ticks missed),"
        f" start after tick p50/max {ms(r.start_p50_ms)}/{ms(r.start_max_ms)} ms; {r.busy_runs}"
        f" fired {r.fired}, took p50/max {ms(r.busy_p50_ms)}/{ms(r.busy_max_ms)} ms",
        f"  fire_clock: {r.timer_jobs} jobs fired {r.timer_fired}; at-risk firings "
        f"{s.counts.at_risk_firings}; outbox rows {s.counts.outbox_rows}"
        + (f"; first failed run: {r.first_error}" if r.first_error else ""),
        f"  query: {q.runs} runs, first {q.first_ms:.2f} ms, max {q.max_ms:.2f} ms, planning "
        f"{q.planning_ms:.2f} ms, {q.rows} rows; {plan}",
    ]


def format_table(scenarios: list[Scenario]) -> str:
    head = (
        f"{'open':>10}{'load s':>8}{'p50 ms':>8}{'p90 ms':>8}{'p99 ms':>8}{'max ms':>8}"
        f"{'missed':>7}{'firings':>8}{'events':>8}{'evt p99':>8}{'query ms':>9}{'buffers':>8}"
        f"{'index':>6}{'recon ms':>9}"
    )
    rows = [head, "-" * len(head)]
    for s in scenarios:
        lat, q = s.lateness, s.query
        rows.append(
            f"{s.open_tickets:>10,}{s.load_s:>8.1f}{ms(lat.p50_ms):>8}{ms(lat.p90_ms):>8}"
            f"{ms(lat.p99_ms):>8}{ms(lat.max_ms):>8}{lat.never_fired:>7}"
            f"{s.counts.breach_firings:>8}{s.counts.breach_events:>8}{ms(lat.event_p99_ms):>8}"
            f"{q.median_ms:>9.2f}{q.buffers:>8}{'yes' if q.uses_index else 'NO':>6}"
            f"{ms(s.reconciler.busy_p50_ms):>9}"
        )
    rows += [
        "lateness = breached_at - due_at (breached_at = start of the firing batch); evt p99 ="
        " events.created_at - due_at (written just before commit); missed = never breached;",
        "load s = the INSERTs (VACUUM ANALYZE apart); query = median EXPLAIN ANALYZE execution"
        " of the due-rows query; recon = median duration of reconcile_sla runs that fired",
    ]
    rows += [line for s in scenarios for line in details(s)]
    rows.append(p99_verdict(scenarios))
    growth = growth_verdict(scenarios)
    if growth:
        rows.append(growth)
    rows.append(exactly_once_verdict(scenarios))
    return "\n".join(rows)


def exactly_once_verdict(scenarios: list[Scenario]) -> str:
    broken = [
        f"{s.open_tickets:,}: {s.lateness.never_fired} never breached, breached clocks "
        f"{s.counts.breached_clocks}, firings {s.counts.breach_firings}, events "
        f"{s.counts.breach_events} ({s.counts.breach_event_tickets} tickets) of {s.due}"
        for s in scenarios
        if not s.exactly_once
    ]
    if broken:
        return "exactly-once: FAILED (" + "; ".join(broken) + ")"
    return "exactly-once: every due clock breached once (firings = events = --due)"


def report(scenarios: list[Scenario], args: argparse.Namespace, code: dict[str, Any]) -> str:
    doc = {
        "params": {k: getattr(args, k) for k in ("open", "also", "due", "window", "workers")},
        "timers": args.timers,
        "code": code,
        "scenarios": [{**asdict(s), "exactly_once": s.exactly_once} for s in scenarios],
        "target": p99_verdict(scenarios),
        "growth": growth_verdict(scenarios),
        "exactly_once": exactly_once_verdict(scenarios),
    }
    table = code_line(code) + "\n" + format_table(scenarios)
    return write_report("sla", doc, table, args.json)


# ------------------------------------------------------------------------ main


async def run(args: argparse.Namespace) -> list[Scenario]:
    try:
        sizes = [args.open] + ([args.also] if args.also > 0 else [])
        return [await run_size(args, size) for size in sizes]
    finally:
        await drop_unless_kept(args.database, args.keep)


def bench(args: argparse.Namespace, code: dict[str, Any]) -> int:
    scenarios = asyncio.run(run(args))
    print(report(scenarios, args, code))
    return 0 if all(s.exactly_once for s in scenarios) else 3


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    code = provenance()  # before the run: others may edit the tree meanwhile
    return run_bench(lambda: bench(args, code))


if __name__ == "__main__":
    sys.exit(main())

"""Webhook delivery throughput and event-to-delivery latency of one worker.

Run from the repository root::

    .venv/bin/python bench/webhooks.py                       # 20,000 preloaded, then 200/s x 30 s
    .venv/bin/python bench/webhooks.py --only throughput --events 50000
    .venv/bin/python bench/webhooks.py --only latency --rate 400 --duration 20
    .venv/bin/python bench/webhooks.py --timings             # worker variant: claim/relay timings
    .venv/bin/python bench/webhooks.py --profile             # ... and cProfile of the worker

It drops and recreates the bench database, migrates it, seeds one organization, a contact,
``--tickets`` tickets and one webhook endpoint pointing at a local receiver (a minimal uvicorn
app in its own process that answers 204 and notes each ``webhook-id``'s arrival time), then:

1. throughput: preloads ``--events`` events with their outbox rows in SQL, starts one real
   ``supportdesk worker`` and waits until every delivery is ``delivered``; deliveries/s from the
   first attempt to the last delivery, with the CPU the worker, the receiver and the worker's
   Postgres backends used meanwhile;
2. latency: with the worker running, commits ``--rate`` events/s for ``--duration`` s, each in
   its own transaction (ticket row lock, then the events + outbox statement that
   ``app.events.service.record`` sends; ``--producer record`` calls record() itself), and
   measures per event the time from its commit to its arrival at the receiver.

Worker and receiver logs and the last results go to ``bench/results/`` (git-ignored).
Exit status: 0 ok, 1 setup error, 3 deliveries missing, failed or duplicated.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import math
import random
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import orjson
from harness import (
    RESULTS_DIR,
    ROOT,
    BenchError,
    CpuMeter,
    CpuUse,
    Process,
    Produced,
    Stage,
    add_common,
    app_env,
    app_url,
    check_alive,
    code_line,
    code_measured,
    connection,
    drop_unless_kept,
    dsn,
    finite,
    flush_redis,
    fmt,
    fmt_ms,
    free_port,
    fresh_database,
    log,
    log_tail,
    parse,
    parser,
    per_second,
    percentile,
    process,
    profile_top,
    rounded,
    run_bench,
    stage,
    summarize_timings,
    supportdesk_bin,
    vacuum_analyze,
    wait_until,
    wait_worker_started,
    write_report,
)

SCRIPT = str(Path(__file__).resolve())
DEFAULT_DATABASE = "supportdesk_bench_webhooks"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/12"
TARGET_RATE = 1000.0  # deliveries/s from one worker
TARGET_P99_MS = 500.0  # event commit -> arrival at the receiver, at a steady 200 events/s
STOP_TIMEOUT_S = 25.0  # the worker's own shutdown waits up to 20 s for in-flight sends
PRODUCER_APP = "bench-producer"  # the latency phase's event writers (the "API" side)


# --------------------------------------------------------------------- results


@dataclass
class Cpu:
    """CPU seconds used over a window of `wall_s` (machine busy: all cores, everyone's work)."""

    wall_s: float
    worker_s: float
    receiver_s: float
    worker_postgres_s: float
    producer_postgres_s: float
    bench_s: float
    machine_busy_s: float
    cores: int
    load_before: list[float]
    load_after: list[float]


@dataclass
class Throughput:
    events: int
    tickets: int
    preload_s: float
    delivered: int
    failed: int
    # not attempted when --window ran out (taken off the queue before the latency phase)
    cut: int
    unrelayed: int  # events still in the outbox then (dropped from it, so never delivered)
    pending: int
    attempts: int
    attempt_errors: dict[str, int]  # failed attempts (timeouts, connection errors, non-2xx)
    received: int
    duplicates: int
    # first attempt -> last delivered_at (database clock of the worker, i.e. its wall clock)
    window_s: float
    deliveries_per_s: float
    # first -> last arrival at the receiver
    receiver_window_s: float
    receiver_per_s: float
    # worker start -> first attempt (imports, connecting, first relay)
    startup_s: float
    # first attempt -> last delivery row created by the relay's fan-out
    relay_span_s: float
    per_second: list[int]
    cpu: Cpu
    worker_ms_per_delivery: float
    postgres_ms_per_delivery: float


@dataclass
class Latency:
    rate: float
    duration_s: float
    producer: str
    produced: int
    producer_errors: int
    achieved_rate: float
    # commit - scheduled instant (a late producer understates the offered rate)
    producer_lag_p99_ms: float | None
    received: int
    # not arrived drain_s after the last commit, by delivery status ("not relayed": no row);
    # percentiles that fall on them are null (shown as "> drain")
    missing: int
    missing_by_state: dict[str, int]
    drain_s: float
    duplicates: int
    attempt_errors: dict[str, int]
    p50_ms: float | None
    p95_ms: float | None
    p99_ms: float | None
    max_ms: float | None
    # where the time goes, per event, from the database's timestamps:
    stages: dict[str, Stage]
    late_by_second: list[float | None]
    cpu: Cpu
    worker_ms_per_event: float


@dataclass
class Result:
    params: dict[str, Any]
    code: dict[str, Any]
    throughput: Throughput | None = None
    latency: Latency | None = None
    timings: dict[str, Any] | None = None
    profile: list[str] | None = None
    signature_ok: bool | None = None
    problems: list[str] = field(default_factory=list)


# ------------------------------------------------------------------------- CLI


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = parser(__doc__)
    p.add_argument("--events", type=int, default=20_000, help="preloaded events (throughput)")
    p.add_argument("--tickets", type=int, default=2_000, help="tickets the events spread over")
    p.add_argument("--rate", type=float, default=200.0, help="events/s of the latency phase")
    p.add_argument("--duration", type=float, default=30.0, help="seconds of the latency phase")
    p.add_argument("--only", choices=["throughput", "latency"], help="run one phase only")
    p.add_argument(
        "--concurrency",
        type=int,
        help="SUPPORTDESK_WEBHOOK_CONCURRENCY of the worker (default: the app's, 128)",
    )
    p.add_argument(
        "--producer",
        choices=["sql", "record"],
        default="sql",
        help="latency phase writers: the single-event statement app.events.service.record\n"
        "sends, on raw asyncpg (default: leaves the cores to the worker), or record() itself\n"
        "in an app unit of work (SQLAlchemy session), at about twice the bench's CPU",
    )
    p.add_argument("--producer-connections", type=int, default=16, help="writer pool size")
    p.add_argument(
        "--mail",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="run the worker's mail pump too, as a default worker does (plans mail for every\n"
        "event: about as much worker CPU as delivering its webhook); --no-mail measures a worker\n"
        "that only delivers webhooks (SUPPORTDESK_WORKER_MAIL=false)",
    )
    p.add_argument(
        "--window",
        type=float,
        default=60.0,
        help="throughput: stop waiting this many seconds after the first arrival and measure\n"
        "what was delivered by then (keeps a slow run short)",
    )
    p.add_argument("--timeout", type=float, default=60.0, help="max seconds for any other wait")
    p.add_argument(
        "--timings",
        action="store_true",
        help="run the worker through a wrapper timing the relay, claims, result records and\n"
        "POSTs, and sampling its event-loop lag (the worker code is unchanged)",
    )
    p.add_argument(
        "--profile",
        action="store_true",
        help="also cProfile the worker's event loop (implies --timings; slows the worker)",
    )
    p.add_argument(
        "--analyze",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="VACUUM ANALYZE between the phases, i.e. with no delivery pending, as autovacuum\n"
        "would on an idle queue (default); --no-analyze keeps the statistics of the preload",
    )
    p.add_argument("--seed", type=int, default=1, help="random seed (tickets of the events)")
    add_common(p, database=DEFAULT_DATABASE, redis_url=DEFAULT_REDIS_URL)
    args = parse(p, argv)
    if min(args.events, args.tickets, args.producer_connections) < 1:
        p.error("--events, --tickets and --producer-connections must be positive")
    if min(args.rate, args.duration, args.timeout, args.window) <= 0:
        p.error("--rate, --duration, --window and --timeout must be positive")
    args.timings = args.timings or args.profile
    return args


def worker_env(args: argparse.Namespace) -> dict[str, str]:
    """The worker's environment: webhooks on, the local receiver allowed."""
    env = app_env(args.database, args.redis_url)
    env.pop("SUPPORTDESK_WORKER_METRICS_PORT", None)
    env["SUPPORTDESK_WEBHOOK_ALLOWED_NETWORKS"] = "127.0.0.0/8"
    env["SUPPORTDESK_WORKER_WEBHOOKS"] = "true"
    env["SUPPORTDESK_WORKER_MAIL"] = "true" if args.mail else "false"
    if args.concurrency:
        env["SUPPORTDESK_WEBHOOK_CONCURRENCY"] = str(args.concurrency)
    return env


# ------------------------------------------------------------------------ seed

# The events a ticket comment writes (ticket snapshot + comment), about 1.3 kB of JSON.
TICKET_SNAPSHOT: dict[str, Any] = {
    "number": "SUP-1042",
    "subject": "Webhook deliveries fail with 502",
    "description": "Since this morning our receiver sees 502s for about one request in ten. "
    "The request ids are in the attached log; it started right after the 07:40 deploy.",
    "priority": "high",
    "category": "technical",
    "channel": "api",
    "status": "open",
    "assignee_id": "0b5f3c1e-6a2d-4e37-9d8e-1f2a3b4c5d6e",
    "emergency": False,
    "context": {"browser": "Firefox 133", "os": "Ubuntu 24.04"},
    "escalation_level": 1,
    "queue_position": None,
    "resolved_at": None,
    "closed_at": None,
    "sla": {
        "first_response": {"status": "met", "due_at": "2026-11-23T09:40:00Z", "breached": False},
        "resolution": {"status": "running", "due_at": "2026-11-24T09:40:00Z", "breached": False},
    },
}
COMMENT: dict[str, Any] = {
    "author_type": "agent",
    "author_id": "0b5f3c1e-6a2d-4e37-9d8e-1f2a3b4c5d6e",
    "body": "Thanks for the log. We can see the 502s on our side too and are rolling back the "
    "proxy change from this morning; we will confirm here once deliveries are green again.",
    "visibility": "public",
    "mentions": [],
}
ACTOR: dict[str, Any] = {
    "type": "agent",
    "id": "0b5f3c1e-6a2d-4e37-9d8e-1f2a3b4c5d6e",
    "key_id": "5d7c2b0a-9e81-4f3a-b6c4-2d1e0f9a8b7c",
}
EVENT_TYPE = "ticket.comment_added"

PRELOAD_SQL = """
WITH src AS MATERIALIZED (
    SELECT g, ($3::uuid[])[1 + (g - 1) % cardinality($3::uuid[])] AS ticket_id,
           gen_random_uuid() AS id
    FROM generate_series(1, $1::int) AS g
), new_events AS (
    INSERT INTO events (id, type, ticket_id, organization_id, visibility, actor, data, created_at)
    SELECT id, $4, ticket_id, $2::uuid, 'public', $5::jsonb,
           jsonb_build_object(
               'ticket', $6::jsonb || jsonb_build_object('id', ticket_id, 'organization_id', $2),
               'comment', $7::jsonb || jsonb_build_object('id', gen_random_uuid(),
                                                          'ticket_id', ticket_id)),
           clock_timestamp()
    FROM src ORDER BY g
    RETURNING id, seq
)
INSERT INTO outbox (event_id, created_at)
SELECT id, now() FROM new_events ORDER BY seq
"""


@dataclass
class Seed:
    organization_id: uuid.UUID
    tickets: list[uuid.UUID]
    endpoint_id: uuid.UUID
    secret: str


async def seed(args: argparse.Namespace, url: str) -> Seed:
    """Organization, contact, tickets and one endpoint, as the app's models (their Python-side
    defaults fill the columns this bench does not care about); the secret sealed as the API
    does."""
    import logging

    logging.getLogger("supportdesk.crypto").setLevel(logging.ERROR)  # the development key
    from sqlalchemy.ext.asyncio import create_async_engine

    from app import crypto
    from app.db import create_session_factory, unit_of_work
    from app.models import Contact, Organization, Ticket, WebhookEndpoint  # every table
    from app.webhooks.service import new_secret

    secret = new_secret()
    engine = create_async_engine(app_url(args.database))
    try:
        async with unit_of_work(create_session_factory(engine)) as session:
            org = Organization(name="Bench Hooks AG", industry="logistics", platform="web")
            session.add(org)
            await session.flush()
            contact = Contact(
                organization_id=org.id,
                email="ops@bench-hooks.example",
                name="Dana Ops",
                designated=True,
            )
            session.add(contact)
            await session.flush()
            tickets = [
                Ticket(
                    organization_id=org.id,
                    requester_id=contact.id,
                    subject=f"Webhook deliveries fail with 502 ({n})",
                    description=TICKET_SNAPSHOT["description"],
                    priority=("low", "medium", "high")[n % 3],
                    category="technical",
                    channel="api",
                    status="open",
                )
                for n in range(args.tickets)
            ]
            session.add_all(tickets)
            endpoint = WebhookEndpoint(
                organization_id=org.id,
                url=url,
                description="bench receiver",
                secret_sealed=crypto.seal(secret),
            )
            session.add(endpoint)
            await session.flush()
            seeded = Seed(org.id, [t.id for t in tickets], endpoint.id, secret)
    finally:
        await engine.dispose()
    return seeded


async def preload(args: argparse.Namespace, s: Seed) -> float:
    """The throughput phase's events and outbox rows, ticket after ticket round-robin."""
    started = time.monotonic()
    async with connection(args.database) as conn:
        await conn.execute(
            PRELOAD_SQL,
            args.events,
            s.organization_id,
            s.tickets,
            EVENT_TYPE,
            orjson.dumps(ACTOR).decode(),
            orjson.dumps(TICKET_SNAPSHOT).decode(),
            orjson.dumps(COMMENT).decode(),
        )
    return time.monotonic() - started


async def vacuum_tables(database: str) -> None:
    """What autovacuum (off on this cluster) would have done; flush dirty pages now."""
    tables = ("events", "outbox", "tickets", "webhook_deliveries", "webhook_attempts")
    await vacuum_analyze(database, tables)


# ------------------------------------------------------------------- receiver


def receiver_main(argv: list[str]) -> None:
    """A minimal ASGI app on uvicorn (httptools, uvloop, no access log): POST /hook answers
    204 and notes the arrival (wall clock) of each webhook-id; GET /stats, GET /arrivals and
    POST /reset serve the bench."""
    import uvicorn

    p = argparse.ArgumentParser(prog="webhooks.py _receiver")
    p.add_argument("--port", type=int, required=True)
    port = p.parse_args(argv).port
    arrivals: dict[str, float] = {}
    state: dict[str, Any] = {"duplicates": 0, "sample": None}

    async def respond(send: Any, status: int, body: bytes = b"") -> None:
        headers = [(b"content-type", b"application/json")] if body else []
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        now = time.time()
        method, path = scope["method"], scope["path"]
        if method == "POST":
            body, more = b"", True
            while more:
                message = await receive()
                body += message.get("body", b"")
                more = message.get("more_body", False)
        if method == "POST" and path == "/hook":
            msg_id = next((v.decode() for k, v in scope["headers"] if k == b"webhook-id"), "")
            if msg_id in arrivals:
                state["duplicates"] += 1
            else:
                arrivals[msg_id] = now
            if state["sample"] is None:
                headers = {k.decode(): v.decode() for k, v in scope["headers"]}
                state["sample"] = {"headers": headers, "body": body.decode()}
            await respond(send, 204)
        elif path == "/stats":
            await respond(send, 200, orjson.dumps({"count": len(arrivals), **state}))
        elif path == "/arrivals":
            await respond(send, 200, orjson.dumps({"arrivals": arrivals, **state}))
        elif method == "POST" and path == "/reset":
            arrivals.clear()
            state.update(duplicates=0, sample=None)
            await respond(send, 204)
        else:
            await respond(send, 404)

    uvicorn.run(
        app,
        host="127.0.0.1",
        port=port,
        http="httptools",
        loop="uvloop",
        lifespan="off",
        access_log=False,
        log_level="warning",
        backlog=2048,
        timeout_keep_alive=60,
    )


class Receiver:
    def __init__(self, port: int) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.client = httpx.AsyncClient(base_url=self.base, timeout=30, trust_env=False)

    async def wait_ready(self, proc: Process, log_path: Path) -> None:
        async def ready() -> bool:
            try:
                return (await self.client.get("/stats")).status_code == 200
            except httpx.HTTPError:
                return False

        await wait_until(ready, proc, "the receiver", log_path, limit_s=20)

    async def stats(self) -> dict[str, Any]:
        result: dict[str, Any] = (await self.client.get("/stats")).json()
        return result

    async def arrivals(self) -> dict[str, Any]:
        result: dict[str, Any] = orjson.loads((await self.client.get("/arrivals")).content)
        return result

    async def reset(self) -> None:
        (await self.client.post("/reset")).raise_for_status()

    async def close(self) -> None:
        await self.client.aclose()


def check_signature(sample: dict[str, Any] | None, secret: str) -> bool | None:
    """Verifies the first delivery's Standard Webhooks signature with the endpoint's secret."""
    if sample is None:
        return None
    from standardwebhooks.webhooks import Webhook, WebhookVerificationError

    try:
        Webhook(secret).verify(sample["body"], sample["headers"])
    except WebhookVerificationError:
        return False
    return True


# --------------------------------------------------------------------- worker


def worker_main(argv: list[str]) -> None:
    """`supportdesk worker`, with the pump's relay, claims, records and POSTs timed (wall ms,
    with the number of rows), its event loop's lag sampled and, with --profile, cProfile."""
    p = argparse.ArgumentParser(prog="webhooks.py _worker")
    p.add_argument("--timings", required=True)
    p.add_argument("--profile")
    a = p.parse_args(argv)

    import cProfile

    from app import cli
    from app.webhooks import pump, relay

    calls: dict[str, list[tuple[float, float, int]]] = {
        "relay": [],
        "claim": [],
        "record": [],
        "post": [],
    }
    lag: list[tuple[float, float]] = []
    profiler = cProfile.Profile() if a.profile else None

    def timed(name: str, fn: Any, size: Callable[[tuple[Any, ...], Any], int]) -> Any:
        @functools.wraps(fn)
        async def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            result = await fn(*args, **kwargs)
            ms = (time.perf_counter() - started) * 1000
            calls[name].append((time.time(), round(ms, 3), size(args, result)))
            return result

        return wrapper

    async def watch_lag() -> None:
        while True:
            started = time.perf_counter()
            await asyncio.sleep(0.01)
            lag.append((time.time(), round((time.perf_counter() - started - 0.01) * 1000, 2)))

    start = pump.WebhookPump.start

    async def start_measured(self: pump.WebhookPump) -> None:
        await start(self)
        self.tasks.append(asyncio.create_task(watch_lag()))
        if profiler is not None:
            profiler.enable()

    relay.relay = timed("relay", relay.relay, lambda _, r: r[0])  # type: ignore[assignment]
    pump.post = timed("post", pump.post, lambda _, r: 1)  # type: ignore[assignment]
    pump.WebhookPump._claim_and_send = timed(  # type: ignore[method-assign]
        "claim", pump.WebhookPump._claim_and_send, lambda _, r: r
    )
    pump.WebhookPump._record = timed(  # type: ignore[method-assign]
        "record", pump.WebhookPump._record, lambda args, _: len(args[1])
    )
    pump.WebhookPump.start = start_measured  # type: ignore[method-assign]
    try:
        cli.cmd_worker(argparse.Namespace(check=False))
    finally:
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(a.profile)
        Path(a.timings).write_bytes(orjson.dumps({"calls": calls, "lag": lag}))


def worker_command(args: argparse.Namespace) -> list[str]:
    if not args.timings:
        return [supportdesk_bin(), "worker"]
    cmd = [sys.executable, SCRIPT, "_worker"]
    cmd += ["--timings", str(RESULTS_DIR / "webhooks-timings.json")]
    if args.profile:
        cmd += ["--profile", str(RESULTS_DIR / "webhooks-worker.prof")]
    return cmd


# ------------------------------------------------------------------------ CPU


def cpu_figures(use: CpuUse) -> Cpu:
    """The meter's reading with the producer's Postgres backends apart from the worker's."""
    # Every backend of the database but the producer's and the bench's own is the worker's.
    producer = use.postgres.get(PRODUCER_APP, 0.0)
    return Cpu(
        wall_s=round(use.wall_s, 2),
        worker_s=round(use.processes["worker"], 2),
        receiver_s=round(use.processes["receiver"], 2),
        worker_postgres_s=round(sum(use.postgres.values()) - producer, 2),
        producer_postgres_s=round(producer, 2),
        bench_s=round(use.bench_s, 2),
        machine_busy_s=round(use.machine_busy_s, 2),
        cores=use.cores,
        load_before=use.load_before,
        load_after=use.load_after,
    )


@dataclass
class Rig:
    """What both phases drive and watch: the bench's connection, the receiver, the worker."""

    conn: asyncpg.Connection
    receiver: Receiver
    receiver_pid: int
    worker: Process
    worker_log: Path

    def check(self) -> None:
        check_alive(self.worker, "the worker", self.worker_log)

    def meter(self) -> CpuMeter:
        return CpuMeter(self.conn, {"worker": self.worker.pid, "receiver": self.receiver_pid})


# ----------------------------------------------------------------- throughput

DELIVERY_STATUS_SQL = """
SELECT count(*) FILTER (WHERE status = 'delivered') AS delivered,
       count(*) FILTER (WHERE status = 'failed' AND last_error IS DISTINCT FROM $1) AS failed,
       count(*) FILTER (WHERE status = 'failed' AND last_error = $1) AS cut,
       count(*) FILTER (WHERE status = 'pending') AS pending,
       count(*) FILTER (WHERE status = 'pending' AND failures > 0 AND attempt_count = failures)
           AS retrying,
       (SELECT count(*) FROM webhook_attempts) AS attempts,
       (SELECT min(attempted_at) FROM webhook_attempts) AS first_attempt,
       max(delivered_at) AS last_delivered,
       max(created_at) AS last_fanned_out
FROM webhook_deliveries
"""
ATTEMPT_ERRORS_SQL = """
SELECT coalesce(error, 'HTTP ' || status_code) AS error, count(*) AS n FROM webhook_attempts
WHERE attempted_at >= $1 AND (status_code IS NULL OR status_code NOT BETWEEN 200 AND 299)
GROUP BY 1 ORDER BY 2 DESC LIMIT 5
"""
CUT_MARK = "bench: not attempted within --window"
# Deliveries never claimed are taken off the queue (a claim holding a row lock makes this
# wait, then skip it: attempt_count has gone up); events not yet relayed leave the outbox.
CUT_SQL = """
WITH cut AS (
    UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL, last_error = $1
    WHERE status = 'pending' AND attempt_count = 0
    RETURNING id
), unrelayed AS (
    DELETE FROM outbox RETURNING id
)
SELECT (SELECT count(*) FROM cut) AS cut, (SELECT count(*) FROM unrelayed) AS unrelayed
"""


def seconds(a: Any, b: Any) -> float:
    return (b - a).total_seconds() if a is not None and b is not None else 0.0


async def attempt_errors(conn: asyncpg.Connection, since: float) -> dict[str, int]:
    """The most frequent errors of failed attempts since a wall-clock instant."""
    from datetime import UTC, datetime

    rows = await conn.fetch(ATTEMPT_ERRORS_SQL, datetime.fromtimestamp(since, UTC))
    return {r["error"][:120]: r["n"] for r in rows}


async def throughput_phase(
    args: argparse.Namespace, rig: Rig, started_at: float, preload_s: float
) -> Throughput:
    """From the worker's start until every delivery is delivered, or --window seconds after
    the first arrival: then the deliveries not yet attempted are cut (so the latency phase
    starts on an empty queue) and the ones in flight are waited for."""
    conn, receiver = rig.conn, rig.receiver
    cpu_meter = rig.meter()
    deadline = time.monotonic() + args.timeout
    while (await receiver.stats())["count"] == 0:
        rig.check()
        if time.monotonic() > deadline:
            raise BenchError(
                f"no delivery arrived in {args.timeout:.0f} s:\n{log_tail(rig.worker_log)}"
            )
        await asyncio.sleep(0.05)
    await cpu_meter.start()
    log(f"first delivery arrived; waiting for all of them (at most {args.window:g} s)")
    unrelayed = 0
    last_report = cut_at = time.monotonic()
    cut_at += args.window
    while time.monotonic() < cut_at:
        rig.check()
        count = (await receiver.stats())["count"]
        if count >= args.events:
            break
        if time.monotonic() - last_report >= 10:
            log(f"  {count:,}/{args.events:,} arrived")
            last_report = time.monotonic()
        await asyncio.sleep(0.1)
    else:
        cut = await conn.fetchrow(CUT_SQL, CUT_MARK)
        unrelayed = cut["unrelayed"]
        log(
            f"window over: cut {cut['cut']:,} deliveries not attempted yet, "
            f"{cut['unrelayed']:,} events not relayed yet; waiting for those in flight"
        )
    status = await conn.fetchrow(DELIVERY_STATUS_SQL, CUT_MARK)
    drain = time.monotonic() + args.timeout
    while status["pending"] > status["retrying"] and time.monotonic() < drain:
        rig.check()
        await asyncio.sleep(0.05)
        status = await conn.fetchrow(DELIVERY_STATUS_SQL, CUT_MARK)
    cpu = cpu_figures(await cpu_meter.stop())
    got = await receiver.arrivals()
    times = list(got["arrivals"].values())
    window = seconds(status["first_attempt"], status["last_delivered"])
    receiver_window = max(times) - min(times) if times else 0.0
    delivered = status["delivered"]
    pg_s = cpu.worker_postgres_s
    log(f"{delivered:,} delivered in {window:.2f} s")
    return Throughput(
        events=args.events,
        tickets=args.tickets,
        preload_s=round(preload_s, 2),
        delivered=delivered,
        failed=status["failed"],
        cut=status["cut"],
        unrelayed=unrelayed,
        pending=status["pending"],
        attempts=status["attempts"],
        attempt_errors=await attempt_errors(conn, started_at),
        received=len(times),
        duplicates=got["duplicates"],
        window_s=round(window, 3),
        deliveries_per_s=round(delivered / window, 1) if window > 0 else 0.0,
        receiver_window_s=round(receiver_window, 3),
        receiver_per_s=round(len(times) / receiver_window, 1) if receiver_window > 0 else 0.0,
        startup_s=round(status["first_attempt"].timestamp() - started_at, 2)
        if status["first_attempt"]
        else 0.0,
        relay_span_s=round(seconds(status["first_attempt"], status["last_fanned_out"]), 2),
        per_second=per_second(times),
        cpu=cpu,
        worker_ms_per_delivery=round(cpu.worker_s * 1000 / delivered, 3) if delivered else 0.0,
        postgres_ms_per_delivery=round(pg_s * 1000 / delivered, 3) if delivered else 0.0,
    )


# -------------------------------------------------------------------- latency

LOCK_TICKET_SQL = "SELECT id FROM tickets WHERE id = $1 FOR UPDATE"
RECORD_SQL = """
WITH new_events AS (
    INSERT INTO events (id, type, ticket_id, organization_id, visibility, actor, data, created_at
                        {request_column})
    VALUES ($1, $2, $3, $4, 'public', $5::jsonb, $6::jsonb, $7 {request_value})
    RETURNING id
)
INSERT INTO outbox (event_id, created_at) SELECT id, $7 FROM new_events
"""
# Since events remember the X-Request-ID of the request that recorded them (migration 0010).
HAS_REQUEST_ID_SQL = """
SELECT EXISTS (SELECT 1 FROM information_schema.columns
               WHERE table_name = 'events' AND column_name = 'request_id')
"""


def event_data(ticket_id: uuid.UUID, organization_id: uuid.UUID) -> dict[str, Any]:
    ticket = {**TICKET_SNAPSHOT, "id": str(ticket_id), "organization_id": str(organization_id)}
    comment = {**COMMENT, "id": str(uuid.uuid4()), "ticket_id": str(ticket_id)}
    return {"ticket": ticket, "comment": comment}


class Writer:
    """Commits one event per transaction: the ticket's row lock (writers take it first), then
    the event and its outbox row; returns the wall clock just after COMMIT returned."""

    async def open(self) -> None: ...

    async def write(self, event_id: uuid.UUID, ticket_id: uuid.UUID, org: uuid.UUID) -> float:
        raise NotImplementedError

    async def close(self) -> None: ...


class RecordWriter(Writer):
    """app.events.service.record in an app unit of work (SQLAlchemy session), as the API."""

    def __init__(self, database: str, connections: int) -> None:
        self.database, self.connections = database, connections

    async def open(self) -> None:
        import sqlalchemy as sa
        from sqlalchemy.ext.asyncio import create_async_engine

        from app.db import create_session_factory, unit_of_work
        from app.events.models import EventType
        from app.events.service import NewEvent, record

        self.engine = create_async_engine(
            app_url(self.database),
            pool_size=self.connections,
            max_overflow=0,
            json_serializer=lambda v: orjson.dumps(v).decode(),
            json_deserializer=orjson.loads,
            connect_args={"server_settings": {"application_name": PRODUCER_APP}},
        )
        self.sessions = create_session_factory(self.engine)
        self.lock = sa.text("SELECT id FROM tickets WHERE id = :id FOR UPDATE")
        self.unit_of_work, self.record, self.NewEvent = unit_of_work, record, NewEvent
        self.event_type = EventType(EVENT_TYPE)
        try:  # the API request's X-Request-ID, which record() stores with the event
            from app.logs import request_id
        except ImportError:
            request_id = None
        self.request_id: Any = request_id

    async def write(self, event_id: uuid.UUID, ticket_id: uuid.UUID, org: uuid.UUID) -> float:
        event = self.NewEvent(
            type=self.event_type,
            actor=ACTOR,
            data=event_data(ticket_id, org),
            organization_id=org,
            ticket_id=ticket_id,
            id=event_id,
        )
        token = self.request_id.set(uuid.uuid4().hex) if self.request_id else None
        try:
            async with self.unit_of_work(self.sessions) as session:
                await session.execute(self.lock, {"id": ticket_id})
                await self.record(session, event)
        finally:
            if token is not None:
                self.request_id.reset(token)
        return time.time()

    async def close(self) -> None:
        await self.engine.dispose()


class SqlWriter(Writer):
    """The same single-event statement record() sends, on raw asyncpg."""

    def __init__(self, database: str, connections: int) -> None:
        self.database, self.connections = database, connections

    async def open(self) -> None:
        self.pool = await asyncpg.create_pool(
            dsn(self.database),
            min_size=self.connections,
            max_size=self.connections,
            server_settings={"application_name": PRODUCER_APP},
        )
        self.with_request_id = await self.pool.fetchval(HAS_REQUEST_ID_SQL)
        column, value = (", request_id", ", $8") if self.with_request_id else ("", "")
        self.sql = RECORD_SQL.format(request_column=column, request_value=value)

    async def write(self, event_id: uuid.UUID, ticket_id: uuid.UUID, org: uuid.UUID) -> float:
        from datetime import UTC, datetime

        data = orjson.dumps(event_data(ticket_id, org)).decode()
        actor = orjson.dumps(ACTOR).decode()
        extra = [uuid.uuid4().hex] if self.with_request_id else []
        async with self.pool.acquire() as conn, conn.transaction():
            await conn.execute(LOCK_TICKET_SQL, ticket_id)
            now = datetime.now(UTC)
            await conn.execute(
                self.sql, event_id, EVENT_TYPE, ticket_id, org, actor, data, now, *extra
            )
        return time.time()

    async def close(self) -> None:
        await self.pool.close()


async def produce(args: argparse.Namespace, s: Seed, writer: Writer) -> Produced:
    """Open loop: event i is started at t0 + i / rate whatever the earlier ones are doing."""
    rng = random.Random(args.seed)
    total = round(args.rate * args.duration)
    out = Produced({}, [], Counter(), 0.0)
    loop = asyncio.get_running_loop()

    async def one(event_id: uuid.UUID, ticket_id: uuid.UUID, due: float) -> None:
        try:
            committed = await writer.write(event_id, ticket_id, s.organization_id)
        except Exception as error:
            out.errors[f"{type(error).__name__}: {error}"[:200]] += 1
            return
        out.lag_ms.append((loop.time() - due) * 1000)
        out.committed[event_id] = committed

    tasks = []
    t0 = loop.time() + 0.05
    for i in range(total):
        due = t0 + i / args.rate
        if (wait := due - loop.time()) > 0:
            await asyncio.sleep(wait)
        tasks.append(asyncio.create_task(one(uuid.uuid4(), rng.choice(s.tickets), due)))
    await asyncio.gather(*tasks)
    out.wall_s = loop.time() - t0
    return out


STAGES_SQL = """
SELECT e.id, extract(epoch FROM e.created_at)::float8 AS created,
       extract(epoch FROM d.created_at)::float8 AS fanned_out,
       extract(epoch FROM a.attempted_at)::float8 AS attempted,
       extract(epoch FROM d.delivered_at)::float8 AS delivered
FROM events e
JOIN webhook_deliveries d ON d.event_id = e.id
LEFT JOIN LATERAL (SELECT min(attempted_at) AS attempted_at FROM webhook_attempts
                   WHERE delivery_id = d.id) a ON true
WHERE e.id = ANY($1::uuid[])
"""


async def stages(
    conn: asyncpg.Connection, produced: Produced, arrivals: dict[str, float]
) -> dict[str, Stage]:
    """commit -> fan-out (the relay's timesource.now(), before its INSERT commits) -> first attempt
    (pump's timesource.now() before signing and POSTing) -> arrival -> delivered_at (recorded)."""
    rows = await conn.fetch(STAGES_SQL, list(produced.committed))
    parts: dict[str, list[float]] = {
        "insert -> commit": [],
        "commit -> fan-out": [],
        "fan-out -> attempt": [],
        "attempt -> arrival": [],
        "arrival -> recorded": [],
    }
    for r in rows:
        committed = produced.committed[uuid.UUID(str(r["id"]))]
        arrived = arrivals.get(f"evt_{r['id']}")
        parts["insert -> commit"].append((committed - r["created"]) * 1000)
        parts["commit -> fan-out"].append((r["fanned_out"] - committed) * 1000)
        if r["attempted"] is not None:
            parts["fan-out -> attempt"].append((r["attempted"] - r["fanned_out"]) * 1000)
        if r["attempted"] is not None and arrived is not None:
            parts["attempt -> arrival"].append((arrived - r["attempted"]) * 1000)
        if arrived is not None and r["delivered"] is not None:
            parts["arrival -> recorded"].append((r["delivered"] - arrived) * 1000)
    return {name: stage(values) for name, values in parts.items()}


async def latency_phase(args: argparse.Namespace, rig: Rig, s: Seed) -> Latency:
    conn, receiver = rig.conn, rig.receiver
    writer = (RecordWriter if args.producer == "record" else SqlWriter)(
        args.database, args.producer_connections
    )
    await writer.open()
    begun = time.time()
    try:
        cpu_meter = rig.meter()
        await cpu_meter.start()
        log(f"producing {args.rate:g} events/s for {args.duration:g} s ({args.producer})")
        producing = asyncio.create_task(produce(args, s, writer))
        while not producing.done():
            rig.check()
            await asyncio.wait({producing}, timeout=1.0)
        produced = producing.result()
        cpu = cpu_figures(await cpu_meter.stop())  # the steady state only, not the drain
    finally:
        await writer.close()
    drain_s = min(args.timeout, 30.0)
    deadline = time.monotonic() + drain_s
    while time.monotonic() < deadline:
        rig.check()
        if (await receiver.stats())["count"] >= len(produced.committed):
            break
        await asyncio.sleep(0.1)
    got = await receiver.arrivals()
    arrivals: dict[str, float] = got["arrivals"]
    # An event that has not arrived counts as infinitely late (shown as "> drain").
    latencies: list[float] = []
    by_second: list[list[float]] = [[] for _ in range(math.ceil(args.duration))]
    first_commit = min(produced.committed.values(), default=0.0)
    missing_ids = []
    for event_id, committed in produced.committed.items():
        arrived = arrivals.get(f"evt_{event_id}")
        ms = math.inf if arrived is None else (arrived - committed) * 1000
        if arrived is None:
            missing_ids.append(event_id)
        latencies.append(ms)
        by_second[min(int(committed - first_commit), len(by_second) - 1)].append(ms)
    received = len(latencies) - len(missing_ids)
    p99 = percentile(latencies, 0.99)
    log(f"{received:,}/{len(produced.committed):,} arrived; p99 {fmt_ms(p99, drain_s)} ms")
    return Latency(
        rate=args.rate,
        duration_s=args.duration,
        producer=args.producer,
        produced=len(produced.committed),
        producer_errors=sum(produced.errors.values()),
        achieved_rate=round(len(produced.committed) / produced.wall_s, 1)
        if produced.wall_s
        else 0.0,
        producer_lag_p99_ms=rounded(percentile(produced.lag_ms, 0.99)),
        received=received,
        missing=len(missing_ids),
        missing_by_state=await missing_states(conn, missing_ids),
        drain_s=drain_s,
        duplicates=got["duplicates"],
        attempt_errors=await attempt_errors(conn, begun),
        p50_ms=finite(percentile(latencies, 0.5)),
        p95_ms=finite(percentile(latencies, 0.95)),
        p99_ms=finite(p99),
        max_ms=finite(max(latencies) if latencies else None),
        stages=await stages(conn, produced, arrivals),
        late_by_second=[finite(percentile(v, 0.99), 0) for v in by_second],
        cpu=cpu,
        worker_ms_per_event=round(cpu.worker_s * 1000 / received, 3) if received else 0.0,
    )


MISSING_SQL = """
SELECT coalesce(d.status, 'not relayed') AS state, count(*) AS n
FROM unnest($1::uuid[]) AS m(event_id)
LEFT JOIN webhook_deliveries d ON d.event_id = m.event_id
GROUP BY 1
"""


async def missing_states(conn: asyncpg.Connection, event_ids: list[uuid.UUID]) -> dict[str, int]:
    """Where the events that never reached the receiver are: still pending or not relayed
    (slow), or delivered/failed (lost on the way: a bug)."""
    if not event_ids:
        return {}
    return {r["state"]: r["n"] for r in await conn.fetch(MISSING_SQL, event_ids)}


# --------------------------------------------------------------------- timings


# ------------------------------------------------------------------------ run


async def run(args: argparse.Namespace, result: Result) -> None:
    env = worker_env(args)
    await fresh_database(args.database)
    await flush_redis(args.redis_url)
    port = free_port()
    s = await seed(args, f"http://127.0.0.1:{port}/hook")
    receiver_log = RESULTS_DIR / "webhooks-receiver.log"
    worker_log = RESULTS_DIR / "webhooks-worker.log"
    receiver_cmd = [sys.executable, SCRIPT, "_receiver", "--port", str(port)]
    timings_path = RESULTS_DIR / "webhooks-timings.json"
    timings_path.unlink(missing_ok=True)
    windows: dict[str, tuple[float, float]] = {}
    preload_s = 0.0
    if args.only != "latency":
        log(f"preloading {args.events:,} events over {args.tickets:,} tickets")
        preload_s = await preload(args, s)
        await vacuum_tables(args.database)
    receiver = Receiver(port)
    try:
        async with connection(args.database) as conn:
            with process(
                "the receiver", receiver_cmd, env, receiver_log, STOP_TIMEOUT_S
            ) as recv_proc:
                await receiver.wait_ready(recv_proc, receiver_log)
                log(f"receiver on port {port}; starting the worker")
                started_at = time.time()
                with process(
                    "the worker", worker_command(args), env, worker_log, STOP_TIMEOUT_S
                ) as worker:
                    rig = Rig(conn, receiver, recv_proc.pid, worker, worker_log)
                    if args.only != "latency":
                        result.throughput = await throughput_phase(args, rig, started_at, preload_s)
                        windows["throughput"] = (started_at, time.time())
                        result.signature_ok = check_signature(
                            (await receiver.arrivals())["sample"], s.secret
                        )
                        if args.analyze:
                            log("VACUUM ANALYZE before the latency phase")
                            await vacuum_tables(args.database)
                        await receiver.reset()
                    else:
                        await wait_worker_started(worker, worker_log)
                    if args.only != "throughput":
                        begun = time.time()
                        result.latency = await latency_phase(args, rig, s)
                        windows["latency"] = (begun, time.time())
                        if result.signature_ok is None:
                            result.signature_ok = check_signature(
                                (await receiver.arrivals())["sample"], s.secret
                            )
    finally:
        await receiver.close()
    if args.timings:
        result.timings = summarize_timings(timings_path, windows)
    if args.profile:
        result.profile = profile_top(RESULTS_DIR / "webhooks-worker.prof")


def problems(result: Result) -> list[str]:
    found = []
    t, lat = result.throughput, result.latency
    if t is not None:
        if t.failed or t.pending or t.delivered + t.cut + t.unrelayed < t.events:
            found.append(
                f"throughput: {t.failed} failed, {t.pending} pending (waiting for a retry) "
                f"of {t.events - t.cut - t.unrelayed} not cut"
            )
        if t.duplicates or t.attempts != t.delivered or t.received != t.delivered:
            found.append(
                f"throughput: {t.attempts:,} attempts for {t.delivered:,} deliveries, "
                f"{t.received:,} distinct arrivals + {t.duplicates} duplicates at the receiver"
            )
    if lat is not None:
        lost = {k: n for k, n in lat.missing_by_state.items() if k in ("delivered", "failed")}
        if lost or lat.duplicates or lat.producer_errors:
            found.append(
                f"latency: {lost or 'none'} delivered/failed yet never arrived, "
                f"{lat.duplicates} duplicates, {lat.producer_errors} producer errors"
            )
    if result.signature_ok is False:
        found.append("the receiver's sample delivery did not verify with the endpoint secret")
    return found


# ---------------------------------------------------------------------- report


def cpu_lines(c: Cpu, per: str, count: int) -> list[str]:
    def share(sec: float) -> str:
        return f"{sec:.2f} s ({sec / c.wall_s:.2f} cores)" if c.wall_s else f"{sec:.2f} s"

    others = c.machine_busy_s - c.worker_s - c.receiver_s - c.worker_postgres_s
    others -= c.producer_postgres_s + c.bench_s
    lines = [
        f"  CPU over {c.wall_s:.1f} s: worker {share(c.worker_s)}, its Postgres backends "
        f"{share(c.worker_postgres_s)}, receiver {share(c.receiver_s)}",
        f"    bench process {share(c.bench_s)}, producer's Postgres backends "
        f"{share(c.producer_postgres_s)}; machine busy {share(c.machine_busy_s)} of "
        f"{c.cores} cores (everything else: {max(others, 0):.2f} s)",
        f"    load average before {c.load_before} after {c.load_after}",
    ]
    if count:
        lines.append(
            f"    per {per}: worker {c.worker_s * 1000 / count:.3f} ms CPU, its Postgres "
            f"backends {c.worker_postgres_s * 1000 / count:.3f} ms, receiver "
            f"{c.receiver_s * 1000 / count:.3f} ms"
        )
    return lines


def throughput_lines(t: Throughput) -> list[str]:
    met = t.deliveries_per_s >= TARGET_RATE
    return [
        f"THROUGHPUT: {t.events:,} preloaded events over {t.tickets:,} tickets "
        f"(loaded in {t.preload_s:.1f} s), one worker, one endpoint",
        f"  deliveries: {t.delivered:,} delivered, {t.failed} failed, {t.pending} pending, "
        f"{t.cut:,} cut (not attempted when the window ran out) + {t.unrelayed:,} not relayed "
        f"by then; {t.attempts:,} attempts; "
        f"receiver got {t.received:,} ({t.duplicates} duplicates)",
        *([f"  failed attempts: {t.attempt_errors}"] if t.attempt_errors else []),
        f"  first attempt -> last delivered: {t.window_s:.2f} s = {t.deliveries_per_s:,.1f} "
        f"deliveries/s   (receiver first -> last arrival: {t.receiver_window_s:.2f} s = "
        f"{t.receiver_per_s:,.1f}/s)",
        f"  worker start -> first attempt {t.startup_s:.2f} s; relay fanned out the last "
        f"event {t.relay_span_s:.2f} s after the first attempt",
        "  arrivals per second: " + " ".join(map(str, t.per_second)),
        *cpu_lines(t.cpu, "delivery", t.delivered),
        f"  target (>= {TARGET_RATE:,.0f} deliveries/s per worker): "
        f"{'MET' if met else 'NOT MET'} ({t.deliveries_per_s:,.1f}/s)",
    ]


def latency_lines(lat: Latency) -> list[str]:
    met = lat.p99_ms is not None and lat.p99_ms <= TARGET_P99_MS

    def ms(value: float | None, spec: str = ".1f") -> str:
        return fmt_ms(value, lat.drain_s, spec)

    head = f"{'stage':<22}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}"
    rows = [
        f"LATENCY: {lat.rate:g} events/s for {lat.duration_s:g} s, one transaction each "
        f"({lat.producer}); {lat.produced:,} committed at {lat.achieved_rate:.1f}/s "
        f"(producer lag p99 {fmt(lat.producer_lag_p99_ms)} ms, {lat.producer_errors} errors)",
        f"  arrived {lat.received:,}, not arrived {lat.drain_s:g} s after the last commit "
        f"{lat.missing:,} {lat.missing_by_state or ''}, duplicates {lat.duplicates}",
        *([f"  failed attempts: {lat.attempt_errors}"] if lat.attempt_errors else []),
        f"  commit -> arrival: p50 {ms(lat.p50_ms)} / p95 {ms(lat.p95_ms)} / "
        f"p99 {ms(lat.p99_ms)} / max {ms(lat.max_ms)} ms",
        "  p99 by second of commit: " + " ".join(ms(v, ".0f") for v in lat.late_by_second),
        "  " + head,
        "  " + "-" * len(head),
    ]
    for name, st in lat.stages.items():
        rows.append(f"  {name:<22}{fmt(st.p50_ms):>9}{fmt(st.p99_ms):>9}{fmt(st.max_ms):>9}")
    rows += cpu_lines(lat.cpu, "event", lat.received)
    rows.append(
        f"  target (p99 <= {TARGET_P99_MS:.0f} ms at a steady {lat.rate:g} events/s): "
        f"{'MET' if met else 'NOT MET'} ({ms(lat.p99_ms)} ms)"
    )
    return rows


def timing_lines(timings: dict[str, Any]) -> list[str]:
    head = f"{'pump step':<16}{'calls':>8}{'rows/call':>10}{'p50 ms':>9}{'p99 ms':>9}{'total s':>9}"
    rows = []
    for phase, summary in timings.items():
        rows += [f"WORKER TIMINGS ({phase}; wall time inside the worker's event loop)", head]
        for name in ("relay", "claim", "record", "post"):
            st = summary[name]
            p50, p99 = fmt(st["p50_ms"], ".2f"), fmt(st["p99_ms"], ".2f")
            rows.append(
                f"{name:<16}{st['calls']:>8,}{fmt(st['rows_mean']):>10}{p50:>9}{p99:>9}"
                f"{st['total_s']:>9.2f}"
            )
        lag = summary["loop_lag"]
        rows.append(
            f"event-loop lag (10 ms sleep overshoot): p50 {fmt(lag['p50_ms'], '.2f')} / p99 "
            f"{fmt(lag['p99_ms'], '.2f')} / max {fmt(lag['max_ms'], '.2f')} ms"
        )
    return rows


def format_table(result: Result) -> str:
    code = result.code
    concurrency = result.params["concurrency"] or "the default (64; 16 per endpoint)"
    where = "" if code["app"] == str(ROOT / "app") else f" (app imported from {code['app']})"
    analyzed = "" if result.params["analyze"] else "; no VACUUM ANALYZE between the phases"
    mail = "" if result.params["mail"] else "; mail pump off"
    rows = [f"{code_line(code)}{where}; webhook_concurrency {concurrency}" + analyzed + mail]
    if result.throughput:
        rows += throughput_lines(result.throughput)
    if result.latency:
        rows += latency_lines(result.latency)
    if result.timings:
        rows += timing_lines(result.timings)
    if result.profile:
        rows += ["WORKER PROFILE (cProfile, by own time; full: bench/results/webhooks-worker.txt)"]
        rows += result.profile
    sig = {True: "verified", False: "INVALID", None: "not checked"}[result.signature_ok]
    rows.append(f"signature of a sample delivery: {sig}")
    rows += [f"PROBLEM: {p}" for p in result.problems]
    return "\n".join(rows)


def report(result: Result, args: argparse.Namespace) -> str:
    return write_report("webhooks", asdict(result), format_table(result), args.json)


# ------------------------------------------------------------------------ main


def bench(args: argparse.Namespace) -> int:
    params = ["events", "tickets", "rate", "duration", "only", "concurrency", "producer", "window"]
    params += ["analyze", "mail"]
    result = Result(params={k: getattr(args, k) for k in params}, code=code_measured())
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    try:
        asyncio.run(run(args, result))
    finally:
        asyncio.run(drop_unless_kept(args.database, args.keep))
    result.problems = problems(result)
    print(report(result, args))
    return 3 if result.problems else 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_receiver"]:
        receiver_main(argv[1:])
        return 0
    if argv[:1] == ["_worker"]:
        worker_main(argv[1:])
        return 0
    args = parse_args(argv)
    return run_bench(lambda: bench(args), httpx.HTTPError)


if __name__ == "__main__":
    sys.exit(main())

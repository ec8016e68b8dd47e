"""Outbound mail throughput and event-to-inbox latency of one worker.

Run from the repository root::

    .venv/bin/python bench/mail.py                         # 5,000 preloaded, then 50/s x 20 s
    .venv/bin/python bench/mail.py --only throughput --events 20000
    .venv/bin/python bench/mail.py --only latency --rate 100 --duration 30
    .venv/bin/python bench/mail.py --timings               # worker variant: plan/claim/send timings
    .venv/bin/python bench/mail.py --profile               # ... and cProfile of the worker

It drops and recreates the bench database, migrates it, seeds ``--organizations``
organizations with five designated contacts each, one agent and ``--tickets`` tickets (each
requested by one of the contacts), starts a local SMTP sink (aiosmtpd on uvloop in its own
process: accepts every mail and appends each Message-ID with its arrival time to a file), then:

1. throughput: preloads ``--events`` client-facing events with their outbox rows in SQL (the
   ``ticket.created`` of every ticket, then public agent replies, ``ticket.comment_added``,
   round-robin), starts one real ``supportdesk worker`` (its relay gives the events their feed
   position, its mail pump plans and sends one mail per event) and waits until every mail has
   arrived; mails/s from the worker's first SMTP connection to the last arrival;
2. latency: with the worker running, commits ``--rate`` agent replies per second for
   ``--duration`` s, each in its own transaction (the ticket's row lock, then the events +
   outbox statement ``app.events.service.record`` sends), and measures per mail the time from
   the event's commit to its arrival at the sink.

Worker and sink logs and the last results go to ``bench/results/`` (git-ignored).
Exit status: 0 ok, 1 setup error, 3 mails missing, duplicated, failed or not planned.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import math
import random
import socket
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
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
DEFAULT_DATABASE = "supportdesk_bench_mail"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/9"
TARGET_RATE = 300.0  # mails/s from one worker
TARGET_P99_MS = 1000.0  # event commit -> arrival at the SMTP sink, at a steady 50 events/s
STOP_TIMEOUT_S = 25.0  # the worker's own shutdown waits up to 20 s for the batch in flight
PRODUCER_APP = "bench-producer"  # the latency phase's event writers (the "API" side)
CONTACTS_PER_ORGANIZATION = 5  # the default max_designated_contacts
SINK_FILE = RESULTS_DIR / "mail-sink.arrivals"


# --------------------------------------------------------------------- results


@dataclass
class Cpu:
    """CPU seconds used over a window of `wall_s` (machine busy: all cores, everyone's work)."""

    wall_s: float
    worker_s: float
    sink_s: float
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
    by_kind: dict[str, int]  # the preloaded events' mails by kind
    preload_s: float
    planned: int  # notifications of the preloaded events
    sent: int
    failed: int
    skipped: int
    pending: int
    # not planned or not attempted when --window ran out (taken off before the latency phase)
    cut: int
    arrived: int
    duplicates: int
    missing: int  # expected - arrived - cut
    # first SMTP connection of the worker -> last arrival at the sink
    window_s: float
    mails_per_s: float
    # first -> last arrival
    arrival_window_s: float
    arrivals_per_s: float
    # worker start -> first SMTP connection (imports, connecting, relay, first plan)
    startup_s: float
    # the planner's first -> last batch (notifications.created_at), and its rate
    plan_span_s: float
    planned_per_s: float
    per_second: list[int]
    cpu: Cpu
    worker_ms_per_mail: float
    postgres_ms_per_mail: float
    sink_ms_per_mail: float


@dataclass
class Latency:
    rate: float
    duration_s: float
    produced: int
    producer_errors: int
    achieved_rate: float
    # commit - scheduled instant (a late producer understates the offered rate)
    producer_lag_p99_ms: float | None
    arrived: int
    # not arrived drain_s after the last commit, by notification status ("not planned": no
    # row); percentiles that fall on them are null (shown as "> drain")
    missing: int
    missing_by_state: dict[str, int]
    drain_s: float
    duplicates: int
    p50_ms: float | None
    p95_ms: float | None
    p99_ms: float | None
    max_ms: float | None
    stages: dict[str, Stage]
    late_by_second: list[float | None]
    cpu: Cpu
    worker_ms_per_mail: float


@dataclass
class Result:
    params: dict[str, Any]
    code: dict[str, Any]
    throughput: Throughput | None = None
    latency: Latency | None = None
    unknown_arrivals: int = 0  # Message-IDs the sink got that no notification has
    timings: dict[str, Any] | None = None
    profile: list[str] | None = None
    problems: list[str] = field(default_factory=list)


# ------------------------------------------------------------------------- CLI


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = parser(__doc__)
    p.add_argument("--events", type=int, default=5_000, help="preloaded events (throughput)")
    p.add_argument("--tickets", type=int, default=1_000, help="tickets the events spread over")
    p.add_argument(
        "--organizations",
        type=int,
        default=20,
        help=f"organizations ({CONTACTS_PER_ORGANIZATION} designated contacts each)",
    )
    p.add_argument("--rate", type=float, default=50.0, help="events/s of the latency phase")
    p.add_argument("--duration", type=float, default=20.0, help="seconds of the latency phase")
    p.add_argument("--only", choices=["throughput", "latency"], help="run one phase only")
    p.add_argument(
        "--concurrency",
        type=int,
        help="SUPPORTDESK_MAIL_CONCURRENCY of the worker (default: the app's, 4)",
    )
    p.add_argument("--producer-connections", type=int, default=8, help="writer pool size")
    p.add_argument(
        "--window",
        type=float,
        default=120.0,
        help="throughput: stop waiting this many seconds after the first arrival and measure\n"
        "what arrived by then (keeps a slow run short)",
    )
    p.add_argument("--timeout", type=float, default=60.0, help="max seconds for any other wait")
    p.add_argument(
        "--timings",
        action="store_true",
        help="run the worker through a wrapper timing the planner, claims, result records,\n"
        "SMTP sends, rendering and MIME composing, and sampling its event-loop lag",
    )
    p.add_argument(
        "--profile",
        action="store_true",
        help="also cProfile the worker's event loop (implies --timings; slows the worker)",
    )
    p.add_argument("--seed", type=int, default=1, help="random seed (tickets of the replies)")
    add_common(p, database=DEFAULT_DATABASE, redis_url=DEFAULT_REDIS_URL)
    args = parse(p, argv)
    if min(args.events, args.tickets, args.organizations, args.producer_connections) < 1:
        p.error("--events, --tickets, --organizations, --producer-connections must be positive")
    if min(args.rate, args.duration, args.timeout, args.window) <= 0:
        p.error("--rate, --duration, --window and --timeout must be positive")
    args.timings = args.timings or args.profile
    return args


def worker_env(args: argparse.Namespace, smtp_port: int) -> dict[str, str]:
    """The worker's environment: the relay (webhook pump) and the mail pump on, SMTP local."""
    env = app_env(args.database, args.redis_url)
    env.pop("SUPPORTDESK_WORKER_METRICS_PORT", None)
    env["SUPPORTDESK_WORKER_WEBHOOKS"] = "true"  # runs the outbox relay: feed positions
    env["SUPPORTDESK_WORKER_MAIL"] = "true"
    env["SUPPORTDESK_SMTP_URL"] = f"smtp://127.0.0.1:{smtp_port}"
    if args.concurrency:
        env["SUPPORTDESK_MAIL_CONCURRENCY"] = str(args.concurrency)
    return env


# ------------------------------------------------------------------------ seed

DESCRIPTION = (
    "Since this morning the export to our warehouse system stops after about 2,000 rows with "
    "a timeout. Nothing changed on our side; the job log is attached. Could you have a look?"
)
REPLY_BODY = (
    "Thanks for the log. The export runs into the new per-request limit on our side; we have "
    "raised it for your account and re-run last night's job, which finished in 4 minutes. "
    "Please check that all rows arrived and let us know if anything is still missing."
)


@dataclass
class Seed:
    agent_id: uuid.UUID
    # per ticket: organization, requester, and the snapshot as events carry it
    tickets: dict[uuid.UUID, tuple[uuid.UUID, uuid.UUID, dict[str, Any]]]


def sla_json(opened: datetime, replied: bool) -> dict[str, Any]:
    """The ticket's clocks as events carry them (app.tickets.schemas.TicketSla)."""

    def clock(minutes: int, state: str, met: datetime | None) -> dict[str, Any]:
        due = opened + timedelta(minutes=minutes)
        return {
            "target_minutes": minutes,
            "clock": "business",
            "due_at": None if met else due.isoformat(),
            "at_risk_at": None if met else (due - timedelta(minutes=minutes // 4)).isoformat(),
            "state": state,
            "breached_at": None,
            "met_at": met.isoformat() if met else None,
        }

    first = (
        clock(240, "met", opened + timedelta(minutes=35))
        if replied
        else clock(240, "on_track", None)
    )
    return {
        "first_response": first,
        "next_update": None,
        "resolution": clock(2880, "on_track", None),
        "escalation_review": None,
    }


async def seed(args: argparse.Namespace) -> Seed:
    """Organizations, designated contacts, one agent and the tickets, as the app's models
    (their Python-side defaults fill the columns this bench does not care about); each
    ticket's event snapshot through app.tickets.schemas.TicketOut, as the app presents it."""
    from sqlalchemy.ext.asyncio import create_async_engine

    from app.db import create_session_factory, unit_of_work
    from app.models import Agent, Contact, Organization, Ticket  # every table
    from app.tickets.schemas import TicketOut

    rng = random.Random(args.seed)
    engine = create_async_engine(app_url(args.database))
    hours = {d: [["09:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}
    hours.update(sat=[], sun=[])
    snapshots: dict[uuid.UUID, tuple[uuid.UUID, uuid.UUID, dict[str, Any]]] = {}
    try:
        async with unit_of_work(create_session_factory(engine)) as session:
            agent = Agent(
                name="Robin Field",
                email="robin.field@desk.example",
                role="support_tier1",
                timezone="Europe/Berlin",
                working_hours=hours,
                capacity=40,
            )
            session.add(agent)
            contacts: list[Contact] = []
            for o in range(args.organizations):
                org = Organization(name=f"Bench Mail {o:03d} GmbH", industry="retail")
                session.add(org)
                await session.flush()
                for c in range(CONTACTS_PER_ORGANIZATION):
                    contacts.append(
                        Contact(
                            organization_id=org.id,
                            email=f"contact{c}@org{o:03d}.bench-mail.example",
                            name=f"Contact {c} of Org {o:03d}",
                            designated=True,
                        )
                    )
            session.add_all(contacts)
            await session.flush()
            tickets = []
            for n in range(args.tickets):
                contact = contacts[n % len(contacts)]
                tickets.append(
                    Ticket(
                        number=100_000 + n,
                        organization_id=contact.organization_id,
                        requester_id=contact.id,
                        subject=f"Warehouse export stops after 2,000 rows ({n})",
                        description=DESCRIPTION,
                        priority=rng.choice(("low", "medium", "high")),
                        category="technical",
                        channel="portal",
                        status="open",
                    )
                )
            session.add_all(tickets)
            await session.flush()
            for t in tickets:
                snap = TicketOut.model_validate(t).model_dump(mode="json")
                snapshots[t.id] = (t.organization_id, t.requester_id, snap)
            agent_id = agent.id
    finally:
        await engine.dispose()
    return Seed(agent_id, snapshots)


def created_data(snapshot: dict[str, Any]) -> dict[str, Any]:
    """A ticket.created event's data: the new ticket."""
    opened = datetime.fromisoformat(snapshot["created_at"])
    return {"ticket": {**snapshot, "status": "new", "sla": sla_json(opened, replied=False)}}


def reply_data(s: Seed, ticket_id: uuid.UUID) -> dict[str, Any]:
    """A ticket.comment_added event's data: the ticket and an agent's public reply."""
    _, _, snapshot = s.tickets[ticket_id]
    opened = datetime.fromisoformat(snapshot["created_at"])
    now = datetime.now(UTC).isoformat()
    comment = {
        "id": str(uuid.uuid4()),
        "created_at": now,
        "updated_at": now,
        "ticket_id": str(ticket_id),
        "author_type": "agent",
        "author_id": str(s.agent_id),
        "body": REPLY_BODY,
        "visibility": "public",
        "mentions": [],
    }
    ticket = {**snapshot, "status": "open", "sla": sla_json(opened, replied=True)}
    return {"ticket": ticket, "comment": comment}


def agent_actor(s: Seed) -> dict[str, Any]:
    return {"type": "agent", "id": str(s.agent_id), "key_id": str(uuid.uuid4())}


PRELOAD_SQL = """
WITH src AS MATERIALIZED (
    SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::uuid[], $5::text[], $6::text[])
        WITH ORDINALITY AS s(id, type, ticket_id, organization_id, actor, data, g)
), new_events AS (
    INSERT INTO events (id, type, ticket_id, organization_id, visibility, actor, data, created_at,
                        request_id)
    SELECT id, type, ticket_id, organization_id, 'public', actor::jsonb, data::jsonb,
           clock_timestamp(), md5(id::text)
    FROM src ORDER BY g
    RETURNING id, seq
)
INSERT INTO outbox (event_id, created_at)
SELECT id, now() FROM new_events ORDER BY seq
"""


async def preload(args: argparse.Namespace, s: Seed) -> tuple[float, list[uuid.UUID], Counter[str]]:
    """The throughput phase's events and outbox rows: every ticket's ticket.created (its
    acknowledgment), then agent replies round-robin over the tickets."""
    started = time.monotonic()
    ticket_ids = list(s.tickets)
    cols: list[list[Any]] = [[], [], [], [], [], []]
    kinds: Counter[str] = Counter()
    for i in range(args.events):
        ticket_id = ticket_ids[i % len(ticket_ids)]
        org, requester, snapshot = s.tickets[ticket_id]
        if i < len(ticket_ids):
            kind, type_ = "acknowledgment", "ticket.created"
            actor = {"type": "contact", "id": str(requester), "key_id": str(uuid.uuid4())}
            data = created_data(snapshot)
        else:
            kind, type_ = "reply", "ticket.comment_added"
            actor, data = agent_actor(s), reply_data(s, ticket_id)
        kinds[kind] += 1
        row = [uuid.uuid4(), type_, ticket_id, org, orjson.dumps(actor).decode()]
        row.append(orjson.dumps(data).decode())
        for col, value in zip(cols, row, strict=True):
            col.append(value)
    async with connection(args.database) as conn:
        await conn.execute(PRELOAD_SQL, *cols)
    return time.monotonic() - started, cols[0], kinds


async def vacuum_tables(database: str) -> None:
    """What autovacuum (off on this cluster) would have done; flush dirty pages now."""
    tables = ("events", "outbox", "tickets", "contacts", "notifications", "mail_state")
    await vacuum_analyze(database, tables)


# ------------------------------------------------------------------------ sink


def sink_main(argv: list[str]) -> None:
    """An SMTP server (aiosmtpd's protocol on uvloop, no TLS, no auth) that accepts every
    mail and appends `M <arrival> <Message-ID>` per mail and `C <time>` per connection to a
    file, flushed every 20 ms; arrival = wall clock when DATA's end arrived."""
    import logging
    import re

    import uvloop
    from aiosmtpd.smtp import SMTP

    logging.getLogger("mail.log").setLevel(logging.WARNING)
    p = argparse.ArgumentParser(prog="mail.py _sink")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--out", required=True)
    a = p.parse_args(argv)
    out = open(a.out, "w", buffering=1 << 16)  # noqa: SIM115 (open for the process's life)
    message_id = re.compile(rb"^message-id:[ \t]*(?:\r?\n[ \t]+)?(<[^>\r\n]*>)", re.I | re.M)

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            now = time.time()
            content = envelope.original_content or envelope.content
            found = message_id.search(content, 0, 8192)
            out.write(f"M {now:.6f} {found.group(1).decode() if found else '-'}\n")
            return "250 2.0.0 Ok: queued"

    class Server(SMTP):  # type: ignore[misc]
        def connection_made(self, transport: Any) -> None:
            out.write(f"C {time.time():.6f}\n")
            super().connection_made(transport)

    async def main() -> None:
        loop = asyncio.get_running_loop()
        handler = Handler()
        await loop.create_server(
            lambda: Server(handler, hostname="bench-sink", ident="bench sink", loop=loop),
            "127.0.0.1",
            a.port,
            backlog=1024,
        )
        print(f"sink listening on 127.0.0.1:{a.port}", flush=True)
        while True:
            await asyncio.sleep(0.02)
            out.flush()

    uvloop.run(main())


class Sink:
    """Reads the sink's file as it grows: first arrival per Message-ID, repeats, connections."""

    def __init__(self, path: Path, port: int) -> None:
        self.path, self.port = path, port
        self.offset = 0
        self.arrivals: dict[str, float] = {}
        self.repeats: Counter[str] = Counter()
        self.connections: list[float] = []

    async def wait_ready(self, proc: Process, log_path: Path) -> None:
        async def ready() -> bool:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return True
            except OSError:
                return False

        await wait_until(ready, proc, "the SMTP sink", log_path, limit_s=20)
        await asyncio.sleep(0.1)  # the sink's flush
        self.poll()  # the readiness probe's own connection
        self.connections.clear()

    def poll(self) -> int:
        """Takes in what the sink wrote since the last poll; the distinct arrivals so far."""
        if not self.path.exists():
            return 0
        with self.path.open("rb") as f:
            f.seek(self.offset)
            chunk = f.read()
        end = chunk.rfind(b"\n") + 1
        self.offset += end
        for line in chunk[:end].decode().splitlines():
            kind, at, *rest = line.split(" ", 2)
            if kind == "C":
                self.connections.append(float(at))
            elif rest[0] in self.arrivals:
                self.repeats[rest[0]] += 1
            else:
                self.arrivals[rest[0]] = float(at)
        return len(self.arrivals)


# --------------------------------------------------------------------- worker


def worker_main(argv: list[str]) -> None:
    """`supportdesk worker`, with the mail pump's planning, claims, records, SMTP sends,
    rendering and composing timed (wall ms, with the number of rows), its event loop's lag
    sampled and, with --profile, cProfile from the mail pump's start."""
    p = argparse.ArgumentParser(prog="mail.py _worker")
    p.add_argument("--timings", required=True)
    p.add_argument("--profile")
    a = p.parse_args(argv)

    import cProfile

    from app import cli
    from app.mail import compose, planner, pump, repository, rows, sender
    from app.mail.transport import SmtpPool

    names = ("plan", "claim", "record", "smtp", "render", "compose")
    calls: dict[str, list[tuple[float, float, int]]] = {name: [] for name in names}
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

    def timed_sync(name: str, fn: Any) -> Any:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            result = fn(*args, **kwargs)
            calls[name].append((time.time(), round((time.perf_counter() - started) * 1000, 3), 1))
            return result

        return wrapper

    async def watch_lag() -> None:
        while True:
            started = time.perf_counter()
            await asyncio.sleep(0.01)
            lag.append((time.time(), round((time.perf_counter() - started - 0.01) * 1000, 2)))

    start = pump.MailPump.start

    async def start_measured(self: pump.MailPump) -> None:
        await start(self)
        self.tasks.append(asyncio.create_task(watch_lag()))
        if profiler is not None:
            profiler.enable()

    planner.plan = timed("plan", planner.plan, lambda _, r: r or 0)  # type: ignore[assignment]
    repository.claim = timed("claim", repository.claim, lambda _, r: len(r))  # type: ignore[assignment]
    sender.Results.save = timed(  # type: ignore[method-assign]
        "record", sender.Results.save, lambda args, _: len(args[0].updates)
    )
    SmtpPool.send = timed("smtp", SmtpPool.send, lambda _, r: 1)  # type: ignore[method-assign]
    rows.render = timed_sync("render", rows.render)  # type: ignore[attr-defined]
    compose.message = timed_sync("compose", compose.message)  # type: ignore[assignment]
    pump.MailPump.start = start_measured  # type: ignore[method-assign]
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
    cmd += ["--timings", str(RESULTS_DIR / "mail-timings.json")]
    if args.profile:
        cmd += ["--profile", str(RESULTS_DIR / "mail-worker.prof")]
    return cmd


# ------------------------------------------------------------------------ CPU


def cpu_figures(use: CpuUse) -> Cpu:
    """The meter's reading with the producer's Postgres backends apart from the worker's."""
    producer = use.postgres.get(PRODUCER_APP, 0.0)
    return Cpu(
        wall_s=round(use.wall_s, 2),
        worker_s=round(use.processes["worker"], 2),
        sink_s=round(use.processes["sink"], 2),
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
    """What both phases drive and watch: the bench's connection, the sink, the worker."""

    conn: asyncpg.Connection
    sink: Sink
    sink_pid: int
    worker: Process
    worker_log: Path

    def check(self) -> None:
        check_alive(self.worker, "the worker", self.worker_log)

    def meter(self) -> CpuMeter:
        return CpuMeter(self.conn, {"worker": self.worker.pid, "sink": self.sink_pid})


# ----------------------------------------------------------------- throughput

CUT_MARK = "bench: not attempted within --window"
STATUS_SQL = """
SELECT count(*) AS planned,
       count(*) FILTER (WHERE status = 'sent') AS sent,
       count(*) FILTER (WHERE status = 'failed' AND smtp_reply IS DISTINCT FROM $2) AS failed,
       count(*) FILTER (WHERE status = 'failed' AND smtp_reply = $2) AS cut,
       count(*) FILTER (WHERE status = 'skipped') AS skipped,
       count(*) FILTER (WHERE status = 'pending') AS pending,
       count(*) FILTER (WHERE status = 'pending' AND smtp_reply IS NOT NULL) AS retrying,
       extract(epoch FROM min(created_at))::float8 AS first_planned,
       extract(epoch FROM max(created_at))::float8 AS last_planned
FROM notifications WHERE event_id = ANY($1::uuid[])
"""
# Taken off when --window runs out, so that the latency phase starts on an empty queue:
# events not relayed leave the outbox, the planner's place jumps to the feed's end (waiting
# for a planner holding it), and mails never claimed are marked failed (a claim holding a row
# lock makes this wait, then skip it: attempts has gone up).
CUT_OUTBOX_SQL = "DELETE FROM outbox"
CUT_PLAN_SQL = """
UPDATE mail_state SET last_position = (SELECT last_position FROM feed_state WHERE id = 1)
WHERE id = 1
"""
CUT_SEND_SQL = """
UPDATE notifications SET status = 'failed', next_attempt_at = NULL, smtp_reply = $1
WHERE status = 'pending' AND attempts = 0
"""


async def cut(conn: asyncpg.Connection) -> None:
    await conn.execute(CUT_OUTBOX_SQL)
    await conn.execute(CUT_PLAN_SQL)
    await conn.execute(CUT_SEND_SQL, CUT_MARK)


async def throughput_phase(
    args: argparse.Namespace,
    rig: Rig,
    started_at: float,
    preloaded: tuple[float, list[uuid.UUID], Counter[str]],
) -> Throughput:
    """From the worker's start until every mail arrived, or --window seconds after the first
    arrival: then what is not planned or claimed yet is cut and the mails in flight are
    waited for."""
    preload_s, event_ids, kinds = preloaded
    conn, sink = rig.conn, rig.sink
    cpu_meter = rig.meter()
    deadline = time.monotonic() + args.timeout
    while sink.poll() == 0:
        rig.check()
        if time.monotonic() > deadline:
            raise BenchError(
                f"no mail arrived in {args.timeout:.0f} s:\n{log_tail(rig.worker_log)}"
            )
        await asyncio.sleep(0.02)
    await cpu_meter.start()
    log(f"first mail arrived; waiting for all of them (at most {args.window:g} s)")
    last_report = cut_at = time.monotonic()
    cut_at += args.window
    expected = len(event_ids)
    was_cut = False
    while time.monotonic() < cut_at:
        rig.check()
        count = sink.poll()
        if count >= expected:
            break
        if time.monotonic() - last_report >= 10:
            log(f"  {count:,}/{expected:,} arrived")
            last_report = time.monotonic()
        await asyncio.sleep(0.05)
    else:
        log("window over: cutting what is not planned or claimed yet")
        await cut(conn)
        was_cut = True
    status = await conn.fetchrow(STATUS_SQL, event_ids, CUT_MARK)
    drain = time.monotonic() + args.timeout
    while status["pending"] > status["retrying"] and time.monotonic() < drain:
        rig.check()
        await asyncio.sleep(0.05)
        status = await conn.fetchrow(STATUS_SQL, event_ids, CUT_MARK)
    await asyncio.sleep(0.1)  # the sink's flush
    sink.poll()
    cpu = cpu_figures(await cpu_meter.stop())
    rows = await conn.fetch(
        "SELECT message_id FROM notifications WHERE event_id = ANY($1::uuid[])", event_ids
    )
    ids = [r["message_id"] for r in rows]
    times = [sink.arrivals[m] for m in ids if m in sink.arrivals]
    duplicates = sum(sink.repeats[m] for m in ids)
    unplanned = expected - status["planned"]
    # Events the planner had not reached when the window ran out; otherwise a lost mail.
    cut_count = status["cut"] + (unplanned if was_cut else 0)
    first_connect = min(sink.connections, default=min(times, default=0.0))
    last = max(times, default=first_connect)
    window = last - first_connect
    arrival_window = last - min(times) if times else 0.0
    plan_span = (status["last_planned"] or 0.0) - (status["first_planned"] or 0.0)
    arrived = len(times)
    log(f"{arrived:,} arrived in {window:.2f} s")
    return Throughput(
        events=expected,
        tickets=args.tickets,
        by_kind=dict(kinds),
        preload_s=round(preload_s, 2),
        planned=status["planned"],
        sent=status["sent"],
        failed=status["failed"],
        skipped=status["skipped"],
        pending=status["pending"],
        cut=cut_count,
        arrived=arrived,
        duplicates=duplicates,
        missing=expected - arrived - cut_count,
        window_s=round(window, 3),
        mails_per_s=round(arrived / window, 1) if window > 0 else 0.0,
        arrival_window_s=round(arrival_window, 3),
        arrivals_per_s=round(arrived / arrival_window, 1) if arrival_window > 0 else 0.0,
        startup_s=round(first_connect - started_at, 2) if first_connect else 0.0,
        plan_span_s=round(plan_span, 2),
        planned_per_s=round(status["planned"] / plan_span, 1) if plan_span > 0 else 0.0,
        per_second=per_second(times),
        cpu=cpu,
        worker_ms_per_mail=round(cpu.worker_s * 1000 / arrived, 3) if arrived else 0.0,
        postgres_ms_per_mail=round(cpu.worker_postgres_s * 1000 / arrived, 3) if arrived else 0.0,
        sink_ms_per_mail=round(cpu.sink_s * 1000 / arrived, 3) if arrived else 0.0,
    )


# -------------------------------------------------------------------- latency

LOCK_TICKET_SQL = "SELECT id FROM tickets WHERE id = $1 FOR UPDATE"
# The statement app.events.service.record sends for one event (app/statements.recording).
RECORD_SQL = """
WITH new_events AS (
    INSERT INTO events (id, type, ticket_id, organization_id, visibility, actor, data, created_at,
                        request_id)
    VALUES ($1, $2, $3, $4, 'public', $5::jsonb, $6::jsonb, $7, $8)
    RETURNING id
)
INSERT INTO outbox (event_id, created_at) SELECT id, $7 FROM new_events
"""


class Writer:
    """Commits one agent reply per transaction: the ticket's row lock (writers take it first),
    then the event and its outbox row; returns the wall clock just after COMMIT returned."""

    def __init__(self, database: str, connections: int, s: Seed) -> None:
        self.database, self.connections, self.s = database, connections, s

    async def open(self) -> None:
        self.pool = await asyncpg.create_pool(
            dsn(self.database),
            min_size=self.connections,
            max_size=self.connections,
            server_settings={"application_name": PRODUCER_APP},
        )

    async def write(self, event_id: uuid.UUID, ticket_id: uuid.UUID) -> float:
        org = self.s.tickets[ticket_id][0]
        data = orjson.dumps(reply_data(self.s, ticket_id)).decode()
        actor = orjson.dumps(agent_actor(self.s)).decode()
        async with self.pool.acquire() as conn, conn.transaction():
            await conn.execute(LOCK_TICKET_SQL, ticket_id)
            now = datetime.now(UTC)
            await conn.execute(
                RECORD_SQL,
                event_id,
                "ticket.comment_added",
                ticket_id,
                org,
                actor,
                data,
                now,
                uuid.uuid4().hex,
            )
        return time.time()

    async def close(self) -> None:
        await self.pool.close()


async def produce(args: argparse.Namespace, s: Seed, writer: Writer) -> Produced:
    """Open loop: event i is started at t0 + i / rate whatever the earlier ones are doing."""
    rng = random.Random(args.seed)
    ticket_ids = list(s.tickets)
    total = round(args.rate * args.duration)
    out = Produced({}, [], Counter(), 0.0)
    loop = asyncio.get_running_loop()

    async def one(event_id: uuid.UUID, ticket_id: uuid.UUID, due: float) -> None:
        try:
            committed = await writer.write(event_id, ticket_id)
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
        tasks.append(asyncio.create_task(one(uuid.uuid4(), rng.choice(ticket_ids), due)))
    await asyncio.gather(*tasks)
    out.wall_s = loop.time() - t0
    return out


MAILS_SQL = """
SELECT m.event_id, coalesce(n.status, 'not planned') AS status, n.message_id,
       extract(epoch FROM e.created_at)::float8 AS inserted,
       extract(epoch FROM n.created_at)::float8 AS planned,
       extract(epoch FROM n.sent_at)::float8 AS recorded
FROM unnest($1::uuid[]) AS m(event_id)
JOIN events e ON e.id = m.event_id
LEFT JOIN notifications n ON n.event_id = m.event_id
"""


async def latency_phase(args: argparse.Namespace, rig: Rig, s: Seed) -> Latency:
    conn, sink = rig.conn, rig.sink
    writer = Writer(args.database, args.producer_connections, s)
    await writer.open()
    try:
        cpu_meter = rig.meter()
        await cpu_meter.start()
        log(f"producing {args.rate:g} replies/s for {args.duration:g} s")
        producing = asyncio.create_task(produce(args, s, writer))
        while not producing.done():
            rig.check()
            sink.poll()
            await asyncio.wait({producing}, timeout=1.0)
        produced = producing.result()
        cpu = cpu_figures(await cpu_meter.stop())  # the steady state only, not the drain
    finally:
        await writer.close()
    drain_s = min(args.timeout, 30.0)
    deadline = time.monotonic() + drain_s
    rows: list[Any] = []
    while time.monotonic() < deadline:
        rig.check()
        sink.poll()
        rows = await conn.fetch(MAILS_SQL, list(produced.committed))
        if all(r["message_id"] in sink.arrivals for r in rows):
            break
        await asyncio.sleep(0.1)
    await asyncio.sleep(0.1)  # the sink's flush
    sink.poll()
    rows = await conn.fetch(MAILS_SQL, list(produced.committed))
    parts: dict[str, list[float]] = {
        "insert -> commit": [],
        "commit -> planned": [],
        "planned -> arrival": [],
        "arrival -> recorded": [],
    }
    latencies: list[float] = []
    by_second: list[list[float]] = [[] for _ in range(math.ceil(args.duration))]
    first_commit = min(produced.committed.values(), default=0.0)
    missing: Counter[str] = Counter()
    duplicates = 0
    for r in rows:
        committed = produced.committed[r["event_id"]]
        arrived = sink.arrivals.get(r["message_id"]) if r["message_id"] else None
        duplicates += sink.repeats[r["message_id"]] if r["message_id"] else 0
        ms = math.inf if arrived is None else (arrived - committed) * 1000
        if arrived is None:
            missing[r["status"]] += 1
        latencies.append(ms)
        by_second[min(int(committed - first_commit), len(by_second) - 1)].append(ms)
        parts["insert -> commit"].append((committed - r["inserted"]) * 1000)
        if r["planned"] is not None:
            parts["commit -> planned"].append((r["planned"] - committed) * 1000)
            if arrived is not None:
                parts["planned -> arrival"].append((arrived - r["planned"]) * 1000)
        if arrived is not None and r["recorded"] is not None:
            parts["arrival -> recorded"].append((r["recorded"] - arrived) * 1000)
    arrived_count = len(latencies) - sum(missing.values())
    p99 = percentile(latencies, 0.99)
    log(f"{arrived_count:,}/{len(rows):,} arrived; p99 {fmt_ms(p99, drain_s)} ms")
    return Latency(
        rate=args.rate,
        duration_s=args.duration,
        produced=len(produced.committed),
        producer_errors=sum(produced.errors.values()),
        achieved_rate=round(len(produced.committed) / produced.wall_s, 1)
        if produced.wall_s
        else 0.0,
        producer_lag_p99_ms=rounded(percentile(produced.lag_ms, 0.99)),
        arrived=arrived_count,
        missing=sum(missing.values()),
        missing_by_state=dict(missing),
        drain_s=drain_s,
        duplicates=duplicates,
        p50_ms=finite(percentile(latencies, 0.5)),
        p95_ms=finite(percentile(latencies, 0.95)),
        p99_ms=finite(p99),
        max_ms=finite(max(latencies) if latencies else None),
        stages={name: stage(values) for name, values in parts.items()},
        late_by_second=[finite(percentile(v, 0.99), 0) for v in by_second],
        cpu=cpu,
        worker_ms_per_mail=round(cpu.worker_s * 1000 / arrived_count, 3) if arrived_count else 0.0,
    )


# --------------------------------------------------------------------- timings


# ------------------------------------------------------------------------ run


async def unknown_arrivals(conn: asyncpg.Connection, sink: Sink) -> int:
    """Mails the sink got that are no notification's (another process's, or a bug)."""
    known = await conn.fetch(
        "SELECT message_id FROM notifications WHERE message_id = ANY($1::text[])",
        list(sink.arrivals),
    )
    return len(sink.arrivals) - len({r["message_id"] for r in known})


async def run(args: argparse.Namespace, result: Result) -> None:
    await fresh_database(args.database)
    await flush_redis(args.redis_url)
    port = free_port()
    env = worker_env(args, port)
    log(f"seeding {args.organizations} organizations, {args.tickets:,} tickets")
    s = await seed(args)
    sink_log = RESULTS_DIR / "mail-sink.log"
    worker_log = RESULTS_DIR / "mail-worker.log"
    SINK_FILE.unlink(missing_ok=True)
    sink_cmd = [sys.executable, SCRIPT, "_sink", "--port", str(port), "--out", str(SINK_FILE)]
    timings_path = RESULTS_DIR / "mail-timings.json"
    timings_path.unlink(missing_ok=True)
    windows: dict[str, tuple[float, float]] = {}
    preloaded: tuple[float, list[uuid.UUID], Counter[str]] = (0.0, [], Counter())
    if args.only != "latency":
        log(f"preloading {args.events:,} events over {args.tickets:,} tickets")
        preloaded = await preload(args, s)
        await vacuum_tables(args.database)
    sink = Sink(SINK_FILE, port)
    async with connection(args.database) as conn:
        with process("the SMTP sink", sink_cmd, env, sink_log, STOP_TIMEOUT_S) as sink_proc:
            await sink.wait_ready(sink_proc, sink_log)
            log(f"SMTP sink on port {port}; starting the worker")
            started_at = time.time()
            with process("the worker", worker_command(args), env, worker_log, STOP_TIMEOUT_S) as w:
                rig = Rig(conn, sink, sink_proc.pid, w, worker_log)
                if args.only != "latency":
                    result.throughput = await throughput_phase(args, rig, started_at, preloaded)
                    windows["throughput"] = (started_at, time.time())
                    log("VACUUM ANALYZE before the latency phase")
                    await vacuum_tables(args.database)
                else:
                    await wait_worker_started(w, worker_log)
                if args.only != "throughput":
                    begun = time.time()
                    result.latency = await latency_phase(args, rig, s)
                    windows["latency"] = (begun, time.time())
            result.unknown_arrivals = await unknown_arrivals(conn, sink)
    if args.timings:
        result.timings = summarize_timings(timings_path, windows)
    if args.profile:
        result.profile = profile_top(RESULTS_DIR / "mail-worker.prof", limit=30)


def problems(result: Result) -> list[str]:
    found = []
    t, lat = result.throughput, result.latency
    if t is not None:
        if t.missing or t.failed or t.skipped or t.pending:
            found.append(
                f"throughput: {t.missing:,} of {t.events:,} mails missing ({t.cut:,} cut), "
                f"{t.failed} failed, {t.skipped} skipped, {t.pending} pending"
            )
        if t.duplicates:
            found.append(f"throughput: {t.duplicates} duplicate arrivals at the sink")
    if lat is not None and (lat.missing or lat.duplicates or lat.producer_errors):
        found.append(
            f"latency: {lat.missing} missing {lat.missing_by_state or ''}, "
            f"{lat.duplicates} duplicates, {lat.producer_errors} producer errors"
        )
    if result.unknown_arrivals:
        found.append(f"{result.unknown_arrivals} arrivals whose Message-ID no notification has")
    return found


# ---------------------------------------------------------------------- report


def cpu_lines(c: Cpu, per: str, count: int) -> list[str]:
    def share(sec: float) -> str:
        return f"{sec:.2f} s ({sec / c.wall_s:.2f} cores)" if c.wall_s else f"{sec:.2f} s"

    others = c.machine_busy_s - c.worker_s - c.sink_s - c.worker_postgres_s
    others -= c.producer_postgres_s + c.bench_s
    lines = [
        f"  CPU over {c.wall_s:.1f} s: worker {share(c.worker_s)}, its Postgres backends "
        f"{share(c.worker_postgres_s)}, SMTP sink {share(c.sink_s)}",
        f"    bench process {share(c.bench_s)}, producer's Postgres backends "
        f"{share(c.producer_postgres_s)}; machine busy {share(c.machine_busy_s)} of "
        f"{c.cores} cores (everything else: {max(others, 0):.2f} s)",
        f"    load average before {c.load_before} after {c.load_after}",
    ]
    if count:
        lines.append(
            f"    per {per}: worker {c.worker_s * 1000 / count:.3f} ms CPU, its Postgres "
            f"backends {c.worker_postgres_s * 1000 / count:.3f} ms, sink "
            f"{c.sink_s * 1000 / count:.3f} ms"
        )
    return lines


def throughput_lines(t: Throughput) -> list[str]:
    kinds = ", ".join(f"{n:,} {k}" for k, n in t.by_kind.items())
    return [
        f"THROUGHPUT: {t.events:,} preloaded events over {t.tickets:,} tickets ({kinds}; "
        f"loaded in {t.preload_s:.1f} s), one worker, one recipient each",
        f"  mails: {t.planned:,} planned, {t.sent:,} sent, {t.failed} failed, {t.skipped} "
        f"skipped, {t.pending} pending, {t.cut:,} cut; sink got {t.arrived:,} "
        f"({t.duplicates} duplicates), {t.missing} missing",
        f"  first SMTP connection -> last arrival: {t.window_s:.2f} s = {t.mails_per_s:,.1f} "
        f"mails/s   (first -> last arrival: {t.arrival_window_s:.2f} s = "
        f"{t.arrivals_per_s:,.1f}/s)",
        f"  worker start -> first SMTP connection {t.startup_s:.2f} s; planner: first -> last "
        f"batch {t.plan_span_s:.2f} s ({t.planned_per_s:,.1f} planned/s)",
        "  arrivals per second: " + " ".join(map(str, t.per_second)),
        *cpu_lines(t.cpu, "mail", t.arrived),
    ]


def latency_lines(lat: Latency) -> list[str]:
    def ms(value: float | None, spec: str = ".1f") -> str:
        return fmt_ms(value, lat.drain_s, spec)

    head = f"{'stage':<22}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}"
    rows = [
        f"LATENCY: {lat.rate:g} agent replies/s for {lat.duration_s:g} s, one transaction each; "
        f"{lat.produced:,} committed at {lat.achieved_rate:.1f}/s (producer lag p99 "
        f"{fmt(lat.producer_lag_p99_ms)} ms, {lat.producer_errors} errors)",
        f"  arrived {lat.arrived:,}, not arrived {lat.drain_s:g} s after the last commit "
        f"{lat.missing:,} {lat.missing_by_state or ''}, duplicates {lat.duplicates}",
        f"  commit -> arrival: p50 {ms(lat.p50_ms)} / p95 {ms(lat.p95_ms)} / "
        f"p99 {ms(lat.p99_ms)} / max {ms(lat.max_ms)} ms",
        "  p99 by second of commit: " + " ".join(ms(v, ".0f") for v in lat.late_by_second),
        "  " + head,
        "  " + "-" * len(head),
    ]
    for name, st in lat.stages.items():
        rows.append(f"  {name:<22}{fmt(st.p50_ms):>9}{fmt(st.p99_ms):>9}{fmt(st.max_ms):>9}")
    rows += cpu_lines(lat.cpu, "mail", lat.arrived)
    return rows


def timing_lines(timings: dict[str, Any]) -> list[str]:
    head = f"{'step':<16}{'calls':>8}{'rows/call':>10}{'p50 ms':>9}{'p99 ms':>9}{'total s':>9}"
    rows = []
    for phase, summary in timings.items():
        rows += [f"WORKER TIMINGS ({phase}; wall time inside the worker's event loop)", head]
        for name in ("plan", "render", "claim", "compose", "smtp", "record"):
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


def verdict_lines(result: Result) -> list[str]:
    """The short table: each figure beside its goal."""
    head = f"{'figure':<40}{'measured':>22}  {'goal':<16}verdict"
    rows = ["", head, "-" * len(head)]
    t, lat = result.throughput, result.latency
    if t is not None:
        met = t.mails_per_s >= TARGET_RATE
        rows.append(
            f"{'throughput, one worker (mails/s)':<40}{t.mails_per_s:>22,.1f}  "
            f"{'>= ' + format(TARGET_RATE, ',.0f'):<16}{'MET' if met else 'NOT MET'}"
        )
    if lat is not None:

        def ms(value: float | None) -> str:
            return fmt_ms(value, lat.drain_s, ".0f")

        met = lat.p99_ms is not None and lat.p99_ms <= TARGET_P99_MS
        label = f"commit -> inbox at {lat.rate:g}/s p50/p95/p99 ms"
        figures = f"{ms(lat.p50_ms)} / {ms(lat.p95_ms)} / {ms(lat.p99_ms)}"
        rows.append(
            f"{label:<40}{figures:>22}  {'p99 <= ' + format(TARGET_P99_MS, '.0f'):<16}"
            f"{'MET' if met else 'NOT MET'}"
        )
    return rows


def format_table(result: Result) -> str:
    code = result.code
    concurrency = result.params["concurrency"] or "the default (4)"
    where = "" if code["app"] == str(ROOT / "app") else f" (app imported from {code['app']})"
    rows = [f"{code_line(code)}{where}; mail_concurrency {concurrency}"]
    if result.throughput:
        rows += throughput_lines(result.throughput)
    if result.latency:
        rows += latency_lines(result.latency)
    if result.timings:
        rows += timing_lines(result.timings)
    if result.profile:
        rows += ["WORKER PROFILE (cProfile, by own time; full: bench/results/mail-worker.txt)"]
        rows += result.profile
    rows += verdict_lines(result)
    rows += [f"PROBLEM: {p}" for p in result.problems]
    return "\n".join(rows)


def report(result: Result, args: argparse.Namespace) -> str:
    return write_report("mail", asdict(result), format_table(result), args.json)


# ------------------------------------------------------------------------ main


def bench(args: argparse.Namespace) -> int:
    params = ["events", "tickets", "organizations", "rate", "duration", "only", "concurrency"]
    params += ["window", "timings", "profile"]
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
    if argv[:1] == ["_sink"]:
        sink_main(argv[1:])
        return 0
    if argv[:1] == ["_worker"]:
        worker_main(argv[1:])
        return 0
    args = parse_args(argv)
    return run_bench(lambda: bench(args))


if __name__ == "__main__":
    sys.exit(main())

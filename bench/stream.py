"""Live stream (GET /v1/stream): the idle streams one API process holds, and the time from a
comment's POST to its arrival at every connected console.

Run from the repository root::

    .venv/bin/python bench/stream.py                        # 10,000 idle; 1,000 x 200 comments
    .venv/bin/python bench/stream.py --idle 500 --clients 50 --events 20
    .venv/bin/python bench/stream.py --only latency --clients 2000 --rate 20
    .venv/bin/python bench/stream.py --gc         # variant: log the API's garbage collections

It drops and recreates the bench database, migrates it, flushes its Redis DB and raises this
process's open-file limit to the hard limit (the children inherit it). Each phase starts one
real ``supportdesk serve`` of its own (uvicorn, one process) with a bootstrap admin key and
creates an organization, a designated contact, one ticket and a warm-up comment through it:

1. idle: opens ``--idle`` (10,000) staff streams to that one process, ``--batch`` (500) at a
   time, each batch waiting for every stream's ``: connected`` comment (its subscription is
   registered), holds them ``--hold`` (10) s and reads the API's VmRSS and VmHWM (reset just
   before the first stream); goal: >= 10,000 streams with RSS <= 300 MB (286.1 MiB). The streams are
   then closed and the API's RSS and open files read again;
2. latency: starts one ``supportdesk worker`` (its relay numbers the outbox every 50 ms and
   NOTIFYs the API's LISTEN; its mail pump is off: no SMTP here), opens ``--clients`` (1,000)
   staff streams and posts ``--events`` (200) public comments to the ticket at ``--rate``
   (10) per s, open loop, each body carrying a unique marker. A delivery's latency is its
   arrival at one client minus the moment just before its POST was sent, so it includes the
   POST's own processing (reported apart); goal: p99 <= 250 ms. Every client must receive
   every feed position after the clients connected exactly once and in order, which is
   checked against the events table. CPU seconds of the API, the worker, their Postgres
   backends and this bench (the clients and the poster) are read over the posting and drain.

The clients are plain sockets (``asyncio.open_connection``, on uvloop): a hand-written
HTTP/1.1 GET, then the chunked body read as lines (chunk-size lines ignored; the marker is
found in the raw ``data:`` line, not parsed). An arrival is when the client's task got the
bytes, so a busy bench loop delays it: the loop's lag (a 10 ms sleep's overshoot) is reported.
``--gc`` serves through this script's ``_serve`` mode instead, which logs every full garbage
collection of the API and any other taking 5 ms or more (the event loop stands still
meanwhile); the report sums them per phase.
Server and worker logs and the last results go to ``bench/results/`` (git-ignored).
Exit status: 0 ok (the goals are informational), 1 setup error, 3 a POST failed or a delivery
was missing, repeated or out of order.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import math
import re
import resource
import secrets
import statistics
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import psutil
import uvloop
from harness import (
    RESULTS_DIR,
    BenchError,
    CpuMeter,
    CpuUse,
    Process,
    add_common,
    app_env,
    check_alive,
    code_line,
    code_measured,
    connection,
    cpu_seconds,
    drop_unless_kept,
    finite,
    flush_redis,
    fmt,
    fmt_ms,
    free_port,
    fresh_database,
    log,
    parse,
    parser,
    percentile,
    process,
    reset_hwm,
    rounded,
    rss_mib,
    run_bench,
    status_kib,
    supportdesk_bin,
    wait_until,
    wait_worker_started,
    write_report,
)

DEFAULT_DATABASE = "supportdesk_bench_stream"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/11"
TARGET_IDLE = 10_000  # streams one API process holds
# ... with its RSS at most 300 MB, read strictly as 300,000,000 bytes (286.1 MiB)
TARGET_RSS_MIB = 300e6 / 2**20
TARGET_P99_MS = 250.0  # POST sent -> the message at the client, 1,000 clients, 10 events/s
STOP_TIMEOUT_S = 30.0  # the API drains its streams for --grace 5 s
SCRIPT = str(Path(__file__).resolve())
GC_MIN_MS = 5.0  # --gc: the API's collections logged (every full one too)
WORKER_LOG = RESULTS_DIR / "stream-worker.log"
COMMENT_EVENT = b"ticket.comment_added"
MARKER = "bench-mark-{:06d}-end"
MARKER_RE = re.compile(rb"bench-mark-(\d{6})-end")
READ_BYTES = 65536
MiB = 2**20


# --------------------------------------------------------------------- results


@dataclass
class GcPauses:
    """The API's garbage collections over a window (--gc): every full one, and any other
    that took GC_MIN_MS or more; the event loop stands still meanwhile."""

    full: int
    logged: int
    total_ms: float
    max_ms: float
    over_100ms: int


def gc_pauses(path: Path | None, window: tuple[float, float]) -> GcPauses | None:
    if path is None or not path.exists():
        return None
    lo, hi = window
    rows = [line.split() for line in path.read_text().splitlines()]
    picked = [(int(g), float(ms)) for t, g, ms, _ in rows if lo <= float(t) <= hi]
    pauses = [ms for _, ms in picked]
    return GcPauses(
        full=sum(1 for g, _ in picked if g == 2),
        logged=len(picked),
        total_ms=round(sum(pauses), 1),
        max_ms=round(max(pauses, default=0.0), 1),
        over_100ms=sum(1 for ms in pauses if ms >= 100),
    )


@dataclass
class Idle:
    target: int
    batch: int
    connected: int  # saw `: connected`
    held: int  # still open at the end of the hold
    failed: int
    errors: dict[str, int]  # why streams failed, by message
    ramp_s: float
    connects_per_s: float
    ramp_api_cpu_s: float  # the API's CPU seconds over the ramp
    rss_idle_mib: float  # before any stream (median of 10 samples over 0.5 s)
    rss_connected_mib: float  # all held, after --hold s
    hwm_mib: float | None  # VmHWM over the ramp and hold (None: could not be reset)
    kib_per_stream: float  # (connected - idle) / held
    fds_idle: int
    fds_connected: int
    rss_closed_mib: float  # 2 s after every stream was closed
    fds_closed: int
    bench_rss_mib: float  # this process, holding the clients
    # (streams open, the API's RSS in MiB) after each batch
    series: list[tuple[int, float]] = field(default_factory=list)
    gc_open: GcPauses | None = None  # --gc: from the first stream to the end of the hold
    gc_close: GcPauses | None = None  # ... while they were closed, and 2 s after


@dataclass
class Cpu:
    """CPU seconds used over a window of `wall_s` (machine busy: all cores, everyone's work)."""

    wall_s: float
    api_s: float
    worker_s: float
    postgres_s: dict[str, float]  # the database's backends, by application_name
    bench_s: float
    machine_busy_s: float
    cores: int
    load_before: list[float]
    load_after: list[float]


@dataclass
class Latency:
    clients: int
    connected: int
    connect_errors: dict[str, int]
    events: int
    rate: float
    posted: int  # answered 201
    post_errors: dict[str, int]
    achieved_rate: float
    post_p50_ms: float | None
    post_p99_ms: float | None
    poster_lag_p99_ms: float | None  # POST sent - its scheduled instant
    expected: int  # connected clients x comments posted
    received: int  # first arrivals of a marker
    missing: int
    drain_s: float
    # every feed position after `base_position` up to the last comment's, per client
    feed_positions: int
    feed_missing: int
    duplicates: int
    out_of_order: int
    wrong_position: int  # a marker under another id than the events table gives its comment
    ended_early: int  # streams that ended before the phase did
    other_messages: int  # messages with an id that carry no marker (other events), all clients
    p50_ms: float | None
    p95_ms: float | None
    p99_ms: float | None
    max_ms: float | None
    first_p50_ms: float | None  # POST sent -> the first client's arrival, per comment
    first_p99_ms: float | None
    spread_p50_ms: float | None  # first -> last client's arrival, per comment
    spread_p99_ms: float | None
    late_by_second: list[float | None]  # p99 by second of posting
    loop_lag_p50_ms: float | None
    loop_lag_p99_ms: float | None
    loop_lag_max_ms: float | None
    rss_mib: float  # the API with every client connected, after the drain
    base_position: int
    cpu: Cpu
    gc: GcPauses | None = None  # --gc: over the posting and the drain


@dataclass
class Result:
    params: dict[str, Any]
    code: dict[str, Any]
    open_files: tuple[int, int]  # RLIMIT_NOFILE (soft, hard) of the bench and its children
    idle: Idle | None = None
    latency: Latency | None = None
    problems: list[str] = field(default_factory=list)


# ------------------------------------------------------------------------- CLI


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = parser(__doc__)
    p.add_argument("--idle", type=int, default=TARGET_IDLE, help="idle streams to open")
    p.add_argument("--batch", type=int, default=500, help="streams opened at once")
    p.add_argument("--hold", type=float, default=10.0, help="seconds all idle streams stay open")
    p.add_argument("--clients", type=int, default=1_000, help="streams of the latency phase")
    p.add_argument("--events", type=int, default=200, help="comments posted")
    p.add_argument("--rate", type=float, default=10.0, help="comments per second")
    p.add_argument("--drain", type=float, default=15.0, help="max seconds to wait for arrivals")
    p.add_argument(
        "--connect-timeout", type=float, default=60.0, help="max seconds for one batch to connect"
    )
    p.add_argument("--only", choices=["idle", "latency"], help="run one phase only")
    p.add_argument(
        "--gc",
        action="store_true",
        help="serve through this script's _serve mode, which logs the API's garbage\n"
        f"collections (every full one, and any taking {GC_MIN_MS:g} ms or more)",
    )
    p.add_argument("--startup-timeout", type=float, default=60.0, help="seconds to /readyz 200")
    add_common(p, database=DEFAULT_DATABASE, redis_url=DEFAULT_REDIS_URL)
    args = parse(p, argv)
    if min(args.idle, args.batch, args.clients, args.events) < 1:
        p.error("--idle, --batch, --clients and --events must be positive")
    if min(args.rate, args.drain, args.connect_timeout, args.startup_timeout) <= 0:
        p.error("--rate, --drain and the timeouts must be positive")
    if args.hold < 0:
        p.error("--hold must not be negative")
    return args


def raise_open_files() -> tuple[int, int]:
    """Raises RLIMIT_NOFILE's soft limit to the hard one (children inherit it); the limits."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = hard if hard != resource.RLIM_INFINITY else max(soft, 1 << 20)
    if soft < want:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)


# ------------------------------------------------------------------------ memory


async def idle_rss(pid: int) -> float:
    """The median of 10 VmRSS samples over 0.5 s."""
    samples = []
    for _ in range(10):
        samples.append(rss_mib(pid))
        await asyncio.sleep(0.05)
    return statistics.median(samples)


def open_fds(pid: int) -> int:
    return psutil.Process(pid).num_fds()


# ------------------------------------------------------------------------ client


@dataclass(eq=False)
class Client:
    """One stream over a plain socket: what it received, as it arrived (monotonic time)."""

    ready: asyncio.Event = field(default_factory=asyncio.Event)  # connected, or failed
    connected: bool = False
    ended: bool = False
    error: str | None = None
    writer: asyncio.StreamWriter | None = None
    ids: list[int] = field(default_factory=list)  # feed positions, in arrival order
    marks: list[tuple[int, int, float]] = field(default_factory=list)  # marker, id, arrival
    # the message being read
    event: bytes = b""
    position: int = 0

    def take(self, lines: bytes, now: float) -> None:
        """Complete lines of the body: SSE fields; chunk sizes and pings pass by."""
        for raw in lines.split(b"\n"):
            line = raw.rstrip(b"\r")
            if line.startswith(b"id:"):
                self.position = int(line[3:])
                self.ids.append(self.position)
            elif line.startswith(b"event:"):
                self.event = line[6:].strip()
            elif line.startswith(b"data:"):
                found = MARKER_RE.search(line) if self.event == COMMENT_EVENT else None
                if found:
                    self.marks.append((int(found[1]), self.position, now))
            elif line.startswith(b": connected"):
                self.connected = True
                self.ready.set()
            elif not line:
                self.event, self.position = b"", 0

    def fail(self, error: str) -> None:
        self.error = self.error or error
        self.ready.set()

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


def stream_request(port: int, key: str) -> bytes:
    return (
        f"GET /v1/stream HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Authorization: Bearer {key}\r\nAccept: text/event-stream\r\n"
        "Cache-Control: no-cache\r\n\r\n"
    ).encode()


async def read_head(reader: asyncio.StreamReader) -> None:
    """The response's head; anything but 200 is an error with the status line."""
    head = await reader.readuntil(b"\r\n\r\n")
    status = head.split(b"\r\n", 1)[0].decode(errors="replace")
    if status.split(" ")[1:2] != ["200"]:
        raise ValueError(f"answered {status!r}")


async def read_body(reader: asyncio.StreamReader, client: Client) -> None:
    """Reads until the server ends the stream, handing complete lines to the client."""
    pending = b""
    while data := await reader.read(READ_BYTES):
        now = time.monotonic()
        pending += data
        end = pending.rfind(b"\n") + 1
        if end:
            client.take(pending[:end], now)
            pending = pending[end:]


async def run_client(port: int, request: bytes, client: Client) -> None:
    """One stream from connecting to its end; its error, if any, kept on the client."""
    try:
        reader, client.writer = await asyncio.open_connection("127.0.0.1", port)
        client.writer.write(request)
        await read_head(reader)
        await read_body(reader, client)
        if not client.connected:
            client.fail("ended before `: connected`")
    except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError) as exc:
        client.fail(f"{type(exc).__name__}: {exc}"[:160])
    finally:
        client.ended = True
        client.ready.set()
        client.close()


@dataclass
class Pool:
    """Streams opened by ramp(): every client, its task, and why some failed."""

    clients: list[Client] = field(default_factory=list)
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    series: list[tuple[int, float]] = field(default_factory=list)

    def live(self) -> list[Client]:
        return [c for c in self.clients if c.connected and not c.ended]

    async def close(self) -> None:
        """Closes every socket and waits (at most 30 s) for the readers to finish."""
        for client in self.clients:
            client.close()
        if self.tasks:
            _, late = await asyncio.wait(self.tasks, timeout=30.0)
            for task in late:
                task.cancel()


async def open_batch(pool: Pool, port: int, request: bytes, size: int, limit_s: float) -> int:
    """Opens `size` streams at once and waits for each to be connected or to fail; the
    number connected. Streams not connected within `limit_s` are closed as failed."""
    batch = [Client() for _ in range(size)]
    tasks = [asyncio.create_task(run_client(port, request, c)) for c in batch]
    pool.clients += batch
    pool.tasks += tasks
    waits = [asyncio.create_task(c.ready.wait()) for c in batch]
    _, late = await asyncio.wait(waits, timeout=limit_s)
    for wait in late:
        wait.cancel()
    for client in batch:
        if not client.ready.is_set():
            client.fail(f"no `: connected` within {limit_s:g} s")
            client.close()
    pool.errors.update(c.error for c in batch if c.error and not c.connected)
    return sum(1 for c in batch if c.connected and not c.ended)


async def ramp(args: argparse.Namespace, api: Api, count: int) -> Pool:
    """`count` streams, --batch at a time; stops early once a whole batch fails."""
    pool = Pool()
    request = stream_request(api.port, api.key)
    while len(pool.clients) < count:
        size = min(args.batch, count - len(pool.clients))
        ok = await open_batch(pool, api.port, request, size, args.connect_timeout)
        api.check()
        pool.series.append((len(pool.live()), round(rss_mib(api.pid), 1)))
        log(f"  {len(pool.live()):,} streams open, API RSS {pool.series[-1][1]:.1f} MiB")
        if ok == 0:
            log(f"  a whole batch failed: {pool.errors.most_common(3)}")
            break
    return pool


# ----------------------------------------------------------------------- servers


@dataclass
class Api:
    phase: str
    base_url: str
    port: int
    pid: int
    key: str
    proc: Process
    log_path: Path
    gc_log: Path | None  # --gc: the API's garbage collections

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}

    def check(self) -> None:
        check_alive(self.proc, "the API", self.log_path)


def serve_command(port: int, gc_log: Path | None) -> list[str]:
    serve = ["serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"]
    serve += ["--grace", "5"]
    if gc_log is None:
        return [supportdesk_bin(), *serve]
    return [sys.executable, SCRIPT, "_serve", "--gc-log", str(gc_log), "--", *serve]


def serve_main(argv: list[str]) -> None:
    """`supportdesk serve` appending each garbage collection that took GC_MIN_MS or more, and
    every full one, to a file: wall clock, generation, milliseconds, objects collected."""
    import gc

    from app import cli

    p = argparse.ArgumentParser(prog="stream.py _serve")
    p.add_argument("--gc-log", required=True)
    p.add_argument("rest", nargs=argparse.REMAINDER)
    a = p.parse_args(argv)
    out = open(a.gc_log, "w", buffering=1)  # noqa: SIM115 (open for the process's life)
    started = [0.0]

    def record(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started[0] = time.perf_counter()
            return
        ms = (time.perf_counter() - started[0]) * 1000
        if info["generation"] == 2 or ms >= GC_MIN_MS:
            out.write(f"{time.time():.3f} {info['generation']} {ms:.2f} {info['collected']}\n")

    gc.callbacks.append(record)
    cli.main(a.rest[1:] if a.rest[:1] == ["--"] else a.rest)


@contextmanager
def api_server(args: argparse.Namespace, phase: str) -> Iterator[Api]:
    """One API process (uvicorn, no workers of its own) with a bootstrap admin key."""
    port, key = free_port(), secrets.token_urlsafe(32)
    env = app_env(args.database, args.redis_url)
    env["SUPPORTDESK_ADMIN_KEY"] = key
    env["SUPPORTDESK_LOG_LEVEL"] = "warning"
    env["SUPPORTDESK_LOG_FORMAT"] = "text"
    log_path = RESULTS_DIR / f"stream-server-{phase}.log"
    gc_log = RESULTS_DIR / f"stream-gc-{phase}.log" if args.gc else None
    log(f"{phase}: starting the API on :{port}")
    cmd = serve_command(port, gc_log)
    with process(f"the {phase} API", cmd, env, log_path, STOP_TIMEOUT_S) as proc:
        yield Api(phase, f"http://127.0.0.1:{port}", port, proc.pid, key, proc, log_path, gc_log)


async def wait_ready(api: Api, limit_s: float) -> None:
    """Until GET /readyz answers 200; the API must be one process."""
    async with httpx.AsyncClient(base_url=api.base_url, timeout=5.0) as client:

        async def ready() -> bool:
            try:
                return (await client.get("/readyz")).status_code == 200
            except httpx.TransportError:
                return False

        await wait_until(ready, api.proc, "the API", api.log_path, limit_s=limit_s, interval=0.3)
    children = psutil.Process(api.pid).children(recursive=True)
    if children:
        raise BenchError(f"the API has child processes {children}: one process expected")


@contextmanager
def worker(args: argparse.Namespace) -> Iterator[Process]:
    """One `supportdesk worker`: the outbox relay (webhook pump) on, the mail pump off."""
    env = app_env(args.database, args.redis_url)
    env.pop("SUPPORTDESK_WORKER_METRICS_PORT", None)
    env["SUPPORTDESK_WORKER_WEBHOOKS"] = "true"
    env["SUPPORTDESK_WORKER_MAIL"] = "false"
    env["SUPPORTDESK_LOG_FORMAT"] = "text"
    with process("the worker", [supportdesk_bin(), "worker"], env, WORKER_LOG, 25.0) as proc:
        yield proc


async def post_json(client: httpx.AsyncClient, path: str, body: dict[str, Any]) -> Any:
    response = await client.post(path, json=body)
    if response.status_code != 201:
        raise BenchError(f"POST {path} -> {response.status_code}: {response.text[:500]}")
    return response.json()


async def seed(api: Api) -> str:
    """An organization, a designated contact, a ticket and a warm-up comment; the ticket id."""
    async with httpx.AsyncClient(base_url=api.base_url, headers=api.headers, timeout=30) as c:
        org = await post_json(c, "/v1/organizations", {"name": f"Bench Stream {api.phase} GmbH"})
        contact = await post_json(
            c,
            f"/v1/organizations/{org['id']}/contacts",
            {"name": "Sam Stream", "email": f"sam@{api.phase}.bench.example", "designated": True},
        )
        ticket = await post_json(
            c,
            "/v1/tickets",
            {
                "subject": "Live console: does every agent see this?",
                "description": "Comments on this ticket are streamed to every console.",
                "requester_id": contact["id"],
            },
        )
        await post_json(c, f"/v1/tickets/{ticket['id']}/comments", {"body": "Warm-up."})
    return str(ticket["id"])


# ------------------------------------------------------------------------ idle


@dataclass
class Snapshot:
    """The API process at one moment: RSS (MiB), open files, wall clock."""

    rss_mib: float
    fds: int
    at: float

    @classmethod
    def of(cls, pid: int) -> Snapshot:
        return cls(rss_mib(pid), open_fds(pid), time.time())


async def idle_phase(args: argparse.Namespace, api: Api) -> Idle:
    await asyncio.sleep(1.0)
    before = Snapshot(await idle_rss(api.pid), open_fds(api.pid), time.time())
    hwm = reset_hwm(api.pid)
    log(f"idle: API RSS {before.rss_mib:.1f} MiB; opening {args.idle:,}, {args.batch} at once")
    cpu, started = cpu_seconds(api.pid) or 0.0, time.monotonic()
    pool = await ramp(args, api, args.idle)
    ramp_s, ramp_cpu = time.monotonic() - started, (cpu_seconds(api.pid) or 0.0) - cpu
    connected = len(pool.live())
    log(f"idle: {connected:,} open in {ramp_s:.1f} s; holding {args.hold:g} s")
    await asyncio.sleep(args.hold)
    api.check()
    held, full = len(pool.live()), Snapshot.of(api.pid)
    peak = status_kib(api.pid, "VmHWM") / 1024 if hwm else None
    bench_rss = psutil.Process().memory_info().rss / MiB
    log(f"idle: {held:,} held; API RSS {full.rss_mib:.1f} MiB, VmHWM {fmt(peak)}; closing them")
    await pool.close()
    await asyncio.sleep(2.0)
    closed = Snapshot.of(api.pid)
    return Idle(
        target=args.idle,
        batch=args.batch,
        connected=connected,
        held=held,
        failed=sum(pool.errors.values()),
        errors=dict(pool.errors.most_common(10)),
        ramp_s=round(ramp_s, 2),
        connects_per_s=round(connected / ramp_s, 1) if ramp_s else 0.0,
        ramp_api_cpu_s=round(ramp_cpu, 2),
        rss_idle_mib=round(before.rss_mib, 1),
        rss_connected_mib=round(full.rss_mib, 1),
        hwm_mib=rounded(peak),
        kib_per_stream=round((full.rss_mib - before.rss_mib) * 1024 / held, 1) if held else 0.0,
        fds_idle=before.fds,
        fds_connected=full.fds,
        rss_closed_mib=round(closed.rss_mib, 1),
        fds_closed=closed.fds,
        bench_rss_mib=round(bench_rss, 1),
        series=pool.series,
        gc_open=gc_pauses(api.gc_log, (before.at, full.at)),
        gc_close=gc_pauses(api.gc_log, (full.at, closed.at)),
    )


# --------------------------------------------------------------------- latency


@dataclass
class Posts:
    sent: dict[int, float] = field(default_factory=dict)  # marker -> monotonic before its POST
    post_ms: list[float] = field(default_factory=list)
    lag_ms: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    wall_s: float = 0.0


async def post_comments(args: argparse.Namespace, api: Api, ticket_id: str) -> Posts:
    """Open loop: comment n is posted at t0 + n / rate whatever the earlier ones are doing."""
    out, loop = Posts(), asyncio.get_running_loop()
    path = f"/v1/tickets/{ticket_id}/comments"
    async with httpx.AsyncClient(base_url=api.base_url, headers=api.headers, timeout=30) as http:

        async def one(n: int, due: float) -> None:
            body = {"body": f"Console check {MARKER.format(n)}: does everyone see this?"}
            sent = time.monotonic()
            out.lag_ms.append((loop.time() - due) * 1000)
            try:
                response = await http.post(path, json=body)
            except httpx.HTTPError as exc:
                out.errors[f"{type(exc).__name__}: {exc}"[:160]] += 1
                return
            if response.status_code != 201:
                out.errors[f"HTTP {response.status_code}: {response.text[:120]}"] += 1
                return
            out.post_ms.append((time.monotonic() - sent) * 1000)
            out.sent[n] = sent

        tasks = []
        t0 = loop.time() + 0.05
        for n in range(args.events):
            due = t0 + n / args.rate
            if (wait := due - loop.time()) > 0:
                await asyncio.sleep(wait)
            tasks.append(asyncio.create_task(one(n, due)))
        await asyncio.gather(*tasks)
        out.wall_s = loop.time() - t0
    return out


class LoopLag:
    """The bench loop's lag: how late a 10 ms sleep wakes up, sampled until stopped."""

    def __init__(self) -> None:
        self.samples: list[float] = []
        self.task = asyncio.create_task(self.run())

    async def run(self) -> None:
        while True:
            started = time.perf_counter()
            await asyncio.sleep(0.01)
            self.samples.append((time.perf_counter() - started - 0.01) * 1000)

    def stop(self) -> list[float]:
        self.task.cancel()
        return self.samples


async def drain(clients: list[Client], posts: Posts, limit_s: float, api: Api) -> float:
    """Until every client holds every posted marker, or `limit_s`; the seconds waited."""
    started = time.monotonic()
    want = len(posts.sent)
    while time.monotonic() - started < limit_s:
        api.check()
        if all(len(c.marks) >= want for c in clients if not c.ended):
            break
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.2)  # a late repeat, if any
    return time.monotonic() - started


async def settle(conn: asyncpg.Connection, limit_s: float = 30.0) -> int:
    """Waits for an empty outbox; the last feed position then."""
    deadline = time.monotonic() + limit_s
    while await conn.fetchval("SELECT EXISTS (SELECT 1 FROM outbox)"):
        if time.monotonic() > deadline:
            raise BenchError(f"the outbox did not empty within {limit_s:g} s: is the worker up?")
        await asyncio.sleep(0.05)
    return int(await conn.fetchval("SELECT coalesce(max(position), 0) FROM events"))


FEED_SQL = """
SELECT position, type, data->'comment'->>'body' AS body FROM events
WHERE position > $1 ORDER BY position
"""


@dataclass
class Feed:
    """The events table after the base position: the comments' positions by marker."""

    positions: list[int]
    markers: dict[int, int]


async def read_feed(conn: asyncpg.Connection, base: int) -> Feed:
    rows = await conn.fetch(FEED_SQL, base)
    markers: dict[int, int] = {}
    for r in rows:
        found = MARKER_RE.search((r["body"] or "").encode())
        if r["type"] == COMMENT_EVENT.decode() and found:
            markers[int(found[1])] = r["position"]
    last = max(markers.values(), default=base)
    return Feed([r["position"] for r in rows if r["position"] <= last], markers)


@dataclass
class Tally:
    """What the clients received, checked against the feed."""

    latencies: list[float] = field(default_factory=list)  # ms; inf: never arrived
    by_marker: dict[int, list[float]] = field(default_factory=dict)  # arrivals per comment
    feed_missing: int = 0
    duplicates: int = 0
    out_of_order: int = 0
    wrong_position: int = 0
    other_messages: int = 0


def check_order(client: Client, base: int, feed: set[int], tally: Tally) -> None:
    """Repeats and positions below one already seen; the feed's positions never received."""
    seen: set[int] = set()
    highest = base
    for position in client.ids:
        if position <= base:
            continue
        if position in seen:
            tally.duplicates += 1
        elif position < highest:
            tally.out_of_order += 1
        seen.add(position)
        highest = max(highest, position)
    tally.feed_missing += len(feed - seen)


def tally(clients: list[Client], posts: Posts, feed: Feed, base: int) -> Tally:
    out = Tally(by_marker={n: [] for n in posts.sent})
    positions = set(feed.positions)
    for client in clients:
        check_order(client, base, positions, out)
        first: dict[int, float] = {}
        for marker, position, arrival in client.marks:
            if feed.markers.get(marker) != position:
                out.wrong_position += 1
            first.setdefault(marker, arrival)
        out.other_messages += sum(1 for p in client.ids if p > base) - len(client.marks)
        for marker, sent in posts.sent.items():
            arrival = first.get(marker)
            out.latencies.append(math.inf if arrival is None else (arrival - sent) * 1000)
            if arrival is not None:
                out.by_marker[marker].append(arrival)
    return out


def per_comment(posts: Posts, t: Tally) -> tuple[list[float], list[float]]:
    """Per comment: POST sent -> the first client's arrival, and first -> last arrival (ms)."""
    first, spread = [], []
    for marker, arrivals in t.by_marker.items():
        if arrivals:
            first.append((min(arrivals) - posts.sent[marker]) * 1000)
            spread.append((max(arrivals) - min(arrivals)) * 1000)
    return first, spread


def late_by_second(args: argparse.Namespace, posts: Posts, t: Tally) -> list[float | None]:
    """The p99 latency of the comments posted in each second of the phase."""
    seconds = max(1, math.ceil(args.events / args.rate))
    buckets: list[list[float]] = [[] for _ in range(seconds)]
    markers = list(posts.sent)
    t0 = min(posts.sent.values(), default=0.0)
    for i, marker in enumerate(markers):
        second = min(int(posts.sent[marker] - t0), seconds - 1)
        buckets[second] += t.latencies[i :: len(markers)]  # client by client, marker order
    return [finite(percentile(b, 0.99), 0) for b in buckets]


def cpu_figures(use: CpuUse) -> Cpu:
    return Cpu(
        wall_s=round(use.wall_s, 2),
        api_s=round(use.processes["api"], 2),
        worker_s=round(use.processes["worker"], 2),
        postgres_s={app or "?": round(s, 2) for app, s in sorted(use.postgres.items())},
        bench_s=round(use.bench_s, 2),
        machine_busy_s=round(use.machine_busy_s, 2),
        cores=use.cores,
        load_before=use.load_before,
        load_after=use.load_after,
    )


@dataclass
class Measured:
    """The raw outcome of the latency phase, before it is summed up."""

    pool: Pool
    connected: int
    base: int
    posts: Posts
    drain_s: float
    lag: list[float]
    cpu: Cpu
    rss_mib: float
    feed: Feed
    ended_early: int  # connected streams that had ended when the drain was over
    window: tuple[float, float]  # wall clock of the posting and the drain


async def measure_latency(
    args: argparse.Namespace, api: Api, conn: asyncpg.Connection, ticket_id: str, worker_pid: int
) -> Measured:
    """Connects the clients, posts the comments, waits for the arrivals; closes the clients."""
    log(f"latency: opening {args.clients:,} streams")
    pool = await ramp(args, api, args.clients)
    connected = len(pool.live())
    base = await settle(conn)
    await asyncio.sleep(0.5)
    meter = CpuMeter(conn, {"api": api.pid, "worker": worker_pid})
    await meter.start()
    begun = time.time()
    lag = LoopLag()
    log(f"latency: posting {args.events} comments at {args.rate:g}/s to {connected:,} streams")
    try:
        posts = await post_comments(args, api, ticket_id)
        drain_s = await drain(pool.live(), posts, args.drain, api)
        samples = lag.stop()
        cpu = cpu_figures(await meter.stop())
        rss, ended_early, ended = rss_mib(api.pid), connected - len(pool.live()), time.time()
        await settle(conn)
        feed = await read_feed(conn, base)
    finally:
        lag.stop()
        await pool.close()
    window = (begun, ended)
    return Measured(
        pool, connected, base, posts, drain_s, samples, cpu, rss, feed, ended_early, window
    )


def summarize(args: argparse.Namespace, m: Measured) -> Latency:
    clients = [c for c in m.pool.clients if c.connected]
    t = tally(clients, m.posts, m.feed, m.base)
    first, spread = per_comment(m.posts, t)
    missing = sum(1 for ms in t.latencies if math.isinf(ms))
    p99 = percentile(t.latencies, 0.99)
    arrived = f"{len(t.latencies) - missing:,}/{len(t.latencies):,}"
    log(f"latency: {arrived} arrived; p99 {fmt_ms(p99, m.drain_s)} ms")
    return Latency(
        clients=args.clients,
        connected=m.connected,
        connect_errors=dict(m.pool.errors.most_common(10)),
        events=args.events,
        rate=args.rate,
        posted=len(m.posts.sent),
        post_errors=dict(m.posts.errors.most_common(10)),
        achieved_rate=round(len(m.posts.sent) / m.posts.wall_s, 1) if m.posts.wall_s else 0.0,
        post_p50_ms=rounded(percentile(m.posts.post_ms, 0.5)),
        post_p99_ms=rounded(percentile(m.posts.post_ms, 0.99)),
        poster_lag_p99_ms=rounded(percentile(m.posts.lag_ms, 0.99)),
        expected=len(t.latencies),
        received=len(t.latencies) - missing,
        missing=missing,
        drain_s=round(m.drain_s, 2),
        feed_positions=len(m.feed.positions),
        feed_missing=t.feed_missing,
        duplicates=t.duplicates,
        out_of_order=t.out_of_order,
        wrong_position=t.wrong_position,
        ended_early=m.ended_early,
        other_messages=t.other_messages,
        p50_ms=finite(percentile(t.latencies, 0.5)),
        p95_ms=finite(percentile(t.latencies, 0.95)),
        p99_ms=finite(p99),
        max_ms=finite(max(t.latencies) if t.latencies else None),
        first_p50_ms=rounded(percentile(first, 0.5)),
        first_p99_ms=rounded(percentile(first, 0.99)),
        spread_p50_ms=rounded(percentile(spread, 0.5)),
        spread_p99_ms=rounded(percentile(spread, 0.99)),
        late_by_second=late_by_second(args, m.posts, t),
        loop_lag_p50_ms=rounded(percentile(m.lag, 0.5), 2),
        loop_lag_p99_ms=rounded(percentile(m.lag, 0.99), 2),
        loop_lag_max_ms=rounded(max(m.lag) if m.lag else None, 2),
        rss_mib=round(m.rss_mib, 1),
        base_position=m.base,
        cpu=m.cpu,
    )


async def latency_phase(
    args: argparse.Namespace, api: Api, conn: asyncpg.Connection, ticket_id: str
) -> Latency:
    log("latency: starting the worker")
    with worker(args) as proc:
        await wait_worker_started(proc, WORKER_LOG)
        measured = await measure_latency(args, api, conn, ticket_id, proc.pid)
    latency = summarize(args, measured)
    latency.gc = gc_pauses(api.gc_log, measured.window)
    return latency


# ------------------------------------------------------------------------ run


async def run(args: argparse.Namespace, result: Result) -> None:
    """Each phase on an API process of its own, warmed up by the same requests."""
    await fresh_database(args.database)
    await flush_redis(args.redis_url)
    async with connection(args.database) as conn:
        if args.only != "latency":
            with api_server(args, "idle") as api:
                await wait_ready(api, args.startup_timeout)
                await seed(api)
                result.idle = await idle_phase(args, api)
        if args.only != "idle":
            with api_server(args, "latency") as api:
                await wait_ready(api, args.startup_timeout)
                ticket_id = await seed(api)
                result.latency = await latency_phase(args, api, conn, ticket_id)


def problems(result: Result) -> list[str]:
    found = []
    i, lat = result.idle, result.latency
    if i is not None and i.held < i.connected:
        found.append(f"idle: {i.connected - i.held} of {i.connected:,} streams ended while held")
    if lat is None:
        return found
    if lat.connected < lat.clients:
        found.append(f"latency: {lat.clients - lat.connected} streams did not connect")
    if lat.post_errors:
        found.append(f"latency: POSTs failed: {lat.post_errors}")
    wrong = lat.missing + lat.feed_missing + lat.duplicates + lat.out_of_order
    if wrong + lat.wrong_position + lat.ended_early:
        found.append(
            f"latency: {lat.missing:,} marker deliveries missing, {lat.feed_missing:,} feed "
            f"positions missing, {lat.duplicates} repeated, {lat.out_of_order} out of order, "
            f"{lat.wrong_position} under a wrong id, {lat.ended_early} streams ended early"
        )
    return found


# ---------------------------------------------------------------------- report


def idle_lines(i: Idle) -> list[str]:
    errors = ", ".join(f"{n:,}x {e}" for e, n in i.errors.items()) or "none"
    series = " ".join(f"{n:,}:{mib:.0f}" for n, mib in i.series)
    return [
        f"IDLE: {i.target:,} streams to one API process, {i.batch} at once",
        f"  connected {i.connected:,} in {i.ramp_s:.1f} s ({i.connects_per_s:,.0f}/s; API CPU "
        f"{i.ramp_api_cpu_s:.2f} s = {i.ramp_api_cpu_s * 1000 / max(i.connected, 1):.2f} ms "
        f"per stream); held {i.held:,}; failed {i.failed:,}: {errors}",
        f"  API RSS: idle {i.rss_idle_mib:.1f} MiB -> all open {i.rss_connected_mib:.1f} MiB "
        f"(VmHWM {fmt(i.hwm_mib)}), {i.kib_per_stream:.1f} KiB per stream; closed "
        f"{i.rss_closed_mib:.1f} MiB",
        f"  API open files: idle {i.fds_idle:,}, all open {i.fds_connected:,}, closed "
        f"{i.fds_closed:,}; bench process RSS {i.bench_rss_mib:.1f} MiB",
        f"  streams open : API RSS MiB after each batch: {series}",
        *gc_line("opening and holding", i.gc_open),
        *gc_line("closing", i.gc_close),
    ]


def gc_line(when: str, gc: GcPauses | None) -> list[str]:
    if gc is None:
        return []
    return [
        f"  API garbage collections {when}: {gc.full} full, {gc.logged} logged (>= "
        f"{GC_MIN_MS:g} ms or full) = {gc.total_ms:,.0f} ms, max {gc.max_ms:,.0f} ms, "
        f"{gc.over_100ms} of 100 ms or more"
    ]


def cpu_lines(c: Cpu, deliveries: int) -> list[str]:
    def share(sec: float) -> str:
        return f"{sec:.2f} s ({sec / c.wall_s:.2f} cores)" if c.wall_s else f"{sec:.2f} s"

    backends = ", ".join(f"{app} {share(s)}" for app, s in c.postgres_s.items()) or "none"
    per = max(deliveries, 1)
    return [
        f"  CPU over {c.wall_s:.1f} s: API {share(c.api_s)}, worker {share(c.worker_s)}, "
        f"bench (clients + poster) {share(c.bench_s)}",
        f"    Postgres backends: {backends}",
        f"    machine busy {share(c.machine_busy_s)} of {c.cores} cores; load average before "
        f"{c.load_before} after {c.load_after}",
        f"    per delivery: API {c.api_s * 1e6 / per:.1f} us, bench {c.bench_s * 1e6 / per:.1f} us",
    ]


def latency_lines(lat: Latency) -> list[str]:
    def ms(value: float | None, spec: str = ".1f") -> str:
        return fmt_ms(value, lat.drain_s, spec)

    errors = f" ({lat.connect_errors})" if lat.connect_errors else ""
    return [
        f"LATENCY: {lat.connected:,} of {lat.clients:,} streams{errors}; {lat.posted} of "
        f"{lat.events} comments posted at {lat.achieved_rate:.1f}/s (poster lag p99 "
        f"{fmt(lat.poster_lag_p99_ms)} ms) with one worker relaying",
        f"  POST response: p50 {fmt(lat.post_p50_ms)} / p99 {fmt(lat.post_p99_ms)} ms",
        f"  deliveries: {lat.received:,} of {lat.expected:,} ({lat.missing:,} missing after "
        f"{lat.drain_s:g} s of drain); feed positions {lat.base_position + 1}.."
        f"{lat.base_position + lat.feed_positions} per client: {lat.feed_missing:,} missing, "
        f"{lat.duplicates} repeated, {lat.out_of_order} out of order, {lat.wrong_position} "
        f"under a wrong id; {lat.other_messages:,} other messages; {lat.ended_early} streams "
        f"ended early",
        f"  POST sent -> client: p50 {ms(lat.p50_ms)} / p95 {ms(lat.p95_ms)} / p99 "
        f"{ms(lat.p99_ms)} / max {ms(lat.max_ms)} ms",
        f"  per comment: POST sent -> first client p50 {fmt(lat.first_p50_ms)} / p99 "
        f"{fmt(lat.first_p99_ms)} ms; first -> last client p50 {fmt(lat.spread_p50_ms)} / p99 "
        f"{fmt(lat.spread_p99_ms)} ms",
        "  p99 by second of posting: " + " ".join(ms(v, ".0f") for v in lat.late_by_second),
        f"  bench loop lag (10 ms sleep overshoot): p50 {fmt(lat.loop_lag_p50_ms, '.2f')} / "
        f"p99 {fmt(lat.loop_lag_p99_ms, '.2f')} / max {fmt(lat.loop_lag_max_ms, '.2f')} ms; "
        f"API RSS {lat.rss_mib:.1f} MiB",
        *gc_line("over the posting and drain", lat.gc),
        *cpu_lines(lat.cpu, lat.received),
    ]


def verdict(met: bool) -> str:
    return "MET" if met else "NOT MET"


def verdict_lines(result: Result) -> list[str]:
    """The short table: each figure beside its goal."""
    head = f"{'figure':<46}{'measured':>30}  {'goal':<22}verdict"
    rows = ["", head, "-" * len(head)]

    def row(figure: str, measured: str, goal: str = "report", mark: str = "") -> None:
        rows.append(f"{figure:<46}{measured:>30}  {goal:<22}{mark}")

    i, lat = result.idle, result.latency
    if i is not None:
        row(
            "idle streams held by one API process",
            f"{i.held:,} of {i.target:,}",
            f">= {TARGET_IDLE:,}",
            verdict(i.held >= TARGET_IDLE),
        )
        row(
            "API RSS idle -> all held (VmHWM), MiB",
            f"{i.rss_idle_mib:.1f} -> {i.rss_connected_mib:.1f} ({fmt(i.hwm_mib)})"
            f" = {i.rss_connected_mib * MiB / 1e6:.1f} MB",
            f"<= 300 MB ({TARGET_RSS_MIB:.1f} MiB)",
            verdict(max(i.rss_connected_mib, i.hwm_mib or 0.0) <= TARGET_RSS_MIB),
        )
        row("API RSS per idle stream, KiB", f"{i.kib_per_stream:.1f}")
    if lat is not None:

        def ms(value: float | None) -> str:
            return fmt_ms(value, lat.drain_s, ".0f")

        row(
            f"POST -> client p50/p95/p99/max ms ({lat.connected:,}x{lat.posted})",
            f"{ms(lat.p50_ms)} / {ms(lat.p95_ms)} / {ms(lat.p99_ms)} / {ms(lat.max_ms)}",
            f"p99 <= {TARGET_P99_MS:.0f}",
            verdict(lat.p99_ms is not None and lat.p99_ms <= TARGET_P99_MS),
        )
        bad = lat.missing + lat.feed_missing + lat.duplicates + lat.out_of_order
        row(
            "deliveries received / expected",
            f"{lat.received:,} / {lat.expected:,}",
            "all, once, in order",
            "OK" if not bad and not lat.wrong_position else "FAILED",
        )
        row("POST response p50 / p99 ms", f"{fmt(lat.post_p50_ms)} / {fmt(lat.post_p99_ms)}")
        row(
            f"CPU s over {lat.cpu.wall_s:.1f} s: API / bench",
            f"{lat.cpu.api_s:.2f} / {lat.cpu.bench_s:.2f}",
        )
    return rows


def format_table(result: Result) -> str:
    soft, hard = result.open_files
    rows = [f"{code_line(result.code)}; open files soft {soft:,} / hard {hard:,}"]
    if result.idle:
        rows += idle_lines(result.idle)
    if result.latency:
        rows += latency_lines(result.latency)
    rows += verdict_lines(result)
    rows += [f"PROBLEM: {p}" for p in result.problems]
    return "\n".join(rows)


def report(result: Result, args: argparse.Namespace) -> str:
    return write_report("stream", asdict(result), format_table(result), args.json)


# ------------------------------------------------------------------------ main


def bench(args: argparse.Namespace) -> int:
    params = ["idle", "batch", "hold", "clients", "events", "rate", "drain", "only", "gc"]
    limits = raise_open_files()
    result = Result({k: getattr(args, k) for k in params}, code_measured(), limits)
    if max(args.idle, args.clients) + 1000 > limits[0]:
        log(f"open-file limit {limits[0]:,}: too low for {max(args.idle, args.clients):,} streams")
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    try:
        # uvloop: thousands of client sockets in this one process, at the least cost.
        uvloop.run(run(args, result))
    finally:
        asyncio.run(drop_unless_kept(args.database, args.keep))
    result.problems = problems(result)
    print(report(result, args))
    return 3 if result.problems else 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_serve"]:
        serve_main(argv[1:])
        return 0
    args = parse_args(argv)
    return run_bench(lambda: bench(args), httpx.HTTPError)


if __name__ == "__main__":
    sys.exit(main())

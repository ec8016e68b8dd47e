"""What every benchmark shares: database, processes, CPU meter, percentiles and report.

The bench scripts import it as ``harness`` (running ``bench/<name>.py`` puts ``bench/`` first
on ``sys.path``); each of them keeps only its scenario.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import math
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import asyncpg
import orjson
import psutil
import redis.asyncio as aioredis

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"
PG_URL = "postgresql://postgres@127.0.0.1:5432"
# application_name of the benches' own connections, which a CpuMeter leaves out.
BENCH_APP = "bench"

Process = subprocess.Popen[bytes]


class BenchError(Exception):
    """A setup step failed; the message says which."""


def log(msg: str) -> None:
    """One progress line on stderr (stdout carries the report)."""
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------------- CLI


def parser(doc: str | None) -> argparse.ArgumentParser:
    """An argument parser whose help is the script's docstring, as written."""
    return argparse.ArgumentParser(description=doc, formatter_class=argparse.RawTextHelpFormatter)


def add_common(p: argparse.ArgumentParser, *, database: str, redis_url: str | None = None) -> None:
    """--database, --redis-url (for the benches that use Redis), --keep and --json."""
    p.add_argument("--database", default=database, help="bench DB name (recreated!)")
    if redis_url is not None:
        p.add_argument("--redis-url", default=redis_url, help="flushed before each run")
    p.add_argument("--keep", action="store_true", help="keep the bench database at the end")
    p.add_argument("--json", action="store_true", help="print results as JSON, not a table")


def add_load(p: argparse.ArgumentParser, *, chunk: int) -> None:
    """--chunk and --load-connections of a bulk load dealt out by lanes()."""
    p.add_argument("--chunk", type=int, default=chunk, help="tickets per INSERT statement")
    p.add_argument("--load-connections", type=int, default=2, help="parallel load statements")


def parse(p: argparse.ArgumentParser, argv: list[str] | None) -> argparse.Namespace:
    """Parses the options, refusing a --database whose name does not contain 'bench'."""
    args = p.parse_args(argv)
    if "bench" not in args.database:
        p.error(f"refusing database {args.database!r}: its name must contain 'bench'")
    return args


def terminate(signum: int, _frame: object) -> NoReturn:
    """SIGTERM unwinds like Ctrl-C, so servers are stopped and databases dropped."""
    raise SystemExit(128 + signum)


def ensure_secret_keys() -> None:
    """A throwaway SUPPORTDESK_SECRET_KEYS for the bench and its children, unless one is set."""
    # The API and workers refuse to start without one; webhooks.py seals endpoint secrets with it.
    os.environ.setdefault("SUPPORTDESK_SECRET_KEYS", secrets.token_urlsafe(32))


def without_api_budget() -> None:
    """No API-wide request budget for the bench's apps, in process or children (unless set):
    the benches measure throughput, which the budget would cap at its limit."""
    os.environ.setdefault("SUPPORTDESK_API_RATE_LIMIT_PER_MINUTE", "0")
    os.environ.setdefault("SUPPORTDESK_API_RATE_LIMIT_PER_MINUTE_ANONYMOUS", "0")


def run_bench(run: Callable[[], int], *errors: type[Exception]) -> int:
    """Runs a bench's body: setup errors exit 1 with one line, Ctrl-C exits 130."""
    signal.signal(signal.SIGTERM, terminate)
    ensure_secret_keys()
    without_api_budget()
    try:
        return run()
    except (BenchError, asyncpg.PostgresError, OSError, *errors) as exc:
        print(f"bench: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("bench: interrupted", file=sys.stderr)
        return 130


# -------------------------------------------------------------------- database


def dsn(database: str) -> str:
    """The plain ``postgresql://`` DSN of a database on the bench server (for asyncpg)."""
    return f"{PG_URL}/{database}"


def app_url(database: str) -> str:
    """The same database as the app's SQLAlchemy URL."""
    return dsn(database).replace("postgresql://", "postgresql+asyncpg://", 1)


def quote_ident(name: str) -> str:
    """A double-quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


async def drop_database(name: str, *, recreate: bool, maintenance_dsn: str | None = None) -> None:
    """Drops a bench database (names without 'bench' are refused); creates it again if asked."""
    if "bench" not in name:
        raise BenchError(f"refusing to drop database {name!r}: its name must contain 'bench'")
    conn = await asyncpg.connect(maintenance_dsn or dsn("postgres"))
    try:
        await conn.execute(f"DROP DATABASE IF EXISTS {quote_ident(name)} WITH (FORCE)")
        if recreate:
            await conn.execute(f"CREATE DATABASE {quote_ident(name)}")
    finally:
        await conn.close()


async def drop_unless_kept(database: str, keep: bool) -> None:
    """The end of a run: drops the bench database unless --keep; a failure is only logged."""
    if keep:
        log(f"keeping database {database}")
        return
    log(f"dropping database {database}")
    try:
        await drop_database(database, recreate=False)
    except Exception as exc:  # cleanup must not hide the run's own outcome
        log(f"could not drop {database}: {exc}")


@asynccontextmanager
async def connection(database: str) -> AsyncIterator[asyncpg.Connection]:
    """A connection to a bench database, in UTC and named BENCH_APP; closed at the end."""
    settings = {"TimeZone": "UTC", "application_name": BENCH_APP}
    conn = await asyncpg.connect(dsn(database), server_settings=settings)
    try:
        yield conn
    finally:
        await conn.close()


async def vacuum_analyze(
    database: str, tables: Sequence[str], *, before: Sequence[str] = ()
) -> None:
    """Runs `before`, VACUUM ANALYZE of each table, then a CHECKPOINT."""
    async with connection(database) as conn:
        for statement in before:
            await conn.execute(statement)
        for table in tables:
            await conn.execute(f"VACUUM ANALYZE {table}")
        # Flush the load's dirty pages now rather than in a checkpoint during the measurement.
        await conn.execute("CHECKPOINT")


def lanes(total: int, chunk: int, connections: int) -> list[list[tuple[int, int]]]:
    """Numbers 1..total in (first, last) chunks, dealt round-robin to `connections` loaders."""
    parts = [(start, min(start + chunk - 1, total)) for start in range(1, total + 1, chunk)]
    return [lane for i in range(connections) if (lane := parts[i::connections])]


async def flush_redis(redis_url: str) -> None:
    """Empties the Redis database the bench's app processes use."""
    client = aioredis.from_url(redis_url)
    try:
        await client.flushdb()
    finally:
        await client.aclose()


def child_env(**variables: str) -> dict[str, str]:
    """This process's environment for a child, unbuffered, with `variables` set."""
    return {**os.environ, "PYTHONUNBUFFERED": "1", **variables}


def app_env(database: str, redis_url: str | None = None) -> dict[str, str]:
    """The environment of the app's processes (CLI, worker, server) on a bench database."""
    env = child_env(SUPPORTDESK_DATABASE_URL=app_url(database))
    if redis_url is not None:
        env["SUPPORTDESK_REDIS_URL"] = redis_url
    return env


def supportdesk_bin() -> str:
    """The project's `supportdesk` command, beside this Python first."""
    local = Path(sys.executable).parent / "supportdesk"
    found = str(local) if local.exists() else shutil.which("supportdesk")
    if found is None:
        raise BenchError("`supportdesk` not found: run with the project venv (.venv/bin/python)")
    return found


def migrate(env: dict[str, str], *, alembic: bool = False) -> None:
    """`supportdesk migrate`, or `alembic upgrade head`, against env's database."""
    if alembic:
        name, cmd = "alembic upgrade head", [sys.executable, "-m", "alembic", "upgrade", "head"]
    else:
        name, cmd = "supportdesk migrate", [supportdesk_bin(), "migrate"]
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise BenchError(f"{name} failed:\n{proc.stdout}{proc.stderr}")


async def fresh_database(database: str, *, alembic: bool = False) -> None:
    """Drops, recreates and migrates a bench database."""
    tool = "alembic upgrade head" if alembic else "supportdesk migrate"
    log(f"recreating database {database}; {tool}")
    await drop_database(database, recreate=True)
    await asyncio.to_thread(migrate, app_env(database), alembic=alembic)


# ------------------------------------------------------------------- processes


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def signal_group(proc: Process, sig: signal.Signals) -> None:
    """Signals the process group a child leads (uvicorn and arq have children of their own)."""
    with suppress(ProcessLookupError):
        os.killpg(proc.pid, sig)


def stop(procs: Sequence[Process], timeout: float) -> None:
    """SIGTERM each child's process group; SIGKILL the ones still alive after `timeout` s."""
    for proc in procs:
        signal_group(proc, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    for proc in procs:
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except (subprocess.TimeoutExpired, KeyboardInterrupt):
            signal_group(proc, signal.SIGKILL)
            proc.wait()


def log_tail(path: Path, lines: int = 30) -> str:
    """The last lines of a child's log, for an error message."""
    text = path.read_text(errors="replace") if path.exists() else ""
    return "\n".join(text.splitlines()[-lines:])


@contextmanager
def processes(
    name: str, commands: Sequence[tuple[list[str], Path]], env: dict[str, str], stop_timeout: float
) -> Iterator[list[Process]]:
    """Children (command, log file) in their own process groups; stopped together at the end."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    procs: list[Process] = []
    try:
        for cmd, log_path in commands:
            with log_path.open("wb") as out:
                procs.append(
                    subprocess.Popen(
                        cmd,
                        cwd=ROOT,
                        env=env,
                        stdin=subprocess.DEVNULL,
                        stdout=out,
                        stderr=subprocess.STDOUT,
                        start_new_session=True,
                    )
                )
        yield procs
    finally:
        log(f"stopping {name}")
        stop(procs, stop_timeout)


@contextmanager
def process(
    name: str, cmd: list[str], env: dict[str, str], log_path: Path, stop_timeout: float
) -> Iterator[Process]:
    """One child in its own process group, output to log_path; always stopped."""
    with processes(name, [(cmd, log_path)], env, stop_timeout) as procs:
        yield procs[0]


def check_alive(proc: Process, name: str, log_path: Path) -> None:
    """Raises BenchError with the log's tail once the child has exited."""
    if proc.poll() is not None:
        raise BenchError(f"{name} exited with {proc.returncode}:\n{log_tail(log_path)}")


async def wait_until(
    ready: Callable[[], Awaitable[bool]],
    proc: Process,
    name: str,
    log_path: Path,
    *,
    limit_s: float,
    interval: float = 0.1,
) -> None:
    """Polls `ready` while the child lives; its exit or `limit_s` passing is a BenchError."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        check_alive(proc, name, log_path)
        if await ready():
            return
        await asyncio.sleep(interval)
    raise BenchError(f"{name} not ready within {limit_s:.0f} s:\n{log_tail(log_path)}")


# ------------------------------------------------------------------- CPU meter


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of a local process so far; None if it cannot be read."""
    with suppress(psutil.Error):
        times = psutil.Process(pid).cpu_times()
        return times.user + times.system
    return None


def machine_busy() -> float:
    """CPU seconds the whole machine (every core, everyone's work) has been busy."""
    t = psutil.cpu_times()
    return t.user + t.nice + t.system + t.irq + t.softirq + t.steal


def load_avg() -> list[float]:
    """The machine's 1, 5 and 15-minute load averages."""
    return [round(x, 2) for x in os.getloadavg()]


# The bench database's backends, but for the bench's own connections (BENCH_APP).
BACKENDS_SQL = """
SELECT pid, application_name FROM pg_stat_activity
WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name <> $1
"""


@dataclass
class CpuUse:
    """CPU seconds used over a window of `wall_s`, unrounded."""

    wall_s: float
    processes: dict[str, float]  # by the name given to the meter
    postgres: dict[str, float]  # the database's backends, by application_name
    bench_s: float
    machine_busy_s: float
    cores: int
    load_before: list[float]
    load_after: list[float]


class CpuMeter:
    """CPU of named processes, the database's backends, this process and the machine."""

    def __init__(self, conn: asyncpg.Connection, pids: dict[str, int]) -> None:
        self.conn, self.pids = conn, pids
        self.me = psutil.Process()

    async def backends(self) -> dict[int, tuple[str, float]]:
        """Each backend's application_name and CPU seconds so far."""
        rows = await self.conn.fetch(BACKENDS_SQL, BENCH_APP)
        return {r["pid"]: (r["application_name"], cpu_seconds(r["pid"]) or 0.0) for r in rows}

    def own(self) -> float:
        """This process's CPU seconds so far."""
        t = self.me.cpu_times()
        return t.user + t.system

    def named(self) -> dict[str, float]:
        """The named processes' CPU seconds so far."""
        return {name: cpu_seconds(pid) or 0.0 for name, pid in self.pids.items()}

    async def start(self) -> None:
        """Opens the window."""
        self.started = time.monotonic()
        self.load_before = load_avg()
        self.backends_at = await self.backends()
        self.named_at, self.own_at, self.busy_at = self.named(), self.own(), machine_busy()

    async def stop(self) -> CpuUse:
        """Closes the window: what each used meanwhile."""
        named, own, busy = self.named(), self.own(), machine_busy()
        wall = time.monotonic() - self.started
        postgres: dict[str, float] = {}
        for pid, (app, seconds) in (await self.backends()).items():
            before = self.backends_at.get(pid, ("", 0.0))[1]
            postgres[app] = postgres.get(app, 0.0) + seconds - before
        return CpuUse(
            wall_s=wall,
            processes={name: named[name] - self.named_at[name] for name in named},
            postgres=postgres,
            bench_s=own - self.own_at,
            machine_busy_s=busy - self.busy_at,
            cores=psutil.cpu_count() or 0,
            load_before=self.load_before,
            load_after=load_avg(),
        )


# ----------------------------------------------------------------- percentiles


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear between the closest ranks (percentile_cont); None if empty, inf past an inf."""
    if not values:
        return None
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = math.floor(k), math.ceil(k)
    if math.isinf(ordered[hi]):
        return ordered[lo] if k == lo else math.inf
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def rounded(value: float | None, digits: int = 1) -> float | None:
    """round() that lets None through."""
    return None if value is None else round(value, digits)


# ---------------------------------------------------------------------- report


def fmt(value: float | None, spec: str = ".1f") -> str:
    """A figure for a table; '-' when there is none."""
    return "-" if value is None else format(value, spec)


def provenance() -> dict[str, Any]:
    """The commit measured and the files of app/ or migrations/ with uncommitted changes."""

    def git(*argv: str) -> str:
        try:
            proc = subprocess.run(
                ["git", *argv], cwd=ROOT, capture_output=True, text=True, check=False
            )
        except OSError:
            return ""
        return proc.stdout

    dirty = git("status", "--porcelain", "--", "app", "migrations").splitlines()
    return {"commit": git("rev-parse", "--short", "HEAD").strip(), "dirty": [d[3:] for d in dirty]}


def code_line(code: dict[str, Any]) -> str:
    """The report's first line: which code was measured."""
    dirty = f" + uncommitted {', '.join(code['dirty'])}" if code["dirty"] else ""
    return f"code: {code['commit'] or '?'}{dirty}"


def write_report(name: str, doc: dict[str, Any], table: str, as_json: bool) -> str:
    """Writes bench/results/<name>-latest.json; returns what to print: the JSON or the table."""
    text = json.dumps(doc, indent=2, default=str)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    (RESULTS_DIR / f"{name}-latest.json").write_text(text + "\n")
    return text if as_json else table


# --- shared by the worker benches (webhooks.py, mail.py) ---------------------------------


@dataclass
class Stage:
    p50_ms: float | None
    p99_ms: float | None
    max_ms: float | None


def stage(values: list[float]) -> Stage:
    return Stage(
        rounded(percentile(values, 0.5)),
        rounded(percentile(values, 0.99)),
        rounded(max(values) if values else None),
    )


@dataclass
class Produced:
    committed: dict[uuid.UUID, float]  # event id -> wall clock of its commit
    lag_ms: list[float]
    errors: Counter[str]
    wall_s: float


def finite(value: float | None, digits: int = 1) -> float | None:
    """None for a percentile that falls on an event or mail that never arrived (JSON has no inf)."""
    return None if value is None or math.isinf(value) else round(value, digits)


def fmt_ms(value: float | None, drain_s: float, spec: str = ".1f") -> str:
    if value is None or math.isinf(value):
        return f">{drain_s * 1000:.0f}"
    return format(value, spec)


def per_second(times: list[float]) -> list[int]:
    if not times:
        return []
    first = min(times)
    counts = Counter(int(t - first) for t in times)
    return [counts.get(i, 0) for i in range(max(counts) + 1)]


async def wait_worker_started(proc: Process, log_path: Path) -> None:
    async def started() -> bool:
        return "worker started" in log_tail(log_path, 200)

    await wait_until(started, proc, "the worker", log_path, limit_s=30)


def summarize_timings(path: Path, windows: dict[str, tuple[float, float]]) -> dict[str, Any] | None:
    """Per phase: calls, wall ms p50/p99/total and rows per call of each timed step;
    event-loop lag p50/p99/max (a 10 ms sleep's overshoot)."""
    if not path.exists():
        return None
    raw = orjson.loads(path.read_bytes())
    out: dict[str, Any] = {}
    for phase, (lo, hi) in windows.items():
        summary: dict[str, Any] = {}
        for name, rows in raw["calls"].items():
            picked = [(ms, n) for t, ms, n in rows if lo <= t <= hi]
            ms = [m for m, _ in picked]
            sizes = [n for _, n in picked]
            summary[name] = {
                "calls": len(picked),
                "p50_ms": rounded(percentile(ms, 0.5), 2),
                "p99_ms": rounded(percentile(ms, 0.99), 2),
                "total_s": round(sum(ms) / 1000, 2),
                "rows_mean": round(sum(sizes) / len(sizes), 1) if sizes else None,
                "rows": sum(sizes),
            }
        lags = [ms for t, ms in raw["lag"] if lo <= t <= hi]
        summary["loop_lag"] = {
            "samples": len(lags),
            "p50_ms": rounded(percentile(lags, 0.5), 2),
            "p99_ms": rounded(percentile(lags, 0.99), 2),
            "max_ms": rounded(max(lags) if lags else None, 2),
        }
        out[phase] = summary
    return out


def profile_top(path: Path, limit: int = 25) -> list[str] | None:
    """The profile's top functions by own time, also written next to the .prof file."""
    if not path.exists():
        return None
    import io
    import pstats

    text = io.StringIO()
    stats = pstats.Stats(str(path), stream=text)
    stats.sort_stats("tottime").print_stats(limit)
    stats.sort_stats("cumulative").print_stats(limit)
    path.with_suffix(".txt").write_text(text.getvalue())
    lines = text.getvalue().splitlines()
    start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
    return lines[start : start + limit + 1]


def code_measured() -> dict[str, Any]:
    """provenance() and where the worker imports `app` from (PYTHONPATH can point elsewhere)."""
    spec = importlib.util.find_spec("app")
    origin = str(Path(spec.origin).parent) if spec and spec.origin else "?"
    return {**provenance(), "app": origin}


# --- memory of a process (Linux /proc) ---------------------------------------------


def status_kib(pid: int, name: str) -> int:
    """A `kB` field of /proc/<pid>/status (VmRSS, VmHWM)."""
    with open(f"/proc/{pid}/status", "rb") as f:
        for line in f:
            if line.startswith(name.encode() + b":"):
                return int(line.split()[1])
    raise BenchError(f"/proc/{pid}/status has no {name}")


def rss_mib(pid: int) -> float:
    return status_kib(pid, "VmRSS") / 1024


def hwm_mib(pid: int) -> float:
    return status_kib(pid, "VmHWM") / 1024


def reset_hwm(pid: int) -> bool:
    """Resets the process's VmHWM to its current RSS (`5` to clear_refs, Linux 4.0+)."""
    try:
        with open(f"/proc/{pid}/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        return False
    return True

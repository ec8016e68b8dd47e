"""Ticket create / filtered-list throughput of the app against a raw-asyncpg ceiling.

Run from the repository root::

    .venv/bin/python bench/api.py                 # app + ceiling, wrk -t2 -c32 -d10s
    .venv/bin/python bench/api.py --only ceiling  # ceiling only (no app needed)
    .venv/bin/python bench/api.py --duration 30s --json
    .venv/bin/python bench/api.py --only app --scenario create   # one scenario

Besides req/s it reports the CPU each request cost (``cpu ms``): user + system time of the
server's processes and of the PostgreSQL backends serving the bench database, read from
/proc around the measured run. On a busy machine that figure is steadier than req/s.

It drops and recreates the bench database, migrates it, serves the app and then the
ceiling (``bench/ceiling.py``) with ``uvicorn --workers N``, seeds each over HTTP,
drives them with ``wrk`` and prints req/s, p50, p99 and the app/ceiling ratios.
Server logs and the last results go to ``bench/results/`` (git-ignored).
Exit status: 0 ok, 1 setup error, 2 wrk missing, 3 a run saw non-2xx or socket errors.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from harness import (
    RESULTS_DIR,
    BenchError,
    Process,
    child_env,
    drop_database,
    flush_redis,
    free_port,
    log,
    migrate,
    parser,
    process,
    run_bench,
    wait_until,
    write_report,
)
from sqlalchemy.engine import URL, make_url

DEFAULT_DATABASE_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/supportdesk_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/14"
TARGET_RATIO = 0.5
TARGET_P99_MS = 50.0
STOP_TIMEOUT_S = 15.0
CEILING_TABLE = "bench_ceiling_tickets"
CEILING_DDL = f"""
CREATE TABLE {CEILING_TABLE} (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    subject text NOT NULL,
    description text NOT NULL,
    priority text NOT NULL,
    category text NOT NULL,
    status text NOT NULL DEFAULT 'new',
    requester_id uuid NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX {CEILING_TABLE}_status_priority_created_idx
    ON {CEILING_TABLE} (status, priority, created_at DESC);
"""
WRK_INSTALL_HINT = (
    "wrk not found on PATH; install it with: apt-get update && apt-get install -y wrk"
)


@dataclass(frozen=True)
class Target:
    """One server under test and the request shapes it expects."""

    name: str
    create_path: str
    list_path: str
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class WrkResult:
    scenario: str
    target: str
    requests_per_sec: float
    p50_ms: float
    p99_ms: float
    requests: int
    non_2xx: int
    socket_errors: int
    cpu_ms_per_request: float | None = None

    @property
    def ok(self) -> bool:
        return self.non_2xx == 0 and self.socket_errors == 0 and self.requests > 0


# --------------------------------------------------------------------------- CLI


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = parser(__doc__)
    p.add_argument("--database-url", default=DEFAULT_DATABASE_URL, help="bench DB (recreated!)")
    p.add_argument("--redis-url", default=DEFAULT_REDIS_URL, help="flushed before the app run")
    p.add_argument("--threads", type=int, default=2, help="wrk -t")
    p.add_argument("--connections", type=int, default=32, help="wrk -c")
    p.add_argument("--duration", default="10s", help="wrk -d per measured run")
    p.add_argument("--warmup", default="2s", help="wrk -d of an unmeasured warm-up ('0' skips)")
    p.add_argument("--workers", type=int, default=2, help="uvicorn --workers for both servers")
    p.add_argument("--seed-tickets", type=int, default=2000, help="tickets created before runs")
    p.add_argument(
        "--seed-priorities",
        default="low,high",
        help="comma list cycled over seeded tickets (list filters on 'high')",
    )
    p.add_argument("--only", choices=["app", "ceiling"], help="run one side only")
    p.add_argument("--scenario", choices=["create", "list"], help="run one scenario only")
    p.add_argument(
        "--pool-size",
        type=int,
        help="database connections per server process (default: --connections / --workers, "
        "for the app as for the ceiling, so neither opens connections under load)",
    )
    p.add_argument("--startup-timeout", type=float, default=60.0, help="seconds to /readyz 200")
    p.add_argument("--json", action="store_true", help="print results as JSON, not a table")
    return p.parse_args(argv)


# --------------------------------------------------------------------- database


def plain_dsn(url: URL, database: str | None = None) -> str:
    """A libpq-style ``postgresql://`` DSN for asyncpg from a SQLAlchemy URL."""
    plain = url.set(drivername="postgresql", database=database or url.database)
    return plain.render_as_string(hide_password=False)


async def create_ceiling_table(dsn: str) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(f"DROP TABLE IF EXISTS {CEILING_TABLE}")
        await conn.execute(CEILING_DDL)
    finally:
        await conn.close()


# -------------------------------------------------------------------------- CPU

_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name (field 2) may hold spaces; the fields after it do not.
    return text[text.rindex(")") + 2 :].split()


def _descendants(root: int) -> set[int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _stat(int(entry.name))) is not None:
            parents[int(entry.name)] = int(fields[1])
    found = {root}
    while True:
        more = {pid for pid, parent in parents.items() if parent in found} - found
        if not more:
            return found
        found |= more


def _backends(database: str) -> set[int]:
    """PostgreSQL backends serving `database` (their titles name it), on this machine."""
    pids = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            title = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if title.startswith("postgres: ") and f" {database} " in title:
            pids.add(int(entry.name))
    return pids


def cpu_seconds(pids: set[int]) -> dict[int, float]:
    """User + system seconds of each process still alive."""
    seconds = {}
    for pid in pids:
        fields = _stat(pid)
        if fields is not None:
            seconds[pid] = (int(fields[11]) + int(fields[12])) / _TICKS
    return seconds


@dataclass
class CpuMeter:
    """CPU of the server's process tree and of the database's backends over a run."""

    server_pid: int
    database: str

    def pids(self) -> set[int]:
        return _descendants(self.server_pid) | _backends(self.database)

    def start(self) -> dict[int, float]:
        return cpu_seconds(self.pids())

    def spent(self, before: dict[int, float]) -> float:
        backends = _backends(self.database)
        after = cpu_seconds(self.pids() | set(before))
        spent = {pid: after[pid] - before.get(pid, 0.0) for pid in after}
        database = sum(seconds for pid, seconds in spent.items() if pid in backends)
        log(f"CPU: server {sum(spent.values()) - database:.2f} s, database {database:.2f} s")
        return sum(spent.values())


# ---------------------------------------------------------------------- servers


def uvicorn_cmd(app_ref: str, port: int, workers: int) -> list[str]:
    cmd = [sys.executable, "-m", "uvicorn", app_ref, "--host", "127.0.0.1", "--port", str(port)]
    return [*cmd, "--workers", str(workers), "--no-access-log", "--log-level", "warning"]


async def wait_ready(proc: Process, base_url: str, limit_s: float, log_path: Path) -> None:
    """Until GET /readyz answers 200."""
    async with httpx.AsyncClient(base_url=base_url, timeout=2.0) as client:

        async def ready() -> bool:
            try:
                return (await client.get("/readyz")).status_code == 200
            except httpx.TransportError:
                return False

        await wait_until(ready, proc, "server", log_path, limit_s=limit_s, interval=0.3)


@contextmanager
def serve(
    name: str, app_ref: str, env: dict[str, str], args: argparse.Namespace
) -> Iterator[tuple[str, Process]]:
    """Run ``uvicorn app_ref`` in its own process group; yield its base URL and process."""
    port = free_port()
    log_path = RESULTS_DIR / f"{name}-server.log"
    log(f"starting {name}: uvicorn {app_ref} on :{port} ({args.workers} workers)")
    cmd = uvicorn_cmd(app_ref, port, args.workers)
    with process(name, cmd, env, log_path, STOP_TIMEOUT_S) as proc:
        base_url = f"http://127.0.0.1:{port}"
        asyncio.run(wait_ready(proc, base_url, args.startup_timeout, log_path))
        yield base_url, proc


# ---------------------------------------------------------------------- seeding


def ticket_body(requester_id: str, priority: str = "high", n: int | None = None) -> dict[str, str]:
    return {
        "subject": "Bench ticket" if n is None else f"Seed ticket {n}",
        "description": "Something broke",
        "priority": priority,
        "category": "technical",
        "requester_id": requester_id,
    }


async def post_json(
    client: httpx.AsyncClient, path: str, body: dict[str, Any], expect: int = 201
) -> dict[str, Any]:
    resp = await client.post(path, json=body)
    if resp.status_code != expect:
        raise BenchError(f"POST {path} -> {resp.status_code} (want {expect}): {resp.text[:500]}")
    data: dict[str, Any] = resp.json()
    return data


async def seed_tickets(
    client: httpx.AsyncClient, path: str, requester_id: str, args: argparse.Namespace
) -> None:
    priorities = [p.strip() for p in args.seed_priorities.split(",") if p.strip()]
    sem = asyncio.Semaphore(16)

    async def one(n: int) -> None:
        async with sem:
            await post_json(
                client, path, ticket_body(requester_id, priorities[n % len(priorities)], n)
            )

    await asyncio.gather(*(one(n) for n in range(args.seed_tickets)))


async def check_list(client: httpx.AsyncClient, path: str, expect_data: bool) -> None:
    resp = await client.get(path)
    if resp.status_code != 200:
        raise BenchError(f"GET {path} -> {resp.status_code}: {resp.text[:500]}")
    page = resp.json()
    if not isinstance(page, dict) or "data" not in page or "next_cursor" not in page:
        raise BenchError(f"GET {path}: expected {{data, next_cursor}}, got {resp.text[:300]}")
    if expect_data and not page["data"]:
        raise BenchError(f"GET {path}: filter matched no seeded tickets")


async def seed_app(base_url: str, target: Target, args: argparse.Namespace) -> str:
    """Create org, designated contact and seed tickets; return the requester (contact) id."""
    async with httpx.AsyncClient(base_url=base_url, headers=target.headers, timeout=30) as client:
        org = await post_json(client, "/v1/organizations", {"name": "Bench Co", "plan": "standard"})
        contact = await post_json(
            client,
            f"/v1/organizations/{org['id']}/contacts",
            {"email": "c1@bench.example", "name": "C1", "designated": True},
        )
        requester_id = str(contact["id"])
        await seed_tickets(client, target.create_path, requester_id, args)
        await check_list(client, target.list_path, args.seed_tickets > 1)
    return requester_id


async def seed_ceiling(base_url: str, target: Target, args: argparse.Namespace) -> str:
    requester_id = str(uuid.uuid4())
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        await seed_tickets(client, target.create_path, requester_id, args)
        await check_list(client, target.list_path, args.seed_tickets > 1)
    return requester_id


# -------------------------------------------------------------------------- wrk

_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
_RPS_RE = re.compile(r"^Requests/sec:\s+([\d.]+)", re.M)
_PCT_RE = re.compile(r"^\s+(50|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s|m|h)\s*$", re.M)
_TOTAL_RE = re.compile(r"^\s+(\d+) requests in", re.M)
_NON2XX_RE = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
_SOCK_RE = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")


def lua_script(method: str, headers: dict[str, str], body: dict[str, Any] | None) -> str:
    """A wrk script setting method, headers and (JSON) body; long brackets avoid escaping."""
    lines = [f'wrk.method = "{method}"']
    for name, value in {**headers, "Accept": "application/json"}.items():
        lines.append(f"wrk.headers[ [==[{name}]==] ] = [==[{value}]==]")
    if body is not None:
        lines.append('wrk.headers["Content-Type"] = "application/json"')
        lines.append(f"wrk.body = [==[{json.dumps(body)}]==]")
    return "\n".join(lines) + "\n"


def parse_wrk(output: str, scenario: str, target: str) -> WrkResult:
    rps = _RPS_RE.search(output)
    pcts = {m[1]: float(m[2]) * _UNIT_MS[m[3]] for m in _PCT_RE.finditer(output)}
    total = _TOTAL_RE.search(output)
    if rps is None or total is None or set(pcts) != {"50", "99"}:
        raise BenchError(f"could not parse wrk output:\n{output}")
    non_2xx = _NON2XX_RE.search(output)
    sock = _SOCK_RE.search(output)
    return WrkResult(
        scenario=scenario,
        target=target,
        requests_per_sec=float(rps[1]),
        p50_ms=pcts["50"],
        p99_ms=pcts["99"],
        requests=int(total[1]),
        non_2xx=int(non_2xx[1]) if non_2xx else 0,
        socket_errors=sum(int(g) for g in sock.groups()) if sock else 0,
    )


def run_wrk(url: str, script: Path, duration: str, args: argparse.Namespace) -> str:
    cmd = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{duration}", "--latency"]
    cmd += ["-s", str(script), url]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise BenchError(f"wrk failed ({proc.returncode}):\n{proc.stdout}{proc.stderr}")
    return proc.stdout


def bench_scenario(
    url: str, scenario: str, target: str, script: Path, args: argparse.Namespace, meter: CpuMeter
) -> WrkResult:
    if args.warmup not in ("", "0", "0s"):
        log(f"warm-up {scenario}/{target}: {args.warmup}")
        run_wrk(url, script, args.warmup, args)
    log(f"wrk {scenario}/{target}: -t{args.threads} -c{args.connections} -d{args.duration}")
    before = meter.start()
    output = run_wrk(url, script, args.duration, args)
    spent = meter.spent(before)
    result = parse_wrk(output, scenario, target)
    if result.requests:
        result = replace(result, cpu_ms_per_request=spent * 1000 / result.requests)
    if not result.ok:
        log(f"FAILED {scenario}/{target}: non-2xx={result.non_2xx} errors={result.socket_errors}")
    return result


def bench_target(
    base_url: str, target: Target, requester_id: str, args: argparse.Namespace, meter: CpuMeter
) -> list[WrkResult]:
    """Create then list, so both targets list over a similarly grown table."""
    scripts = {
        "create": (
            target.create_path,
            lua_script("POST", target.headers, ticket_body(requester_id)),
        ),
        "list": (target.list_path, lua_script("GET", target.headers, None)),
    }
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-wrk-") as tmp:
        for scenario, (path, lua) in scripts.items():
            if args.scenario not in (None, scenario):
                continue
            script = Path(tmp, f"{target.name}-{scenario}.lua")
            script.write_text(lua)
            url = base_url + path
            results.append(bench_scenario(url, scenario, target.name, script, args, meter))
    return results


# ----------------------------------------------------------------------- phases


def pool_size(args: argparse.Namespace) -> int:
    return args.pool_size or max(1, -(-args.connections // args.workers))


def run_app(url: URL, args: argparse.Namespace) -> list[WrkResult]:
    admin_key = secrets.token_urlsafe(32)
    env = child_env(
        SUPPORTDESK_DATABASE_URL=url.render_as_string(hide_password=False),
        SUPPORTDESK_REDIS_URL=args.redis_url,
        SUPPORTDESK_ADMIN_KEY=admin_key,
        SUPPORTDESK_DB_POOL_SIZE=str(pool_size(args)),
    )
    asyncio.run(flush_redis(args.redis_url))
    log("alembic upgrade head")
    migrate(env, alembic=True)
    target = Target(
        name="app",
        create_path="/v1/tickets",
        list_path="/v1/tickets?status=new&priority=high&limit=50",
        headers={"Authorization": f"Bearer {admin_key}"},
    )
    with serve("app", "app.main:app", env, args) as (base_url, proc):
        log(f"seeding app: org, contact, {args.seed_tickets} tickets")
        requester_id = asyncio.run(seed_app(base_url, target, args))
        meter = CpuMeter(proc.pid, url.database or "")
        return bench_target(base_url, target, requester_id, args, meter)


def run_ceiling(url: URL, args: argparse.Namespace) -> list[WrkResult]:
    dsn = plain_dsn(url)
    asyncio.run(create_ceiling_table(dsn))
    env = child_env(BENCH_DSN=dsn, BENCH_POOL_SIZE=str(pool_size(args)))
    target = Target(
        name="ceiling",
        create_path="/tickets",
        list_path="/tickets?status=new&priority=high&limit=50",
    )
    with serve("ceiling", "bench.ceiling:app", env, args) as (base_url, proc):
        log(f"seeding ceiling: {args.seed_tickets} tickets")
        requester_id = asyncio.run(seed_ceiling(base_url, target, args))
        meter = CpuMeter(proc.pid, url.database or "")
        return bench_target(base_url, target, requester_id, args, meter)


# ---------------------------------------------------------------------- report


def find(results: list[WrkResult], scenario: str, target: str) -> WrkResult | None:
    return next((r for r in results if r.scenario == scenario and r.target == target), None)


def ratios(results: list[WrkResult]) -> dict[str, float]:
    out: dict[str, float] = {}
    for scenario in ("create", "list"):
        app, ceiling = find(results, scenario, "app"), find(results, scenario, "ceiling")
        if app and ceiling and ceiling.requests_per_sec > 0:
            out[scenario] = app.requests_per_sec / ceiling.requests_per_sec
    return out


def target_verdict(results: list[WrkResult]) -> str | None:
    create_ratio = ratios(results).get("create")
    app = find(results, "create", "app")
    if create_ratio is None or app is None:
        return None
    met = create_ratio >= TARGET_RATIO and app.p99_ms <= TARGET_P99_MS and app.ok
    return (
        f"target (create >= {TARGET_RATIO:.0%} of ceiling, p99 <= {TARGET_P99_MS:.0f} ms): "
        f"{'MET' if met else 'NOT MET'} ({create_ratio:.0%}, p99 {app.p99_ms:.1f} ms)"
    )


def format_table(results: list[WrkResult]) -> str:
    head = (
        f"{'scenario':<16}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'cpu ms':>8}"
        f"{'non-2xx':>9}{'errors':>8}"
    )
    rows = [head, "-" * len(head)]
    for r in results:
        name = f"{r.scenario}/{r.target}"
        cpu = "-" if r.cpu_ms_per_request is None else f"{r.cpu_ms_per_request:.2f}"
        rows.append(
            f"{name:<16}{r.requests_per_sec:>10.1f}{r.p50_ms:>10.2f}{r.p99_ms:>10.2f}{cpu:>8}"
            f"{r.non_2xx:>9}{r.socket_errors:>8}"
        )
    for scenario, ratio in ratios(results).items():
        rows.append(f"{scenario}_app / {scenario}_ceiling = {ratio:.2f}")
    verdict = target_verdict(results)
    if verdict:
        rows.append(verdict)
    failed = [f"{r.scenario}/{r.target}" for r in results if not r.ok]
    if failed:
        rows.append(f"FAILED runs (non-2xx or socket errors): {', '.join(failed)}")
    return "\n".join(rows)


def report(results: list[WrkResult], args: argparse.Namespace) -> str:
    doc = {
        "params": {k: getattr(args, k) for k in ("threads", "connections", "duration", "workers")},
        "results": [{**asdict(r), "ok": r.ok} for r in results],
        "ok": all(r.ok for r in results),
        "ratios": ratios(results),
        "target": target_verdict(results),
    }
    return write_report("api", doc, format_table(results), args.json)


# ------------------------------------------------------------------------ main


def run(args: argparse.Namespace) -> int:
    url = make_url(args.database_url)
    name = url.database or ""
    log(f"recreating database {name}")
    maintenance = plain_dsn(url, "postgres")
    asyncio.run(drop_database(name, recreate=True, maintenance_dsn=maintenance))
    results: list[WrkResult] = []
    if args.only in (None, "app"):
        results += run_app(url, args)
    if args.only in (None, "ceiling"):
        results += run_ceiling(url, args)
    print(report(results, args))
    return 0 if all(r.ok for r in results) else 3


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if shutil.which("wrk") is None:
        print(WRK_INSTALL_HINT, file=sys.stderr)
        return 2
    return run_bench(lambda: run(args), httpx.HTTPError)


if __name__ == "__main__":
    sys.exit(main())

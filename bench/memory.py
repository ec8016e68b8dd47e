"""Memory of a long-running API process and worker: RSS after 100,000 mixed requests.

Run from the repository root::

    .venv/bin/python bench/memory.py                      # 100,000 requests, 16 at once
    .venv/bin/python bench/memory.py --requests 20000     # quick check

It drops and recreates the bench database, migrates it and flushes its Redis DB, then starts
one ``supportdesk serve`` (one uvicorn process) and one ``supportdesk worker`` (relay, SLA
pump, routing, webhooks to a receiver in this script, mail planning without SMTP). Over HTTP
it seeds an organization, a designated contact and a webhook endpoint for every event, then
sends ``--requests`` requests from ``--clients`` concurrent clients, in a fixed rotation: a
ticket created, the filtered list (50 a page), one ticket read, one public comment, another
read. The API's RSS is read every ``--every`` requests; once the load ends the worker gets
until the outbox is delivered (every event at the receiver) and its RSS is read too.

Goals (issue 15): API process <= 150 MB RSS after 100,000 requests; worker <= 200 MB.
A series that still grows in the last quarter of the run is reported as such (a leak shows
there, warm-up does not). Results: ``bench/results/memory-latest.json``.
Exit status: 0 ok (goals informational), 1 setup error, 3 a request failed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import secrets
import sys
import time
from dataclasses import asdict, dataclass, field
from typing import Any

import httpx
from harness import (
    RESULTS_DIR,
    BenchError,
    add_common,
    app_env,
    flush_redis,
    fmt,
    free_port,
    fresh_database,
    log,
    parse,
    parser,
    processes,
    rss_mib,
    run_bench,
    supportdesk_bin,
    wait_until,
    write_report,
)

DEFAULT_DATABASE = "supportdesk_bench_memory"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/10"
API_GOAL_MB = 150.0
WORKER_GOAL_MB = 200.0
MB = 1e6 / 2**20  # MiB per MB
STOP_TIMEOUT_S = 30.0


@dataclass
class Result:
    requests: int
    failed: int
    seconds: float
    # What each failure was: a status code, or an exception's name.
    failures: dict[str, int] = field(default_factory=dict)
    api_series: list[tuple[int, float]] = field(default_factory=list)
    worker_idle_mib: float = 0.0
    worker_end_mib: float = 0.0
    events: int = 0
    delivered: int = 0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = parser(__doc__)
    add_common(p, database=DEFAULT_DATABASE, redis_url=DEFAULT_REDIS_URL)
    p.add_argument("--requests", type=int, default=100_000, help="requests to send")
    p.add_argument("--clients", type=int, default=16, help="concurrent clients")
    p.add_argument("--every", type=int, default=10_000, help="read the API's RSS this often")
    p.add_argument("--drain", type=float, default=120.0, help="max seconds for the outbox")
    return parse(p, argv)


class Receiver:
    """A webhook receiver on 127.0.0.1: counts requests, answers 204 on a kept-alive socket."""

    def __init__(self) -> None:
        self.received = 0
        self.port = free_port()
        self.wanted = 0
        self.all_in = asyncio.Event()

    async def start(self) -> asyncio.Server:
        return await asyncio.start_server(self._serve, "127.0.0.1", self.port)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while head := await reader.readuntil(b"\r\n\r\n"):
                length = next(
                    (
                        int(line.split(b":", 1)[1])
                        for line in head.split(b"\r\n")
                        if line.lower().startswith(b"content-length:")
                    ),
                    0,
                )
                await reader.readexactly(length)
                self.received += 1
                if self.wanted and self.received >= self.wanted:
                    self.all_in.set()
                writer.write(b"HTTP/1.1 204 No Content\r\n\r\n")
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
            pass  # the worker hung up, or this script is ending
        finally:
            writer.close()


async def seed(http: httpx.AsyncClient, receiver: Receiver) -> dict[str, str]:
    async def post(path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = await http.post(path, json=body)
        if response.status_code != 201:
            raise BenchError(f"POST {path}: {response.status_code} {response.text}")
        return response.json()

    org = await post("/v1/organizations", {"name": "Memory Bench", "plan": "standard"})
    contact = await post(
        f"/v1/organizations/{org['id']}/contacts",
        {"name": "Dana", "email": "dana@bench.example", "designated": True},
    )
    url = f"http://127.0.0.1:{receiver.port}/hook"
    await post("/v1/webhook-endpoints", {"url": url})
    return {"contact": contact["id"]}


async def one(http: httpx.AsyncClient, n: int, seeded: dict[str, str], tickets: list[str]) -> str:
    """The n-th request of the rotation (create, list, read, comment, read); '' when it
    succeeded, else its status code."""
    step = n % 5
    if step == 0 or not tickets:
        body = {
            "subject": f"Memory bench {n}",
            "description": "The export page times out for large accounts.",
            "requester_id": seeded["contact"],
            "priority": ("low", "medium", "high")[n % 3],
        }
        response = await http.post("/v1/tickets", json=body)
        if response.status_code == 201:
            tickets.append(response.json()["id"])
        return _failure(response, 201)
    if step == 1:
        params = {"status": "new", "priority": "high", "limit": "50"}
        return _failure(await http.get("/v1/tickets", params=params), 200)
    ticket = tickets[n % len(tickets)]
    if step == 3:
        body = {"body": f"Any news? ({n})", "visibility": "public"}
        return _failure(await http.post(f"/v1/tickets/{ticket}/comments", json=body), 201)
    return _failure(await http.get(f"/v1/tickets/{ticket}"), 200)


def _failure(response: httpx.Response, expected: int) -> str:
    return "" if response.status_code == expected else str(response.status_code)


async def load(args: argparse.Namespace, http: httpx.AsyncClient, api_pid: int, seeded) -> Result:
    counter = itertools.count()
    tickets: list[str] = []
    result = Result(args.requests, 0, 0.0, api_series=[(0, rss_mib(api_pid))])
    started = time.monotonic()

    async def client() -> None:
        while (n := next(counter)) < args.requests:
            try:
                failure = await one(http, n, seeded, tickets)
            except httpx.HTTPError as exc:
                failure = type(exc).__name__
            if failure:
                result.failed += 1
                result.failures[failure] = result.failures.get(failure, 0) + 1
            if (n + 1) % args.every == 0:
                result.api_series.append((n + 1, rss_mib(api_pid)))
                log(f"  {n + 1:,} requests, API RSS {result.api_series[-1][1]:.1f} MiB")

    await asyncio.gather(*(client() for _ in range(args.clients)))
    result.seconds = time.monotonic() - started
    return result


async def outbox(database_url: str) -> int:
    import asyncpg

    conn = await asyncpg.connect(database_url.replace("+asyncpg", ""))
    try:
        return int(await conn.fetchval("SELECT count(*) FROM events"))
    finally:
        await conn.close()


async def drain(args, result: Result, receiver: Receiver, database_url: str) -> None:
    """Waits until the receiver has every event (one endpoint, every type), or --drain."""
    result.events = receiver.wanted = await outbox(database_url)
    if receiver.received >= result.events:
        receiver.all_in.set()
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(receiver.all_in.wait(), args.drain)
    result.delivered = receiver.received


async def run(args: argparse.Namespace) -> Result:
    await fresh_database(args.database)
    await flush_redis(args.redis_url)
    key, port = secrets.token_urlsafe(32), free_port()
    env = app_env(args.database, args.redis_url)
    env.update(
        SUPPORTDESK_ADMIN_KEY=key,
        SUPPORTDESK_LOG_LEVEL="warning",
        SUPPORTDESK_WEBHOOK_ALLOWED_NETWORKS="127.0.0.0/8",
        SUPPORTDESK_WORKER_MAIL="true",
    )
    env.pop("SUPPORTDESK_SMTP_URL", None)
    serve = [supportdesk_bin(), "serve", "--host", "127.0.0.1", "--port", str(port)]
    commands = [
        ([*serve, "--workers", "1"], RESULTS_DIR / "memory-api.log"),
        ([supportdesk_bin(), "worker"], RESULTS_DIR / "memory-worker.log"),
    ]
    receiver = Receiver()
    server = await receiver.start()
    base = f"http://127.0.0.1:{port}"
    headers = {"Authorization": f"Bearer {key}"}
    limits = httpx.Limits(max_connections=args.clients)
    timeout = httpx.Timeout(60.0)  # a slow answer is not a lost one: memory is measured here
    with processes("the API and the worker", commands, env, STOP_TIMEOUT_S) as (api, worker):
        async with httpx.AsyncClient(
            base_url=base, headers=headers, limits=limits, timeout=timeout
        ) as http:

            async def ready() -> bool:
                try:
                    return (await http.get("/readyz")).status_code == 200
                except httpx.HTTPError:
                    return False

            await wait_until(ready, api, "the API", commands[0][1], limit_s=60)
            seeded = await seed(http, receiver)
            worker_idle = rss_mib(worker.pid)
            log(f"sending {args.requests:,} requests from {args.clients} clients")
            result = await load(args, http, api.pid, seeded)
        log(f"load done in {result.seconds:.0f} s; waiting for the outbox to be delivered")
        await drain(args, result, receiver, env["SUPPORTDESK_DATABASE_URL"])
        result.worker_idle_mib, result.worker_end_mib = worker_idle, rss_mib(worker.pid)
    server.close()
    return result


def growth(series: list[tuple[int, float]]) -> float:
    """RSS added over the last quarter of the requests, MiB."""
    last = series[-1]
    quarter = min(series, key=lambda point: abs(point[0] - last[0] * 3 / 4))
    return last[1] - quarter[1]


def table(r: Result) -> str:
    api_end = r.api_series[-1][1]
    rows = [
        ("requests (failed)", f"{r.requests:,} ({r.failed:,}) in {r.seconds:.0f} s", ""),
        ("failures by status or error", ", ".join(f"{k}: {v}" for k, v in r.failures.items()), ""),
        (
            "API RSS start -> end, MiB",
            f"{r.api_series[0][1]:.1f} -> {api_end:.1f} = {api_end / MB:.1f} MB",
            f"<= {API_GOAL_MB:.0f} MB: {'MET' if api_end / MB <= API_GOAL_MB else 'NOT MET'}",
        ),
        ("API RSS added over the last quarter, MiB", fmt(growth(r.api_series)), "flat"),
        (
            "worker RSS idle -> after delivering, MiB",
            f"{r.worker_idle_mib:.1f} -> {r.worker_end_mib:.1f} = {r.worker_end_mib / MB:.1f} MB",
            f"<= {WORKER_GOAL_MB:.0f} MB: "
            + ("MET" if r.worker_end_mib / MB <= WORKER_GOAL_MB else "NOT MET"),
        ),
        ("events delivered / written", f"{r.delivered:,} / {r.events:,}", "all"),
    ]
    series = " ".join(f"{n // 1000}k:{mib:.0f}" for n, mib in r.api_series)
    lines = [f"{name:<42}{value:>40}  {goal}" for name, value, goal in rows]
    return "\n".join([*lines, f"API RSS MiB by requests: {series}"])


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)

    def body() -> int:
        result = asyncio.run(run(args))
        print(write_report("memory", asdict(result), table(result), args.json))
        return 3 if result.failed else 0

    return run_bench(body, httpx.HTTPError)


if __name__ == "__main__":
    sys.exit(main())

"""Soak: mixed traffic for a long while with a fault every few minutes; lost writes, latency
outside the faults, and the memory of the API and worker processes over time.

Run from the repository root::

    .venv/bin/python bench/soak.py                       # 30 minutes, a fault every 5
    .venv/bin/python bench/soak.py --minutes 12 --fault-every 3

It runs a Support Desk of its own (tests/e2e/stack.py): a PostgreSQL cluster initdb'd in a
temporary folder (the server binaries of /usr/lib/postgresql), a `redis-server`, two
`supportdesk serve` processes and one `supportdesk worker`, with a webhook receiver in this
process for every event, four agents of every role on duty around the clock (every ticket
is routed, every escalation has someone to go to) and a one-minute first-response target
(every ticket not answered within a minute breaches and escalates). Integrators
(tests/e2e/load.py) create tickets with an Idempotency-Key, retried on 503 or a lost
connection until acknowledged, and comment on and move half of them. In the middle of
every `--fault-every` minutes comes the next fault, in turn: PostgreSQL stopped for 3 s and
started, Redis killed for 5 s and started empty, API process 1 killed with SIGKILL and
started again, the worker killed with SIGKILL and started again 3 s later.

Reported: lost writes (acknowledged creates or comments not stored exactly once; goal 0),
SLA breaches fired twice or never, events never delivered to the receiver, answers that are
neither 2xx nor 409/503 (never excused) and dropped connections outside a killed process's
downtime; p50/p99 latency of the writes outside the fault windows (a window: the fault and
the 10 s after it); RSS of each process every `--sample` seconds, and per process its
growth after warm-up (`--warmup` minutes into its life) as MiB per hour (a least-squares
slope; goal: flat). Results: bench/results/soak-latest.json.
Exit status: 0 no write lost, 1 setup error, 3 something lost or an answer not excused.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import asyncpg
import httpx
import psutil
from harness import (
    ROOT,
    BenchError,
    code_measured,
    fmt,
    log,
    parser,
    percentile,
    rounded,
    run_bench,
    write_report,
)

sys.path.insert(0, str(ROOT))

from app.assignment.models import Role
from tests.e2e.load import Downtime, Load
from tests.e2e.stack import Stack
from tests.webhooks.receiver import Received, Receiver, Reply

FAULTS = ("database restart", "redis stop", "api kill", "worker kill")
AFTER_FAULT_SECONDS = 10.0
SETTLE_SECONDS = 180
AGENTS_PER_ROLE = 4
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ENV = {"SUPPORTDESK_WEBHOOK_LEASE_SECONDS": "5", "SUPPORTDESK_WEBHOOK_TIMEOUT_SECONDS": "3"}


@dataclass
class Window:
    fault: str
    start: float  # time.monotonic()
    end: float


@dataclass
class Samples:
    """RSS (MiB) of one process over one life: (seconds since it started, MiB)."""

    name: str
    life: int
    started: float
    points: list[tuple[float, float]] = field(default_factory=list)


class Lean(Receiver):
    """The receiver without the bodies: half an hour of events would not fit in memory."""

    def __init__(self) -> None:
        super().__init__()
        self.reply = self._drop_body

    @staticmethod
    def _drop_body(request: Received) -> Reply:
        request.body = b""
        return Reply(204)


async def staff(admin: httpx.AsyncClient) -> None:
    """Four agents of every role, 10,000 open tickets each, on duty around the clock: the
    organization gets its PM, every ticket is routed and every escalation level has someone
    to go to, as in production (without them every ticket would wait to be routed)."""
    for role in Role:
        for n in range(1, AGENTS_PER_ROLE + 1):
            agent = {
                "name": f"{role.value} {n}",
                "email": f"{role.value}-{n}@soak.example",
                "role": role.value,
                "capacity": 10_000,
                "timezone": "UTC",
                "working_hours": {day: [["00:00", "24:00"]] for day in DAYS},
            }
            response = await admin.post("/v1/agents", json=agent)
            if response.status_code != 201:
                raise BenchError(f"setup failed: {response.status_code} {response.text}")


async def configure(stack: Stack, receiver: Receiver) -> str:
    async with httpx.AsyncClient(base_url=stack.bases[0], headers=stack.admin) as admin:
        await staff(admin)
        targets = (await admin.get("/v1/sla-policies")).json()["targets"]
        for row in targets:
            minutes = 1 if row["metric"] == "first_response" else 600
            row.update(
                target_minutes=minutes,
                after_hours_minutes=minutes,
                closed_day_minutes=minutes,
                clock="calendar",
            )
        for response in (
            await admin.put("/v1/sla-policies", json={"targets": targets}),
            await admin.post("/v1/webhook-endpoints", json={"url": receiver.url}),
        ):
            if response.status_code >= 300:
                raise BenchError(f"setup failed: {response.status_code} {response.text}")
        organization = await admin.post(
            "/v1/organizations", json={"name": "Soak Ltd", "plan": "standard"}
        )
        contact = await admin.post(
            f"/v1/organizations/{organization.json()['id']}/contacts",
            json={"email": "ops@soak.example", "name": "Ops", "designated": True},
        )
        if contact.status_code != 201:
            raise BenchError(f"setup failed: {contact.status_code} {contact.text}")
        return contact.json()["id"]


async def inject(stack: Stack, load: Load, fault: str) -> None:
    if fault == "database restart":
        await asyncio.to_thread(stack.postgres.stop)
        await asyncio.sleep(3)
        await asyncio.to_thread(stack.postgres.start)
    elif fault == "redis stop":
        await asyncio.to_thread(stack.redis.stop)
        await asyncio.sleep(5)
        await asyncio.to_thread(stack.redis.start)
    elif fault == "api kill":
        down = Downtime(1, time.monotonic())
        load.downtimes.append(down)
        await stack.restart_api(1)
        down.end = time.monotonic()
    else:
        stack.worker.kill()
        await asyncio.sleep(3)
        stack.worker.start()


async def faults(
    stack: Stack, load: Load, started: float, minutes: float, every: float
) -> list[Window]:
    windows: list[Window] = []
    n = 0
    while (at := started + (n + 0.5) * every * 60) < started + minutes * 60 - 30:
        await asyncio.sleep(max(0.0, at - time.monotonic()))
        fault = FAULTS[n % len(FAULTS)]
        log(f"fault {n + 1}: {fault}")
        begun = time.monotonic()
        await inject(stack, load, fault)
        windows.append(Window(fault, begun, time.monotonic()))
        n += 1
    return windows


async def sample(stack: Stack, series: dict[tuple[str, int], Samples], every: float) -> None:
    while True:
        for process in [*stack.apis, stack.worker]:
            if not process.alive():
                continue
            key = (process.name, process.starts)
            if key not in series:
                series[key] = Samples(process.name, process.starts, time.monotonic())
            try:
                rss = psutil.Process(process.pid).memory_info().rss / 2**20
            except psutil.Error:
                continue
            series[key].points.append((time.monotonic() - series[key].started, rss))
        await asyncio.sleep(every)


def slope_per_hour(points: list[tuple[float, float]]) -> float | None:
    if len(points) < 3:
        return None
    n = len(points)
    mean_t = sum(t for t, _ in points) / n
    mean_r = sum(r for _, r in points) / n
    var = sum((t - mean_t) ** 2 for t, _ in points)
    if var == 0:
        return None
    return sum((t - mean_t) * (r - mean_r) for t, r in points) / var * 3600


async def wait_settled(stack: Stack) -> dict[str, int]:
    """Waits for the worker to catch up; what is still left after SETTLE_SECONDS."""
    connection = await asyncpg.connect(stack.dsn())
    deadline = time.monotonic() + SETTLE_SECONDS
    try:
        while True:
            row = await connection.fetchrow(
                """
                SELECT (SELECT count(*) FROM outbox) AS unrelayed,
                       (SELECT count(*) FROM webhook_deliveries
                         WHERE status = 'pending') AS undelivered,
                       (SELECT count(*) FROM ticket_clocks
                         WHERE next_fire_at <= now() - interval '2 seconds') AS unfired
                """
            )
            left = {name: value for name, value in row.items() if value}
            if not left or time.monotonic() > deadline:
                return left
            await asyncio.sleep(1)
    finally:
        await connection.close()


async def audit(stack: Stack, load: Load, receiver: Receiver) -> dict[str, Any]:
    """Lost or doubled writes, breaches, deliveries: counted in the database."""
    connection = await asyncpg.connect(stack.dsn())
    try:
        stored = {
            row["subject"]: (row["n"], row["id"])
            for row in await connection.fetch(
                "SELECT subject, count(*) AS n, min(id::text) AS id FROM tickets "
                "WHERE subject LIKE $1 GROUP BY subject",
                f"fault {load.run_id} #%",
            )
        }
        comments = Counter(
            row["body"]
            for row in await connection.fetch(
                "SELECT body FROM comments WHERE body LIKE $1", f"reply {load.run_id} #%"
            )
        )
        breaches = Counter(
            tuple(row)
            for row in await connection.fetch(
                "SELECT ticket_id, data->>'metric', data->>'cycle' FROM events "
                "WHERE type = 'ticket.sla_breached'"
            )
        )
        unfired = await connection.fetchval(
            "SELECT count(*) FROM ticket_clocks WHERE due_at <= now() - interval '5 seconds' "
            "AND status = 'running' AND breached_at IS NULL"
        )
        events = [row["id"] for row in await connection.fetch("SELECT id::text AS id FROM events")]
    finally:
        await connection.close()
    lost = [s for s, ticket in load.tickets.items() if stored.get(s, (0, None))[1] != ticket]
    delivered = {r.headers.get("webhook-id") for r in receiver.received if r.replied == 204}
    return {
        "tickets_acknowledged": len(load.tickets),
        "comments_acknowledged": len(load.comments),
        "transitions": load.transitions,
        "creates_given_up": len(load.gave_up),
        "tickets_lost": len(lost),
        "tickets_doubled": sum(1 for n, _ in stored.values() if n > 1),
        "comments_lost_or_doubled": sum(1 for body in load.comments if comments[body] != 1),
        "breaches": len(breaches),
        "breaches_fired_twice": sum(1 for n in breaches.values() if n > 1),
        "breaches_unfired": unfired,
        "events": len(events),
        "events_undelivered": sum(1 for e in events if f"evt_{e}" not in delivered),
        "webhook_requests": len(receiver.received),
    }


def latency(load: Load, windows: list[Window]) -> dict[str, Any]:
    def in_fault(start: float, end: float) -> bool:
        return any(w.start - 1 <= end and start <= w.end + AFTER_FAULT_SECONDS for w in windows)

    calm = [
        a.seconds * 1000
        for a in load.answers
        if a.status is not None and 200 <= a.status < 300 and not in_fault(a.at, a.at + a.seconds)
    ]
    statuses = Counter(str(a.status) for a in load.answers)
    return {
        "requests": len(load.answers),
        "statuses": dict(statuses),
        "outside_faults": len(calm),
        "p50_ms": rounded(percentile(calm, 0.5)),
        "p99_ms": rounded(percentile(calm, 0.99)),
        "max_ms": rounded(max(calm) if calm else None),
        "unexcused": [
            {"status": a.status, "path": a.path, "error": a.error[:200]}
            for a in load.unexpected()[:20]
        ],
        "unexcused_count": len(load.unexpected()),
    }


def memory(series: dict[tuple[str, int], Samples], warmup_s: float) -> list[dict[str, Any]]:
    rows = []
    for samples in series.values():
        points = samples.points
        warm = [p for p in points if p[0] >= warmup_s]
        step = max(1, len(points) // 40)
        rows.append(
            {
                "process": samples.name,
                "life": samples.life,
                "lived_s": round(points[-1][0]) if points else 0,
                "first_mib": rounded(points[0][1]) if points else None,
                "after_warmup_mib": rounded(warm[0][1]) if warm else None,
                "last_mib": rounded(points[-1][1]) if points else None,
                "max_mib": rounded(max(r for _, r in points)) if points else None,
                "growth_after_warmup_mib": rounded(warm[-1][1] - warm[0][1]) if warm else None,
                "slope_mib_per_hour": rounded(slope_per_hour(warm)),
                "series": [(round(t), round(r, 1)) for t, r in points[::step]],
            }
        )
    return rows


async def soak(args: Any) -> dict[str, Any]:
    stack = Stack(apis=2, env=ENV)
    receiver = Lean()
    await receiver.start()
    series: dict[tuple[str, int], Samples] = {}
    failed = True
    try:
        log(f"starting PostgreSQL, Redis, 2 APIs and a worker (logs in {stack.folder})")
        await stack.start()
        requester = await configure(stack, receiver)
        load = Load(stack.bases, stack.admin, requester, lanes=args.lanes)
        sampler = asyncio.create_task(sample(stack, series, args.sample))
        started = time.monotonic()
        log(f"{args.minutes} min of traffic, a fault every {args.fault_every} min")
        traffic = asyncio.create_task(load.run(args.minutes * 60, pause=args.pause))
        windows = await faults(stack, load, started, args.minutes, args.fault_every)
        await traffic
        log("traffic over; waiting for the worker to catch up")
        left = await wait_settled(stack)
        sampler.cancel()
        counts = await audit(stack, load, receiver)
        failed = False
    finally:
        await receiver.stop()
        stack.close(keep_logs=failed or args.keep_logs)
    return {
        "minutes": args.minutes,
        "fault_every_min": args.fault_every,
        "lanes": args.lanes,
        "faults": [
            {
                "fault": w.fault,
                "at_s": round(w.start - started),
                "took_s": round(w.end - w.start, 1),
            }
            for w in windows
        ],
        "left_after_settling": left,
        "writes": counts,
        "latency": latency(load, windows),
        "memory": memory(series, args.warmup * 60),
    }


def table(doc: dict[str, Any]) -> str:
    writes, lat = doc["writes"], doc["latency"]
    lines = [
        f"soak: {doc['minutes']} min, a fault every {doc['fault_every_min']} min: "
        + ", ".join(f"{f['fault']} at {f['at_s']} s" for f in doc["faults"]),
        f"writes: {writes['tickets_acknowledged']} tickets, {writes['comments_acknowledged']} "
        f"comments, {writes['transitions']} transitions acknowledged; lost "
        f"{writes['tickets_lost']} tickets, {writes['comments_lost_or_doubled']} comments; "
        f"doubled {writes['tickets_doubled']}; given up {writes['creates_given_up']}",
        f"SLA: {writes['breaches']} breaches, fired twice {writes['breaches_fired_twice']}, "
        f"unfired {writes['breaches_unfired']}; webhooks: {writes['events']} events, "
        f"undelivered {writes['events_undelivered']} ({writes['webhook_requests']} requests)",
        f"answers: {lat['statuses']}; not excused {lat['unexcused_count']}",
        f"latency outside faults ({lat['outside_faults']} writes): p50 {fmt(lat['p50_ms'])} ms, "
        f"p99 {fmt(lat['p99_ms'])} ms, max {fmt(lat['max_ms'])} ms",
        f"left after settling: {doc['left_after_settling'] or 'nothing'}",
        "",
        f"{'process':<10}{'life':>5}{'lived s':>9}{'first':>8}{'warm':>8}{'last':>8}"
        f"{'max':>8}{'growth':>8}{'MiB/h':>8}",
    ]
    for row in doc["memory"]:
        lines.append(
            f"{row['process']:<10}{row['life']:>5}{row['lived_s']:>9}{fmt(row['first_mib']):>8}"
            f"{fmt(row['after_warmup_mib']):>8}{fmt(row['last_mib']):>8}{fmt(row['max_mib']):>8}"
            f"{fmt(row['growth_after_warmup_mib']):>8}{fmt(row['slope_mib_per_hour']):>8}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = parser(__doc__)
    p.add_argument("--minutes", type=float, default=30.0, help="traffic for this long (30)")
    p.add_argument("--fault-every", type=float, default=5.0, help="minutes between faults (5)")
    p.add_argument("--lanes", type=int, default=6, help="integrators at once (6)")
    p.add_argument("--pause", type=float, default=0.1, help="seconds between one's requests")
    p.add_argument("--sample", type=float, default=5.0, help="seconds between RSS samples (5)")
    p.add_argument("--warmup", type=float, default=2.0, help="minutes of a process's warm-up (2)")
    p.add_argument("--keep-logs", action="store_true", help="keep the processes' logs")
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)

    def run() -> int:
        doc = {"code": code_measured(), **asyncio.run(soak(args))}
        print(write_report("soak", doc, table(doc), args.json))
        writes, lat = doc["writes"], doc["latency"]
        lost = (
            writes["tickets_lost"]
            + writes["tickets_doubled"]
            + writes["comments_lost_or_doubled"]
            + writes["creates_given_up"]
            + writes["breaches_fired_twice"]
            + writes["breaches_unfired"]
            + writes["events_undelivered"]
            + lat["unexcused_count"]
        )
        return 3 if lost else 0

    return run_bench(run, BenchError)


if __name__ == "__main__":
    sys.exit(main())

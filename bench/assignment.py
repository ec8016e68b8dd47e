"""Ticket routing under contention: N waiting tickets over M agents from C concurrent clients.

Run from the repository root::

    .venv/bin/python bench/assignment.py                      # 10,000 tickets, 500 agents, 8
    .venv/bin/python bench/assignment.py --tickets 2000 --agents 100 --clients 4
    .venv/bin/python bench/assignment.py --capacity-factor 0.95   # fewer places than tickets
    .venv/bin/python bench/assignment.py --json --keep

It drops and recreates the bench database, migrates it (``supportdesk migrate``), inserts in
SQL a few calendars, the agents (mostly ``support_tier1`` with capacities of 10-40 scaled so
that their total is ``--capacity-factor`` x ``--tickets``, varied expertise, time zones and
working hours, a few inactive or out of office; a few PMs, seniors and tier-3 agents) and
organizations with a PM and designated contacts, then raises ``--tickets`` technical tickets
through the app's own ``app.tickets.creation.create`` (so each waits for routing with real
SLA clocks: ``routing_requested_at`` = its created time, spread over the last hours).

Routing: ``--clients`` asyncio tasks spread over ``--processes`` processes each run the
``route_tickets`` worker job's sweep (``app.assignment.sweep.sweep`` with the job's window and
limits) again and again, until a sweep decides nothing new: ``routing.waiting`` once a sweep,
then transactions that each lock the first few unheld waiting tickets in that order (one
statement, SKIP LOCKED) and route them (``routing.route_many``). They share the same queue and
the same agents, so they contend for tickets (SKIP LOCKED) and for agents' rows (SKIP LOCKED,
the counters' triggers, ``ck_agents_within_capacity``). A refused ticket (no agent with room)
stays waiting, as in the app; each sweep tries the first one of its roles again, so only a
ticket's first refusal counts as a decision here.

Measured: decisions (assigned + refused) per wall second, transactions and their p50/p99
latency (lock, route, commit), CPU milliseconds a decision of the client processes and of the
bench database's backends, claims refused by the capacity constraint, errors; then, in SQL:
agents over capacity (counter and actual count), counter drift, misrouted tickets, events per
decision, load spread (max - min of open tickets / capacity over eligible tier-1 agents),
unassigned.
The last results go to ``bench/results/assignment-latest.json`` (git-ignored).
Exit status: 0 ok, 1 setup error, 3 an integrity check failed or a client raised.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import queue
import random
import statistics
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from multiprocessing.process import BaseProcess
from typing import Any

import asyncpg
import psutil
from harness import (
    ROOT,
    BenchError,
    add_common,
    app_url,
    connection,
    drop_unless_kept,
    fmt,
    fresh_database,
    load_avg,
    log,
    parse,
    parser,
    percentile,
    rounded,
    run_bench,
    vacuum_analyze,
    write_report,
)

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_DATABASE = "supportdesk_bench_assign"
START_DELAY_S = 3.0  # clients start together this long after being spawned
RESULT_TIMEOUT_S = 3600.0
LOAD_SAMPLE_S = 5.0  # sample the load average this often while routing
CREATE_BATCH = 200  # tickets per unit of work while seeding
INDUSTRIES = ["logistics", "retail", "healthcare", "finance", "manufacturing", "media"]
PLATFORMS = ["web", "ios", "android", "sap", "shopify", "salesforce"]
# (time zone, shift start hour, shift end hour, working days)
SHIFTS = [
    ("Europe/Berlin", 8, 17, "mon tue wed thu fri"),
    ("Europe/London", 9, 18, "mon tue wed thu fri"),
    ("America/New_York", 9, 18, "mon tue wed thu fri"),
    ("America/Los_Angeles", 7, 16, "mon tue wed thu fri"),
    ("Asia/Kolkata", 10, 19, "mon tue wed thu fri sat"),
    ("Asia/Tokyo", 9, 18, "mon tue wed thu fri"),
    ("Australia/Sydney", 8, 17, "mon tue wed thu fri"),
    ("UTC", 0, 8, "sun mon tue wed thu"),
]
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
OFFICES = [("Europe/Berlin", "DE"), ("Asia/Tokyo", "JP"), ("Australia/Sydney", None)]
PRIORITIES = ["low"] * 30 + ["medium"] * 40 + ["high"] * 25 + ["critical"] * 5
OPEN = "status NOT IN ('resolved', 'closed', 'cancelled')"


# ------------------------------------------------------------------------- CLI


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = parser(__doc__)
    p.add_argument("--tickets", type=int, default=10_000, help="technical tickets to route")
    p.add_argument("--agents", type=int, default=500, help="agents of all roles")
    p.add_argument("--clients", type=int, default=8, help="concurrent routing clients")
    p.add_argument("--processes", type=int, default=2, help="processes the clients run in")
    p.add_argument("--organizations", type=int, default=8, help="client organizations")
    p.add_argument(
        "--capacity-factor",
        type=float,
        default=1.2,
        help="total capacity of eligible tier-1 agents / tickets (< 1 forces refusals)",
    )
    p.add_argument("--seed", type=int, default=7, help="random seed of the data set")
    add_common(p, database=DEFAULT_DATABASE)
    args = parse(p, argv)
    if min(args.tickets, args.clients, args.processes, args.organizations) < 1:
        p.error("--tickets, --clients, --processes and --organizations must be positive")
    if args.agents < 40 or args.capacity_factor <= 0:
        p.error("--agents must be at least 40 and --capacity-factor positive")
    args.processes = min(args.processes, args.clients)
    return args


# ------------------------------------------------------------------ data set


@dataclass
class AgentRow:
    id: uuid.UUID
    name: str
    role: str
    expertise: list[str]
    timezone: str
    working_hours: dict[str, list[list[str]]]
    capacity: int
    active: bool = True
    away: bool = False


@dataclass
class Plan:
    """The generated data set (agents and organizations; tickets are raised later)."""

    agents: list[AgentRow]
    organizations: list[dict[str, Any]]
    contacts: list[dict[str, Any]]
    calendars: list[dict[str, Any]]

    def tier1(self) -> list[AgentRow]:
        return [a for a in self.agents if a.role == "support_tier1"]

    def eligible_capacity(self) -> int:
        return sum(a.capacity for a in self.tier1() if a.active and not a.away)


def weekly(start: int, end: int, days: str) -> dict[str, list[list[str]]]:
    hours = [[f"{start:02d}:00", f"{end:02d}:00"]]
    return {day: hours if day in days.split() else [] for day in DAYS}


def role_mix(agents: int) -> list[str]:
    """A few PMs, seniors and tier-3 agents (not candidates for technical work); tier 1 rest."""
    others = ["pm"] * max(4, agents // 50) + ["senior_pm"] * 3 + ["support_tier3"] * 5
    return others + ["support_tier1"] * (agents - len(others))


def make_agent(rng: random.Random, index: int, role: str) -> AgentRow:
    zone, start, end, days = rng.choice(SHIFTS)
    tags = rng.sample(INDUSTRIES, rng.randint(0, 2)) + rng.sample(PLATFORMS, rng.randint(0, 2))
    capacity = rng.randint(2, 6) if role == "pm" else rng.randint(10, 40)
    return AgentRow(
        id=uuid.uuid4(),
        name=f"Agent {index:04d}",
        role=role,
        expertise=tags,
        timezone=zone,
        working_hours=weekly(start, end, days),
        capacity=capacity,
        active=role != "support_tier1" or rng.random() > 0.02,
        away=role == "support_tier1" and rng.random() < 0.02,
    )


def scale_capacities(tier1: list[AgentRow], target: int) -> None:
    """Scales tier-1 capacities so that the eligible ones add up to `target` (at least 1 each)."""
    eligible = [a for a in tier1 if a.active and not a.away]
    factor = target / sum(a.capacity for a in eligible)
    for agent in tier1:
        agent.capacity = max(1, round(agent.capacity * factor))
    drift = target - sum(a.capacity for a in eligible)
    for agent in eligible[: abs(drift)]:
        agent.capacity = max(1, agent.capacity + (1 if drift > 0 else -1))


def make_calendars() -> list[dict[str, Any]]:
    rows = []
    for zone, country in OFFICES:
        rows.append(
            {
                "id": uuid.uuid4(),
                "name": f"Office hours {zone}",
                "timezone": zone,
                "weekly_hours": weekly(8, 18, "mon tue wed thu fri"),
                "holiday_country": country,
            }
        )
    return rows


def make_organizations(
    rng: random.Random, count: int, pms: list[AgentRow], calendars: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Organizations (with a PM, within the PMs' capacity) and two designated contacts each."""
    seats = [pm for pm in pms for _ in range(pm.capacity)]
    organizations, contacts = [], []
    for index in range(count):
        calendar = rng.choice([*calendars, None])  # None: the default calendar
        org = {
            "id": uuid.uuid4(),
            "name": f"Bench Customer {index:03d}",
            "plan": rng.choice(["standard", "enterprise"]),
            "industry": rng.choice(INDUSTRIES),
            "platform": rng.choice(PLATFORMS),
            "calendar_id": calendar["id"] if calendar else None,
            "pm_id": seats[index].id if index < len(seats) else None,
        }
        organizations.append(org)
        for n in range(2):
            email = f"contact{n}@customer{index:03d}.example"
            contacts.append({"id": uuid.uuid4(), "organization_id": org["id"], "email": email})
    return organizations, contacts


def make_plan(args: argparse.Namespace) -> Plan:
    rng = random.Random(args.seed)
    agents = [make_agent(rng, i, role) for i, role in enumerate(role_mix(args.agents))]
    plan = Plan(agents, [], [], make_calendars())
    scale_capacities(plan.tier1(), round(args.tickets * args.capacity_factor))
    pms = [a for a in agents if a.role == "pm"]
    plan.organizations, plan.contacts = make_organizations(
        rng, args.organizations, pms, plan.calendars
    )
    return plan


# ----------------------------------------------------------------- insertion

INSERT_CALENDAR = """
INSERT INTO calendars (id, created_at, updated_at, version, name, timezone, weekly_hours,
                       holiday_country, closed_dates, open_dates, is_default)
VALUES ($1, now(), now(), 1, $2, $3, $4::jsonb, $5, '{}', '{}', false)
"""
INSERT_AGENT = """
INSERT INTO agents (id, created_at, updated_at, version, name, email, role, expertise, timezone,
                    working_hours, capacity, active)
VALUES ($1, now() - make_interval(secs => $2::int), now(), 1, $3, $4, $5, $6, $7, $8::jsonb,
        $9, $10)
"""
INSERT_TIME_OFF = """
INSERT INTO agent_time_off (id, created_at, updated_at, version, agent_id, starts_at, ends_at,
                            reason)
VALUES (gen_random_uuid(), now(), now(), 1, $1, now() - interval '1 day', now() + interval '7 days',
        'bench: out of office')
"""
INSERT_ORGANIZATION = """
INSERT INTO organizations (id, created_at, updated_at, version, name, plan, industry, platform,
                           calendar_id, pm_id, pm_assigned_at, max_designated_contacts,
                           designated_count)
VALUES ($1, now(), now(), 1, $2, $3, $4, $5, $6, $7::uuid,
        CASE WHEN $7::uuid IS NOT NULL THEN now() END, 5, 0)
"""
INSERT_CONTACT = """
INSERT INTO contacts (id, created_at, updated_at, version, organization_id, email, name,
                      designated)
VALUES ($1, now(), now(), 1, $2, $3, 'Bench Contact', true)
"""


def calendar_args(rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [
        (c["id"], c["name"], c["timezone"], json.dumps(c["weekly_hours"]), c["holiday_country"])
        for c in rows
    ]


def agent_args(agents: list[AgentRow]) -> list[tuple[Any, ...]]:
    return [
        (
            a.id,
            len(agents) - i,
            a.name,
            f"agent{i:04d}@desk.example",
            a.role,
            a.expertise,
            a.timezone,
            json.dumps(a.working_hours),
            a.capacity,
            a.active,
        )
        for i, a in enumerate(agents)
    ]


async def insert_plan(database: str, plan: Plan) -> None:
    async with connection(database) as conn, conn.transaction():
        await conn.executemany(INSERT_CALENDAR, calendar_args(plan.calendars))
        await conn.executemany(INSERT_AGENT, agent_args(plan.agents))
        await conn.executemany(INSERT_TIME_OFF, [(a.id,) for a in plan.agents if a.away])
        orgs = [
            (o["id"], o["name"], o["plan"], o["industry"], o["platform"], o["calendar_id"],
             o["pm_id"])
            for o in plan.organizations
        ]  # fmt: skip
        await conn.executemany(INSERT_ORGANIZATION, orgs)
        contacts = [(c["id"], c["organization_id"], c["email"]) for c in plan.contacts]
        await conn.executemany(INSERT_CONTACT, contacts)


def ticket_data(rng: random.Random, n: int, requester_id: uuid.UUID, now: datetime) -> Any:
    from app.tickets.models import Category
    from app.tickets.schemas import TicketCreate

    opened = now - timedelta(seconds=rng.randint(60, 6 * 3600))
    return TicketCreate(
        subject=f"Bench ticket {n}: export fails with a timeout",
        description="The nightly export stops after thirty seconds with a 504.",
        priority=rng.choice(PRIORITIES),
        category=Category.technical,
        requester_id=requester_id,
        created_at=opened,
    )


async def raise_tickets(database: str, plan: Plan, count: int, seed: int) -> None:
    """Raises the tickets through app.tickets.creation.create, CREATE_BATCH per transaction."""
    from app.api_keys.models import KeyKind
    from app.config import Settings
    from app.db import create_engine, create_session_factory, unit_of_work
    from app.security import Principal
    from app.tickets import creation

    rng, now = random.Random(seed), datetime.now(UTC)
    requesters = [c["id"] for c in plan.contacts]
    data = [ticket_data(rng, n, requesters[n % len(requesters)], now) for n in range(count)]
    admin = Principal(kind=KeyKind.admin)
    engine = create_engine(Settings(database_url=app_url(database)))
    try:
        sessions = create_session_factory(engine)
        for start in range(0, count, CREATE_BATCH):
            async with unit_of_work(sessions) as session:
                for item in data[start : start + CREATE_BATCH]:
                    await creation.create(session, principal=admin, data=item)
    finally:
        await engine.dispose()


# ------------------------------------------------------------------- clients


@dataclass
class ClientStats:
    """What one process's clients saw; merged across processes."""

    assigned: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    skipped: int = 0
    transaction_ms: list[float] = field(default_factory=list)
    transactions: int = 0
    cpu_s: float = 0.0
    decided_at: list[float] = field(default_factory=list)
    waiting_ms: list[float] = field(default_factory=list)
    claims_ok: int = 0
    claims_refused: int = 0
    leading_claimed: int = 0
    leading_missed: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    started_at: float = 0.0
    finished_at: float = 0.0


def count_claims(stats: ClientStats) -> None:
    """Observes agents.claim (True = claimed, False = refused by ck_agents_within_capacity)
    and agents.lock_first_free (an agent of the leading few locked for the ticket, or none of
    them free: the decision then ranks everyone and claims through agents.claim).

    Only in the bench's client processes; it calls the originals and changes nothing else.
    """
    from app.assignment import repository as agents

    original_claim, original_lock_first_free = agents.claim, agents.lock_first_free

    async def claim(session: Any, statement: Any) -> bool:
        claimed = await original_claim(session, statement)
        if claimed:
            stats.claims_ok += 1
        else:
            stats.claims_refused += 1
        return claimed

    async def lock_first_free(session: Any, ranked: Any, **kwargs: Any) -> Any:
        choice = await original_lock_first_free(session, ranked, **kwargs)
        if choice is not None:
            stats.leading_claimed += 1
        else:
            stats.leading_missed += 1
        return choice

    agents.claim = claim  # type: ignore[assignment]
    agents.lock_first_free = lock_first_free  # type: ignore[assignment]


def time_sweeps(stats: ClientStats) -> None:
    """Times routing.waiting and each transaction of a sweep (sweep.decide_some: lock, route,
    commit), in the bench's client processes only; the originals run unchanged."""
    from app.assignment import routing, sweep

    original_waiting, original_decide = routing.waiting, sweep.decide_some

    async def waiting(session: Any, limit: int) -> Any:
        started = time.perf_counter()
        try:
            return await original_waiting(session, limit)
        finally:
            stats.waiting_ms.append((time.perf_counter() - started) * 1000)

    async def decide_some(*args: Any) -> Any:
        started = time.perf_counter()
        decided = await original_decide(*args)
        stats.transaction_ms.append((time.perf_counter() - started) * 1000)
        stats.decided_at.extend([time.time()] * len(decided or ()))
        stats.transactions += 1
        return decided

    routing.waiting = waiting  # type: ignore[assignment]
    sweep.decide_some = decide_some  # type: ignore[assignment]


async def one_sweep(sessions: Any, stats: ClientStats, refused: set[uuid.UUID]) -> bool:
    """The route_tickets job's sweep; False when it decided nothing new (done)."""
    from app.assignment import sweep
    from app.workers.assignment import ANNOUNCE_BATCH, ROUTING_BATCH, ROUTING_WINDOW

    try:
        swept = await sweep.sweep(
            sessions, window=ROUTING_WINDOW, limit=ROUTING_BATCH, announce_limit=ANNOUNCE_BATCH
        )
    except Exception as exc:
        key = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
        stats.errors[key] = stats.errors.get(key, 0) + 1
        return True
    stats.skipped += swept.passed
    stats.assigned.extend(str(ticket_id) for ticket_id in swept.assigned)
    # A sweep tries the first ticket of roles no one can take again (announced once): only a
    # ticket's first refusal is a decision here.
    new = [ticket_id for ticket_id in swept.refused if ticket_id not in refused]
    refused.update(new)
    stats.refused.extend(str(ticket_id) for ticket_id in new)
    return bool(swept.assigned or new)


async def client(sessions: Any, stats: ClientStats, refused: set[uuid.UUID]) -> None:
    """route_tickets, again and again, until a sweep decides nothing new."""
    while await one_sweep(sessions, stats, refused):
        pass


async def run_clients(database: str, clients: int, start_at: float) -> ClientStats:
    from app.config import Settings
    from app.db import create_engine, create_session_factory

    stats = ClientStats()
    count_claims(stats)
    time_sweeps(stats)
    settings = Settings(database_url=app_url(database), db_pool_size=clients, db_max_overflow=2)
    engine = create_engine(settings)
    try:
        sessions = create_session_factory(engine)
        import app.workers.assignment  # noqa: F401  (imported before the clock starts)

        await warm_up(engine, clients)
        await asyncio.sleep(max(0.0, start_at - time.time()))
        stats.started_at, cpu_before = time.time(), time.process_time()
        refused: set[uuid.UUID] = set()  # shared by this process's clients
        await asyncio.gather(*(client(sessions, stats, refused) for _ in range(clients)))
        stats.finished_at, stats.cpu_s = time.time(), time.process_time() - cpu_before
    finally:
        await engine.dispose()
    return stats


async def warm_up(engine: Any, clients: int) -> None:
    """Opens the pool's connections before the start, so the clock measures routing only."""
    import sqlalchemy as sa

    async def ping() -> None:
        async with engine.connect() as conn:
            await conn.execute(sa.text("SELECT 1"))
            await asyncio.sleep(0.2)

    await asyncio.gather(*(ping() for _ in range(clients)))


def client_process(database: str, clients: int, start_at: float, results: Any) -> None:
    """Entry point of a client process: runs its clients, puts its stats (or its error)."""
    try:
        stats = asyncio.run(run_clients(database, clients, start_at))
        results.put(("ok", asdict(stats)))
    except BaseException as exc:
        results.put(("error", f"{type(exc).__name__}: {exc}"))
        raise


def split(total: int, parts: int) -> list[int]:
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


@contextmanager
def processes(database: str, args: argparse.Namespace, results: Any) -> Iterator[list[BaseProcess]]:
    """The client processes (spawned), terminated if still alive when the block ends."""
    context = mp.get_context("spawn")
    start_at = time.time() + START_DELAY_S + args.processes
    procs = [
        context.Process(target=client_process, args=(database, n, start_at, results), daemon=True)
        for n in split(args.clients, args.processes)
    ]
    try:
        for proc in procs:
            proc.start()
        yield procs
    finally:
        for proc in procs:
            if proc.is_alive():
                proc.terminate()
            proc.join(timeout=10)


@dataclass
class LoadSampler:
    """The machine's 1-minute load average every LOAD_SAMPLE_S while the clients run, and
    the CPU seconds of the bench database's backends (first and last seen, by pid)."""

    database: str
    samples: list[float] = field(default_factory=list)
    last: float = 0.0
    backends: dict[int, list[float]] = field(default_factory=dict)

    def tick(self) -> None:
        if time.monotonic() - self.last >= LOAD_SAMPLE_S:
            self.samples.append(load_avg()[0])
            self.last = time.monotonic()
        self.sample_backends()

    def sample_backends(self) -> None:
        """Backends' process titles read `postgres: <cluster>: <user> <database> <client> …`."""
        for proc in psutil.process_iter(["cmdline", "cpu_times"]):
            title = " ".join(proc.info["cmdline"] or ())
            times = proc.info["cpu_times"]
            if times is None or f" {self.database} " not in title or "(" not in title:
                continue
            seen = self.backends.setdefault(proc.pid, [times.user + times.system] * 2)
            seen[1] = times.user + times.system

    def postgres_cpu_s(self) -> float:
        return sum(last - first for first, last in self.backends.values())


def collect(results: Any, procs: Sequence[BaseProcess], sampler: LoadSampler) -> list[ClientStats]:
    """Waits for every process's stats; a process that dies without reporting is an error."""
    collected: list[ClientStats] = []
    deadline = time.monotonic() + RESULT_TIMEOUT_S
    while len(collected) < len(procs):
        if time.monotonic() > deadline:
            raise BenchError("client processes did not finish in time")
        sampler.tick()
        try:
            status, payload = results.get(timeout=0.2)
        except queue.Empty:
            dead = [p for p in procs if p.exitcode not in (None, 0)]
            if dead and results.empty():
                raise BenchError(f"client process exited with {dead[0].exitcode}") from None
            continue
        if status != "ok":
            raise BenchError(f"client process failed: {payload}")
        collected.append(ClientStats(**payload))
    return collected


def route_all(database: str, args: argparse.Namespace, sampler: LoadSampler) -> list[ClientStats]:
    results = mp.get_context("spawn").Queue()
    with processes(database, args, results) as procs:
        return collect(results, procs, sampler)


# ------------------------------------------------------------------- results


@dataclass
class Routing:
    clients: int
    processes: int
    wall_s: float
    decisions: int
    unique_decisions: int
    assigned: int
    refused: int
    refused_tickets: int
    decisions_per_s: float
    p50_ms: float | None
    p99_ms: float | None
    max_ms: float | None
    transactions: int
    decisions_per_transaction: float
    client_cpu_s: float
    postgres_cpu_s: float
    client_cpu_ms_per_decision: float | None
    postgres_cpu_ms_per_decision: float | None
    skipped: int
    claims: int
    capacity_refusals: int
    leading_claimed: int
    leading_missed: int
    waiting_calls: int
    waiting_p50_ms: float | None
    waiting_p99_ms: float | None
    rate_by_decile: list[float]
    errors: dict[str, int]


@dataclass
class Integrity:
    over_capacity: int
    over_capacity_counter: int
    over_capacity_actual: int
    ticket_counter_drift: int
    pm_over_capacity: int
    organization_counter_drift: int
    misrouted: int
    assigned_tickets: int
    unassigned: int
    still_waiting: int
    assigned_events: int
    unassigned_events: int
    tickets_with_two_assigned_events: int


@dataclass
class Spread:
    agents: int
    capacity: int
    load: int
    min_util: float
    max_util: float
    spread: float
    mean_util: float
    stdev_util: float
    full: int
    idle: int


@dataclass
class Result:
    params: dict[str, Any]
    data: dict[str, Any]
    routing: Routing
    integrity: Integrity
    spread: Spread
    load_avg: dict[str, list[float]]
    routing_load_1min: dict[str, float | None]
    tables: dict[str, Any]
    ok: bool = False
    problems: list[str] = field(default_factory=list)


def ms(values: list[float], q: float) -> float | None:
    """The q-quantile of millisecond values, to 0.01 ms."""
    return rounded(percentile(values, q), 2)


def deciles(decided_at: list[float], start: float) -> list[float]:
    """Decisions per second within each tenth of the decisions, in order."""
    times, rates = sorted(decided_at), []
    if len(times) < 10:
        return rates
    previous = start
    for k in range(1, 11):
        first, last = (k - 1) * len(times) // 10, k * len(times) // 10
        rates.append(round((last - first) / max(times[last - 1] - previous, 1e-6), 1))
        previous = times[last - 1]
    return rates


def per_decision(cpu_s: float, decisions: int) -> float | None:
    """CPU milliseconds a decision, to 0.001 ms."""
    return round(cpu_s * 1000 / decisions, 3) if decisions else None


def merge(stats: list[ClientStats], args: argparse.Namespace, postgres_cpu_s: float) -> Routing:
    assigned = [t for s in stats for t in s.assigned]
    refused = [t for s in stats for t in s.refused]
    latencies = [ms for s in stats for ms in s.transaction_ms]
    transactions = sum(s.transactions for s in stats)
    decisions = len(assigned) + len(refused)
    waits = [ms for s in stats for ms in s.waiting_ms]
    start = min(s.started_at for s in stats)
    wall = max(s.finished_at for s in stats) - start
    errors: Counter[str] = Counter()
    for s in stats:
        errors.update(s.errors)
    return Routing(
        clients=args.clients,
        processes=args.processes,
        wall_s=round(wall, 2),
        decisions=len(assigned) + len(refused),
        unique_decisions=len(set(assigned) | set(refused)),
        assigned=len(assigned),
        refused=len(refused),
        refused_tickets=len(set(refused)),
        decisions_per_s=round((len(assigned) + len(refused)) / wall, 1) if wall > 0 else 0.0,
        p50_ms=ms(latencies, 0.50),
        p99_ms=ms(latencies, 0.99),
        max_ms=round(max(latencies), 2) if latencies else None,
        transactions=transactions,
        decisions_per_transaction=round(decisions / transactions, 2) if transactions else 0.0,
        client_cpu_s=round(sum(s.cpu_s for s in stats), 2),
        postgres_cpu_s=round(postgres_cpu_s, 2),
        client_cpu_ms_per_decision=per_decision(sum(s.cpu_s for s in stats), decisions),
        postgres_cpu_ms_per_decision=per_decision(postgres_cpu_s, decisions),
        skipped=sum(s.skipped for s in stats),
        claims=sum(s.claims_ok + s.claims_refused for s in stats),
        capacity_refusals=sum(s.claims_refused for s in stats),
        leading_claimed=sum(s.leading_claimed for s in stats),
        leading_missed=sum(s.leading_missed for s in stats),
        waiting_calls=len(waits),
        waiting_p50_ms=ms(waits, 0.50),
        waiting_p99_ms=ms(waits, 0.99),
        rate_by_decile=deciles([t for s in stats for t in s.decided_at], start),
        errors=dict(errors),
    )


AGENT_CHECK = f"""
WITH actual AS (
    SELECT a.*,
           (SELECT count(*) FROM tickets t WHERE t.assignee_id = a.id AND t.{OPEN}) AS tickets,
           (SELECT count(*) FROM organizations o WHERE o.pm_id = a.id) AS orgs
    FROM agents a
)
SELECT
    count(*) FILTER (WHERE role <> 'pm' AND (open_ticket_count > capacity OR tickets > capacity))
        AS over_capacity,
    count(*) FILTER (WHERE role <> 'pm' AND open_ticket_count > capacity)
        AS over_capacity_counter,
    count(*) FILTER (WHERE role <> 'pm' AND tickets > capacity) AS over_capacity_actual,
    count(*) FILTER (WHERE open_ticket_count <> tickets) AS ticket_counter_drift,
    count(*) FILTER (WHERE role = 'pm' AND (organization_count > capacity OR orgs > capacity))
        AS pm_over_capacity,
    count(*) FILTER (WHERE organization_count <> orgs) AS organization_counter_drift
FROM actual
"""
TICKET_CHECK = """
SELECT
    count(*) FILTER (WHERE t.assignee_id IS NOT NULL) AS assigned_tickets,
    count(*) FILTER (WHERE t.assignee_id IS NULL) AS unassigned,
    count(*) FILTER (WHERE t.routing_requested_at IS NOT NULL) AS still_waiting,
    count(*) FILTER (WHERE t.assignee_id IS NOT NULL AND (a.role <> 'support_tier1'
        OR NOT a.active OR EXISTS (SELECT 1 FROM agent_time_off o WHERE o.agent_id = a.id
                                   AND o.starts_at <= now() AND o.ends_at > now())))
        AS misrouted
FROM tickets t LEFT JOIN agents a ON a.id = t.assignee_id
"""
EVENT_CHECK = """
SELECT
    count(*) FILTER (WHERE type = $1) AS assigned_events,
    count(*) FILTER (WHERE type = $2) AS unassigned_events,
    (SELECT count(*) FROM (SELECT ticket_id FROM events WHERE type = $1
                           GROUP BY ticket_id HAVING count(*) > 1) AS twice)
        AS tickets_with_two_assigned_events
FROM events
"""
SPREAD_SQL = f"""
SELECT a.capacity, (SELECT count(*) FROM tickets t WHERE t.assignee_id = a.id AND t.{OPEN})
FROM agents a
WHERE a.role = 'support_tier1' AND a.active AND a.capacity > 0
  AND NOT EXISTS (SELECT 1 FROM agent_time_off o WHERE o.agent_id = a.id
                  AND o.starts_at <= now() AND o.ends_at > now())
"""


async def check_integrity(conn: asyncpg.Connection) -> Integrity:
    from app.events.models import EventType

    agents = await conn.fetchrow(AGENT_CHECK)
    tickets = await conn.fetchrow(TICKET_CHECK)
    events = await conn.fetchrow(
        EVENT_CHECK, EventType.ticket_assigned.value, EventType.ticket_unassigned.value
    )
    # The queries name their columns as Integrity's fields.
    return Integrity(**dict(agents), **dict(tickets), **dict(events))


async def measure_spread(conn: asyncpg.Connection) -> Spread:
    rows = await conn.fetch(SPREAD_SQL)
    utils = [load / capacity for capacity, load in rows]
    return Spread(
        agents=len(rows),
        capacity=sum(r[0] for r in rows),
        load=sum(r[1] for r in rows),
        min_util=round(min(utils), 4),
        max_util=round(max(utils), 4),
        spread=round(max(utils) - min(utils), 4),
        mean_util=round(statistics.fmean(utils), 4),
        stdev_util=round(statistics.pstdev(utils), 4),
        full=sum(1 for capacity, load in rows if load >= capacity),
        idle=sum(1 for _, load in rows if load == 0),
    )


TABLE_STATS = """
SELECT relname, pg_relation_size(relid) / 8192 AS pages, n_live_tup AS live, n_dead_tup AS dead,
       n_tup_upd AS updates, n_tup_hot_upd AS hot_updates
FROM pg_stat_user_tables WHERE relname IN ('agents', 'tickets') ORDER BY relname
"""


async def table_stats(conn: asyncpg.Connection) -> dict[str, dict[str, int]]:
    """Heap size and dead rows left by the run (this cluster may run without autovacuum)."""
    rows = await conn.fetch(TABLE_STATS)
    return {row["relname"]: {k: row[k] for k in list(row.keys())[1:]} for row in rows}


async def measure(database: str) -> tuple[Integrity, Spread, dict[str, Any]]:
    async with connection(database) as conn:
        autovacuum = await conn.fetchval("SHOW autovacuum")
        tables = {"autovacuum": autovacuum, **await table_stats(conn)}
        return await check_integrity(conn), await measure_spread(conn), tables


def problems(result: Result, tickets: int) -> list[str]:
    r, i = result.routing, result.integrity
    found = [f"{n} x {error}" for error, n in r.errors.items()]
    checks = [
        (i.over_capacity, "agents over capacity"),
        (i.ticket_counter_drift, "agents whose open_ticket_count differs from their tickets"),
        (i.pm_over_capacity, "PMs over capacity"),
        (i.organization_counter_drift, "PMs whose organization_count differs"),
        (i.misrouted, "tickets assigned to an ineligible agent"),
        (i.tickets_with_two_assigned_events, "tickets assigned twice"),
        (abs(i.assigned_events - i.assigned_tickets), "assigned events vs assigned tickets"),
        (abs(i.unassigned_events - r.refused_tickets), "unassigned events vs refused tickets"),
        (abs(r.assigned - i.assigned_tickets), "client assignments vs assigned tickets"),
        (tickets - r.unique_decisions, "tickets never decided"),
    ]
    return found + [f"{n} {what}" for n, what in checks if n]


# -------------------------------------------------------------------- report


def tables_line(result: Result) -> str:
    parts = []
    for name in ("agents", "tickets"):
        t = result.tables.get(name)
        if t:
            parts.append(
                f"{name} {t['pages']} pages, {t['live']} live / {t['dead']} dead rows, "
                f"{t['updates']} updates ({t['hot_updates']} HOT)"
            )
    return "; ".join(parts)


def verdict(result: Result) -> str:
    r, s = result.routing, result.spread
    head = "OK" if result.ok else "FAILED"
    return (
        f"verdict: {head}: {r.decisions:,} decisions in {r.wall_s:.1f} s = "
        f"{r.decisions_per_s:.1f}/s from {r.clients} clients; "
        f"{result.integrity.over_capacity} over capacity; load spread {s.spread:.2f}"
        + ("" if result.ok else "; problems: " + "; ".join(result.problems))
    )


def format_table(result: Result) -> str:
    r, i, s, d = result.routing, result.integrity, result.spread, result.data
    rows = [
        f"data: {d['tickets']:,} technical tickets, {d['agents']} agents "
        f"({d['tier1']} tier 1, {d['eligible_tier1']} eligible with capacity "
        f"{d['eligible_capacity']:,} = {d['capacity_factor']:.2f} x tickets; {d['pms']} PMs), "
        f"{d['organizations']} organizations; raised in {d['raise_s']:.1f} s",
        f"{'metric':<44}{'value':>14}",
        "-" * 58,
        f"{'decisions / s (assigned + refused, wall)':<44}{r.decisions_per_s:>14.1f}",
        f"{'decisions (unique tickets)':<44}{r.decisions:>8,} ({r.unique_decisions:,})",
        f"{'  assigned / refused (tickets refused)':<44}"
        f"{r.assigned:>8,} / {r.refused:,} ({r.refused_tickets:,})",
        f"{'wall s':<44}{r.wall_s:>14.2f}",
        f"{'transactions (decisions each)':<44}"
        f"{r.transactions:>8,} ({r.decisions_per_transaction:.2f})",
        f"{'transaction latency p50 / p99 / max ms':<44}"
        f"{fmt(r.p50_ms)} / {fmt(r.p99_ms)} / {fmt(r.max_ms)}",
        f"{'CPU ms a decision: clients / postgres':<44}"
        f"{fmt(r.client_cpu_ms_per_decision, '.3f')} / "
        f"{fmt(r.postgres_cpu_ms_per_decision, '.3f')}",
        f"{'waiting() calls, p50 / p99 ms':<44}"
        f"{r.waiting_calls} , {fmt(r.waiting_p50_ms)} / {fmt(r.waiting_p99_ms)}",
        f"{'passed over (held elsewhere / routed)':<44}{r.skipped:>14,}",
        f"{'leading few: claimed / none free':<44}{r.leading_claimed:>8,} / {r.leading_missed:,}",
        f"{'claims / refused by capacity check':<44}{r.claims:>8,} / {r.capacity_refusals:,}",
        f"{'errors':<44}{sum(r.errors.values()):>14}",
        f"{'agents over capacity (counter / actual)':<44}"
        f"{i.over_capacity:>8} ({i.over_capacity_counter} / {i.over_capacity_actual})",
        f"{'counter drift: open tickets / organizations':<44}"
        f"{i.ticket_counter_drift:>8} / {i.organization_counter_drift}",
        f"{'misrouted (not an eligible tier-1 agent)':<44}{i.misrouted:>14}",
        f"{'load spread max - min utilisation':<44}{s.spread:>14.3f}",
        f"{'  min / mean / max / stdev':<44}"
        f"{s.min_util:.3f} / {s.mean_util:.3f} / {s.max_util:.3f} / {s.stdev_util:.3f}",
        f"{'  agents full / idle (of eligible)':<44}{s.full:>6} / {s.idle} (of {s.agents})",
        f"{'unassigned tickets (still waiting)':<44}{i.unassigned:>8,} ({i.still_waiting:,})",
        f"{'events assigned / unassigned':<44}{i.assigned_events:>8,} / {i.unassigned_events:,}",
        "load average 1/5/15 min: "
        + "; ".join(f"{k} {' '.join(map(str, v))}" for k, v in result.load_avg.items()),
    ]
    rows.append(
        "1-min load average while routing: min {min} / mean {mean} / max {max} (2 cores)".format(
            **result.routing_load_1min
        )
    )
    rows.append("decisions / s by tenth of the run: " + " ".join(map(str, r.rate_by_decile)))
    rows.append(f"after the run (autovacuum {result.tables['autovacuum']}): " + tables_line(result))
    for error, n in r.errors.items():
        rows.append(f"error x{n}: {error}")
    rows.append(verdict(result))
    return "\n".join(rows)


def report(result: Result, args: argparse.Namespace) -> str:
    doc = {**asdict(result), "verdict": verdict(result)}
    return write_report("assignment", doc, format_table(result), args.json)


# ---------------------------------------------------------------------- main


def describe(plan: Plan, args: argparse.Namespace, raise_s: float) -> dict[str, Any]:
    tier1 = plan.tier1()
    eligible = [a for a in tier1 if a.active and not a.away]
    return {
        "tickets": args.tickets,
        "agents": len(plan.agents),
        "tier1": len(tier1),
        "eligible_tier1": len(eligible),
        "eligible_capacity": plan.eligible_capacity(),
        "capacity_factor": round(plan.eligible_capacity() / args.tickets, 3),
        "tier1_capacity_min_max": [min(a.capacity for a in tier1), max(a.capacity for a in tier1)],
        "pms": sum(1 for a in plan.agents if a.role == "pm"),
        "organizations": len(plan.organizations),
        "raise_s": round(raise_s, 1),
    }


async def prepare(args: argparse.Namespace) -> tuple[Plan, float]:
    await fresh_database(args.database)
    plan = make_plan(args)
    log(f"inserting {len(plan.agents)} agents and {len(plan.organizations)} organizations")
    await insert_plan(args.database, plan)
    log(f"raising {args.tickets:,} tickets through app.tickets.creation.create")
    started = time.monotonic()
    await raise_tickets(args.database, plan, args.tickets, args.seed)
    raise_s = time.monotonic() - started
    log(f"raised in {raise_s:.1f} s; VACUUM ANALYZE")
    tables = ("agents", "agent_time_off", "organizations", "tickets", "ticket_clocks")
    await vacuum_analyze(args.database, tables)
    return plan, raise_s


def run(args: argparse.Namespace) -> Result:
    loads = {"start": load_avg()}
    plan, raise_s = asyncio.run(prepare(args))
    loads["before_routing"] = load_avg()
    log(f"routing with {args.clients} clients in {args.processes} processes")
    sampler = LoadSampler(args.database)
    stats = route_all(args.database, args, sampler)
    loads["after_routing"] = load_avg()
    integrity, spread, tables = asyncio.run(measure(args.database))
    params = ["tickets", "agents", "clients", "processes", "organizations", "capacity_factor"]
    result = Result(
        params={k: getattr(args, k) for k in [*params, "seed"]},
        data=describe(plan, args, raise_s),
        routing=merge(stats, args, sampler.postgres_cpu_s()),
        integrity=integrity,
        spread=spread,
        load_avg=loads,
        routing_load_1min=summarize_load(sampler.samples),
        tables=tables,
    )
    result.problems = problems(result, args.tickets)
    result.ok = not result.problems
    return result


def summarize_load(samples: list[float]) -> dict[str, float | None]:
    if not samples:
        return {"min": None, "mean": None, "max": None}
    return {"min": min(samples), "mean": round(statistics.fmean(samples), 2), "max": max(samples)}


def bench(args: argparse.Namespace) -> int:
    try:
        result = run(args)
    finally:
        asyncio.run(drop_unless_kept(args.database, args.keep))
    print(report(result, args))
    return 0 if result.ok else 3


def main(argv: list[str] | None = None) -> int:
    return run_bench(lambda: bench(parse_args(argv)))


if __name__ == "__main__":
    sys.exit(main())

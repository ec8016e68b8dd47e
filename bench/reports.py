"""SLA report latency (`GET /v1/reports/sla`) over a year of tickets.

Run from the repository root::

    .venv/bin/python bench/reports.py                     # 1,000,000 tickets, 30 runs a grouping
    .venv/bin/python bench/reports.py --tickets 200000 --runs 10      # quick check
    .venv/bin/python bench/reports.py --keep              # keep the database for --reuse
    .venv/bin/python bench/reports.py --reuse --keep --paths http,service --runs 50
    .venv/bin/python bench/reports.py --json

It drops and recreates the bench database, migrates it, inserts organizations (with their
designated contact) and agents, then bulk-loads ``--tickets`` tickets arriving over the last
``--months`` months (more of them lately) in server-side SQL (``generate_series``,
``INSERT … SELECT``), each with its first-response and resolution clocks as the SLA engine
leaves them (met with their elapsed minutes, running, paused or stopped; late ones with
``breached_at``), its escalations and, for a third of the resolved tickets, a satisfaction
score. Secondary indexes are dropped for the load and rebuilt after it; then
``VACUUM ANALYZE``. It then times the report for ``--runs`` random ``--days``-day ranges per
grouping (priority, organization, agent) over HTTP in-process (the FastAPI app on an ASGI
transport, admin key) and/or through the service function (``--paths``), one request at a
time on one pooled connection, whose backend's CPU time it also reads from /proc. It prints
p50/p95/max per grouping and path, EXPLAIN ANALYZE of the densest range, writes
``bench/results/reports-latest.json`` and drops the database unless ``--keep``.
Exit status: 0 ok, 1 setup error, 3 a report's ticket count disagreed with a direct count.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import time
import uuid
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

import asyncpg
from harness import (
    ROOT,
    BenchError,
    add_common,
    add_load,
    app_url,
    code_line,
    connection,
    cpu_seconds,
    drop_unless_kept,
    fmt,
    fresh_database,
    lanes,
    load_avg,
    log,
    parse,
    parser,
    percentile,
    provenance,
    run_bench,
    vacuum_analyze,
    write_report,
)

sys.path.insert(0, str(ROOT))
DEFAULT_DATABASE = "supportdesk_bench_reports"
ADMIN_KEY = "bench-reports-admin-" + "k" * 24
TARGET_P95_MS = 200.0
GROUPINGS = ("priority", "organization", "agent")
# Tables whose secondary indexes are rebuilt after the load rather than maintained row by row.
LOADED_TABLES = ("tickets", "ticket_clocks", "escalations")


# ------------------------------------------------------------------------- CLI


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = parser(__doc__)
    p.add_argument("--tickets", type=int, default=1_000_000, help="tickets to load")
    p.add_argument("--organizations", type=int, default=300, help="client organizations")
    p.add_argument("--agents", type=int, default=250, help="agents tickets are assigned to")
    p.add_argument("--months", type=int, default=12, help="months the tickets span")
    p.add_argument("--days", type=int, default=30, help="days in each report's range")
    p.add_argument("--runs", type=int, default=30, help="timed reports per grouping and path")
    p.add_argument("--warmup", type=int, default=3, help="untimed reports per grouping first")
    p.add_argument("--seed", type=int, default=7, help="seed of the data and the ranges")
    add_load(p, chunk=100_000)
    p.add_argument(
        "--paths",
        type=lambda value: value.split(","),
        default=["http"],
        help="http (GET /v1/reports/sla in-process) and/or service (the function): http,service",
    )
    p.add_argument("--reuse", action="store_true", help="measure the kept database as it is")
    add_common(p, database=DEFAULT_DATABASE)
    args = parse(p, argv)
    if min(args.tickets, args.organizations, args.agents, args.months, args.runs) < 1:
        p.error("--tickets, --organizations, --agents, --months and --runs must be positive")
    if set(args.paths) - {"http", "service"} or not args.paths:
        p.error("--paths takes http and/or service, comma-separated")
    if not 0 < args.days < args.months * 30 or args.chunk < 1 or args.load_connections < 1:
        p.error("--days must be shorter than the span; --chunk, --load-connections positive")
    return args


PEOPLE_SQL = """
WITH orgs AS (
    INSERT INTO organizations (id, created_at, updated_at, version, name, plan, industry,
                               platform, max_designated_contacts, designated_count)
    SELECT gen_random_uuid(), $1::timestamptz, $1::timestamptz, 1,
           format('%s %s %s', (ARRAY['Northwind', 'Contoso', 'Globex', 'Initech', 'Umbrella',
                                     'Stark', 'Wayne', 'Acme', 'Hooli', 'Vandelay'])[1 + o % 10],
                  (ARRAY['Logistics', 'Retail', 'Health', 'Finance', 'Media', 'Energy'])
                      [1 + (o / 10) % 6], o),
           CASE WHEN o % 4 = 0 THEN 'enterprise' ELSE 'standard' END,
           (ARRAY['logistics', 'retail', 'health', 'finance', 'media', 'energy'])[1 + o % 6],
           (ARRAY['web', 'ios', 'android', 'desktop'])[1 + o % 4], 5, 0
    FROM generate_series(1, $2::int) AS o
    RETURNING id, name, plan
), contacts AS (
    INSERT INTO contacts (id, created_at, updated_at, version, organization_id, email, name,
                          designated)
    SELECT gen_random_uuid(), $1::timestamptz, $1::timestamptz, 1, orgs.id,
           'ops+' || left(orgs.id::text, 8) || '@client.example', 'Ops ' || orgs.name, true
    FROM orgs
    RETURNING id, organization_id
)
SELECT orgs.id, contacts.id AS contact_id, orgs.plan = 'enterprise' AS enterprise
FROM orgs JOIN contacts ON contacts.organization_id = orgs.id
ORDER BY orgs.name
"""

AGENTS_SQL = """
INSERT INTO agents (id, created_at, updated_at, version, name, email, role, expertise, timezone,
                    working_hours, capacity, active, organization_count, open_ticket_count)
SELECT gen_random_uuid(), $1::timestamptz, $1::timestamptz, 1,
       format('%s %s', (ARRAY['Ana', 'Ben', 'Chloe', 'Dev', 'Emma', 'Femi', 'Gus', 'Hana'])
                           [1 + a % 8], 'Agent' || a),
       format('agent%s@desk.example', a),
       (ARRAY['support_tier1', 'support_tier1', 'support_tier1', 'support_tier2', 'pm',
              'support_tier3', 'senior_pm'])[1 + a % 7],
       ARRAY['web']::varchar[], 'America/New_York',
       '{"mon": [["09:00", "18:00"]], "tue": [["09:00", "18:00"]], "wed": [["09:00", "18:00"]],
         "thu": [["09:00", "18:00"]], "fri": [["09:00", "18:00"]], "sat": [], "sun": []}'::jsonb,
       100000, true, 0, 0
FROM generate_series(1, $2::int) AS a
RETURNING id
"""

# One chunk of tickets [$1, $2] with their clocks, escalations and satisfaction, as the app
# would have left them by $3 (the anchor): targets per plan x priority as the default policy,
# tickets arriving in order over the span (a day now has 1.4x the average, a year ago 0.6x),
# elapsed minutes drawn log-normally around each target (about 14 % of first responses and
# 23 % of resolutions late), wall time stretched ~2.9x on business clocks (nights, weekends).
LOAD_SQL = """
WITH base AS MATERIALIZED (
    SELECT g, gen_random_uuid() AS id,
           -- Tickets arrive in order (g); now 1.4x the average a day, a year ago 0.6x.
           $3::timestamptz - make_interval(secs => $4::float8 * (1.4 - sqrt(1.96 - 1.6
               * least(($12::bigint - g + random()) / $12::bigint, 1))) / 0.8) AS created_at,
           1 + floor(cardinality($5::uuid[]) * random() ^ 2)::int AS org,
           CASE WHEN random() >= 0.03
                THEN 1 + floor(cardinality($8::uuid[]) * random())::int END AS agent,
           random() AS u_priority, random() AS u_status, random() AS u_reply,
           sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) AS z_first,
           sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) AS z_resolution,
           random() AS u_escalate, random() AS u_rated, random() AS u_score
    FROM generate_series($1::bigint, $2::bigint) AS g
), classified AS (
    SELECT b.*, ($7::bool[])[org] AS enterprise,
           CASE WHEN u_priority < 0.05 THEN 'critical' WHEN u_priority < 0.25 THEN 'high'
                WHEN u_priority < 0.70 THEN 'medium' ELSE 'low' END AS priority,
           CASE WHEN created_at < $3::timestamptz - interval '14 days' THEN
                CASE WHEN u_status < 0.80 THEN 'closed' WHEN u_status < 0.90 THEN 'resolved'
                     WHEN u_status < 0.94 THEN 'cancelled' WHEN u_status < 0.97 THEN 'open'
                     WHEN u_status < 0.99 THEN 'pending' ELSE 'on_hold' END
           ELSE CASE WHEN u_status < 0.07 THEN 'new' WHEN u_status < 0.42 THEN 'open'
                     WHEN u_status < 0.52 THEN 'pending' WHEN u_status < 0.57 THEN 'on_hold'
                     WHEN u_status < 0.60 THEN 'cancelled' ELSE 'resolved' END
           END AS status
    FROM base AS b
), targeted AS (
    SELECT c.*,
           CASE WHEN priority IN ('critical', 'high') THEN 'calendar' ELSE 'business' END
               AS kind,
           CASE priority WHEN 'critical' THEN 15 WHEN 'high' THEN 60 WHEN 'medium' THEN 240
                ELSE 540 END / CASE WHEN enterprise AND priority <> 'critical' THEN 2 ELSE 1 END
               AS fr_target,
           CASE priority WHEN 'critical' THEN 240 WHEN 'high' THEN 480 WHEN 'medium' THEN 540
                ELSE 1620 END AS res_target
    FROM classified AS c
), drawn AS (
    SELECT t.*,
           CASE WHEN kind = 'business' THEN 2.9 ELSE 1 END AS stretch,
           round((fr_target * exp(-0.8 + 0.75 * z_first))::numeric, 2)::float8 AS fr_used,
           round((res_target * exp(-0.6 + 0.8 * z_resolution))::numeric, 2)::float8 AS res_used,
           CASE WHEN status = 'new' THEN 'running'
                WHEN status = 'cancelled' AND u_reply >= 0.7 THEN 'stopped'
                ELSE 'met' END AS fr_status,
           CASE WHEN status IN ('new', 'open') THEN 'running'
                WHEN status IN ('pending', 'on_hold') THEN 'paused'
                WHEN status = 'cancelled' THEN 'stopped' ELSE 'met' END AS res_status
    FROM targeted AS t
), timed AS (
    SELECT d.*,
           least(created_at + make_interval(secs => 60 * fr_used * stretch),
                 $3::timestamptz - interval '1 minute') AS fr_end,
           least(created_at + make_interval(secs => 60 * res_used * stretch),
                 $3::timestamptz - interval '1 minute') AS res_end,
           created_at + make_interval(secs => 60 * fr_target * stretch) AS fr_due,
           created_at + make_interval(secs => 60 * res_target * stretch) AS res_due,
           (fr_status = 'met' AND fr_used > fr_target)
               OR (fr_status = 'running' AND created_at + make_interval(secs => 60 * fr_target
                   * stretch) < $3::timestamptz) AS fr_late,
           (res_status IN ('met', 'paused') AND res_used > res_target)
               OR (res_status = 'running' AND created_at + make_interval(secs => 60 * res_target
                   * stretch) < $3::timestamptz) AS res_late
    FROM drawn AS d
), finished AS (
    SELECT t.*,
           CASE WHEN status IN ('resolved', 'closed') THEN res_end END AS resolved_at,
           CASE WHEN status = 'closed'
                THEN least(res_end + interval '7 days', $3::timestamptz) END AS closed_at,
           CASE WHEN (fr_late OR res_late) AND u_escalate < 0.6
                THEN 1 + (u_escalate < 0.1)::int
                WHEN u_escalate >= 0.98 THEN 1 ELSE 0 END AS escalations,
           CASE WHEN status IN ('resolved', 'closed') AND u_rated < 0.35 THEN
                CASE WHEN u_score < 0.07 THEN 1 WHEN u_score < 0.13 THEN 2
                     WHEN u_score < 0.25 THEN 3 WHEN u_score < 0.5 THEN 4 ELSE 5 END
           END AS score
    FROM timed AS t
), new_tickets AS (
    INSERT INTO tickets (id, created_at, updated_at, version, organization_id, requester_id,
                         subject, description, priority, category, channel, status,
                         assignee_id, emergency, context, escalation_level, resolved_at,
                         closed_at, revision_count, satisfaction_score, satisfaction_rated_at)
    SELECT id, created_at, coalesce(closed_at, resolved_at, created_at), 1, ($5::uuid[])[org],
           ($6::uuid[])[org],
           format(($9::text[])[1 + g % cardinality($9::text[])],
                  ($10::text[])[1 + (g / 13) % cardinality($10::text[])]),
           ($11::text[])[1 + g % cardinality($11::text[])] || ' Reference '
               || to_char(g, 'FM0000000') || '.',
           priority,
           (ARRAY['technical', 'account', 'billing', 'request', 'project', 'feature_request',
                  'bug_report', 'general'])[1 + g % 8],
           (ARRAY['api', 'widget', 'email', 'portal', 'phone', 'chat'])[1 + (g / 8) % 6],
           status, ($8::uuid[])[agent], priority = 'critical' AND u_reply < 0.2,
           jsonb_build_object('browser', (ARRAY['Firefox 133', 'Chrome 131', 'Safari 18'])
                                             [1 + g % 3]),
           1 + escalations, resolved_at, closed_at, 0, score,
           CASE WHEN score IS NOT NULL
                THEN least(resolved_at + interval '1 day', $3::timestamptz) END
    FROM finished
), clock_values AS (
    SELECT f.id, f.created_at, f.kind, m.*
    FROM finished AS f
    CROSS JOIN LATERAL (VALUES
        ('first_response', f.fr_target, f.fr_status, f.fr_used, f.fr_end, f.fr_due, f.fr_late,
         'public reply'),
        ('resolution', f.res_target, f.res_status, f.res_used, f.res_end, f.res_due,
         f.res_late, f.status)
    ) AS m(metric, target, state, used, ended, due, late, reason)
), new_clocks AS (
    INSERT INTO ticket_clocks (ticket_id, metric, clock, target_minutes, at_risk_percent,
                               status, cycle, segments, started_at, due_at, at_risk_at,
                               at_risk_fired_at, breached_at, met_at, elapsed_minutes,
                               next_fire_at, revision, updated_at)
    SELECT id, metric, kind, target, 80, state, 0,
           CASE state
               WHEN 'running' THEN jsonb_build_array(jsonb_build_object(
                   'state', 'running', 'start', created_at, 'end', NULL, 'reason', 'created'))
               WHEN 'paused' THEN jsonb_build_array(
                   jsonb_build_object('state', 'running', 'start', created_at, 'end', ended,
                                      'reason', 'created'),
                   jsonb_build_object('state', 'paused', 'start', ended, 'end', NULL,
                                      'reason', reason))
               ELSE jsonb_build_array(
                   jsonb_build_object('state', 'running', 'start', created_at, 'end', ended,
                                      'reason', 'created'),
                   jsonb_build_object('state', state, 'start', ended, 'end', ended,
                                      'reason', reason))
           END,
           created_at,
           CASE WHEN state = 'running' THEN due END,
           CASE WHEN state = 'running' THEN due - make_interval(secs => 60 * target * 0.2) END,
           CASE WHEN state = 'running' AND due - make_interval(secs => 60 * target * 0.2)
                     < $3::timestamptz THEN due - make_interval(secs => 60 * target * 0.2) END,
           CASE WHEN late THEN least(due, $3::timestamptz) END,
           CASE WHEN state = 'met' THEN ended END,
           CASE WHEN state IN ('met', 'stopped') THEN used END,
           CASE WHEN state = 'running' AND NOT late THEN due END,
           1, coalesce(ended, created_at)
    FROM clock_values
), new_escalations AS (
    INSERT INTO escalations (id, ticket_id, level, reason, trigger, actor, assignee_id,
                             created_at, updated_at)
    SELECT gen_random_uuid(), f.id, 1 + k,
           CASE WHEN f.fr_late OR f.res_late THEN 'SLA breached' ELSE 'Client asked' END,
           CASE WHEN f.fr_late OR f.res_late THEN 'sla_breach' ELSE 'client' END,
           '{"type": "system", "id": null, "key_id": null}'::jsonb, ($8::uuid[])[f.agent],
           least(f.created_at + make_interval(hours => 2 * k), $3::timestamptz),
           least(f.created_at + make_interval(hours => 2 * k), $3::timestamptz)
    FROM finished AS f
    CROSS JOIN LATERAL generate_series(1, f.escalations) AS k
)
SELECT count(*) FROM finished
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
    "Access request: new team members for %s",
]
PRODUCTS = ["the customer portal", "Billing", "the analytics module", "the partner API"]
DETAILS = [
    "Since this morning several of our dispatchers are affected; the spinner never stops.",
    "We noticed this right after yesterday's release; the console shows a 500 response.",
    "Clearing the cache and trying another browser did not change anything.",
    "It works for administrators but not for regular users of the same organization.",
    "Our finance team relies on this for the month-end close; please advise a workaround.",
]

INDEXES_SQL = """
SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition
FROM pg_index AS i
WHERE i.indrelid = ANY($1::regclass[])
  AND NOT EXISTS (SELECT FROM pg_constraint AS c WHERE c.conindid = i.indexrelid)
ORDER BY 1
"""


@dataclass
class People:
    organizations: list[uuid.UUID]
    contacts: list[uuid.UUID]
    enterprise: list[bool]
    agents: list[uuid.UUID]


async def seed_people(database: str, args: argparse.Namespace, anchor: datetime) -> People:
    async with connection(database) as conn, conn.transaction():
        orgs = await conn.fetch(PEOPLE_SQL, anchor - timedelta(days=400), args.organizations)
        agents = await conn.fetch(AGENTS_SQL, anchor - timedelta(days=400), args.agents)
    return People(
        organizations=[row["id"] for row in orgs],
        contacts=[row["contact_id"] for row in orgs],
        enterprise=[row["enterprise"] for row in orgs],
        agents=[row["id"] for row in agents],
    )


async def load_lane(
    database: str, bounds: list[tuple[int, int]], params: tuple[Any, ...], seed: int
) -> int:
    """Loads chunks on one connection; triggers (and foreign-key checks) are off for it."""
    loaded = 0
    async with connection(database) as conn:
        await conn.execute("SET synchronous_commit = off")
        # The data is consistent by construction; the agents' open-ticket counters the
        # trigger would keep are set in one statement after the load.
        await conn.execute("SET session_replication_role = replica")
        for first, last in bounds:
            await conn.execute("SELECT setseed($1)", random.Random(f"{seed}:{first}").random())
            loaded += await conn.fetchval(LOAD_SQL, first, last, *params)
    return loaded


async def load_tickets(
    database: str, args: argparse.Namespace, people: People, anchor: datetime
) -> int:
    span_s = args.months * 30.4375 * 86400
    texts = (SUBJECTS, PRODUCTS, DETAILS)
    params = (
        anchor,
        span_s,
        people.organizations,
        people.contacts,
        people.enterprise,
        people.agents,
        *texts,
        args.tickets,
    )
    parts = lanes(args.tickets, args.chunk, args.load_connections)
    counts = await asyncio.gather(*(load_lane(database, lane, params, args.seed) for lane in parts))
    return sum(counts)


async def drop_secondary_indexes(database: str) -> list[asyncpg.Record]:
    async with connection(database) as conn:
        indexes = await conn.fetch(INDEXES_SQL, list(LOADED_TABLES))
        for index in indexes:
            await conn.execute(f"DROP INDEX {index['name']}")
    return indexes


async def build_indexes(database: str, indexes: list[asyncpg.Record], lanes: int) -> None:
    async def lane(part: list[asyncpg.Record]) -> None:
        async with connection(database) as conn:
            await conn.execute("SET maintenance_work_mem = '256MB'")
            for index in part:
                await conn.execute(index["definition"])

    await asyncio.gather(*(lane(list(indexes[i::lanes])) for i in range(lanes)))


FINISH_SQL = """
UPDATE agents AS a SET open_ticket_count = n.open
FROM (SELECT assignee_id, count(*) AS open FROM tickets
      WHERE assignee_id IS NOT NULL AND status NOT IN ('resolved', 'closed', 'cancelled')
      GROUP BY assignee_id) AS n
WHERE a.id = n.assignee_id
"""


@dataclass
class Loaded:
    tickets: int
    clocks: int
    escalations: int
    first_ticket_at: datetime
    last_ticket_at: datetime
    load_s: float
    index_s: float
    vacuum_s: float
    table_mb: dict[str, int]
    rollup_days: int = 0
    rollup_s: float = 0.0


SIZES_SQL = """
SELECT relname, (pg_total_relation_size(oid) / 1048576)::int AS mb
FROM pg_class WHERE relname = ANY($1::text[])
"""
SPAN_SQL = """
SELECT (SELECT count(*) FROM tickets) AS tickets, (SELECT count(*) FROM ticket_clocks) AS clocks,
       (SELECT count(*) FROM escalations) AS escalations,
       (SELECT min(created_at) FROM tickets) AS first_ticket_at,
       (SELECT max(created_at) FROM tickets) AS last_ticket_at
"""


async def describe(database: str, load_s: float, index_s: float, vacuum_s: float) -> Loaded:
    async with connection(database) as conn:
        span = await conn.fetchrow(SPAN_SQL)
        sizes = {r["relname"]: r["mb"] for r in await conn.fetch(SIZES_SQL, list(LOADED_TABLES))}
    if not span["tickets"]:
        raise BenchError(f"database {database} holds no tickets (run without --reuse)")
    return Loaded(
        **dict(span),
        load_s=round(load_s, 1),
        index_s=round(index_s, 1),
        vacuum_s=round(vacuum_s, 1),
        table_mb=sizes,
    )


async def prepare(args: argparse.Namespace) -> Loaded:
    """Fresh database, migrations, bulk load, index rebuild and VACUUM ANALYZE."""
    if args.reuse:
        log(f"reusing database {args.database}")
        return await describe(args.database, 0.0, 0.0, 0.0)
    await fresh_database(args.database, alembic=True)
    async with connection(args.database) as conn:
        anchor = await conn.fetchval("SELECT date_trunc('hour', now())")
    people = await seed_people(args.database, args, anchor)
    indexes = await drop_secondary_indexes(args.database)
    log(f"loading {args.tickets:,} tickets over {args.months} months, chunks of {args.chunk:,}")
    started = time.monotonic()
    loaded = await load_tickets(args.database, args, people, anchor)
    load_s = time.monotonic() - started
    if loaded != args.tickets:
        raise BenchError(f"loaded {loaded} tickets, expected {args.tickets}")
    log(f"loaded in {load_s:.1f}s; rebuilding {len(indexes)} indexes")
    started = time.monotonic()
    await build_indexes(args.database, indexes, args.load_connections)
    index_s = time.monotonic() - started
    log(f"indexes in {index_s:.1f}s; VACUUM ANALYZE")
    started = time.monotonic()
    tables = ("organizations", "agents", "contacts", *LOADED_TABLES)
    await vacuum_analyze(args.database, tables, before=[FINISH_SQL])
    vacuum_s = time.monotonic() - started
    log(f"VACUUM ANALYZE + CHECKPOINT in {vacuum_s:.1f}s")
    return await describe(args.database, load_s, index_s, vacuum_s)


# --------------------------------------------------------------------- measure


@dataclass
class Timing:
    group_by: str
    path: str
    runs: int
    p50_ms: float
    p95_ms: float
    max_ms: float
    mean_tickets: int
    # CPU time the database backend spent on each report (the wall time of an idle machine,
    # roughly); None when the server's /proc is not readable from here.
    db_cpu_p50_ms: float | None
    db_cpu_p95_ms: float | None


@dataclass
class Explained:
    group_by: str
    tickets: int
    execution_ms: float
    planning_ms: float
    plan: str


def ranges(loaded: Loaded, args: argparse.Namespace, count: int) -> list[tuple[datetime, datetime]]:
    """Random `--days` ranges within the loaded span (the same for every grouping and path)."""
    rng = random.Random(args.seed)
    span = (loaded.last_ticket_at - loaded.first_ticket_at).total_seconds()
    width = timedelta(days=args.days)
    starts = [rng.uniform(0, span - width.total_seconds()) for _ in range(count)]
    return [
        (
            loaded.first_ticket_at + timedelta(seconds=s),
            loaded.first_ticket_at + timedelta(seconds=s) + width,
        )
        for s in starts
    ]


def summarize(
    group_by: str, path: str, times: list[float], tickets: list[int], cpu: list[float]
) -> Timing:
    return Timing(
        group_by=group_by,
        path=path,
        runs=len(times),
        p50_ms=round(statistics.median(times), 1),
        p95_ms=round(percentile(times, 0.95) or 0.0, 1),
        max_ms=round(max(times), 1),
        mean_tickets=round(statistics.mean(tickets)),
        db_cpu_p50_ms=round(statistics.median(cpu), 1) if cpu else None,
        db_cpu_p95_ms=round(percentile(cpu, 0.95) or 0.0, 1) if cpu else None,
    )


def backend_cpu_ms(pid: int) -> float | None:
    """User + system CPU time of a local PostgreSQL backend so far."""
    seconds = cpu_seconds(pid)
    return None if seconds is None else seconds * 1000


def plan_text(node: dict[str, Any]) -> str:
    name = node["Node Type"] + (f" using {node['Index Name']}" if "Index Name" in node else "")
    children = " ".join(f"({plan_text(child)})" for child in node.get("Plans", []))
    return f"{name} rows={node.get('Actual Rows')}" + (f" {children}" if children else "")


COUNT_SQL = "SELECT count(*) FROM tickets WHERE created_at >= $1 AND created_at < $2"


async def explain(sessions: Any, group_by: str, start: datetime, end: datetime) -> Explained:
    """EXPLAIN ANALYZE of the report's statement over the given range, with its settings."""
    import sqlalchemy as sa
    from sqlalchemy.dialects.postgresql import asyncpg as dialect

    from app import timesource
    from app.db import unit_of_work
    from app.reports import service
    from app.reports.schemas import GroupBy

    async with unit_of_work(sessions) as session:
        await session.execute(service._SETTINGS)
        bound = await service.statement(session, GroupBy(group_by), start, end, timesource.now())
        expanded = bound.compile(dialect=dialect.dialect()).construct_expanded_state()
        arguments = tuple(expanded.parameters[name] for name in expanded.positiontup or [])
        raw = await (await session.connection()).exec_driver_sql(
            f"EXPLAIN (ANALYZE, FORMAT JSON) {expanded.statement}", arguments
        )
        plan = raw.scalar_one()  # asyncpg decodes json itself
        doc = (json.loads(plan) if isinstance(plan, str) else plan)[0]
        counted = sa.text(COUNT_SQL.replace("$1", ":start").replace("$2", ":end"))
        tickets = (await session.execute(counted, {"start": start, "end": end})).scalar_one()
    return Explained(
        group_by=group_by,
        tickets=tickets,
        execution_ms=round(doc["Execution Time"], 1),
        planning_ms=round(doc["Planning Time"], 1),
        plan=plan_text(doc["Plan"]),
    )


async def check(conn: asyncpg.Connection, report: dict[str, Any]) -> str | None:
    """The report's tickets against a direct count; a message when they disagree."""
    start = datetime.fromisoformat(report["from"])
    expected = await conn.fetchval(COUNT_SQL, start, datetime.fromisoformat(report["to"]))
    total, grouped = report["total"]["tickets"], sum(row["tickets"] for row in report["data"])
    if total == grouped == expected:
        return None
    return (
        f"{report['group_by']} from {start:%Y-%m-%d}: total {total}, groups {grouped}, "
        f"direct count {expected}"
    )


async def roll_up(sessions: Any) -> tuple[int, float]:
    """Builds every stale day's roll-ups, as the workers' job does; days built, seconds."""
    from app import timesource
    from app.reports import rollups

    started, built = time.monotonic(), 0
    while days := await rollups.build_stale(sessions, timesource.now()):
        built += days
    elapsed = time.monotonic() - started
    log(f"rolled up {built} days for the report in {elapsed:.1f}s")
    return built, round(elapsed, 1)


async def measure(
    args: argparse.Namespace, loaded: Loaded
) -> tuple[list[Timing], list[Explained], list[str]]:
    """Times the report per grouping and path over the same random ranges."""
    # One pooled connection: every report runs on the same backend, whose CPU time is read.
    os.environ.update(
        SUPPORTDESK_DATABASE_URL=app_url(args.database),
        SUPPORTDESK_ADMIN_KEY=ADMIN_KEY,
        SUPPORTDESK_DB_POOL_SIZE="1",
        SUPPORTDESK_DB_MAX_OVERFLOW="0",
    )
    import httpx
    import sqlalchemy as sa

    from app.config import get_settings
    from app.db import unit_of_work
    from app.main import create_app
    from app.reports import service
    from app.reports.schemas import GroupBy

    get_settings.cache_clear()
    application = create_app()
    chosen = ranges(loaded, args, args.warmup + args.runs)
    times: dict[tuple[str, str], list[float]] = {}
    cpu: dict[tuple[str, str], list[float]] = {}
    tickets: dict[tuple[str, str], list[int]] = {}
    problems: list[str] = []
    headers = {"Authorization": f"Bearer {ADMIN_KEY}"}
    async with application.router.lifespan_context(application):
        loaded.rollup_days, loaded.rollup_s = await roll_up(application.state.sessions)
        async with application.state.engine.connect() as app_conn:
            pid = (await app_conn.execute(sa.text("SELECT pg_backend_pid()"))).scalar_one()
        transport = httpx.ASGITransport(app=application)
        client = httpx.AsyncClient(transport=transport, base_url="http://bench")

        async def report(group_by: str, path: str, start: datetime, end: datetime) -> Any:
            if path == "service":
                async with unit_of_work(application.state.sessions) as session:
                    result = await service.sla_report(
                        session, start=start, end=end, group_by=GroupBy(group_by)
                    )
                return result.model_dump(mode="json", by_alias=True)
            params = {"from": start.isoformat(), "to": end.isoformat(), "group_by": group_by}
            response = await client.get("/v1/reports/sla", params=params, headers=headers)
            if response.status_code != 200:
                raise BenchError(f"GET /v1/reports/sla: {response.status_code} {response.text}")
            return response.json()

        async with client, connection(args.database) as conn:
            for index, (start, end) in enumerate(chosen):
                for group_by in GROUPINGS:
                    for path in args.paths:
                        cpu_before = backend_cpu_ms(pid)
                        started = time.perf_counter()
                        result = await report(group_by, path, start, end)
                        elapsed = (time.perf_counter() - started) * 1000
                        cpu_after = backend_cpu_ms(pid)
                        if index < args.warmup:
                            if problem := await check(conn, result):
                                problems.append(problem)
                            continue
                        times.setdefault((group_by, path), []).append(elapsed)
                        tickets.setdefault((group_by, path), []).append(result["total"]["tickets"])
                        if cpu_before is not None and cpu_after is not None:
                            cpu.setdefault((group_by, path), []).append(cpu_after - cpu_before)
                done = index + 1 - args.warmup
                if done > 0 and (done % 10 == 0 or done == args.runs):
                    log(f"  {done}/{args.runs} ranges timed")
        densest = (loaded.last_ticket_at - timedelta(days=args.days), loaded.last_ticket_at)
        explained = [
            await explain(application.state.sessions, group_by, *densest) for group_by in GROUPINGS
        ]
    timings = [
        summarize(g, p, times[(g, p)], tickets[(g, p)], cpu.get((g, p), []))
        for g in GROUPINGS
        for p in args.paths
    ]
    return timings, explained, problems


# ---------------------------------------------------------------------- report


def verdict(timings: list[Timing]) -> str:
    worst = max(timings, key=lambda t: t.p95_ms)
    met = worst.p95_ms <= TARGET_P95_MS
    return (
        f"target (p95 <= {TARGET_P95_MS:.0f} ms for every grouping and path): "
        f"{'MET' if met else 'NOT MET'} (worst: {worst.group_by}/{worst.path} {worst.p95_ms} ms)"
    )


def format_table(
    loaded: Loaded,
    timings: list[Timing],
    explained: list[Explained],
    args: argparse.Namespace,
    load_avg: tuple[float, float],
) -> str:
    lines = [
        f"{loaded.tickets:,} tickets ({loaded.first_ticket_at:%Y-%m-%d} .. "
        f"{loaded.last_ticket_at:%Y-%m-%d}), {loaded.clocks:,} clocks, {loaded.escalations:,} "
        f"escalations; load {loaded.load_s} s, indexes {loaded.index_s} s, VACUUM ANALYZE "
        f"{loaded.vacuum_s} s; tickets {loaded.table_mb.get('tickets')} MB, clocks "
        f"{loaded.table_mb.get('ticket_clocks')} MB; {loaded.rollup_days} days rolled up for the "
        f"report in {loaded.rollup_s} s",
        f"{args.runs} random {args.days}-day ranges per grouping and path (after {args.warmup} "
        f"warm-up); load average {load_avg[0]:.2f} before, {load_avg[1]:.2f} after",
        "",
    ]
    head = (
        f"{'group_by':<14}{'path':<9}{'runs':>6}{'tickets':>9}"
        f"{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'db cpu p50':>12}{'p95':>7}"
    )
    lines += [head, "-" * len(head)]
    lines += [
        f"{t.group_by:<14}{t.path:<9}{t.runs:>6}{t.mean_tickets:>9,}{t.p50_ms:>9.1f}"
        f"{t.p95_ms:>9.1f}{t.max_ms:>9.1f}{fmt(t.db_cpu_p50_ms, '.0f'):>12}"
        f"{fmt(t.db_cpu_p95_ms, '.0f'):>7}"
        for t in timings
    ]
    lines.append(
        "tickets = mean tickets per range; http = GET /v1/reports/sla in-process (ASGI); "
        "db cpu = CPU ms of the PostgreSQL backend per report (10 ms ticks)"
    )
    lines.append(f"densest {args.days} days, EXPLAIN ANALYZE:")
    lines += [
        f"  {e.group_by}: {e.tickets:,} tickets, execution {e.execution_ms} ms, planning "
        f"{e.planning_ms} ms: {e.plan}"
        for e in explained
    ]
    lines.append(verdict(timings))
    return "\n".join(lines)


async def run(
    args: argparse.Namespace,
) -> tuple[Loaded, list[Timing], list[Explained], list[str], tuple[float, float]]:
    try:
        loaded = await prepare(args)
        before = load_avg()[0]
        log(f"timing {args.runs} ranges x {len(GROUPINGS)} groupings")
        timings, explained, problems = await measure(args, loaded)
        return loaded, timings, explained, problems, (before, load_avg()[0])
    finally:
        await drop_unless_kept(args.database, args.keep)


def bench(args: argparse.Namespace, code: dict[str, Any]) -> int:
    loaded, timings, explained, problems, loads = asyncio.run(run(args))
    doc = {
        "params": {
            k: getattr(args, k)
            for k in ("tickets", "organizations", "agents", "months", "days", "runs", "seed")
        },
        "code": code,
        "loaded": asdict(loaded),
        "load_avg": loads,
        "timings": [asdict(t) for t in timings],
        "explained": [asdict(e) for e in explained],
        "problems": problems,
        "target": verdict(timings),
    }
    table = "\n".join(
        [
            code_line(code),
            format_table(loaded, timings, explained, args, loads),
            *(f"MISMATCH: {problem}" for problem in problems),
        ]
    )
    print(write_report("reports", doc, table, args.json))
    return 3 if problems else 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    code = provenance()
    return run_bench(lambda: bench(args, code))


if __name__ == "__main__":
    sys.exit(main())

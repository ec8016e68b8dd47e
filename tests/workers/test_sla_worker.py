"""SLA firing by real arq workers on real Redis: once, after a wipe, after a kill -9."""

import asyncio
import os
import signal
import time
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from arq.constants import default_queue_name, job_key_prefix
from arq.jobs import JobDef, deserialize_job
from arq.worker import Worker

from app import redis, timesource
from app.config import get_settings
from app.events.models import Event
from app.workers.settings import WorkerSettings, shutdown, startup
from tests.factories import ADMIN, make_tenant, make_ticket
from tests.processes import start


def burst_worker(app, *, own_pool: bool = False) -> Worker:
    pool = redis.client(get_settings()) if own_pool else app.state.arq
    return Worker(
        functions=WorkerSettings.functions,
        redis_pool=pool,
        on_startup=startup,
        on_shutdown=shutdown,
        burst=True,
        poll_delay=0.05,
        handle_signals=False,
    )


async def overdue_tickets(client, count: int, *, hours_ago: float = 5) -> list[dict]:
    tenant = await make_tenant(client)
    created = (timesource.now() - timedelta(hours=hours_ago)).isoformat()
    return [
        await make_ticket(client, requester=tenant.contact, priority="critical", created_at=created)
        for _ in range(count)
    ]


async def queued_timers(app) -> list[JobDef]:
    """The queued `fire_clock` jobs, read from arq's queue zset and each job's own key.

    Not arq's `queued_jobs()`: it raises "job not found" for any member whose key is gone (a
    job that finished between its two reads, or an enqueue that failed half-way), so a check
    built on it fails by timing. A member without a key is simply not a queued timer.
    """
    redis = app.state.arq
    timers = []
    for member, score in await redis.zrange(default_queue_name, 0, -1, withscores=True):
        job_id = member.decode()
        raw = await redis.get(job_key_prefix + job_id)
        if raw is None:
            continue
        job = deserialize_job(raw)
        if job.function == "fire_clock":
            job.job_id, job.score = job_id, int(score)
            timers.append(job)
    return timers


def next_monday_afternoon() -> datetime:
    """A pinned weekday 15:00 UTC that is never behind the real time.

    arq expires a deferred job's key at (deadline - real now) + 1 day, so a clock pinned to a
    date more than a day in the past makes that expiry negative: Redis refuses the job's key
    while the queue entry is still added, and no timer exists (as happened once the pinned
    2026-11-23 had passed).
    """
    now = datetime.now(UTC)
    monday = now + timedelta(days=7 - now.weekday())
    return monday.replace(hour=15, minute=0, second=0, microsecond=0)


async def breach_counts(app) -> dict[tuple[str, str], int]:
    metric = Event.data["metric"].astext.label("metric")
    statement = (
        sa.select(Event.ticket_id, metric, sa.func.count())
        .where(Event.type == "ticket.sla_breached")
        .group_by(Event.ticket_id, sa.text("metric"))
    )
    async with app.state.engine.connect() as connection:
        rows = (await connection.execute(statement)).all()
    return {(str(ticket_id), metric): count for ticket_id, metric, count in rows}


async def test_two_workers_fire_each_breach_exactly_once(client, app):
    tickets = await overdue_tickets(client, 30)
    for n in range(4):
        await app.state.arq.enqueue_job("reconcile_sla", _job_id=f"reconcile-{n}")
    # Each worker has its own Redis pool, as separate processes do: a worker's close() closes
    # its pool, and one shared pool closed under the other worker's last command failed it.
    first, second = burst_worker(app, own_pool=True), burst_worker(app, own_pool=True)
    await asyncio.gather(first.main(), second.main())
    await asyncio.gather(first.close(), second.close())
    counts = await breach_counts(app)
    assert len(counts) == 2 * len(tickets)  # first response and resolution of each
    assert set(counts.values()) == {1}


async def test_deadline_fires_after_redis_is_wiped(client, app):
    start = next_monday_afternoon()
    timesource.set_source(lambda: start)
    tenant = await make_tenant(client)
    ticket = await make_ticket(client, tenant.contact_key, priority="critical")
    timers = await queued_timers(app)
    # A precise timer was set for this ticket, due within its 15-minute first-response target.
    assert [job.args for job in timers] == [(ticket["id"],)]
    due = datetime.fromtimestamp(timers[0].score / 1000, UTC)
    assert start < due <= start + timedelta(minutes=15)
    await app.state.arq.flushall()
    timesource.set_source(lambda: start + timedelta(minutes=16))
    await app.state.arq.enqueue_job("reconcile_sla")
    worker = burst_worker(app)
    await worker.main()
    await worker.close()
    assert (await breach_counts(app)) == {(ticket["id"], "first_response"): 1}


async def test_met_and_stopped_clocks_never_fire(client, app):
    tenant = await make_tenant(client)
    created = (timesource.now() - timedelta(minutes=10)).isoformat()
    resolved = await make_ticket(
        client, requester=tenant.contact, priority="critical", created_at=created
    )
    cancelled = await make_ticket(
        client, requester=tenant.contact, priority="critical", created_at=created
    )
    for ticket, moves in ((resolved, ["open", "resolved"]), (cancelled, ["cancelled"])):
        for target in moves:
            response = await client.post(
                f"/v1/tickets/{ticket['id']}/transitions", json={"to": target}, headers=ADMIN
            )
            assert response.status_code == 200
    later = timesource.now() + timedelta(days=2)
    timesource.set_source(lambda: later)
    # The timers set while the clocks ran are still queued for the future: run them now.
    timers = await queued_timers(app)
    assert timers
    await app.state.arq.delete("arq:queue")
    for job in timers:
        await app.state.arq.enqueue_job("fire_clock", *job.args, _job_id=f"now-{job.job_id}")
    await app.state.arq.enqueue_job("reconcile_sla")
    worker = burst_worker(app)
    await worker.main()
    await worker.close()
    assert worker.jobs_complete == len(timers) + 1
    assert await breach_counts(app) == {}


def start_worker_process():
    return start("worker")


async def test_breaches_survive_a_worker_killed_mid_run(client, app):
    tickets = await overdue_tickets(client, 150)
    doomed = start_worker_process()
    try:
        await asyncio.sleep(2.5)  # the reconciler cron is running by now
    finally:
        os.killpg(doomed.pid, signal.SIGKILL)
        doomed.wait()
    survivor = start_worker_process()
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            counts = await breach_counts(app)
            if len(counts) == 2 * len(tickets):
                break
            await asyncio.sleep(0.5)
    finally:
        survivor.send_signal(signal.SIGTERM)
        survivor.wait(timeout=30)
    assert len(counts) == 2 * len(tickets)
    assert set(counts.values()) == {1}


async def test_an_imported_ticket_long_overdue_gets_a_timer_that_runs_now(client, app):
    tenant = await make_tenant(client)
    created = (timesource.now() - timedelta(days=3)).isoformat()
    ticket = await make_ticket(
        client, requester=tenant.contact, priority="critical", created_at=created
    )
    timers = [job for job in await queued_timers(app) if job.args == (ticket["id"],)]
    assert timers, "the overdue clock's timer was refused by Redis"
    assert all(job.score <= time.time() * 1000 + 1000 for job in timers)

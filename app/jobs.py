"""Jobs enqueued after the transaction that needs them commits (never before), and the
outages of the database and Redis as background work meets them."""

import logging
import time
from datetime import datetime, timedelta
from typing import Any

from arq.connections import ArqRedis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.exceptions import WatchError
from sqlalchemy import event
from sqlalchemy.orm import Session

from app import timesource
from app.logs import request_id
from app.sla.models import TicketClock

log = logging.getLogger("supportdesk.jobs")
# Deadlines further out than this are left to the reconciler, keeping Redis small.
DEFER_HORIZON = timedelta(minutes=15)


class Outage:
    """A dependency's outage as one process's background work meets it: logged when it starts
    and when it is over, never once per job, tick or retry. It is over after a success with no
    failure for QUIET_SECONDS (just after a restart a few stale connections still fail)."""

    QUIET_SECONDS = 3.0

    def __init__(self, name: str, meanwhile: str) -> None:
        self.name, self.meanwhile = name, meanwhile
        self.since: float | None = None
        self.last_failure = 0.0

    def began(self, error: BaseException) -> None:
        """Notes a failure that the dependency being unreachable explains."""
        self.last_failure = time.monotonic()
        if self.since is not None:
            return
        self.since = self.last_failure
        # The driver's own error: a SQLAlchemy wrapper would log the statement's parameters.
        while error.__cause__ is not None:
            error = error.__cause__
        log.warning(
            "%s is unreachable (%s: %s): %s; logged again once it is back",
            self.name,
            type(error).__name__,
            error,
            self.meanwhile,
        )

    def ended(self) -> None:
        """Notes a success; the outage is over once the failures have stopped for a while."""
        if self.since is None or time.monotonic() - self.last_failure < self.QUIET_SECONDS:
            return
        log.warning("%s is reachable again after %.1f s", self.name, self.last_failure - self.since)
        self.since = None


# One per process: every pump and job of a worker, and every request of an API process (its
# 503s, its jobs' dispatch, its /metrics), shares them.
DATABASE = Outage(
    "the database", "requests answer 503 with Retry-After, background work waits and retries"
)
REDIS = Outage("Redis", "jobs not enqueued are left to the reconcilers")
# How redis-py says Redis cannot be reached (a refused or dropped connection, a timeout). A
# connection lost while a key is WATCHed (arq enqueueing or starting a job) comes as a
# WatchError; arq handles the other kind (the key changed) itself, so one that reaches us
# is always a lost connection (a soak's worker exited on one when Redis stopped).
REDIS_UNREACHABLE = (RedisConnectionError, RedisTimeoutError, WatchError, OSError)


def after_commit(
    session: Session, function: str, *args: Any, job_id: str, defer_until: datetime | None = None
) -> None:
    """Queues a job to enqueue once the session's transaction has committed."""
    origin = request_id.get()
    session.info.setdefault("jobs", []).append((function, args, job_id, defer_until, origin))


def schedule_timer(session: Session, row: Any) -> None:
    """A precise deferred job for a clock whose next deadline is near (row or row-like)."""
    if row.next_fire_at is None or row.next_fire_at > timesource.now() + DEFER_HORIZON:
        return
    job_id = f"sla:{row.ticket_id}:{row.metric}:{row.cycle}:{row.revision}"
    # A deadline already past runs now: arq would give a job deferred to long ago an expiry
    # in the past, and Redis would refuse it.
    overdue = row.next_fire_at <= timesource.now()
    defer_until = None if overdue else row.next_fire_at
    after_commit(session, "fire_clock", str(row.ticket_id), job_id=job_id, defer_until=defer_until)


@event.listens_for(Session, "after_flush")
def _schedule_sla_timers(session: Session, flush_context: Any) -> None:
    """Every clock the ORM writes gets its timer; new tickets' clocks call schedule_timer."""
    for row in [*session.new, *session.dirty]:
        if isinstance(row, TicketClock):
            schedule_timer(session, row)


async def dispatch(pool: ArqRedis | None, info: dict[str, Any]) -> None:
    """Enqueues the committed transaction's jobs; failures are left to the reconciler."""
    jobs = info.pop("jobs", [])
    if pool is None or not jobs:
        return
    for function, args, job_id, defer_until, origin in jobs:
        try:
            await pool.enqueue_job(
                function, *args, _job_id=job_id, _defer_until=defer_until, request_id_=origin
            )
        except REDIS_UNREACHABLE as error:
            # The rest would fail alike: the reconcilers derive all of it from PostgreSQL.
            REDIS.began(error)
            return
        except Exception:
            log.warning("could not enqueue %s; the reconciler will pick it up", job_id)
        else:
            REDIS.ended()

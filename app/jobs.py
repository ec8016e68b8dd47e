"""Jobs enqueued after the transaction that needs them commits (never before)."""

import logging
from datetime import datetime, timedelta
from typing import Any

from arq.connections import ArqRedis
from sqlalchemy import event
from sqlalchemy.orm import Session

from app import timesource
from app.logs import request_id
from app.sla.models import TicketClock

log = logging.getLogger("supportdesk.jobs")
# Deadlines further out than this are left to the reconciler, keeping Redis small.
DEFER_HORIZON = timedelta(minutes=15)


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
        except Exception:
            log.warning("could not enqueue %s; the reconciler will pick it up", job_id)

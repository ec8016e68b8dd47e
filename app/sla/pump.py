"""The SLA pump each worker runs beside its arq jobs: fires at-risk and breach transitions
the moment they come due, rather than on the next once-a-second sweep.

It sleeps until the earliest `next_fire_at` of any clock, and looks that instant up again at
least every `horizon` seconds, so a deadline written meanwhile — by the API, a recompute or
plain SQL — is seen long before it comes due (targets are minutes away, never less than the
horizon). Firing is `firing.fire_due`, exactly once per clock cycle however many workers
race for it; the `reconcile_sla` cron and the per-clock `fire_clock` timers stay as the
safety net.
"""

import asyncio
import contextlib
import logging
import time
from typing import Any

from app import jobs, timesource
from app.db import SessionFactory, unit_of_work, unreachable
from app.sla import firing

log = logging.getLogger("supportdesk.sla")
# How long the pump waits when what is due is held by another transaction (it is free soon).
BUSY_WAIT_SECONDS = 0.05


async def fire_all_due(
    sessions: SessionFactory, jobs: Any = None, *, budget: float | None = None
) -> int:
    """Fires what is due now, a batch a transaction, until a batch comes back short or
    `budget` seconds have passed; how many transitions fired."""
    started, total = time.monotonic(), 0
    while budget is None or time.monotonic() - started < budget:
        async with unit_of_work(sessions, jobs) as session:
            fired = await firing.fire_due(session, now=timesource.now(), limit=firing.BATCH)
        total += fired
        if fired < firing.BATCH:
            break
    return total


class SlaPump:
    def __init__(self, sessions: SessionFactory, jobs: Any = None, *, horizon: float = 1.0):
        self.sessions, self.jobs, self.horizon = sessions, jobs, horizon
        self.wake = asyncio.Event()
        self.stopping = False
        self.task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self.task = asyncio.create_task(self._loop(), name="sla-pump")

    async def stop(self, grace: float) -> None:
        """Stops after the batch in flight, or cancels it after `grace` (it rolls back)."""
        self.stopping = True
        self.wake.set()
        if self.task is not None:
            with contextlib.suppress(TimeoutError, asyncio.CancelledError):
                await asyncio.wait_for(self.task, grace)

    async def _loop(self) -> None:
        while not self.stopping:
            try:
                delay = await self.fire_once()
            except Exception as error:
                # Nothing is lost while the database is away: what came due fires once it is back.
                if unreachable(error):
                    jobs.DATABASE.began(error)
                else:
                    log.exception("firing SLA transitions failed; retrying")
                delay = self.horizon
            else:
                jobs.DATABASE.ended()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wake.wait(), delay)

    async def fire_once(self) -> float:
        """Fires everything due now; the seconds to wait before looking again."""
        await fire_all_due(self.sessions, self.jobs)
        async with self.sessions() as session:
            due = await firing.next_due(session)
        if due is None:
            return self.horizon
        wait = (due - timesource.now()).total_seconds()
        return BUSY_WAIT_SECONDS if wait <= 0 else min(wait, self.horizon)

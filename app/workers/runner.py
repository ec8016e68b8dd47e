"""How a worker lives through outages: arq's loop waits out Redis, and a job that meets the
database unreachable leaves its work to the next tick or reconciler, logged once per outage."""

import asyncio
import contextlib
import dataclasses
import functools
from typing import Any

from arq.connections import create_pool
from arq.typing import WorkerSettingsType
from arq.worker import Worker, get_kwargs

from app import jobs
from app.db import unreachable

Job = Any
# How long the worker's loop waits before asking Redis again while it is down.
REDIS_RETRY_SECONDS = 1.0


def through_outages(job: Job) -> Job:
    """The job, answering a database outage with nothing done instead of a failure: every job
    is a cron tick that runs again in a second or two, or a timer whose work a reconciler
    derives from PostgreSQL (fire_clock: reconcile_sla; assign_pm: assign_waiting_pms;
    carry_out_change: carry_out_changes). arq would log each failure with its traceback."""

    @functools.wraps(job)
    async def run(ctx: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        try:
            result = await job(ctx, *args, **kwargs)
        except Exception as error:
            if not unreachable(error):
                raise
            jobs.DATABASE.began(error)
            return None
        jobs.DATABASE.ended()
        return result

    return run


class OutlastingWorker(Worker):
    """arq's worker, which would exit when Redis stops answering (and leave an orchestrator to
    restart it in a loop until Redis is back): its loop waits for Redis instead, while the
    pumps (SLA, webhooks, mail) go on with PostgreSQL alone."""

    async def main(self) -> None:
        # Started while Redis is down (arq would give up after its few retries, logging each):
        # wait for it, saying so once.
        settings = self.redis_settings and dataclasses.replace(self.redis_settings, conn_retries=0)
        while self._pool is None:
            try:
                self._pool = await create_pool(
                    settings,
                    job_deserializer=self.job_deserializer,
                    job_serializer=self.job_serializer,
                    default_queue_name=self.queue_name,
                    expires_extra_ms=self.expires_extra_ms,
                )
            except jobs.REDIS_UNREACHABLE as error:
                jobs.REDIS.began(error)
                await asyncio.sleep(REDIS_RETRY_SECONDS)
        await super().main()

    async def _poll_iteration(self) -> None:
        try:
            await super()._poll_iteration()
        except jobs.REDIS_UNREACHABLE as error:
            jobs.REDIS.began(error)
            await asyncio.sleep(REDIS_RETRY_SECONDS)
        else:
            jobs.REDIS.ended()

    async def start_jobs(self, job_ids: list[bytes]) -> None:
        try:
            await super().start_jobs(job_ids)
        except jobs.REDIS_UNREACHABLE:
            # arq counted the job it was starting when Redis went away and holds its slot,
            # giving back neither: a worker would take one job fewer after each such outage,
            # and none at all after `max_jobs` of them.
            self._release_sem_dec_counter_on_complete()
            raise

    async def close(self) -> None:
        # Stopping while Redis is down: the health key it would delete expires by itself.
        with contextlib.suppress(*jobs.REDIS_UNREACHABLE):
            await super().close()


def run(settings: WorkerSettingsType) -> None:
    """`arq.run_worker` with the worker above."""
    OutlastingWorker(**get_kwargs(settings)).run()

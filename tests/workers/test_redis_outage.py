"""The worker's link to Redis lost while it starts a job (arq WATCHes the job's key, so
redis-py says WatchError): the worker goes on, and the job runs once Redis answers again."""

import asyncio
import contextlib
import uuid
from urllib.parse import urlparse

from arq import create_pool
from arq.connections import RedisSettings
from arq.worker import func

from app.config import get_settings
from app.workers.runner import OutlastingWorker
from tests.proxy import Proxy


async def test_a_link_lost_while_a_job_starts_leaves_the_worker_running_the_job(app):
    redis_url = get_settings().redis_url
    parsed = urlparse(redis_url)
    proxy = Proxy(parsed.hostname or "127.0.0.1", parsed.port or 6379)
    await proxy.start()
    queue = f"test-watch-{uuid.uuid4().hex}"
    ran = asyncio.Event()

    async def noted(ctx: dict) -> None:
        ran.set()

    pool = await create_pool(RedisSettings.from_dsn(redis_url))
    # One job at a time: a slot the lost link kept would leave the worker taking no job.
    worker = OutlastingWorker(
        functions=[func(noted, name="noted")],
        redis_settings=RedisSettings.from_dsn(proxy.url(redis_url)),
        queue_name=queue,
        max_jobs=1,
        poll_delay=0.05,
        handle_signals=False,
    )
    await pool.enqueue_job("noted", _queue_name=queue)
    proxy.lose_reply_to(b"ZSCORE")  # the job's score, read while its key is watched
    running = asyncio.create_task(worker.main())
    try:
        await asyncio.wait_for(ran.wait(), timeout=10)
        assert proxy.marker is None, "the link was never cut"
        assert not running.done(), running
        await asyncio.wait_for(asyncio.gather(*worker.tasks.values()), timeout=10)
    finally:
        running.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await running
        await worker.close()
        await pool.aclose()
        await proxy.close()

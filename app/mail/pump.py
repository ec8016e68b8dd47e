"""The mail pump each worker runs beside its arq jobs: plan mail from the change feed, send
what is due over SMTP.

Planning looks at the feed every `plan_poll` seconds (an unlocked comparison of two one-row
tables while idle); one planner works at a time (the mail_state row lock). Sending claims due
mails under a lease, hands them to `mail_concurrency` SMTP connections and records the
results in one transaction per batch; a worker killed mid-send leaves its claims to expire
and another worker sends them again. With no SMTP URL, the planner records mail as `skipped`
and nothing is sent.
"""

import asyncio
import contextlib
import logging
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from app import jobs, timesource
from app.config import Settings, get_settings
from app.db import SessionFactory, unit_of_work, unreachable
from app.mail import planner, repository, sender
from app.mail.transport import SmtpPool, parse_smtp_url

log = logging.getLogger("supportdesk.mail")


def _failed(error: Exception, message: str) -> None:
    """A database outage is noted once (app.jobs.DATABASE); anything else logged in full."""
    if unreachable(error):
        jobs.DATABASE.began(error)
    else:
        log.exception(message)


class MailPump:
    def __init__(
        self,
        engine: AsyncEngine,
        sessions: SessionFactory,
        settings: Settings | None = None,
        *,
        poll: float = 1.0,
        plan_poll: float = 0.05,
    ) -> None:
        self.engine, self.sessions = engine, sessions
        self.settings = settings or get_settings()
        self.poll, self.plan_poll = poll, plan_poll
        url = self.settings.smtp_url
        self.pool = (
            SmtpPool(
                parse_smtp_url(url.get_secret_value()),
                self.settings.mail_concurrency,
                self.settings.mail_timeout_seconds,
            )
            if url is not None
            else None
        )
        self.batch = self.settings.mail_concurrency * 16
        # A send starts only with this much of its lease left: a whole SMTP conversation.
        lease = self.settings.mail_lease_seconds
        self.margin = timedelta(seconds=min(self.settings.mail_timeout_seconds, lease / 2))
        self.send_wake = asyncio.Event()
        self.stopping = False
        self.tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        self.tasks = [asyncio.create_task(self._plan_loop(), name="mail-planner")]
        if self.pool is not None:
            self.tasks.append(asyncio.create_task(self._send_loop(), name="mail-sender"))

    async def stop(self, grace: float) -> None:
        """Stops planning and claiming; lets the batch in flight finish within `grace`."""
        self.stopping = True
        self.send_wake.set()
        if self.tasks:
            _, late = await asyncio.wait(self.tasks, timeout=grace)
            for task in late:
                task.cancel()
            await asyncio.gather(*self.tasks, return_exceptions=True)
        if self.pool is not None:
            await self.pool.close()

    async def _plan_loop(self) -> None:
        while not self.stopping:
            try:
                planned = await self.plan_once()
            except Exception as error:
                _failed(error, "planning mail failed; retrying")
                planned = 0
                await asyncio.sleep(self.poll)
            else:
                jobs.DATABASE.ended()
            if planned:
                self.send_wake.set()
            else:
                await asyncio.sleep(self.plan_poll)

    async def plan_once(self) -> int:
        """Plans one batch if the feed is ahead; the mails planned."""
        async with unit_of_work(self.sessions) as session:
            if not await repository.behind(session):
                return 0
            planned = await planner.plan(session, settings=self.settings, now=timesource.now())
        return planned or 0

    async def _send_loop(self) -> None:
        while not self.stopping:
            try:
                sent = await self.send_once()
            except Exception as error:
                # Claimed mails whose results were not saved go again when their lease ends.
                _failed(error, "sending mail failed; retrying")
                sent = 0
            if sent < self.batch and not self.stopping:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.send_wake.wait(), self.poll)
                self.send_wake.clear()

    async def send_once(self) -> int:
        """Claims a batch of due mails, sends them, records what happened; how many."""
        assert self.pool is not None
        now = timesource.now()
        lease = timedelta(seconds=self.settings.mail_lease_seconds)
        async with unit_of_work(self.sessions) as session:
            rows = await repository.claim(
                session, limit=self.batch, now=now, lease_until=now + lease
            )
        if not rows:
            return 0
        outcomes = await asyncio.gather(*(self._send(row) for row in rows))
        results = sender.Results()
        done = timesource.now()
        for row, outcome in zip(rows, outcomes, strict=True):
            results.add(row, outcome, done)
        async with unit_of_work(self.sessions) as session:
            await results.save(session, done)
        return len(rows)

    async def _send(self, row: Any) -> Any:
        assert self.pool is not None
        # A send whose turn comes too late to finish inside the lease is left to the next
        # claim (another worker may claim it meanwhile) rather than sent twice.
        start_by = row.lease_until - self.margin
        outcome = await sender.send(self.pool, row, self.settings.mail_from, start_by)
        if outcome is not None and outcome.verdict not in ("sent", "late"):
            log.info(
                "mail not sent",
                extra={
                    "notification_id": str(row.id),
                    "kind": row.kind,
                    "smtp_code": outcome.code,
                    "error": outcome.reply,
                },
            )
        return outcome

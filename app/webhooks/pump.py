"""The webhook pump each worker runs beside its arq jobs: relay the outbox, send deliveries.

The relay looks at the outbox every `relay_poll` seconds (an index probe of a small table;
a NOTIFY per event-writing transaction would serialize every commit in the database on the
notification queue's lock). Senders wake on the relay's NOTIFY after a fan-out (one per
batch) and every `poll` seconds regardless, so a lost notification only delays work.
Sending is a pipeline: up to `webhook_concurrency` POSTs in flight, results recorded in
batches as they complete, so one slow receiver never holds up the others. Claims stay within
the worker's free slots per endpoint and per organization (app/webhooks/claiming.py): every
claimed delivery is being sent, and a dead organization's endpoints leave slots to the rest.
"""

import asyncio
import contextlib
import logging
from datetime import timedelta
from typing import Any

import asyncpg
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from app import jobs, timesource
from app.config import Settings, get_settings
from app.db import SessionFactory, unit_of_work, unreachable
from app.logs import request_id
from app.webhooks import relay, sender
from app.webhooks.claiming import Slots
from app.webhooks.client import guarded_client, post
from app.webhooks.signing import headers

log = logging.getLogger("supportdesk.webhooks")
CLAIM_MAX = 100


def _failed(error: Exception, message: str) -> None:
    """A database outage is noted once (app.jobs.DATABASE); anything else logged in full."""
    if unreachable(error):
        jobs.DATABASE.began(error)
    else:
        log.exception(message)


def organization_cap(settings: Settings) -> int:
    """Sends one organization's endpoints may have in flight in one worker."""
    cap = settings.webhook_organization_concurrency or max(1, settings.webhook_concurrency // 2)
    return min(cap, settings.webhook_concurrency)


class WebhookPump:
    def __init__(
        self,
        engine: AsyncEngine,
        sessions: SessionFactory,
        settings: Settings | None = None,
        *,
        poll: float = 1.0,
        relay_poll: float = 0.05,
    ) -> None:
        self.engine, self.sessions = engine, sessions
        self.settings = settings or get_settings()
        self.poll, self.relay_poll = poll, relay_poll
        self.client = guarded_client(
            self.settings.webhook_allowed_networks,
            self.settings.webhook_timeout_seconds,
            self.settings.webhook_concurrency,
        )
        # At most this many POSTs at once to one endpoint and to one organization's endpoints:
        # a slow receiver cannot take every connection (the HTTP pool stays small: its
        # bookkeeping grows with its size), nor a slow organization every slot.
        self.slots = Slots(
            endpoint_cap=self.settings.webhook_endpoint_concurrency,
            owner_cap=organization_cap(self.settings),
        )
        self.outbox_wake, self.send_wake = asyncio.Event(), asyncio.Event()
        self.in_flight: dict[asyncio.Task[sender.Result], sender.Claim] = {}
        self.stopping = False
        self.listener: asyncpg.Connection | None = None
        self.tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        await self._listen()
        self.tasks = [
            asyncio.create_task(self._relay_loop(), name="webhook-relay"),
            asyncio.create_task(self._send_loop(), name="webhook-send"),
        ]

    async def stop(self, grace: float) -> None:
        """Stops claiming; lets in-flight sends finish within `grace` seconds, then cancels
        (a cancelled send's lease runs out and another worker resends it)."""
        self.stopping = True
        self.outbox_wake.set()
        self.send_wake.set()
        _, late = await asyncio.wait(self.tasks, timeout=grace) if self.tasks else (set(), set())
        for task in [*late, *self.in_flight]:
            task.cancel()
        await asyncio.gather(*late, *self.in_flight, return_exceptions=True)
        if self.listener is not None:
            with contextlib.suppress(Exception):
                await self.listener.close()
        await self.client.aclose()

    async def _listen(self) -> None:
        url = make_url(self.settings.database_url).set(drivername="postgresql")
        try:
            self.listener = await asyncpg.connect(url.render_as_string(hide_password=False))
            await self.listener.add_listener(relay.NOTIFY_CHANNEL, self._wake(self.send_wake))
        except (OSError, asyncpg.PostgresError) as error:
            if isinstance(error, OSError) or unreachable(error):
                jobs.DATABASE.began(error)  # LISTEN again once it is back
            else:
                log.warning("webhook pump cannot LISTEN (%s); polling every %s s", error, self.poll)
            self.listener = None

    @staticmethod
    def _wake(event: asyncio.Event) -> Any:
        return lambda *_: event.set()

    async def _relay_loop(self) -> None:
        while not self.stopping:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.outbox_wake.wait(), self.relay_poll)
            self.outbox_wake.clear()
            if self.stopping:
                return
            if self.listener is None or self.listener.is_closed():
                await self._listen()
            try:
                relayed, busy = await relay.relay(self.engine)
            except Exception as error:
                _failed(error, "outbox relay failed; retrying")
                await asyncio.sleep(self.poll)
                continue
            jobs.DATABASE.ended()
            if busy:
                # Another worker is relaying and may have missed what woke us: look again soon.
                await asyncio.sleep(0.02)
                self.outbox_wake.set()
            if relayed:
                self.send_wake.set()

    async def _send_loop(self) -> None:
        want_claim = True
        done: list[asyncio.Task[sender.Result]] = []
        while not (self.stopping and not self.in_flight):
            room = self.settings.webhook_concurrency - len(self.in_flight)
            if want_claim and room > 0 and not self.stopping:
                self.send_wake.clear()
                asked = min(room, CLAIM_MAX)
                want_claim = await self._claim_and_send(asked) == asked
            if done:
                # Recorded after the claim that refilled their slots: claims stay within the
                # free slots, so a slot would otherwise stand empty for both round trips.
                await self._record(done)
            block = not want_claim or len(self.in_flight) >= self.settings.webhook_concurrency
            done, woke = await self._wait(self.poll if block else 0)
            want_claim = want_claim or woke or bool(done) or (block and not done)
        if done:
            await self._record(done)

    async def _claim_and_send(self, limit: int) -> int:
        now = timesource.now()
        lease = self.settings.webhook_lease_seconds
        try:
            async with unit_of_work(self.sessions) as session:
                claims = await sender.claim(
                    session,
                    limit=limit,
                    now=now,
                    lease=timedelta(seconds=lease),
                    slots=self.slots,
                )
        except Exception as error:
            _failed(error, "claiming webhook deliveries failed; retrying")
            await asyncio.sleep(self.poll)
            return 0
        for claim in claims:
            self.slots.take(claim.endpoint_id, claim.owner)
            self.in_flight[asyncio.create_task(self._send(claim))] = claim
        return len(claims)

    async def _send(self, claim: sender.Claim) -> sender.Result:
        # Each send is its own task: the request id set here stays with this delivery.
        request_id.set(claim.request_id)
        attempted_at = timesource.now()
        signed = headers(claim.msg_id, claim.body, claim.secrets, attempted_at)
        if claim.request_id:
            signed["x-request-id"] = claim.request_id
        outcome = await post(
            self.client, claim.url, claim.body, signed, self.settings.webhook_timeout_seconds
        )
        if not outcome.succeeded:
            log.info(
                "webhook attempt failed",
                extra={
                    "delivery_id": str(claim.delivery_id),
                    "endpoint_id": str(claim.endpoint_id),
                    "webhook_id": claim.msg_id,
                    "status_code": outcome.status_code,
                    "error": outcome.error,
                },
            )
        return sender.Result(claim, outcome, attempted_at)

    async def _wait(self, patience: float) -> tuple[list[asyncio.Task[sender.Result]], bool]:
        waiter = asyncio.create_task(self.send_wake.wait())
        done, _ = await asyncio.wait(
            {*self.in_flight, waiter}, timeout=patience, return_when=asyncio.FIRST_COMPLETED
        )
        waiter.cancel()
        finished = [task for task in done if task is not waiter]
        for task in finished:
            claim = self.in_flight.pop(task)
            self.slots.give_back(claim.endpoint_id, claim.owner)
        return finished, self.send_wake.is_set()

    async def _record(self, done: list[asyncio.Task[sender.Result]]) -> None:
        results = []
        for task in done:
            if task.cancelled():
                continue
            if task.exception() is not None:
                # Its lease runs out and it is sent again; the loop must go on regardless.
                log.error("a webhook send failed unexpectedly", exc_info=task.exception())
                continue
            results.append(task.result())
        disable_after = timedelta(days=self.settings.webhook_disable_after_days)
        try:
            async with unit_of_work(self.sessions) as session:
                await sender.record_results(
                    session, results, now=timesource.now(), disable_after=disable_after
                )
        except Exception as error:
            # The claims' leases run out and the deliveries are sent again: never lost.
            _failed(error, f"recording {len(results)} webhook results failed")

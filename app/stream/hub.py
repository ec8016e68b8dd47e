"""Each API process's one subscription to the change feed, fanned out to its open streams.

The relay NOTIFYs `supportdesk_feed` when it numbers events; the hub LISTENs on a connection
of its own, reads what is new once (one query, whatever the number of streams) and hands each
stream the messages it may see, in feed order. It also looks every second, so a lost
notification (or a LISTEN that cannot be set up) only delays messages, and relays the outbox
itself then, so streams keep moving when no worker is running.

The same connection hears key access changes (`supportdesk_key_access`): the streams of a
key that was revoked, or whose agent was deactivated or contact deleted, are closed at once.
"""

import asyncio
import contextlib
import logging
import uuid
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import asyncpg
import orjson
from redis.asyncio import Redis
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine
from sse_starlette import EventSourceResponse

from app.api_keys import repository as api_keys
from app.api_keys.cache import CHANNEL as KEY_ACCESS_CHANNEL
from app.chat import service as chat
from app.db import SessionFactory
from app.events import repository as events
from app.stream import presence
from app.stream.subscription import PING, Message, Subscription, message, render
from app.webhooks import relay

log = logging.getLogger("supportdesk.stream")

FEED_CHANNEL = relay.FEED_CHANNEL
POLL_SECONDS = 1.0
# Keys are checked again this often even without a notification (a LISTEN may be down).
KEY_CHECK_SECONDS = 10.0
BATCH = 500
PROBE_SECONDS = 5.0
# Keep-alive comments go out in this many ticks per interval, to a share of the streams each:
# one timer per process rather than one per stream, and no burst of every stream at once.
PING_SLOTS = 15


class Hub:
    def __init__(
        self,
        engine: AsyncEngine,
        sessions: SessionFactory,
        database_url: str,
        redis: Redis,
        ping_seconds: float = 15,
    ) -> None:
        self.engine, self.sessions, self.redis = engine, sessions, redis
        self.ping_seconds = ping_seconds
        self.exiting = False
        url = make_url(database_url).set(drivername="postgresql")
        self.dsn = url.render_as_string(hide_password=False)
        self.position: int | None = None
        self.staff: set[Subscription] = set()
        self.clients: dict[uuid.UUID, set[Subscription]] = defaultdict(set)
        self.wake = asyncio.Event()
        self.keys_changed = asyncio.Event()
        self.tasks: list[asyncio.Task[None]] = []
        self._starting: asyncio.Lock = asyncio.Lock()
        self._slot = 0

    # --- subscribers -----------------------------------------------------------------------

    async def subscribe(self, subscription: Subscription) -> Subscription:
        """Registers the stream; its `start` is the position dispatched so far."""
        await self._ensure_started()
        assert self.position is not None
        subscription.start = self.position
        self._slot = subscription.slot = (self._slot + 1) % PING_SLOTS
        self._group(subscription).add(subscription)
        if self.exiting:
            subscription.close()
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        group = self._group(subscription)
        group.discard(subscription)
        tenant = subscription.principal.tenant
        if not group and tenant is not None:
            self.clients.pop(tenant, None)

    def _group(self, subscription: Subscription) -> set[Subscription]:
        tenant = subscription.principal.tenant
        return self.staff if tenant is None else self.clients[tenant]

    def subscriptions(self) -> Iterable[Subscription]:
        yield from self.staff
        for group in self.clients.values():
            yield from group

    def _presence(self, raw: bytes) -> None:
        """A presence change (published by any API process) to the staff streams watching."""
        ticket_id = uuid.UUID(orjson.loads(raw)["ticket_id"])
        framed = message(presence.EVENT, raw.decode())
        for subscription in list(self.staff):
            if subscription.filters.admit(presence.EVENT, ticket_id):
                subscription.offer(framed)

    # --- running ---------------------------------------------------------------------------

    async def _ensure_started(self) -> None:
        if self.tasks:
            return
        async with self._starting:
            if self.tasks:
                return
            self.position = await self._last_position()
            self.tasks = [
                asyncio.create_task(self._listen_loop(), name="stream-listen"),
                asyncio.create_task(self._dispatch_loop(), name="stream-dispatch"),
                asyncio.create_task(self._key_loop(), name="stream-keys"),
                asyncio.create_task(self._presence_loop(), name="stream-presence"),
                asyncio.create_task(self._exit_watch(), name="stream-exit"),
                asyncio.create_task(self._ping_loop(), name="stream-ping"),
            ]

    async def stop(self) -> None:
        for subscription in list(self.subscriptions()):
            subscription.close()
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        self.tasks = []

    async def _last_position(self) -> int:
        async with self.sessions() as session:
            return await events.feed_end(session)

    async def _listen_loop(self) -> None:
        failing = False
        while True:
            try:
                await self._listen()
            except Exception as error:  # meanwhile the dispatch loop polls every second
                if not failing:
                    log.warning("stream hub cannot LISTEN (%r); polling every second", error)
                failing = True
            await asyncio.sleep(POLL_SECONDS)

    async def _listen(self) -> None:
        """Listens until the connection fails (a probe every few seconds finds out)."""
        connection = await asyncpg.connect(
            self.dsn, timeout=5, server_settings={"application_name": "supportdesk-stream"}
        )
        closed = asyncio.Event()
        try:
            connection.add_termination_listener(lambda *_: closed.set())
            await connection.add_listener(FEED_CHANNEL, lambda *_: self.wake.set())
            await connection.add_listener(KEY_ACCESS_CHANNEL, lambda *_: self.keys_changed.set())
            self.wake.set()  # whatever committed while nobody listened
            self.keys_changed.set()
            while not closed.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(closed.wait(), PROBE_SECONDS)
                await connection.fetchval("SELECT 1", timeout=PROBE_SECONDS)
        finally:
            connection.terminate()

    async def _dispatch_loop(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wake.wait(), POLL_SECONDS)
            woken = self.wake.is_set()
            self.wake.clear()
            try:
                if not woken:
                    await relay.relay(self.engine, max_batches=1)
                    await self._follow_a_reset()
                await self._dispatch_new()
            except Exception:
                log.exception("stream hub could not read the feed; retrying")
                await asyncio.sleep(POLL_SECONDS)

    async def _follow_a_reset(self) -> None:
        """A feed numbered from lower again (a restored backup) is followed from there."""
        last = await self._last_position()
        if self.position is not None and last < self.position:
            log.warning(
                "the feed went back from %d to %d; streaming from there", self.position, last
            )
            self.position = last

    async def _dispatch_new(self) -> None:
        while True:
            rows = await self._read_after(self.position or 0)
            if not rows:
                return
            self._dispatch(rows)
            self.position = rows[-1].position
            if len(rows) < BATCH:
                return

    async def _read_after(self, position: int) -> list[Any]:
        async with self.sessions() as session:
            return await events.numbered_after(session, position, BATCH)

    def _dispatch(self, rows: list[Any]) -> None:
        for row in rows:
            staff_message: Message | None = None
            for subscription in self.staff:
                if subscription.filters.admit(str(row.type), row.ticket_id):
                    staff_message = staff_message or render(row, staff=True)
                    subscription.offer(staff_message)
            clients = self.clients.get(row.organization_id) if row.organization_id else None
            if not clients:
                continue
            client_message: Message | None = None
            for subscription in clients:
                if subscription.sees(row) and subscription.filters.admit(
                    str(row.type), row.ticket_id
                ):
                    client_message = client_message or render(row, staff=False)
                    subscription.offer(client_message)

    async def _ping_loop(self) -> None:
        """A comment line on every stream every `ping_seconds`, one slot of them per tick."""
        tick = 0
        while True:
            await asyncio.sleep(self.ping_seconds / PING_SLOTS)
            tick = (tick + 1) % PING_SLOTS
            for subscription in list(self.subscriptions()):
                if subscription.slot == tick:
                    subscription.offer(PING)

    async def _exit_watch(self) -> None:
        """Ends every stream when the server begins to shut down, so a graceful shutdown does
        not wait on them (the clients reconnect elsewhere and resume by id). sse-starlette
        watches uvicorn for that; its watcher is shared here, not run per stream."""
        await EventSourceResponse._listen_for_exit_signal()
        self.exiting = True
        for subscription in list(self.subscriptions()):
            subscription.close()

    async def _presence_loop(self) -> None:
        failing = False
        while True:
            pubsub = self.redis.pubsub()
            try:
                await pubsub.subscribe(presence.CHANNEL)
                failing = False
                async for item in pubsub.listen():
                    if item["type"] == "message":
                        self._presence(item["data"])
            except Exception as error:  # Redis down: presence pauses, the feed goes on
                if not failing:
                    log.warning("stream hub cannot hear presence changes (%r)", error)
                failing = True
            finally:
                with contextlib.suppress(Exception):
                    await pubsub.aclose()
            await asyncio.sleep(POLL_SECONDS)

    async def _key_loop(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.keys_changed.wait(), KEY_CHECK_SECONDS)
            self.keys_changed.clear()
            try:
                await self._close_revoked()
            except Exception:
                log.exception("stream hub could not check keys; retrying")

    async def _close_revoked(self) -> None:
        """Closes the streams of keys that may no longer act, and of chats whose token
        expired or whose widget key was revoked."""
        principals = [subscription.principal for subscription in self.subscriptions()]
        keys = {p.key_id for p in principals if p.key_id}
        chats = {p.conversation_id for p in principals if p.conversation_id}
        if not keys and not chats:
            return
        async with self.sessions() as session:
            acting = await api_keys.still_acting(session, keys) if keys else set()
            live = await chat.still_live(session, chats) if chats else set()
        for subscription in list(self.subscriptions()):
            principal = subscription.principal
            if (principal.key_id and principal.key_id not in acting) or (
                principal.conversation_id and principal.conversation_id not in live
            ):
                subscription.close()

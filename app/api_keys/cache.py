"""Each API process's cache of key lookups, emptied in every process when a key loses access.

A lookup costs a query on every request; the cache spares it. What keeps the cache honest is
PostgreSQL, not a timer: triggers (migration 0014) NOTIFY `supportdesk_key_access` whenever a
key is revoked or changed, its agent is (de)activated or its contact deleted, whoever wrote the
row, and NOTIFY is sent on commit, never for a rolled-back change. Every API process LISTENs
and empties its cache when told.

The cache is trusted only while its LISTEN is known to work: the listening connection must
have heard its own probe notification within the last second. Until then (starting up,
PostgreSQL unreachable, a connection silently dropped, a transaction-mode pooler that loses
LISTENs) every request looks its key up, so a missed notification can keep a revoked key
working for at most that second.
"""

import asyncio
import contextlib
import logging
import time
import uuid
from typing import TYPE_CHECKING

import asyncpg
from sqlalchemy.engine import make_url

if TYPE_CHECKING:
    from app.security import Principal

log = logging.getLogger("supportdesk.keys")

CHANNEL = "supportdesk_key_access"
MAX_ENTRIES = 10_000
PROBE_EVERY = 0.4
PROBE_TIMEOUT = 0.5
# How long an answered probe vouches for the LISTEN (the worst-case delay of a revocation).
TRUST_FOR = 1.0
RECONNECT_AFTER = 1.0


class KeyCache:
    """Key hash → principal (or None: no such key) for `ttl` seconds, while trusted."""

    def __init__(self, ttl: float) -> None:
        self.ttl = ttl
        # Bumped by every invalidation, so a lookup that raced one is not kept.
        self.generation = 0
        self.trusted_until = 0.0
        self._entries: dict[bytes, tuple[float, Principal | None]] = {}

    def get(self, digest: bytes) -> tuple[bool, "Principal | None"]:
        now = time.monotonic()
        entry = self._entries.get(digest)
        if entry is None or entry[0] <= now or now >= self.trusted_until:
            return False, None
        return True, entry[1]

    def put(self, digest: bytes, principal: "Principal | None", generation: int) -> None:
        """Keeps a lookup that began at `generation`, unless the cache was emptied since."""
        now = time.monotonic()
        if self.ttl <= 0 or generation != self.generation or now >= self.trusted_until:
            return
        if len(self._entries) >= MAX_ENTRIES:
            self._entries.clear()
        self._entries[digest] = (now + self.ttl, principal)

    def invalidate(self) -> None:
        self.generation += 1
        self._entries.clear()


class KeyAccessListener:
    """LISTENs for key access changes on a connection of its own and empties the cache."""

    def __init__(self, cache: KeyCache, database_url: str) -> None:
        self.cache = cache
        url = make_url(database_url).set(drivername="postgresql")
        self.dsn = url.render_as_string(hide_password=False)
        self.task: asyncio.Task[None] | None = None
        self.failing = False

    def start(self) -> None:
        self.task = asyncio.create_task(self._run(), name="key-access-listener")

    async def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task

    async def _run(self) -> None:
        while True:
            try:
                await self._listen()
            except Exception as error:  # whatever it was, the cache stays off until LISTEN works
                if not self.failing:
                    log.warning("key cache off: cannot LISTEN for revocations (%r)", error)
                self.failing = True
            self.cache.trusted_until = 0.0
            self.cache.invalidate()
            await asyncio.sleep(RECONNECT_AFTER)

    async def _listen(self) -> None:
        connection = await asyncpg.connect(
            self.dsn,
            timeout=5,
            server_settings={"application_name": "supportdesk-key-access"},
        )
        # This process's own channel: its probes wake no one else.
        probe = f"{CHANNEL}_probe_{uuid.uuid4().hex[:16]}"
        heard = asyncio.Event()
        try:
            await connection.add_listener(CHANNEL, self._changed)
            await connection.add_listener(probe, lambda *_: heard.set())
            # Whatever was cached while nobody listened may be stale.
            self.cache.invalidate()
            while True:
                heard.clear()
                await connection.execute("SELECT pg_notify($1, '')", probe, timeout=PROBE_TIMEOUT)
                await asyncio.wait_for(heard.wait(), PROBE_TIMEOUT)
                self._trusted()
                await asyncio.sleep(PROBE_EVERY)
        finally:
            self.cache.trusted_until = 0.0
            connection.terminate()

    def _trusted(self) -> None:
        self.cache.trusted_until = time.monotonic() + TRUST_FOR
        if self.failing:
            log.info("key cache on: listening for revocations again")
            self.failing = False

    def _changed(self, *_: object) -> None:
        self.cache.invalidate()

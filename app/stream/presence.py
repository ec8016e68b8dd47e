"""Who is looking at or answering a ticket right now (collision detection), kept in Redis.

Each agent's presence on a ticket is a key that expires `LIFETIME` seconds after its last
refresh, indexed by a sorted set per ticket scored by expiry. Changes (someone arrives,
starts replying, leaves) are published on one Redis channel; every API process's hub hears
it and tells its staff streams. Nothing here is in the database, the feed or webhooks:
losing Redis loses presence and nothing else.
"""

import contextlib
import uuid
from dataclasses import asdict, dataclass
from datetime import timedelta
from enum import StrEnum

import orjson
from redis.asyncio import Redis
from redis.exceptions import RedisError

from app import timesource
from app.errors import ServiceUnavailable

LIFETIME_SECONDS = 30
SHOWN = 100
CHANNEL = "supportdesk:presence"
EVENT = "ticket.presence"


class PresenceState(StrEnum):
    viewing = "viewing"
    replying = "replying"


@dataclass(frozen=True)
class Presence:
    agent_id: str
    name: str
    state: str
    since: str
    expires_at: str


def _index(ticket_id: uuid.UUID) -> str:
    return f"presence:{ticket_id}"


def _entry(ticket_id: uuid.UUID, agent_id: uuid.UUID) -> str:
    return f"presence:{ticket_id}:{agent_id}"


def unavailable() -> ServiceUnavailable:
    return ServiceUnavailable(
        "Presence is unavailable for a moment (its store is down); try again shortly.",
        headers={"Retry-After": "5"},
    )


async def current(redis: Redis, ticket_id: uuid.UUID) -> list[Presence]:
    """Who is present on the ticket (SHOWN at most: far more than ever look at one ticket),
    earliest arrival first."""
    try:
        now = timesource.now().timestamp()
        await redis.zremrangebyscore(_index(ticket_id), "-inf", now)
        agents = await redis.zrange(_index(ticket_id), 0, SHOWN - 1)
        if not agents:
            return []
        keys = [_entry(ticket_id, uuid.UUID(agent.decode())) for agent in agents]
        values = await redis.mget(keys)
    except RedisError as error:
        raise unavailable() from error
    found = [Presence(**orjson.loads(value)) for value in values if value]
    return sorted(found, key=lambda presence: (presence.since, presence.agent_id))


async def enter(
    redis: Redis, ticket_id: uuid.UUID, agent_id: uuid.UUID, name: str, state: PresenceState
) -> tuple[Presence, bool]:
    """Records (or refreshes) the agent's presence; whether anyone else should be told."""
    now = timesource.now()
    expires = now + timedelta(seconds=LIFETIME_SECONDS)
    try:
        before = await redis.get(_entry(ticket_id, agent_id))
        earlier = Presence(**orjson.loads(before)) if before else None
        unchanged = earlier is not None and earlier.state == state.value
        since = earlier.since if unchanged and earlier else timesource.iso(now)
        presence = Presence(str(agent_id), name, state.value, since, timesource.iso(expires))
        async with redis.pipeline(transaction=True) as pipe:
            pipe.set(
                _entry(ticket_id, agent_id), orjson.dumps(asdict(presence)), ex=LIFETIME_SECONDS
            )
            pipe.zadd(_index(ticket_id), {str(agent_id): expires.timestamp()})
            pipe.expire(_index(ticket_id), LIFETIME_SECONDS)
            await pipe.execute()
    except RedisError as error:
        raise unavailable() from error
    return presence, not unchanged


async def leave(redis: Redis, ticket_id: uuid.UUID, agent_id: uuid.UUID) -> bool:
    """Removes the agent's presence; whether there was one."""
    try:
        async with redis.pipeline(transaction=True) as pipe:
            pipe.delete(_entry(ticket_id, agent_id))
            pipe.zrem(_index(ticket_id), str(agent_id))
            deleted, _ = await pipe.execute()
    except RedisError as error:
        raise unavailable() from error
    return bool(deleted)


async def announce(redis: Redis, ticket_id: uuid.UUID, everyone: list[Presence]) -> None:
    """Tells every API process's staff streams who is on the ticket now. Best effort: a
    console refreshes its presence anyway, and a lost message is corrected by the next."""
    message = {"ticket_id": str(ticket_id), "data": [asdict(presence) for presence in everyone]}
    with contextlib.suppress(RedisError):
        await redis.publish(CHANNEL, orjson.dumps(message))


async def arrive(
    redis: Redis, ticket_id: uuid.UUID, agent_id: uuid.UUID, name: str, state: PresenceState
) -> list[Presence]:
    """Records the agent's presence (a refresh tells nobody); everyone present now."""
    _, changed = await enter(redis, ticket_id, agent_id, name, state)
    everyone = await current(redis, ticket_id)
    if changed:
        await announce(redis, ticket_id, everyone)
    return everyone


async def depart(redis: Redis, ticket_id: uuid.UUID, agent_id: uuid.UUID) -> None:
    """Removes the agent's presence and tells the others, if there was one."""
    if await leave(redis, ticket_id, agent_id):
        await announce(redis, ticket_id, await current(redis, ticket_id))

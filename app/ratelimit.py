"""Request budgets per client IP and per key, shared by every API process through Redis.

Each budget is a GCRA token bucket (a "theoretical arrival time" per bucket): `limit` requests
a period, bursts up to `limit`, refilling smoothly. One Lua script checks every bucket of a
request and spends from them only when all allow it, so a refused request costs no budget and
concurrent processes can never overspend. The script reads Redis's clock, so API hosts whose
clocks disagree still share one budget.
"""

import asyncio
import hashlib
import logging
import math
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv6Address, IPv6Network, ip_address

from redis.asyncio import Redis
from redis.exceptions import RedisError
from starlette.datastructures import State
from starlette.requests import Request

from app.config import Network

log = logging.getLogger("supportdesk.ratelimit")

PREFIX = "supportdesk:ratelimit:"
# A budget check must not hold a request up for long when Redis hangs rather than refuses.
REDIS_TIMEOUT_SECONDS = 0.5
_QUIET_SECONDS = 60.0

# KEYS: the buckets; ARGV[1]: the period in ms, ARGV[1 + i]: bucket i's limit.
# Returns {milliseconds to wait, the bucket (1-based) that refused, requests left, milliseconds
# until full}: {0, 0, ...} when allowed. The last two are the tightest bucket's after this
# request (nothing spent when refused). A bucket holds `limit` requests of `interval` ms each,
# so exactly `limit` pass in a burst even where the period is not a multiple of the limit.
GCRA = """
local now = redis.call('TIME')
now = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local period = tonumber(ARGV[1])
local wait, refused = 0, 0
local left, full_in, refused_full = -1, 0, 0
local next_tats = {}
for i, key in ipairs(KEYS) do
  local limit = tonumber(ARGV[i + 1])
  local interval = math.ceil(period / limit)
  local tat = tonumber(redis.call('GET', key) or now)
  if tat < now then tat = now end
  local new_tat = tat + interval
  local allowed_at = new_tat - interval * limit
  if allowed_at > now and allowed_at - now > wait then
    wait, refused, refused_full = allowed_at - now, i, tat - now
  end
  local remaining = math.floor((interval * limit - (new_tat - now)) / interval)
  if left < 0 or remaining < left or (remaining == left and new_tat - now > full_in) then
    left, full_in = remaining, new_tat - now
  end
  next_tats[i] = new_tat
end
if refused > 0 then return {wait, refused, 0, refused_full} end
for i, key in ipairs(KEYS) do
  redis.call('SET', key, next_tats[i], 'PX', next_tats[i] - now)
end
return {0, 0, left, full_in}
"""


@dataclass(frozen=True)
class Budget:
    """One bucket to spend from: whose it is (for people), its Redis key, requests a period."""

    owner: str
    key: str
    limit: int


@dataclass(frozen=True)
class Verdict:
    """What a spend came to. `remaining` (requests left) and `reset` (seconds until the
    budget is full again) describe the tightest budget; None when nothing was counted (no
    budget, or Redis unavailable)."""

    allowed: bool
    retry_after: int = 0
    exhausted: Budget | None = None
    remaining: int | None = None
    reset: int | None = None


class RateLimiter:
    """Checks and spends budgets atomically; lets requests through when Redis is unavailable."""

    def __init__(self, redis: Redis, *, period_seconds: float = 60.0) -> None:
        self._script = redis.register_script(GCRA)
        self._period_ms = int(period_seconds * 1000)
        self._warned_at = -math.inf

    async def spend(self, budgets: Iterable[Budget]) -> Verdict:
        """Spends one request from every budget, or none when any is exhausted."""
        active = [budget for budget in budgets if budget.limit > 0]
        if not active:
            return Verdict(allowed=True)
        keys = [PREFIX + budget.key for budget in active]
        args = [self._period_ms, *(budget.limit for budget in active)]
        try:
            async with asyncio.timeout(REDIS_TIMEOUT_SECONDS):
                wait_ms, refused, remaining, full_ms = await self._script(keys=keys, args=args)
        except (RedisError, OSError, TimeoutError) as error:
            self._warn(error)
            return Verdict(allowed=True)
        reset = math.ceil(int(full_ms) / 1000)
        if not refused:
            return Verdict(allowed=True, remaining=int(remaining), reset=reset)
        return Verdict(
            allowed=False,
            retry_after=max(1, math.ceil(int(wait_ms) / 1000)),
            exhausted=active[int(refused) - 1],
            remaining=0,
            reset=max(1, reset),
        )

    def _warn(self, error: Exception) -> None:
        # Fail open: the budget protects capacity, while refusing everyone because Redis is down
        # would turn a cache outage into an intake outage. One line a minute says so.
        now = time.monotonic()
        if now - self._warned_at >= _QUIET_SECONDS:
            self._warned_at = now
            log.warning(
                "rate limits are not enforced: Redis is unavailable (%s: %s)",
                type(error).__name__,
                error,
            )


def ip_bucket(address: str) -> str:
    """The budget an address draws from: itself for IPv4, its /64 for IPv6 (one subscriber)."""
    try:
        parsed = ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(IPv6Network((parsed, 64), strict=False))
    return str(parsed)


def key_bucket(token: str) -> str:
    """A key's budget is named by its hash, so the key itself never sits in Redis."""
    return hashlib.sha256(token.encode()).hexdigest()[:32]


def _parse(hop: str) -> IPv4Address | IPv6Address | None:
    hop = hop.strip()
    if hop.startswith("[") and "]" in hop:  # "[2001:db8::1]:443"
        hop = hop[1 : hop.index("]")]
    elif hop.count(":") == 1:  # "203.0.113.7:51234"
        hop = hop.split(":")[0]
    try:
        return ip_address(hop)
    except ValueError:
        return None


def _trusted(address: IPv4Address | IPv6Address, proxies: Sequence[Network]) -> bool:
    if isinstance(address, IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return any(address in network for network in proxies)


def client_ip(peer: str | None, forwarded_for: Sequence[str], proxies: Sequence[Network]) -> str:
    """Who is asking: the socket peer, unless it is a trusted proxy; then the right-most
    X-Forwarded-For address that is not a trusted proxy (the left part is the client's say).
    """
    if not peer:
        return "unknown"
    peer_address = _parse(peer)
    if peer_address is None or not proxies or not _trusted(peer_address, proxies):
        return peer
    client = peer_address
    hops = [hop for value in forwarded_for for hop in value.split(",") if hop.strip()]
    for hop in reversed(hops):
        address = _parse(hop)
        if address is None:
            break  # garbage from further left: keep the last address a trusted proxy gave us
        client = address
        if not _trusted(address, proxies):
            break
    return str(client)


def limiter_of(request: Request) -> RateLimiter:
    """The process's one rate limiter, made on first use over the app's Redis."""
    return app_limiter(request.app.state)


def app_limiter(state: State) -> RateLimiter:
    """The rate limiter of the app whose `state` this is (for ASGI middleware, no Request)."""
    if getattr(state, "rate_limiter", None) is None:
        state.rate_limiter = RateLimiter(state.redis)
    return state.rate_limiter

"""Per-endpoint limits on what a caller can make the service send: sends on request (test pings
and retries) have a budget a minute, a bulk replay waits out a cooldown after the previous one,
and no replay or retry may leave an endpoint more pending deliveries than the cap.

The budget lives in Redis (app.ratelimit, shared by every API process, failing open like
the widget's): it guards capacity, not data. The cooldown and the cap are settled in PostgreSQL,
inside the replay's own transaction, so concurrent replays cannot both pass.
"""

import math
import uuid
from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from app.config import get_settings
from app.errors import Conflict, TooManyRequests
from app.ratelimit import Budget, RateLimiter
from app.webhooks import repository


def _cooldown() -> timedelta:
    return timedelta(seconds=get_settings().webhook_replay_cooldown_seconds)


def check_cooldown(replayed_at: datetime | None, now: datetime) -> None:
    """Refuses (429) a replay of an endpoint last replayed within the cooldown."""
    if replayed_at is not None and replayed_at > now - _cooldown():
        raise _cooling_down(replayed_at, now)


async def stamp_replay(session: AsyncSession, endpoint_id: uuid.UUID, now: datetime) -> None:
    """Marks the endpoint replayed now, or refuses (429) within the cooldown; concurrent
    replays of one endpoint queue on its row and one passes (repository.stamp_replayed)."""
    latest = now - _cooldown()
    if not await repository.stamp_replayed(session, endpoint_id, now, last_before=latest):
        last = await repository.replayed_at(session, endpoint_id)
        raise _cooling_down(last or now, now)


def _cooling_down(replayed_at: datetime, now: datetime) -> TooManyRequests:
    cooldown = _cooldown()
    wait = max(1, math.ceil((replayed_at + cooldown - now).total_seconds()))
    return TooManyRequests(
        f"This endpoint was replayed less than {cooldown.total_seconds():g} s ago; "
        f"replay it again in {wait} s.",
        headers={"Retry-After": str(wait)},
    )


async def check_pending(session: AsyncSession, endpoint_id: uuid.UUID) -> None:
    """Refuses (409) a replay or retry that leaves the endpoint more deliveries pending than
    the cap; raised inside the unit of work, it undoes what the replay queued."""
    cap = get_settings().webhook_max_pending_deliveries
    if await repository.count_pending(session, endpoint_id, up_to=cap + 1) > cap:
        raise Conflict(
            f"This would leave more than {cap} deliveries pending for the endpoint (at most "
            f"{cap} may wait). Let the pending ones be delivered, or replay a shorter window."
        )


async def spend_manual_send(limiter: RateLimiter, endpoint_id: uuid.UUID) -> None:
    """Spends one of the endpoint's sends on request (test pings and retries): each is an
    immediate POST to a URL the caller chose, so a loop of them is refused (429)."""
    limit = get_settings().webhook_manual_sends_per_minute
    budget = Budget("this endpoint", f"webhooks:manual:{endpoint_id}", limit)
    verdict = await limiter.spend([budget])
    if verdict.exhausted is not None:
        raise TooManyRequests(
            f"Too many test pings and retries for this endpoint (at most {limit} a minute); "
            f"try again in {verdict.retry_after} s.",
            headers={"Retry-After": str(verdict.retry_after)},
        )

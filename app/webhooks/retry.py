"""The retry schedule: pure, so the policy is readable and testable in one place."""

import random
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

# Attempt n+1 waits SCHEDULE[n] after the n-th consecutive failure (the first attempt is
# immediate): 0, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h. After the last one, give up.
SCHEDULE = (
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=10),
)
MAX_ATTEMPTS = len(SCHEDULE) + 1
JITTER = 0.2  # each wait is spread over ±20 % so a recovering receiver is not stampeded
# A Retry-After further out than this is treated as this.
LONGEST_RETRY_AFTER = timedelta(hours=24)


def next_wait(
    failures: int, retry_after: timedelta | None = None, rng: random.Random | None = None
) -> timedelta | None:
    """How long to wait after the `failures`-th consecutive failure; None: give up."""
    if failures < 1:
        return timedelta(0)
    if failures > len(SCHEDULE):
        return None
    base = SCHEDULE[failures - 1]
    wait = base * (1 + JITTER * (2 * (rng or random).random() - 1))
    if retry_after is not None:
        wait = max(wait, min(retry_after, LONGEST_RETRY_AFTER))
    return wait


def parse_retry_after(value: str | None, now: datetime) -> timedelta | None:
    """A Retry-After header (seconds or an HTTP date) as a wait; None when absent or bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return timedelta(seconds=min(int(value), int(LONGEST_RETRY_AFTER.total_seconds())))
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(when - now, timedelta(0))

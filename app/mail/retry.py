"""When a mail that could not be handed over is tried again (pure).

A connection error or an SMTP 4xx is temporary: retry after 5 s, 30 s, 2 min, 10 min, 30 min,
then hourly doubling to 8 h — about a day in all — and then give up (`failed`)."""

import random
from datetime import timedelta

SCHEDULE = (
    timedelta(seconds=5),
    timedelta(seconds=30),
    timedelta(minutes=2),
    timedelta(minutes=10),
    timedelta(minutes=30),
    timedelta(hours=1),
    timedelta(hours=2),
    timedelta(hours=4),
    timedelta(hours=8),
    timedelta(hours=8),
)
MAX_ATTEMPTS = len(SCHEDULE) + 1
JITTER = 0.2


def next_wait(attempts: int, rng: random.Random | None = None) -> timedelta | None:
    """How long to wait after the `attempts`-th failed attempt; None: give up."""
    if attempts > len(SCHEDULE):
        return None
    base = SCHEDULE[max(attempts, 1) - 1]
    return base * (1 + JITTER * (2 * (rng or random).random() - 1))

"""Throughput of app.sla.calendar business-time arithmetic (not a test).

Run from the repository root::

    .venv/bin/python bench/calendar_core.py
    .venv/bin/python bench/calendar_core.py --seconds 0.5 --starts 5000

For each calendar and operation it times calls over seeded random starts in 2023-2028: a first
pass over fresh starts (zone tables, holiday years and per-day offset segments get built on
first touch, like a newly started worker) and a warm pass over the same starts again.
"""

import sys
from pathlib import Path

# Running this file puts bench/ first on sys.path, where this file's name would shadow the
# stdlib `calendar` module; the repository root goes there instead, which also finds `app`.
sys.path[0] = str(Path(__file__).resolve().parent.parent)

import argparse  # noqa: E402
import random  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from datetime import UTC, datetime, timedelta  # noqa: E402

from app.sla.calendar import (  # noqa: E402
    DAY_KEYS,
    BusinessCalendar,
    add_business_time,
    business_time_between,
    default_calendar,
    is_open,
)

FIRST = datetime(2023, 1, 1, tzinfo=UTC)
SPAN_SECONDS = int((datetime(2029, 1, 1, tzinfo=UTC) - FIRST).total_seconds())


def german_calendar() -> BusinessCalendar:
    hours = [["08:00", "12:00"], ["13:00", "17:00"]]
    return BusinessCalendar.from_dict(
        {
            "timezone": "Europe/Berlin",
            "weekly_hours": {key: hours if key not in ("sat", "sun") else [] for key in DAY_KEYS},
            "holiday_country": "DE",
            "holiday_subdivision": "BY",
        }
    )


def night_calendar() -> BusinessCalendar:
    return BusinessCalendar.from_dict(
        {
            "timezone": "Australia/Lord_Howe",
            "weekly_hours": {key: [["22:00", "06:00"]] for key in DAY_KEYS},
            "holiday_country": None,
        }
    )


def random_starts(count: int, seed: int) -> list[datetime]:
    rng = random.Random(seed)
    return [FIRST + timedelta(seconds=rng.randrange(SPAN_SECONDS)) for _ in range(count)]


def rate(operation: Callable[[datetime], object], starts: list[datetime], budget: float) -> float:
    """Calls per second of `operation`, cycling over `starts` for at least `budget` seconds."""
    calls = 0
    began = time.perf_counter()
    while True:
        for start in starts:
            operation(start)
        calls += len(starts)
        elapsed = time.perf_counter() - began
        if elapsed >= budget:
            return calls / elapsed


def first_pass_rate(operation: Callable[[datetime], object], starts: list[datetime]) -> float:
    began = time.perf_counter()
    for start in starts:
        operation(start)
    return len(starts) / (time.perf_counter() - began)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=0.3, help="warm timing per operation")
    parser.add_argument("--starts", type=int, default=2000, help="random starts per calendar")
    args = parser.parse_args()

    calendars = [
        ("default US (Mon-Fri 09-18 New York)", default_calendar(), 9),
        ("DE-BY (Mon-Fri 08-12,13-17 Berlin)", german_calendar(), 8),
        ("nights 22-06 Lord Howe (30-min DST)", night_calendar(), 8),
    ]
    print(f"{'calendar':38} {'operation':22} {'first pass/s':>13} {'warm/s':>10} {'warm µs':>8}")
    for seed, (name, cal, hours_per_day) in enumerate(calendars):
        operations: list[tuple[str, Callable[[datetime], object]]] = [
            ("add 4 business hours", lambda s, c=cal: add_business_time(c, s, timedelta(hours=4))),
            (
                "add 3 business days",
                lambda s, c=cal, h=hours_per_day: add_business_time(c, s, timedelta(hours=3 * h)),
            ),
            (
                "between over 7 days",
                lambda s, c=cal: business_time_between(c, s, s + timedelta(days=7)),
            ),
            ("is_open", lambda s, c=cal: is_open(c, s)),
        ]
        for index, (label, operation) in enumerate(operations):
            starts = random_starts(args.starts, seed * 100 + index)
            cold = first_pass_rate(operation, starts)
            warm = rate(operation, starts, args.seconds)
            print(f"{name:38} {label:22} {cold:13,.0f} {warm:10,.0f} {1e6 / warm:8.1f}")


if __name__ == "__main__":
    main()

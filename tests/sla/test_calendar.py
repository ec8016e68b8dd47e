"""Tests for app.sla.calendar: hand-computed cases plus property tests against a slow reference."""

from datetime import UTC, date, datetime, timedelta
from functools import cache
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.sla.calendar import (
    DAY_KEYS,
    BusinessCalendar,
    NoOpenTimeError,
    add_business_minutes,
    add_business_time,
    business_minutes_between,
    business_time_between,
    default_calendar,
    is_open,
    next_opening,
    open_intervals,
    validate_holidays,
    validate_timezone,
    validate_weekly_hours,
)

NY = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")
MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)

WeeklyDict = dict[str, list[list[str]]]


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def ny(*args: int) -> datetime:
    return datetime(*args, tzinfo=NY)


def week(**days: list[list[str]]) -> WeeklyDict:
    return {key: days.get(key, []) for key in DAY_KEYS}


def weekdays(*intervals: list[str]) -> WeeklyDict:
    return week(**{key: list(intervals) for key in DAY_KEYS[:5]})


def every_day(*intervals: list[str]) -> WeeklyDict:
    return week(**{key: list(intervals) for key in DAY_KEYS})


def calendar(weekly: WeeklyDict, zone: str = "America/New_York", **extra: Any) -> BusinessCalendar:
    return BusinessCalendar.from_dict({"timezone": zone, "weekly_hours": weekly, **extra})


ALWAYS = every_day(["00:00", "24:00"])
NIGHTS = every_day(["22:00", "06:00"])


# --- reference implementation ------------------------------------------------------------------


def parse_minutes(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


@cache
def reference_holidays(country: str, subdivision: str | None) -> holidays.HolidayBase:
    return holidays.country_holidays(country, subdiv=subdivision)


class Reference:
    """The definition, checked one real UTC minute at a time."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.tz = ZoneInfo(data["timezone"])
        self.days: list[list[tuple[int, int]]] = []
        for key in DAY_KEYS:
            day = []
            for start_text, end_text in data["weekly_hours"].get(key, []):
                start, end = parse_minutes(start_text), parse_minutes(end_text)
                day.append((start, end if end > start else end + 1440))
            self.days.append(day)
        self.country = data.get("holiday_country")
        self.subdivision = data.get("holiday_subdivision")
        self.closed = {date.fromisoformat(d) for d in data.get("closed_dates", [])}
        self.opened = {date.fromisoformat(d) for d in data.get("open_dates", [])}
        self.day_cache: dict[date, list[tuple[int, int]]] = {}

    def intervals(self, day: date) -> list[tuple[int, int]]:
        if day not in self.day_cache:
            self.day_cache[day] = self.compute_intervals(day)
        return self.day_cache[day]

    def compute_intervals(self, day: date) -> list[tuple[int, int]]:
        own = self.days[day.weekday()]
        if day in self.opened:
            return own or next((hours for hours in self.days if hours), [])
        if day in self.closed:
            return []
        if self.country and day in reference_holidays(self.country, self.subdivision):
            return []
        return own

    def is_open(self, at: datetime) -> bool:
        local = at.astimezone(self.tz)
        second = local.hour * 3600 + local.minute * 60 + local.second + local.microsecond / 1e6
        today = local.date()
        if any(s * 60 <= second < e * 60 for s, e in self.intervals(today)):
            return True
        yesterday = today - timedelta(days=1)
        return any(s * 60 <= second + 86400 < e * 60 for s, e in self.intervals(yesterday))

    def add_minutes(self, start: datetime, minutes: int) -> tuple[datetime, list[bool]]:
        """Return the instant `minutes` open minutes after start and the per-minute flags."""
        flags: list[bool] = []
        at, counted = start, 0
        while counted < minutes:
            flag = self.is_open(at)
            flags.append(flag)
            counted += flag
            at += MINUTE
            assert len(flags) < 200_000, "reference walk too long; tighten the strategy"
        return at, flags

    def next_opening(self, start: datetime, limit: int) -> datetime | None:
        for step in range(limit):
            if self.is_open(start + step * MINUTE):
                return start + step * MINUTE
        return None


def runs(start: datetime, flags: list[bool]) -> list[tuple[datetime, datetime]]:
    result = []
    run_start: int | None = None
    for index, flag in enumerate([*flags, False]):
        if flag and run_start is None:
            run_start = index
        elif not flag and run_start is not None:
            result.append((start + run_start * MINUTE, start + index * MINUTE))
            run_start = None
    return result


# --- strategies --------------------------------------------------------------------------------

ZONES = [
    "America/New_York",
    "Europe/Berlin",
    "Australia/Lord_Howe",
    "Asia/Kolkata",
    "UTC",
    "America/Sao_Paulo",
]
HOLIDAY_CHOICES = [(None, None), ("US", None), ("US", "NY"), ("DE", None), ("DE", "BY")]
DST_SENSITIVE = [(60, 120), (0, 90), (150, 240), (105, 135), (120, 180), (90, 210)]
FIRST = utc(2023, 1, 1)
LAST = utc(2028, 12, 31)


@cache
def transitions(zone: str) -> list[datetime]:
    """Hours (UTC) at which the zone's offset changed during 2023-2028."""
    tz = ZoneInfo(zone)
    found = []
    at = FIRST
    offset = at.astimezone(tz).utcoffset()
    while at < LAST:
        at += HOUR
        current = at.astimezone(tz).utcoffset()
        if current != offset:
            found.append(at)
            offset = current
    return found


def format_minutes(minutes: int, *, as_end: bool) -> str:
    if as_end and minutes == 1440:
        return "24:00"
    minutes %= 1440
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@st.composite
def random_day(draw: st.DrawFn) -> list[tuple[int, int]]:
    count = draw(st.integers(0, 3))
    points = draw(st.lists(st.integers(0, 96), min_size=2 * count, max_size=2 * count, unique=True))
    points = sorted(p * 15 for p in points)
    return list(zip(points[::2], points[1::2], strict=True))


@st.composite
def weekly_minutes(draw: st.DrawFn) -> list[list[tuple[int, int]]]:
    kind = draw(
        st.sampled_from(["office", "lunch", "nights", "always", "dst", "dst", "random", "random"])
    )
    if kind == "office":
        return [[(540, 1080)]] * 5 + [[], []]
    if kind == "lunch":
        return [[(540, 720), (780, 1080)]] * 5 + [[], []]
    if kind == "always":
        return [[(0, 1440)]] * 7
    if kind == "nights":
        start = draw(st.integers(17, 23)) * 60
        end = draw(st.integers(1, 8)) * 60 + 1440
        return [[(start, end)] if draw(st.booleans()) else [] for _ in DAY_KEYS]
    if kind == "dst":
        days = [
            [draw(st.sampled_from(DST_SENSITIVE))] if draw(st.booleans()) else [] for _ in DAY_KEYS
        ]
    else:
        days = [draw(random_day()) for _ in DAY_KEYS]
    for index in range(7):
        add_spanning_interval(draw, days, index)
    return days


def add_spanning_interval(draw: st.DrawFn, days: list[list[tuple[int, int]]], index: int) -> None:
    """Maybe add an interval past midnight that leaves its neighbours' hours intact."""
    if not draw(st.booleans()):
        return
    day, following, previous = days[index], days[(index + 1) % 7], days[index - 1]
    tails = [e - 1440 for _, e in previous if e > 1440]
    earliest = max([15] + [e for _, e in day] + tails)
    if earliest > 1425:
        return
    start = draw(st.integers(-(-earliest // 15), 95)) * 15
    latest_end = min([start - 15] + [s for s, _ in following])
    if latest_end < 0:
        return
    end = draw(st.integers(0, latest_end // 15)) * 15
    day.append((start, end + 1440))


def to_weekly_dict(draw: st.DrawFn, days: list[list[tuple[int, int]]]) -> WeeklyDict:
    weekly: WeeklyDict = {}
    for key, day in zip(DAY_KEYS, days, strict=True):
        pairs = []
        for start, end in day:
            # "00:00" and "24:00" are both valid ways to end at midnight.
            end_text = format_minutes(end, as_end=True)
            if end == 1440 and start > 0 and draw(st.booleans()):
                end_text = "00:00"
            pairs.append([format_minutes(start, as_end=False), end_text])
        weekly[key] = pairs
    return weekly


@st.composite
def instants(draw: st.DrawFn, zone: str) -> datetime:
    kind = draw(st.sampled_from(["uniform", "transition", "transition", "transition", "year_end"]))
    near = transitions(zone)
    if kind == "transition" and near:
        anchor = draw(st.sampled_from(near))
    # Zones without DST (Kolkata, Sao Paulo, UTC) get year ends instead of transitions.
    elif kind == "uniform":
        anchor = FIRST + draw(st.integers(0, (LAST - FIRST) // MINUTE)) * MINUTE
    else:
        anchor = utc(draw(st.integers(2023, 2028)), 12, 31, 12)
    # Mostly shortly before the anchor, so that short walks still cross it.
    shift = draw(st.one_of(st.integers(-600, 0), st.integers(-4 * 1440, 4 * 1440)))
    return anchor + shift * MINUTE


@st.composite
def calendar_data(draw: st.DrawFn, zone: str, near: datetime) -> dict[str, Any]:
    country, subdivision = draw(st.sampled_from(HOLIDAY_CHOICES))
    near_dates = st.builds(
        lambda days: (near.date() + timedelta(days=days)).isoformat(), st.integers(-2, 20)
    )
    closed = draw(st.lists(near_dates, max_size=4, unique=True))
    opened = draw(st.lists(near_dates, max_size=3, unique=True))
    weekly = to_weekly_dict(draw, draw(weekly_minutes()))
    return {
        "timezone": zone,
        "weekly_hours": weekly,
        "holiday_country": country,
        "holiday_subdivision": subdivision,
        "closed_dates": closed,
        "open_dates": opened,
    }


@st.composite
def cases(draw: st.DrawFn) -> tuple[dict[str, Any], datetime]:
    zone = draw(st.sampled_from(ZONES))
    start = draw(instants(zone))
    return draw(calendar_data(zone, start)), start


def weekly_open_minutes(data: dict[str, Any]) -> int:
    reference = Reference(data)
    return sum(e - s for day in reference.days for s, e in day)


# --- property tests ----------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_generated_calendars_are_valid(data: st.DataObject) -> None:
    weekly = to_weekly_dict(data.draw, data.draw(weekly_minutes()))
    assert validate_weekly_hours(weekly) == []


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_add_and_between_match_reference(data: st.DataObject) -> None:
    api, start = data.draw(cases())
    cal, reference = BusinessCalendar.from_dict(api), Reference(api)
    weekly = weekly_open_minutes(api)
    # Bound the target by the calendar's density so the minute-by-minute walk stays short.
    minutes = data.draw(st.one_of(st.integers(1, 180), st.integers(1, 3000)))
    minutes = min(minutes, 2 * weekly)

    expected, flags = reference.add_minutes(start, minutes)

    assert add_business_minutes(cal, start, minutes) == expected
    assert business_minutes_between(cal, start, expected) == minutes
    assert is_open(cal, start) == reference.is_open(start)
    cut = data.draw(st.integers(0, len(flags)))
    assert business_minutes_between(cal, start, start + cut * MINUTE) == sum(flags[:cut])
    assert list(open_intervals(cal, start, expected)) == runs(start, flags)
    if any(flags):
        assert next_opening(cal, start) == start + flags.index(True) * MINUTE


@st.composite
def early_morning_hours(draw: st.DrawFn) -> WeeklyDict:
    """The same intervals every day, packed around the 01:00-03:00 wall hours DST changes."""
    count = draw(st.integers(1, 3))
    points = sorted(
        draw(st.lists(st.integers(0, 20), min_size=2 * count, max_size=2 * count, unique=True))
    )
    day = [(p * 15, q * 15) for p, q in zip(points[::2], points[1::2], strict=True)]
    if draw(st.booleans()):
        start = draw(st.integers(88, 95)) * 15
        end = draw(st.integers(0, day[0][0] // 15)) * 15
        day.append((start, end + 1440))
    return to_weekly_dict(draw, [list(day) for _ in DAY_KEYS])


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_dst_transitions_match_reference(data: st.DataObject) -> None:
    zone = data.draw(st.sampled_from(["America/New_York", "Europe/Berlin", "Australia/Lord_Howe"]))
    start = data.draw(st.sampled_from(transitions(zone))) - data.draw(st.integers(0, 20)) * HOUR
    api = {"timezone": zone, "weekly_hours": data.draw(early_morning_hours())}
    cal, reference = BusinessCalendar.from_dict(api), Reference(api)
    span = 40 * 60
    flags = [reference.is_open(start + step * MINUTE) for step in range(span)]

    assert list(open_intervals(cal, start, start + span * MINUTE)) == runs(start, flags)
    assert business_minutes_between(cal, start, start + span * MINUTE) == sum(flags)
    if any(flags):
        minutes = data.draw(st.integers(1, sum(flags)))
        expected, _ = reference.add_minutes(start, minutes)
        assert add_business_minutes(cal, start, minutes) == expected


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_is_open_matches_reference(data: st.DataObject) -> None:
    api, start = data.draw(cases())
    at = start + data.draw(st.integers(0, 59_999_999)) * timedelta(microseconds=1)
    assert is_open(BusinessCalendar.from_dict(api), at) == Reference(api).is_open(at)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_next_opening_matches_reference(case: tuple[dict[str, Any], datetime]) -> None:
    api, start = case
    cal = BusinessCalendar.from_dict(api)
    limit = 12 * 1440
    expected = Reference(api).next_opening(start, limit)
    actual = next_opening(cal, start)
    if expected is None:
        assert actual is None or actual >= start + limit * MINUTE
    else:
        assert actual == expected


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_add_and_between_are_inverse_at_microsecond_precision(data: st.DataObject) -> None:
    api, start = data.draw(cases())
    cal = BusinessCalendar.from_dict(api)
    if weekly_open_minutes(api) == 0:
        return
    start += data.draw(st.integers(0, 59_999_999)) * timedelta(microseconds=1)
    delta = data.draw(st.integers(0, 2 * 86_400_000_000)) * timedelta(microseconds=1)

    end = add_business_time(cal, start, delta)

    assert business_time_between(cal, start, end) == delta
    intervals = list(open_intervals(cal, start, end))
    assert sum((b - a for a, b in intervals), timedelta(0)) == delta
    if delta:
        # Earliest: the instant just before the result was still open time.
        assert is_open(cal, end - timedelta(microseconds=1))
    for (_, first_end), (second_start, _) in pairwise(intervals):
        assert first_end < second_start


# --- default calendar: holidays, weekends, year ends --------------------------------------------


def test_thanksgiving_is_closed_and_the_day_after_is_open() -> None:
    cal = default_calendar()
    assert not is_open(cal, ny(2026, 11, 26, 12, 0))
    assert is_open(cal, ny(2026, 11, 27, 12, 0))
    # Wed 17:00 + 4h: one hour on Wednesday, Thursday is skipped, three hours on Friday.
    assert add_business_minutes(cal, ny(2026, 11, 25, 17, 0), 240) == utc(2026, 11, 27, 17, 0)
    assert next_opening(cal, ny(2026, 11, 26, 10, 0)) == utc(2026, 11, 27, 14, 0)


def test_ticket_created_on_a_holiday_at_23_59() -> None:
    cal = default_calendar()
    created = ny(2026, 11, 26, 23, 59)
    assert add_business_minutes(cal, created, 60) == utc(2026, 11, 27, 15, 0)
    assert business_minutes_between(cal, created, ny(2026, 11, 27, 9, 30)) == 30


def test_friday_evening_plus_an_hour_is_monday_morning() -> None:
    cal = default_calendar()
    assert add_business_minutes(cal, ny(2026, 6, 12, 17, 30), 60) == utc(2026, 6, 15, 13, 30)
    assert business_minutes_between(cal, ny(2026, 6, 12, 17, 30), ny(2026, 6, 15, 9, 30)) == 60


def test_year_end_skips_new_year_and_weekend() -> None:
    cal = default_calendar()
    assert add_business_minutes(cal, ny(2026, 12, 31, 17, 0), 120) == utc(2027, 1, 4, 15, 0)


def test_leap_day() -> None:
    cal = default_calendar()
    assert add_business_minutes(cal, ny(2028, 2, 28, 17, 0), 120) == utc(2028, 2, 29, 15, 0)
    always_utc = calendar(ALWAYS, "UTC")
    assert business_time_between(always_utc, utc(2028, 2, 28), utc(2028, 3, 1)) == 48 * HOUR
    leap_only = calendar(week(tue=[["00:00", "24:00"]]), "UTC")
    assert next_opening(leap_only, utc(2028, 2, 26, 5, 0)) == utc(2028, 2, 29)


def test_three_business_days() -> None:
    cal = default_calendar()
    start = ny(2026, 6, 10, 11, 0)
    assert add_business_minutes(cal, start, 3 * 9 * 60) == utc(2026, 6, 15, 15, 0)


def test_open_date_on_a_saturday_uses_first_working_weekday_hours() -> None:
    cal = calendar(weekdays(["09:00", "18:00"]), holiday_country="US", open_dates=["2026-06-13"])
    assert add_business_minutes(cal, ny(2026, 6, 12, 17, 30), 60) == utc(2026, 6, 13, 13, 30)
    assert not is_open(cal, ny(2026, 6, 14, 12, 0))


def test_open_date_overrides_a_holiday_with_its_own_hours() -> None:
    weekly = weekdays(["09:00", "18:00"])
    weekly["thu"] = [["10:00", "14:00"]]
    cal = calendar(weekly, holiday_country="US", open_dates=["2026-11-26"])
    assert next_opening(cal, ny(2026, 11, 26, 0, 0)) == utc(2026, 11, 26, 15, 0)
    assert business_minutes_between(cal, ny(2026, 11, 26), ny(2026, 11, 27)) == 240


def test_closed_date_on_a_weekday() -> None:
    cal = calendar(weekdays(["09:00", "18:00"]), closed_dates=["2026-06-10"])
    assert add_business_minutes(cal, ny(2026, 6, 9, 17, 0), 120) == utc(2026, 6, 11, 14, 0)


def test_lunch_break() -> None:
    cal = calendar(weekdays(["09:00", "12:00"], ["13:00", "18:00"]))
    assert add_business_minutes(cal, ny(2026, 6, 15, 11, 30), 60) == utc(2026, 6, 15, 17, 30)
    assert business_minutes_between(cal, ny(2026, 6, 15, 11, 30), ny(2026, 6, 15, 14, 0)) == 90
    assert not is_open(cal, ny(2026, 6, 15, 12, 30))
    assert next_opening(cal, ny(2026, 6, 15, 12, 30)) == utc(2026, 6, 15, 17, 0)


def test_subdivision_holidays() -> None:
    bavaria = calendar(weekdays(["09:00", "17:00"]), "Europe/Berlin", holiday_country="DE")
    assert is_open(bavaria, datetime(2026, 1, 6, 12, 0, tzinfo=BERLIN))
    bavaria = calendar(
        weekdays(["09:00", "17:00"]),
        "Europe/Berlin",
        holiday_country="DE",
        holiday_subdivision="BY",
    )
    assert not is_open(bavaria, datetime(2026, 1, 6, 12, 0, tzinfo=BERLIN))


# --- DST ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "day", "hours"),
    [
        ("America/New_York", date(2026, 3, 8), 23),
        ("America/New_York", date(2026, 11, 1), 25),
        ("Europe/Berlin", date(2026, 3, 29), 23),
        ("Europe/Berlin", date(2026, 10, 25), 25),
        ("Australia/Lord_Howe", date(2026, 10, 4), 23.5),
        ("Australia/Lord_Howe", date(2026, 4, 5), 24.5),
    ],
)
def test_always_open_calendar_counts_real_day_length(zone: str, day: date, hours: float) -> None:
    tz = ZoneInfo(zone)
    midnight = datetime.combine(day, datetime.min.time(), tz)
    next_midnight = datetime.combine(day + timedelta(days=1), datetime.min.time(), tz)
    assert business_time_between(calendar(ALWAYS, zone), midnight, next_midnight) == hours * HOUR
    only_that_weekday = calendar(week(**{DAY_KEYS[day.weekday()]: [["00:00", "24:00"]]}), zone)
    whole_week = business_time_between(only_that_weekday, midnight - 3 * 24 * HOUR, next_midnight)
    assert whole_week == hours * HOUR


@pytest.mark.parametrize(
    ("zone", "shift_start", "shift_end"),
    [
        ("America/New_York", utc(2026, 3, 8, 3, 0), utc(2026, 3, 8, 10, 0)),
        ("America/New_York", utc(2026, 11, 1, 2, 0), utc(2026, 11, 1, 11, 0)),
        ("Europe/Berlin", utc(2026, 3, 28, 21, 0), utc(2026, 3, 29, 4, 0)),
        ("Europe/Berlin", utc(2026, 10, 24, 20, 0), utc(2026, 10, 25, 5, 0)),
    ],
)
def test_night_shift_across_dst(zone: str, shift_start: datetime, shift_end: datetime) -> None:
    cal = calendar(NIGHTS, zone)
    day_before = shift_start - 12 * HOUR
    assert list(open_intervals(cal, day_before, shift_end + HOUR)) == [(shift_start, shift_end)]
    assert business_time_between(cal, day_before, shift_end + HOUR) == shift_end - shift_start
    assert add_business_minutes(cal, day_before, 6 * 60) == shift_start + 6 * HOUR
    assert next_opening(cal, day_before) == shift_start


def test_spring_forward_skips_the_missing_wall_hour() -> None:
    sunday = ny(2026, 3, 8, 0, 0)
    cal = calendar(week(sun=[["01:30", "03:30"]]))
    assert list(open_intervals(cal, sunday, sunday + 24 * HOUR)) == [
        (utc(2026, 3, 8, 6, 30), utc(2026, 3, 8, 7, 30))
    ]
    # A start inside the gap begins at the transition instant.
    cal = calendar(week(sun=[["02:30", "04:00"]]))
    assert next_opening(cal, sunday) == utc(2026, 3, 8, 7, 0)
    assert business_time_between(cal, sunday, sunday + 24 * HOUR) == HOUR
    cal = calendar(week(sun=[["02:00", "03:00"]]))
    assert business_time_between(cal, sunday, sunday + 24 * HOUR) == timedelta(0)


def test_fall_back_counts_the_repeated_wall_hour_twice() -> None:
    sunday = ny(2026, 11, 1, 0, 0)
    cal = calendar(week(sun=[["01:00", "02:00"]]))
    assert list(open_intervals(cal, sunday, sunday + 24 * HOUR)) == [
        (utc(2026, 11, 1, 5, 0), utc(2026, 11, 1, 7, 0))
    ]
    # Wall times 01:30-01:59 EDT are outside [00:00, 01:30), so the interval splits in two.
    cal = calendar(week(sun=[["00:00", "01:30"]]))
    assert list(open_intervals(cal, sunday, sunday + 24 * HOUR)) == [
        (utc(2026, 11, 1, 4, 0), utc(2026, 11, 1, 5, 30)),
        (utc(2026, 11, 1, 6, 0), utc(2026, 11, 1, 6, 30)),
    ]
    assert add_business_minutes(cal, sunday, 100) == utc(2026, 11, 1, 6, 10)


@settings(max_examples=50, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    start=st.integers(0, (LAST - FIRST) // MINUTE),
    seconds=st.integers(0, 40 * 86_400),
)
def test_always_open_equals_elapsed_time(zone: str, start: int, seconds: int) -> None:
    cal = calendar(ALWAYS, zone)
    begin = FIRST + start * MINUTE
    delta = timedelta(seconds=seconds)
    assert add_business_time(cal, begin, delta) == begin + delta
    assert business_time_between(cal, begin, begin + delta) == delta
    assert next_opening(cal, begin) == begin


# --- edge cases and errors -----------------------------------------------------------------------


def test_zero_delta_returns_start_even_when_closed() -> None:
    start = ny(2026, 6, 13, 12, 0)
    assert add_business_minutes(default_calendar(), start, 0) == start
    assert add_business_minutes(default_calendar(), start, 0).tzinfo == UTC


def test_results_are_utc() -> None:
    result = add_business_minutes(default_calendar(), ny(2026, 6, 15, 9, 0), 5)
    assert result.tzinfo == UTC
    assert next_opening(default_calendar(), ny(2026, 6, 15, 10, 0)) == utc(2026, 6, 15, 14, 0)


def test_between_is_zero_when_end_is_not_after_start() -> None:
    cal = calendar(ALWAYS)
    assert business_time_between(cal, ny(2026, 6, 15, 10), ny(2026, 6, 15, 9)) == timedelta(0)
    assert list(open_intervals(cal, ny(2026, 6, 15, 10), ny(2026, 6, 15, 10))) == []


def test_naive_datetimes_and_negative_deltas_are_rejected() -> None:
    cal = default_calendar()
    naive = datetime(2026, 6, 15, 10, 0)
    with pytest.raises(ValueError, match="timezone-aware"):
        is_open(cal, naive)
    with pytest.raises(ValueError, match="timezone-aware"):
        next_opening(cal, naive)
    with pytest.raises(ValueError, match="timezone-aware"):
        add_business_minutes(cal, naive, 5)
    with pytest.raises(ValueError, match="timezone-aware"):
        business_time_between(cal, ny(2026, 6, 15, 10), naive)
    with pytest.raises(ValueError, match="timezone-aware"):
        open_intervals(cal, naive, ny(2026, 6, 15, 10))
    with pytest.raises(ValueError, match="negative"):
        add_business_minutes(cal, ny(2026, 6, 15, 10), -1)
    with pytest.raises(ValueError, match="negative"):
        add_business_time(cal, ny(2026, 6, 15, 10), -MINUTE)


def test_calendar_without_hours_never_opens() -> None:
    cal = calendar(week(), open_dates=["2026-06-13"])
    assert next_opening(cal, ny(2026, 6, 1)) is None
    assert business_time_between(cal, ny(2026, 6, 1), ny(2027, 6, 1)) == timedelta(0)
    with pytest.raises(NoOpenTimeError):
        add_business_minutes(cal, ny(2026, 6, 1), 1)


def test_calendar_value_is_hashable_and_round_trips() -> None:
    data = {
        "timezone": "Europe/Berlin",
        "weekly_hours": week(
            mon=[["09:00", "12:00"], ["13:00", "17:00"]], fri=[["22:00", "06:00"]]
        ),
        "holiday_country": "DE",
        "holiday_subdivision": "BY",
        "closed_dates": ["2026-12-24"],
        "open_dates": ["2026-12-27"],
    }
    cal = BusinessCalendar.from_dict(data)
    assert BusinessCalendar.from_dict(cal.to_dict()) == cal
    assert cal.to_dict() == data
    assert len({cal, BusinessCalendar.from_dict(data)}) == 1
    assert cal.closed_dates == frozenset({date(2026, 12, 24)})


def test_from_dict_reports_every_problem() -> None:
    with pytest.raises(ValueError) as error:
        BusinessCalendar.from_dict(
            {
                "timezone": "Mars/Olympus",
                "weekly_hours": {"monday": []},
                "holiday_country": "XX",
                "closed_dates": ["2026-13-01"],
            }
        )
    message = str(error.value)
    for part in ("Mars/Olympus", "monday", "XX", "2026-13-01"):
        assert part in message


@pytest.mark.parametrize(
    ("weekly", "fragment"),
    [
        ({"monday": []}, "unknown day 'monday'"),
        (week(mon=[["9:00", "18:00"]]), "bad start time '9:00'"),
        (week(mon=[["09:00", "24:30"]]), "bad end time '24:30'"),
        (week(mon=[["24:00", "06:00"]]), "bad start time '24:00'"),
        (week(mon=[["09:60", "18:00"]]), "bad start time"),
        (week(mon=[["09:00", "09:00"]]), "start and end are both 09:00"),
        (week(mon=[["09:00"]]), "must be a pair"),
        (week(mon="09:00-18:00"), "must be a list"),  # type: ignore[arg-type]
        (
            week(mon=[["09:00", "12:00"], ["11:00", "13:00"]]),
            "mon: 11:00-13:00 overlaps 09:00-12:00",
        ),
        (week(mon=[["20:00", "06:00"], ["22:00", "23:00"]]), "overlaps 20:00-06:00"),
        (
            week(mon=[["22:00", "06:00"]], tue=[["05:00", "09:00"]]),
            "tue: 05:00-09:00 overlaps 22:00-06:00 carried over from mon",
        ),
        (
            week(sun=[["22:00", "02:00"]], mon=[["00:00", "24:00"]]),
            "carried over from sun",
        ),
    ],
)
def test_validate_weekly_hours_errors(weekly: Any, fragment: str) -> None:
    errors = validate_weekly_hours(weekly)
    assert any(fragment in error for error in errors), errors


@pytest.mark.parametrize(
    "weekly",
    [
        ALWAYS,
        NIGHTS,
        weekdays(["09:00", "12:00"], ["12:00", "18:00"]),
        week(mon=[["22:00", "06:00"]], tue=[["06:00", "09:00"]]),
        week(sun=[["18:00", "00:00"]], mon=[["00:00", "08:00"]]),
        {"mon": [["09:00", "17:00"]]},
    ],
)
def test_validate_weekly_hours_accepts_valid_hours(weekly: WeeklyDict) -> None:
    assert validate_weekly_hours(weekly) == []


def test_validate_weekly_hours_rejects_non_objects() -> None:
    assert validate_weekly_hours([["09:00", "18:00"]]) != []


def test_validate_holidays() -> None:
    assert validate_holidays(None, None) == []
    assert validate_holidays("US", "NY") == []
    assert validate_holidays("DE", None) == []
    assert validate_holidays("XX", None) == ["unsupported holiday country 'XX'"]
    assert validate_holidays("US", "ZZ") == ["unsupported holiday subdivision 'ZZ' for US"]
    assert validate_holidays(None, "NY") == ["holiday_subdivision requires holiday_country"]


def test_validate_timezone() -> None:
    assert validate_timezone("Asia/Kolkata") == []
    assert validate_timezone("Nowhere/Town") == ["unknown timezone 'Nowhere/Town'"]
    assert validate_timezone("") != []

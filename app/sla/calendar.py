"""Exact business-time arithmetic for SLA clocks.

An instant is *open* when its wall-clock time in the calendar's zone lies inside an open
interval of its local date, or inside the after-midnight tail of a midnight-spanning interval
that started on the previous local date. Whether a date works (holiday, closed date, open
exception) is decided by the date an interval starts on. Business time is real elapsed time
while open: a wall-clock hour skipped by a DST jump is never open, and an hour repeated on
fall-back is open twice when its wall time is inside an interval.

Everything here is pure: no I/O beyond reading the zone database and the `holidays` package.
Internally instants are integer microseconds since the Unix epoch, so results are exact.
"""

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

__all__ = [
    "DAY_KEYS",
    "HORIZON_DAYS",
    "BusinessCalendar",
    "NoOpenTimeError",
    "add_business_minutes",
    "add_business_time",
    "business_minutes_between",
    "business_time_between",
    "default_calendar",
    "is_open",
    "next_opening",
    "open_intervals",
    "validate_holidays",
    "validate_timezone",
    "validate_weekly_hours",
]

DAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# How far next_opening / add_business_time look for open time before giving up (~3 years).
HORIZON_DAYS = 3 * 366

_MINUTES_PER_DAY = 1440
_ONE_US = timedelta(microseconds=1)
_US_PER_MINUTE = 60_000_000
_US_PER_DAY = 86_400_000_000
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_TIME_RE = re.compile(r"(\d\d):(\d\d)")

# Minutes after local midnight of the date the interval starts on; the end exceeds 1440 when
# the interval runs past midnight.
Interval = tuple[int, int]
WeeklyIntervals = tuple[tuple[Interval, ...], ...]
_Piece = tuple[int, int]


class NoOpenTimeError(ValueError):
    """Raised when a calendar has no open time within HORIZON_DAYS of the requested instant."""


@dataclass(frozen=True)
class BusinessCalendar:
    """Opening hours of an organisation; build it with `BusinessCalendar.from_dict`.

    `weekly_hours` holds, for mon..sun, the intervals as minutes after local midnight
    (end > start, end may exceed 1440 for intervals running past midnight). Intervals that
    overlap are treated as their union; `from_dict` rejects them like the API does.
    """

    timezone: str
    weekly_hours: WeeklyIntervals
    holiday_country: str | None = None
    holiday_subdivision: str | None = None
    closed_dates: frozenset[date] = frozenset()
    open_dates: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        # Accept any iterable of dates but keep the value hashable.
        object.__setattr__(self, "closed_dates", frozenset(self.closed_dates))
        object.__setattr__(self, "open_dates", frozenset(self.open_dates))
        weekly = tuple(tuple((int(s), int(e)) for s, e in day) for day in self.weekly_hours)
        object.__setattr__(self, "weekly_hours", weekly)
        errors = _check_weekly_minutes(weekly) + validate_timezone(self.timezone)
        errors += validate_holidays(self.holiday_country, self.holiday_subdivision)
        if errors:
            raise ValueError("; ".join(errors))
        # Not a dataclass field, so it stays out of eq/hash/repr.
        object.__setattr__(self, "_plan", _Plan.build(self))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "BusinessCalendar":
        """Build from the API shape (other keys ignored); the ValueError lists every problem."""
        weekly_raw = data.get("weekly_hours")
        errors = validate_weekly_hours(weekly_raw) if weekly_raw is not None else []
        if weekly_raw is None:
            errors.append("weekly_hours is required")
        timezone = data.get("timezone")
        if not isinstance(timezone, str):
            errors.append("timezone is required")
        else:
            errors += validate_timezone(timezone)
        country = data.get("holiday_country")
        subdivision = data.get("holiday_subdivision")
        errors += validate_holidays(country, subdivision)
        closed, closed_errors = _parse_dates(data.get("closed_dates"), "closed_dates")
        opened, open_errors = _parse_dates(data.get("open_dates"), "open_dates")
        errors += closed_errors + open_errors
        if errors:
            raise ValueError("; ".join(errors))
        assert isinstance(timezone, str) and isinstance(weekly_raw, Mapping)
        return cls(
            timezone=timezone,
            weekly_hours=_parse_weekly(weekly_raw),
            holiday_country=country,
            holiday_subdivision=subdivision,
            closed_dates=closed,
            open_dates=opened,
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the API shape accepted by `from_dict`."""
        return {
            "timezone": self.timezone,
            "weekly_hours": {
                key: [[_format_minutes(s), _format_end(e)] for s, e in day]
                for key, day in zip(DAY_KEYS, self.weekly_hours, strict=True)
            },
            "holiday_country": self.holiday_country,
            "holiday_subdivision": self.holiday_subdivision,
            "closed_dates": sorted(d.isoformat() for d in self.closed_dates),
            "open_dates": sorted(d.isoformat() for d in self.open_dates),
        }


@lru_cache(maxsize=1)
def default_calendar() -> BusinessCalendar:
    """Return the default calendar: Mon-Fri 09:00-18:00 America/New_York with US holidays."""
    office = [["09:00", "18:00"]]
    return BusinessCalendar.from_dict(
        {
            "timezone": "America/New_York",
            "weekly_hours": {key: office if key not in ("sat", "sun") else [] for key in DAY_KEYS},
            "holiday_country": "US",
        }
    )


# --- public arithmetic -----------------------------------------------------------------------


def is_open(cal: BusinessCalendar, at: datetime) -> bool:
    """Return whether the calendar is open at the instant `at`."""
    _to_us(at, "at")
    plan = _plan_of(cal)
    local = at.astimezone(plan.tz)
    day = local.toordinal()
    wall = (
        (local.hour * 60 + local.minute) * _US_PER_MINUTE
        + local.second * 1_000_000
        + local.microsecond
    )
    for start_day, wall_from_start in ((day, wall), (day - 1, wall + _US_PER_DAY)):
        for s, e in plan.intervals_on(start_day):
            if s * _US_PER_MINUTE <= wall_from_start < e * _US_PER_MINUTE:
                return True
    return False


def next_opening(cal: BusinessCalendar, at: datetime) -> datetime | None:
    """Return `at` (in UTC) if open, else the next opening; None if none within HORIZON_DAYS."""
    for start, _ in _open_pieces(_plan_of(cal), _to_us(at, "at")):
        return _from_us(start)
    return None


def add_business_time(cal: BusinessCalendar, start: datetime, delta: timedelta) -> datetime:
    """Return the earliest instant (UTC) by which `delta` of open time has elapsed since `start`."""
    start_us = _to_us(start, "start")
    if delta < timedelta(0):
        raise ValueError("delta must not be negative")
    remaining = delta // _ONE_US
    if remaining == 0:
        return _from_us(start_us)
    for piece_start, piece_end in _open_pieces(_plan_of(cal), start_us):
        length = piece_end - piece_start
        if remaining <= length:
            return _from_us(piece_start + remaining)
        remaining -= length
    raise NoOpenTimeError(f"calendar has no open time within {HORIZON_DAYS} days")


def add_business_minutes(cal: BusinessCalendar, start: datetime, minutes: int) -> datetime:
    """Return the earliest instant (UTC) by which `minutes` business minutes have elapsed."""
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        raise TypeError("minutes must be an int")
    if minutes < 0:
        raise ValueError("minutes must not be negative")
    return add_business_time(cal, start, timedelta(minutes=minutes))


def business_time_between(cal: BusinessCalendar, start: datetime, end: datetime) -> timedelta:
    """Return the open time inside [start, end); zero when end <= start."""
    start_us, end_us = _to_us(start, "start"), _to_us(end, "end")
    total = 0
    if end_us > start_us:
        for piece_start, piece_end in _open_pieces(_plan_of(cal), start_us):
            if piece_start >= end_us:
                break
            total += min(piece_end, end_us) - piece_start
    return timedelta(microseconds=total)


def business_minutes_between(cal: BusinessCalendar, start: datetime, end: datetime) -> float:
    """Return the open time inside [start, end) as a float number of minutes (not rounded)."""
    return business_time_between(cal, start, end) / timedelta(minutes=1)


def open_intervals(
    cal: BusinessCalendar, start: datetime, end: datetime
) -> Iterator[tuple[datetime, datetime]]:
    """Yield the maximal open intervals clipped to [start, end) in order, as UTC datetimes."""
    start_us, end_us = _to_us(start, "start"), _to_us(end, "end")
    return _clipped_intervals(_plan_of(cal), start_us, end_us)


# --- validation --------------------------------------------------------------------------------


def validate_weekly_hours(weekly: Any) -> list[str]:
    """Return human-readable problems with an API `weekly_hours` value; empty when valid."""
    if not isinstance(weekly, Mapping):
        return ['weekly_hours must be an object like {"mon": [["09:00", "18:00"]], ...}']
    errors: list[str] = []
    for key in weekly:
        if key not in DAY_KEYS:
            errors.append(f"unknown day {key!r}; expected one of {', '.join(DAY_KEYS)}")
    parsed: list[list[Interval]] = []
    for key in DAY_KEYS:
        day_errors, intervals = _parse_day(key, weekly.get(key, []))
        errors += day_errors
        parsed.append(intervals)
    if not errors:
        errors += _overlap_errors(parsed)
    return errors


def validate_timezone(name: Any) -> list[str]:
    """Return problems with an IANA zone name; empty when zoneinfo knows it."""
    if not isinstance(name, str) or not name:
        return ["timezone must be an IANA zone name such as 'Europe/Berlin'"]
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return [f"unknown timezone {name!r}"]
    return []


def validate_holidays(country: Any, subdivision: Any) -> list[str]:
    """Return problems with a holiday country/subdivision pair; empty when supported or unset."""
    if country is None:
        if subdivision is not None:
            return ["holiday_subdivision requires holiday_country"]
        return []
    supported = _supported_countries()
    if not isinstance(country, str) or country not in supported:
        return [f"unsupported holiday country {country!r}"]
    if subdivision is None:
        return []
    if not isinstance(subdivision, str) or subdivision not in supported[country]:
        return [f"unsupported holiday subdivision {subdivision!r} for {country}"]
    return []


# --- calendar plan -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Plan:
    """Lookup-friendly form of a calendar: dates as proleptic ordinals, intervals sorted."""

    zone: str
    tz: ZoneInfo
    weekly: WeeklyIntervals
    exception_hours: WeeklyIntervals
    earliest_start: int
    has_hours: bool
    country: str | None
    subdivision: str | None
    closed_days: frozenset[int]
    open_days: frozenset[int]

    @classmethod
    def build(cls, cal: BusinessCalendar) -> "_Plan":
        weekly = tuple(tuple(sorted(day)) for day in cal.weekly_hours)
        fallback = next((day for day in weekly if day), ())
        starts = [s for day in weekly for s, _ in day]
        return cls(
            zone=cal.timezone,
            tz=ZoneInfo(cal.timezone),
            weekly=weekly,
            exception_hours=tuple(day or fallback for day in weekly),
            earliest_start=min(starts, default=0),
            has_hours=bool(starts),
            country=cal.holiday_country,
            subdivision=cal.holiday_subdivision,
            closed_days=frozenset(d.toordinal() for d in cal.closed_dates),
            open_days=frozenset(d.toordinal() for d in cal.open_dates),
        )

    def intervals_on(self, day: int) -> tuple[Interval, ...]:
        """Intervals starting on the local date with this ordinal."""
        weekday = (day + 6) % 7
        if day in self.open_days:
            return self.exception_hours[weekday]
        if day in self.closed_days:
            return ()
        hours = self.weekly[weekday]
        if hours and self.country is not None:
            year = date.fromordinal(day).year
            if day in _holiday_ordinals(self.country, self.subdivision, year):
                return ()
        return hours


def _plan_of(cal: BusinessCalendar) -> _Plan:
    plan: _Plan = cal._plan  # type: ignore[attr-defined]
    return plan


@lru_cache(maxsize=1024)
def _holiday_ordinals(country: str, subdivision: str | None, year: int) -> frozenset[int]:
    days = holidays.country_holidays(country, subdiv=subdivision, years=year)
    return frozenset(d.toordinal() for d in days)


@lru_cache(maxsize=1)
def _supported_countries() -> dict[str, list[str]]:
    return holidays.list_supported_countries()


# --- walking open time -------------------------------------------------------------------------


def _open_pieces(plan: _Plan, start_us: int) -> Iterator[_Piece]:
    """Yield disjoint open pieces after `start_us` (clipped to it) in ascending order.

    Adjacent pieces may touch. Dates are walked one by one; the preimages of their intervals
    can interleave around a fall-back transition, so pieces are buffered and only released once
    no later date can produce anything earlier.
    """
    if not plan.has_hours:
        return
    min_offset, _ = _offset_bounds(plan.zone, _utc_year(start_us))
    # Dates before this one end (including midnight tails) before start_us.
    day = _ordinal_at(start_us + min_offset) - 1
    last_open_day = day
    bounds_year = 0
    max_offset = 0
    pending: list[_Piece] = []
    while day - last_open_day <= HORIZON_DAYS:
        pieces = _date_pieces(plan, day)
        if pieces:
            last_open_day = day
            pending += pieces
        day += 1
        year = date.fromordinal(day).year
        if year != bounds_year:
            bounds_year = year
            _, max_offset = _offset_bounds(plan.zone, year)
        # Nothing from later dates can start before this instant.
        release = (day - _EPOCH_ORDINAL) * _US_PER_DAY + plan.earliest_start * _US_PER_MINUTE
        release -= max_offset
        if not pending:
            continue
        held: list[_Piece] = []
        for piece_start, piece_end in _merge(pending):
            if piece_start >= release:
                held.append((piece_start, piece_end))
                continue
            if piece_end > release:
                held.append((release, piece_end))
                piece_end = release
            if piece_end > start_us:
                yield max(piece_start, start_us), piece_end
        pending = held


def _date_pieces(plan: _Plan, day: int) -> list[_Piece]:
    """Real-time pieces (µs) during which the wall clock is inside the intervals of `day`."""
    intervals = plan.intervals_on(day)
    if not intervals:
        return []
    midnight = (day - _EPOCH_ORDINAL) * _US_PER_DAY
    segments = _day_segments(plan.zone, day)
    pieces: list[_Piece] = []
    for s, e in intervals:
        wall_start = midnight + s * _US_PER_MINUTE
        wall_end = midnight + e * _US_PER_MINUTE
        # Within one offset segment, wall = real + offset, so the preimage is a shifted range.
        for seg_start, seg_end, offset in segments:
            start = max(seg_start, wall_start - offset)
            end = min(seg_end, wall_end - offset)
            if start < end:
                pieces.append((start, end))
    return pieces


def _merge(pieces: list[_Piece]) -> list[_Piece]:
    pieces.sort()
    merged = [pieces[0]]
    for start, end in pieces[1:]:
        last_start, last_end = merged[-1]
        if start <= last_end:
            if end > last_end:
                merged[-1] = (last_start, end)
        else:
            merged.append((start, end))
    return merged


def _clipped_intervals(
    plan: _Plan, start_us: int, end_us: int
) -> Iterator[tuple[datetime, datetime]]:
    if end_us <= start_us:
        return
    current: _Piece | None = None
    for piece_start, piece_end in _open_pieces(plan, start_us):
        if piece_start >= end_us:
            break
        piece_end = min(piece_end, end_us)
        if current is not None and piece_start == current[1]:
            current = (current[0], piece_end)
            continue
        if current is not None:
            yield _from_us(current[0]), _from_us(current[1])
        current = (piece_start, piece_end)
    if current is not None:
        yield _from_us(current[0]), _from_us(current[1])


# --- zone offsets ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _YearOffsets:
    """UTC offsets of a zone during one UTC year, in µs."""

    start: int
    end: int
    transitions: tuple[int, ...]
    offsets: tuple[int, ...]  # offsets[0] applies at `start`, offsets[i + 1] from transitions[i]


@lru_cache(maxsize=2048)
def _year_offsets(zone: str, year: int) -> _YearOffsets:
    tz = ZoneInfo(zone)
    first = int(datetime(year, 1, 1, tzinfo=UTC).timestamp())
    last = int(datetime(year + 1, 1, 1, tzinfo=UTC).timestamp())

    def offset_at(second: int) -> int:
        offset = datetime.fromtimestamp(second, tz).utcoffset()
        assert offset is not None
        return offset // _ONE_US

    # zoneinfo has no public transition list, so sample daily and bisect to the second where the
    # offset changes; real zones never change twice within one day.
    transitions: list[int] = []
    offsets = [offset_at(first)]
    previous = first
    for second in [*range(first + 86_400, last, 86_400), last]:
        if offset_at(second) == offsets[-1]:
            previous = second
            continue
        low, high = previous, second
        while high - low > 1:
            middle = (low + high) // 2
            if offset_at(middle) == offsets[-1]:
                low = middle
            else:
                high = middle
        if high < last:
            transitions.append(high * 1_000_000)
            offsets.append(offset_at(high))
        previous = second
    return _YearOffsets(first * 1_000_000, last * 1_000_000, tuple(transitions), tuple(offsets))


@lru_cache(maxsize=2048)
def _offset_bounds(zone: str, year: int) -> tuple[int, int]:
    """Smallest and largest UTC offset (µs) of the zone during the years around `year`."""
    offsets = [o for y in (year - 1, year, year + 1) for o in _year_offsets(zone, y).offsets]
    return min(offsets), max(offsets)


@lru_cache(maxsize=16384)
def _day_segments(zone: str, day: int) -> tuple[tuple[int, int, int], ...]:
    """Constant-offset segments (start, end, offset) covering every instant whose wall time can
    fall within the two local dates starting at `day` (offsets are always under a day)."""
    low = (day - 1 - _EPOCH_ORDINAL) * _US_PER_DAY
    high = (day + 3 - _EPOCH_ORDINAL) * _US_PER_DAY
    segments: list[tuple[int, int, int]] = []
    cursor = low
    year = _utc_year(low)
    while cursor < high:
        table = _year_offsets(zone, year)
        index = bisect_right(table.transitions, cursor)
        offset = table.offsets[index]
        for transition, after in zip(
            table.transitions[index:], table.offsets[index + 1 :], strict=True
        ):
            if transition >= high:
                break
            _append_segment(segments, cursor, transition, offset)
            cursor, offset = transition, after
        stop = min(high, table.end)
        _append_segment(segments, cursor, stop, offset)
        cursor = stop
        year += 1
    return tuple(segments)


def _append_segment(
    segments: list[tuple[int, int, int]], start: int, end: int, offset: int
) -> None:
    if segments and segments[-1][2] == offset and segments[-1][1] == start:
        segments[-1] = (segments[-1][0], end, offset)
    elif start < end:
        segments.append((start, end, offset))


# --- conversions -------------------------------------------------------------------------------


def _to_us(value: datetime, name: str) -> int:
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware")
    return (value - _EPOCH) // _ONE_US


def _from_us(us: int) -> datetime:
    return _EPOCH + timedelta(microseconds=us)


def _ordinal_at(naive_us: int) -> int:
    return _EPOCH_ORDINAL + naive_us // _US_PER_DAY


def _utc_year(us: int) -> int:
    return date.fromordinal(_ordinal_at(us)).year


# --- parsing -----------------------------------------------------------------------------------


def _parse_weekly(weekly: Mapping[str, Any]) -> WeeklyIntervals:
    return tuple(tuple(_parse_day(key, weekly.get(key, []))[1]) for key in DAY_KEYS)


def _parse_day(key: str, value: Any) -> tuple[list[str], list[Interval]]:
    if not isinstance(value, list | tuple):
        return [f"{key}: must be a list of [start, end] pairs"], []
    errors: list[str] = []
    intervals: list[Interval] = []
    for index, pair in enumerate(value):
        where = f"{key}[{index}]"
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            errors.append(f'{where}: must be a pair like ["09:00", "18:00"]')
            continue
        start, end = _parse_time(pair[0], allow_24=False), _parse_time(pair[1], allow_24=True)
        if start is None:
            errors.append(
                f"{where}: bad start time {pair[0]!r}, expected HH:MM from 00:00 to 23:59"
            )
        if end is None:
            errors.append(f"{where}: bad end time {pair[1]!r}, expected HH:MM from 00:00 to 24:00")
        if start is None or end is None:
            continue
        if start == end:
            errors.append(f"{where}: start and end are both {pair[0]}; use 00:00-24:00 for all day")
            continue
        intervals.append((start, end if end > start else end + _MINUTES_PER_DAY))
    return errors, intervals


def _parse_time(value: Any, *, allow_24: bool) -> int | None:
    if not isinstance(value, str):
        return None
    match = _TIME_RE.fullmatch(value)
    if match is None:
        return None
    hours, minutes = int(match[1]), int(match[2])
    if allow_24 and hours == 24 and minutes == 0:
        return _MINUTES_PER_DAY
    if hours > 23 or minutes > 59:
        return None
    return hours * 60 + minutes


def _parse_dates(value: Any, name: str) -> tuple[frozenset[date], list[str]]:
    if value is None:
        return frozenset(), []
    if isinstance(value, str) or not isinstance(value, Iterable):
        return frozenset(), [f"{name} must be a list of YYYY-MM-DD dates"]
    dates: set[date] = set()
    errors: list[str] = []
    for item in value:
        if isinstance(item, date) and not isinstance(item, datetime):
            dates.add(item)
            continue
        try:
            dates.add(date.fromisoformat(item))
        except (TypeError, ValueError):
            errors.append(f"{name}: bad date {item!r}, expected YYYY-MM-DD")
    return frozenset(dates), errors


def _overlap_errors(days: list[list[Interval]]) -> list[str]:
    errors: list[str] = []
    for index, key in enumerate(DAY_KEYS):
        ordered = sorted(days[index])
        for (s1, e1), (s2, e2) in pairwise(ordered):
            if s2 < e1:
                errors.append(f"{key}: {_label(s2, e2)} overlaps {_label(s1, e1)}")
        previous_key = DAY_KEYS[index - 1]
        for s1, e1 in days[index - 1]:
            tail_end = e1 - _MINUTES_PER_DAY
            for s2, e2 in ordered:
                if s2 < tail_end:
                    errors.append(
                        f"{key}: {_label(s2, e2)} overlaps {_label(s1, e1)}"
                        f" carried over from {previous_key}"
                    )
    return errors


def _check_weekly_minutes(weekly: WeeklyIntervals) -> list[str]:
    if len(weekly) != 7:
        return ["weekly_hours must have 7 days, mon..sun"]
    errors = []
    for key, day in zip(DAY_KEYS, weekly, strict=True):
        for s, e in day:
            if not (0 <= s < _MINUTES_PER_DAY and s < e <= s + _MINUTES_PER_DAY):
                errors.append(f"{key}: bad interval ({s}, {e}) in minutes")
    return errors


def _label(start: int, end: int) -> str:
    return f"{_format_minutes(start)}-{_format_end(end)}"


def _format_minutes(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _format_end(end: int) -> str:
    if end == _MINUTES_PER_DAY:
        return "24:00"
    return _format_minutes(end % _MINUTES_PER_DAY)

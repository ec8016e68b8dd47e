"""Who may take a piece of work, and who should: hard filters plus an explained score.

Pure: no I/O, no database or HTTP. The caller loads agents, their current load and their
out-of-office windows, builds `Candidate`s and a `Need`, and stores the chosen `Ranked.as_dict()`.

Hard filters (`eligible`): an acceptable role, active, not excluded (e.g. the current PM on a
change request), not out of office at `need.at`, strictly under capacity, and optionally on duty
(inside their working hours at `need.at`, for work that must start at once).

Score (`score`), every component in 0..1, combined as a weighted average (`Weights`):

* expertise: the share of the organization's industry/platform found in the agent's tags
  (case-insensitive; 0 when the organization names neither);
* overlap: minutes per week in which the agent's working hours and the organization's
  business hours are both open, over the organization's weekly open minutes;
* low load: 1 - load/capacity (at least 0).

Default weights 0.7 / 0.2 / 0.1 follow DOMAIN.md's order of preference: even a half expertise
match (0.35) outweighs any difference in overlap and load together (at most 0.3), and overlap
counts twice as much as load. Ties on the total go to the lower relative load, then the lower
absolute load, then the earlier `created_at` (a candidate without one comes after those with
one), then the lower id, so a ranking never depends on input order.

Reference week: overlap is measured exactly (real UTC instants, so time zones and DST are
honoured) over the calendar week containing `need.at` in the organization's time zone, Monday
00:00 to the next Monday 00:00 local time. So the DST state is the current one, and for zones
that switch on a weekend the working days of that week all share one offset. Both calendars are
taken without holidays, closed or open dates: the score measures the habitual weekly pattern, not
whether this particular week holds a public holiday. Minutes are whole (every zone offset in use
and every HH:MM boundary is a whole minute; any remainder would be truncated).
"""

import json
import math
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, time, timedelta
from functools import cached_property, lru_cache
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from app.sla.calendar import BusinessCalendar, is_open, open_intervals

__all__ = [
    "DEFAULT_WEIGHTS",
    "AgentLike",
    "Candidate",
    "Need",
    "Ranked",
    "Score",
    "Weights",
    "candidate_from_agent",
    "choose",
    "eligible",
    "overlap_minutes",
    "rank",
    "reference_week",
    "refusals",
    "score",
    "working_calendar",
]

_MINUTE = timedelta(minutes=1)
_DECIMALS = 6

TimeOff = tuple[datetime, datetime]


def _require_aware(value: datetime, name: str) -> None:
    """Raise unless `value` is a timezone-aware datetime."""
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware")


def _tag(value: str) -> str:
    """Normalise an expertise tag, industry or platform: trimmed, single spaces, case-folded."""
    return " ".join(value.split()).casefold()


@dataclass(frozen=True)
class Weights:
    """Relative weight of each score component; they need not sum to 1 (the total is normalised)."""

    expertise: float = 0.7
    overlap: float = 0.2
    load: float = 0.1

    def __post_init__(self) -> None:
        values = (self.expertise, self.overlap, self.load)
        if any(isinstance(v, bool) or not isinstance(v, int | float) for v in values):
            raise TypeError("weights must be numbers")
        if not all(math.isfinite(v) and v >= 0 for v in values):
            raise ValueError("weights must be finite and not negative")
        if sum(values) <= 0:
            raise ValueError("at least one weight must be positive")

    def as_dict(self) -> dict[str, float]:
        """Return the weights as a JSON-friendly dict."""
        return {"expertise": self.expertise, "overlap": self.overlap, "load": self.load}


DEFAULT_WEIGHTS = Weights()


@dataclass(frozen=True)
class Candidate:
    """An agent as assignment sees them: role, availability, load and working hours."""

    id: uuid.UUID
    role: str
    active: bool
    capacity: int
    load: int
    expertise: frozenset[str]
    working_hours: BusinessCalendar
    time_off: tuple[TimeOff, ...] = ()
    created_at: datetime | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "role", str(self.role))
        object.__setattr__(self, "expertise", frozenset(_tag(t) for t in self.expertise if t))
        windows = tuple((start, end) for start, end in self.time_off)
        for start, end in windows:
            _require_aware(start, "time_off start")
            _require_aware(end, "time_off end")
            if end <= start:
                raise ValueError(f"time_off window ends ({end}) before it starts ({start})")
        object.__setattr__(self, "time_off", windows)
        if self.created_at is not None:
            _require_aware(self.created_at, "created_at")
        if self.capacity < 0 or self.load < 0:
            raise ValueError("capacity and load must not be negative")

    def away_at(self, at: datetime) -> TimeOff | None:
        """Return the out-of-office window [start, end) containing `at`, if any."""
        for start, end in self.time_off:
            if start <= at < end:
                return start, end
        return None


@dataclass(frozen=True)
class Need:
    """What is being assigned: acceptable roles, the organization to match, and when."""

    roles: frozenset[str]
    calendar: BusinessCalendar
    at: datetime
    industry: str | None = None
    platform: str | None = None
    exclude: frozenset[uuid.UUID] = frozenset()
    weights: Weights = DEFAULT_WEIGHTS
    require_on_duty: bool = False

    def __post_init__(self) -> None:
        roles = frozenset(str(r) for r in self.roles)
        if not roles:
            raise ValueError("at least one acceptable role is required")
        object.__setattr__(self, "roles", roles)
        object.__setattr__(self, "exclude", frozenset(self.exclude))
        _require_aware(self.at, "at")

    @cached_property
    def wanted(self) -> tuple[str, ...]:
        """The normalised industry and platform to match, without blanks or duplicates."""
        tags = (_tag(v) for v in (self.industry, self.platform) if v is not None)
        return tuple(dict.fromkeys(t for t in tags if t))


@dataclass(frozen=True)
class Score:
    """A candidate's score and its breakdown; comparing: greater means better ranked."""

    agent_id: uuid.UUID
    total: float
    expertise: float
    expertise_wanted: tuple[str, ...]
    expertise_matched: tuple[str, ...]
    overlap_minutes_per_week: int
    agent_minutes_per_week: int
    organization_minutes_per_week: int
    overlap_share: float
    load: int
    capacity: int
    load_share: float
    weights: Weights
    week_start: datetime
    week_end: datetime
    created_at: datetime | None = field(default=None, compare=False)

    @property
    def sort_key(self) -> tuple[Any, ...]:
        """Ascending order of this key is best first: total, relative load, load, age, id."""
        age = (self.created_at is None, self.created_at or datetime.min.replace(tzinfo=UTC))
        return (-self.total, self.load_share, self.load, age, self.agent_id)

    def __lt__(self, other: "Score") -> bool:
        if not isinstance(other, Score):
            return NotImplemented
        return self.sort_key > other.sort_key

    def __le__(self, other: "Score") -> bool:
        if not isinstance(other, Score):
            return NotImplemented
        return self.sort_key >= other.sort_key

    def __gt__(self, other: "Score") -> bool:
        if not isinstance(other, Score):
            return NotImplemented
        return self.sort_key < other.sort_key

    def __ge__(self, other: "Score") -> bool:
        if not isinstance(other, Score):
            return NotImplemented
        return self.sort_key <= other.sort_key

    @property
    def contributions(self) -> dict[str, float]:
        """Each component's weighted share of the total (they add up to it, before rounding)."""
        w = self.weights
        scale = w.expertise + w.overlap + w.load
        return {
            "expertise": w.expertise * self.expertise / scale,
            "overlap": w.overlap * self.overlap_share / scale,
            "load": w.load * _low_load(self.load_share) / scale,
        }

    @property
    def breakdown(self) -> dict[str, Any]:
        """Return the readable, JSON-friendly breakdown of the score."""
        return {
            "total": self.total,
            "expertise": round(self.expertise, _DECIMALS),
            "expertise_wanted": list(self.expertise_wanted),
            "expertise_matched": list(self.expertise_matched),
            "overlap_minutes_per_week": self.overlap_minutes_per_week,
            "agent_minutes_per_week": self.agent_minutes_per_week,
            "organization_minutes_per_week": self.organization_minutes_per_week,
            "overlap_share": round(self.overlap_share, _DECIMALS),
            "load": self.load,
            "capacity": self.capacity,
            "load_share": round(self.load_share, _DECIMALS),
            "weights": self.weights.as_dict(),
            "contributions": {k: round(v, _DECIMALS) for k, v in self.contributions.items()},
            "reference_week": {
                "start": self.week_start.isoformat(),
                "end": self.week_end.isoformat(),
            },
        }

    def summary(self) -> str:
        """Return a one-line human explanation of the score."""
        wanted = len(self.expertise_wanted)
        matched = ", ".join(self.expertise_matched) or "none"
        expertise = f"expertise {len(self.expertise_matched)}/{wanted} ({matched})"
        if not wanted:
            expertise = "expertise n/a"
        overlap = (
            f"overlap {_hours(self.overlap_minutes_per_week)} of "
            f"{_hours(self.organization_minutes_per_week)} business hours/week"
        )
        load = f"load {self.load}/{self.capacity}"
        return f"{expertise}; {overlap}; {load}; total {self.total:.3f}"

    def as_dict(self) -> dict[str, Any]:
        """Return the agent id, the summary and the breakdown as a JSON-friendly dict."""
        return {"agent_id": str(self.agent_id), "summary": self.summary(), **self.breakdown}


@dataclass(frozen=True)
class Ranked:
    """An eligible candidate with its score and 1-based position in the ranking."""

    position: int
    candidate: Candidate
    score: Score

    def as_dict(self) -> dict[str, Any]:
        """Return the position and the score breakdown as a JSON-friendly dict."""
        return {"position": self.position, **self.score.as_dict()}


class AgentLike(Protocol):
    """The attributes of `app.assignment.models.Agent` that assignment reads."""

    id: uuid.UUID
    role: str
    active: bool
    capacity: int
    expertise: list[str]
    timezone: str
    working_hours: Mapping[str, Any]
    created_at: datetime


# --- building inputs ---------------------------------------------------------------------------


def working_calendar(timezone: str, working_hours: Mapping[str, Any]) -> BusinessCalendar:
    """Build an agent's working-hours calendar (their zone, their weekly hours, no holidays)."""
    key = json.dumps(working_hours, sort_keys=True)
    return _working_calendar(timezone, key)


@lru_cache(maxsize=4096)
def _working_calendar(timezone: str, weekly_hours: str) -> BusinessCalendar:
    # Routing builds candidates for every decision; most agents share a handful of schedules.
    return BusinessCalendar.from_dict(
        {"timezone": timezone, "weekly_hours": json.loads(weekly_hours)}
    )


# Its key holds the agent's load, which every assignment changes: old entries are never hit
# again, so the cache holds what one sweep's decisions reuse, not a history (16,384 entries
# grew a worker by tens of MiB over the first quarter hour of a soak).
@lru_cache(maxsize=1024)
def stored_candidate(
    agent_id: uuid.UUID,
    role: str,
    capacity: int,
    load: int,
    expertise: tuple[str, ...],
    timezone: str,
    weekly_hours: str,
    created_at: datetime,
) -> Candidate:
    """An active agent with no time off, from stored values (`weekly_hours` as JSON text):
    built once per distinct set, as the same agents come back decision after decision."""
    return Candidate(
        id=agent_id,
        role=role,
        active=True,
        capacity=capacity,
        load=load,
        expertise=frozenset(expertise),
        working_hours=_working_calendar(timezone, weekly_hours),
        created_at=created_at,
    )


def candidate_from_agent(
    agent: AgentLike, *, load: int, time_off: Iterable[TimeOff] = ()
) -> Candidate:
    """Build a Candidate from an agent row, its current load and its out-of-office windows."""
    created_at = getattr(agent, "created_at", None)
    if created_at is not None and created_at.tzinfo is None:
        created_at = created_at.replace(tzinfo=UTC)
    return Candidate(
        id=agent.id,
        role=str(agent.role),
        active=bool(agent.active),
        capacity=agent.capacity,
        load=load,
        expertise=frozenset(agent.expertise or ()),
        working_hours=working_calendar(agent.timezone, agent.working_hours),
        time_off=tuple(time_off),
        created_at=created_at,
    )


# --- filters -----------------------------------------------------------------------------------


def eligible(candidate: Candidate, need: Need) -> list[str]:
    """Return the reasons the candidate is refused for this need; empty when eligible."""
    reasons: list[str] = []
    if candidate.role not in need.roles:
        wanted = ", ".join(sorted(need.roles))
        reasons.append(f"role {candidate.role} is not one of: {wanted}")
    if not candidate.active:
        reasons.append("inactive")
    if candidate.id in need.exclude:
        reasons.append("excluded for this assignment")
    away = candidate.away_at(need.at)
    if away is not None:
        start, end = (t.astimezone(UTC).isoformat() for t in away)
        reasons.append(f"out of office from {start} until {end}")
    if candidate.load >= candidate.capacity:
        reasons.append(f"at capacity ({candidate.load} of {candidate.capacity})")
    if need.require_on_duty and not is_open(candidate.working_hours, need.at):
        reasons.append("off duty (outside working hours) at " + need.at.astimezone(UTC).isoformat())
    return reasons


def refusals(candidates: Iterable[Candidate], need: Need) -> dict[uuid.UUID, list[str]]:
    """Return, in input order, each refused candidate's id with the reasons it was refused."""
    out: dict[uuid.UUID, list[str]] = {}
    for candidate in candidates:
        reasons = eligible(candidate, need)
        if reasons:
            out[candidate.id] = reasons
    return out


# --- scoring -----------------------------------------------------------------------------------


def reference_week(calendar: BusinessCalendar, at: datetime) -> tuple[datetime, datetime]:
    """Return the UTC bounds of the local Monday-to-Monday week of `calendar` containing `at`."""
    _require_aware(at, "at")
    zone = ZoneInfo(calendar.timezone)
    local = at.astimezone(zone)
    monday = local.date() - timedelta(days=local.weekday())
    start = datetime.combine(monday, time(), tzinfo=zone).astimezone(UTC)
    end = datetime.combine(monday + timedelta(days=7), time(), tzinfo=zone).astimezone(UTC)
    return start, end


def overlap_minutes(
    a: BusinessCalendar, b: BusinessCalendar, start: datetime, end: datetime
) -> int:
    """Return the whole minutes in [start, end) when both calendars are open (holidays count)."""
    _require_aware(start, "start")
    _require_aware(end, "end")
    return _overlap(a, b, start.astimezone(UTC), end.astimezone(UTC))


def score(candidate: Candidate, need: Need) -> Score:
    """Score a candidate for the need (eligible or not) with a full breakdown."""
    return _score(candidate, need, reference_week(need.calendar, need.at))


def _score(candidate: Candidate, need: Need, week: tuple[datetime, datetime]) -> Score:
    wanted = need.wanted
    matched = tuple(t for t in wanted if t in candidate.expertise)
    expertise = len(matched) / len(wanted) if wanted else 0.0

    start, end = week
    agent_cal, org_cal = _pattern(candidate.working_hours), _pattern(need.calendar)
    overlap = _overlap(agent_cal, org_cal, start, end)
    org_minutes = _open_minutes(org_cal, start, end)
    agent_minutes = _open_minutes(agent_cal, start, end)
    overlap_share = overlap / org_minutes if org_minutes else 0.0

    load_share = candidate.load / candidate.capacity if candidate.capacity else 1.0

    w = need.weights
    raw = (w.expertise * expertise + w.overlap * overlap_share + w.load * _low_load(load_share)) / (
        w.expertise + w.overlap + w.load
    )
    return Score(
        agent_id=candidate.id,
        total=round(raw, _DECIMALS),
        expertise=expertise,
        expertise_wanted=wanted,
        expertise_matched=matched,
        overlap_minutes_per_week=overlap,
        agent_minutes_per_week=agent_minutes,
        organization_minutes_per_week=org_minutes,
        overlap_share=overlap_share,
        load=candidate.load,
        capacity=candidate.capacity,
        load_share=load_share,
        weights=w,
        week_start=start,
        week_end=end,
        created_at=candidate.created_at,
    )


def rank(candidates: Iterable[Candidate], need: Need) -> list[Ranked]:
    """Return the eligible candidates, best first, each with its score and position."""
    pool = list(candidates)
    seen: set[uuid.UUID] = set()
    for candidate in pool:
        if candidate.id in seen:
            raise ValueError(f"candidate {candidate.id} is listed twice")
        seen.add(candidate.id)
    week = reference_week(need.calendar, need.at)  # the same for every candidate
    scored = [(_score(c, need, week), c) for c in pool if not eligible(c, need)]
    scored.sort(key=lambda pair: pair[0].sort_key)
    return [Ranked(i, c, s) for i, (s, c) in enumerate(scored, start=1)]


def choose(candidates: Iterable[Candidate], need: Need) -> Ranked | None:
    """Return the best eligible candidate, or None when no one is eligible."""
    ranking = rank(candidates, need)
    return ranking[0] if ranking else None


# --- helpers -----------------------------------------------------------------------------------


def _low_load(load_share: float) -> float:
    """The low-load component: 1 when idle, 0 at or over capacity."""
    return max(0.0, 1.0 - load_share)


def _hours(minutes: int) -> str:
    """Format minutes as hours, e.g. 900 -> '15h', 90 -> '1.5h'."""
    return f"{minutes / 60:g}h"


@lru_cache(maxsize=1024)
def _pattern(calendar: BusinessCalendar) -> BusinessCalendar:
    """The calendar's habitual weekly hours: no holidays, closed dates or open dates."""
    if calendar.holiday_country is None and not calendar.closed_dates and not calendar.open_dates:
        return calendar
    return replace(
        calendar,
        holiday_country=None,
        holiday_subdivision=None,
        closed_dates=frozenset(),
        open_dates=frozenset(),
    )


@lru_cache(maxsize=4096)
def _open_minutes(calendar: BusinessCalendar, start: datetime, end: datetime) -> int:
    """Whole open minutes of the calendar in [start, end)."""
    total = sum((e - s for s, e in open_intervals(calendar, start, end)), timedelta())
    return total // _MINUTE


@lru_cache(maxsize=4096)
def _overlap(a: BusinessCalendar, b: BusinessCalendar, start: datetime, end: datetime) -> int:
    """Whole minutes in [start, end) when both calendars are open (two-pointer intersection)."""
    left = list(open_intervals(a, start, end))
    right = list(open_intervals(b, start, end))
    total = timedelta()
    i = j = 0
    while i < len(left) and j < len(right):
        lo = max(left[i][0], right[j][0])
        hi = min(left[i][1], right[j][1])
        if lo < hi:
            total += hi - lo
        if left[i][1] <= right[j][1]:
            i += 1
        else:
            j += 1
    return total // _MINUTE

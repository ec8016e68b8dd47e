"""SLA targets: which target applies to a ticket, and the default policy table. Pure."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from app.sla.calendar import BusinessCalendar, is_open, open_intervals


class Metric(StrEnum):
    first_response = "first_response"
    next_update = "next_update"
    resolution = "resolution"
    escalation_review = "escalation_review"


class ClockKind(StrEnum):
    business = "business"
    calendar = "calendar"


class Arrival(StrEnum):
    """When a ticket arrived, relative to its organization's business calendar."""

    in_hours = "in_hours"
    after_hours = "after_hours"
    closed_day = "closed_day"


PLANS = ("standard", "enterprise")
PRIORITIES = ("critical", "high", "medium", "low")
REQUIRED_METRICS = (Metric.first_response, Metric.resolution)
DEFAULT_AT_RISK_PERCENT = 80


@dataclass(frozen=True)
class PolicyTarget:
    """One row of the policy table: plan x priority x metric."""

    plan: str
    priority: str
    metric: Metric
    clock: ClockKind
    target_minutes: int
    after_hours_minutes: int | None = None
    closed_day_minutes: int | None = None
    at_risk_percent: int = DEFAULT_AT_RISK_PERCENT

    def minutes_for(self, arrival: Arrival) -> int:
        """The target for a ticket that arrived at `arrival`."""
        if arrival is Arrival.closed_day and self.closed_day_minutes is not None:
            return self.closed_day_minutes
        if arrival is not Arrival.in_hours and self.after_hours_minutes is not None:
            return self.after_hours_minutes
        return self.target_minutes


@dataclass(frozen=True)
class Target:
    """The target a clock runs against."""

    metric: Metric
    clock: ClockKind
    minutes: int
    at_risk_percent: int

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.minutes)


def arrival_of(calendar: BusinessCalendar, at: datetime) -> Arrival:
    """In hours, after hours on a working day, or on a closed day (weekend, holiday)."""
    if is_open(calendar, at):
        return Arrival.in_hours
    zone = ZoneInfo(calendar.timezone)
    local_day = at.astimezone(zone).date()
    day_start = datetime.combine(local_day, time(), zone)
    day_end = datetime.combine(local_day + timedelta(days=1), time(), zone)
    if next(open_intervals(calendar, day_start, day_end), None) is None:
        return Arrival.closed_day
    return Arrival.after_hours


def select_target(
    table: Iterable[PolicyTarget],
    *,
    plan: str,
    priority: str,
    metric: Metric,
    arrival: Arrival,
) -> Target | None:
    """The target for this plan, priority and metric, or None when the policy has none."""
    for row in table:
        if (row.plan, row.priority, row.metric) == (plan, priority, metric):
            return Target(metric, row.clock, row.minutes_for(arrival), row.at_risk_percent)
    return None


def validate_table(table: list[PolicyTarget]) -> list[str]:
    """Problems with a policy table: gaps, duplicates, impossible targets; empty when valid."""
    problems: list[str] = []
    seen: set[tuple[str, str, Metric]] = set()
    for row in table:
        key = (row.plan, row.priority, row.metric)
        if key in seen:
            problems.append(f"{row.plan}/{row.priority}/{row.metric} appears twice")
        seen.add(key)
    for plan in PLANS:
        for priority in PRIORITIES:
            for metric in REQUIRED_METRICS:
                if (plan, priority, metric) not in seen:
                    problems.append(f"{plan}/{priority} has no {metric} target")
    return problems


def _row(plan: str, priority: str, metric: Metric, minutes: int, **extra: object) -> PolicyTarget:
    clock = ClockKind.calendar if priority in ("critical", "high") else ClockKind.business
    return PolicyTarget(plan, priority, metric, extra.pop("clock", clock), minutes, **extra)  # type: ignore[arg-type]


def default_table() -> list[PolicyTarget]:
    """The default policy of DOMAIN.md; every number is configurable through the API."""
    hour, business_day = 60, 9 * 60
    standard_first = {"high": hour, "medium": 4 * hour, "low": business_day}
    resolution = {"high": 8 * hour, "medium": business_day, "low": 3 * business_day}
    rows: list[PolicyTarget] = []
    for plan in PLANS:
        share = 2 if plan == "enterprise" else 1
        rows += [
            _row(plan, "critical", Metric.first_response, 15),
            _row(plan, "critical", Metric.next_update, hour),
            _row(plan, "critical", Metric.resolution, 4 * hour),
        ]
        for priority in ("high", "medium", "low"):
            after_hours = 4 * hour // share if priority == "high" else None
            rows.append(
                _row(
                    plan,
                    priority,
                    Metric.first_response,
                    standard_first[priority] // share,
                    after_hours_minutes=after_hours,
                    closed_day_minutes=after_hours,
                )
            )
            rows.append(_row(plan, priority, Metric.resolution, resolution[priority]))
        rows += [
            _row(plan, priority, Metric.escalation_review, 24 * hour, clock=ClockKind.calendar)
            for priority in PRIORITIES
        ]
    return rows

"""One SLA clock: its running and paused segments, and the instants that follow. Pure."""

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from app.sla.calendar import BusinessCalendar, add_business_time, business_time_between
from app.sla.policy import ClockKind, Metric, Target


class Status(StrEnum):
    """Where a clock is in its life; the shown `State` is derived from it and from now."""

    running = "running"
    paused = "paused"
    met = "met"
    stopped = "stopped"


class State(StrEnum):
    on_track = "on_track"
    at_risk = "at_risk"
    breached = "breached"
    met = "met"
    paused = "paused"
    stopped = "stopped"


@dataclass(frozen=True)
class Segment:
    """A stretch of time during which the clock ran or was paused, and why."""

    state: Status
    start: datetime
    end: datetime | None
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {
            "state": self.state.value,
            "start": self.start.isoformat(),
            "end": self.end.isoformat() if self.end else None,
            "reason": self.reason,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Segment":
        end = data.get("end")
        return cls(
            Status(data["state"]),
            datetime.fromisoformat(data["start"]),
            datetime.fromisoformat(end) if end else None,
            data["reason"],
        )


@dataclass(frozen=True)
class Clock:
    """A clock's durable state; everything else is computed from it and the calendar."""

    metric: Metric
    target: Target
    status: Status
    segments: tuple[Segment, ...]
    cycle: int = 0
    breached_at: datetime | None = None
    met_at: datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def started_at(self) -> datetime:
        return self.segments[0].start


def start(target: Target, at: datetime, *, reason: str, cycle: int = 0) -> Clock:
    """A clock that starts running at `at`."""
    return Clock(
        target.metric, target, Status.running, (Segment(Status.running, at, None, reason),), cycle
    )


def _close(segments: tuple[Segment, ...], at: datetime) -> tuple[Segment, ...]:
    last = segments[-1]
    end = max(at, last.start)
    return (*segments[:-1], replace(last, end=end))


def pause(clock: Clock, at: datetime, reason: str) -> Clock:
    """Stops counting time, e.g. while the ticket waits on the client."""
    if clock.status is not Status.running:
        return clock
    segments = (*_close(clock.segments, at), Segment(Status.paused, at, None, reason))
    return replace(clock, status=Status.paused, segments=segments)


def resume(clock: Clock, at: datetime, reason: str) -> Clock:
    """Counts time again after a pause (or after a resolved ticket is reopened)."""
    if clock.status in (Status.running, Status.stopped):
        return clock
    if clock.status is Status.met and clock.metric is not Metric.resolution:
        return clock
    segments = (*_close(clock.segments, at), Segment(Status.running, at, None, reason))
    return replace(clock, status=Status.running, segments=segments, met_at=None)


def meet(clock: Clock, at: datetime, reason: str) -> Clock:
    """The clock's goal was reached; a met clock never fires."""
    if clock.status in (Status.met, Status.stopped):
        return clock
    segments = (*_close(clock.segments, at), Segment(Status.met, at, at, reason))
    return replace(clock, status=Status.met, segments=segments, met_at=at)


def stop(clock: Clock, at: datetime, reason: str) -> Clock:
    """The ticket no longer needs this clock (cancelled); a stopped clock never fires."""
    if clock.status in (Status.met, Status.stopped):
        return clock
    segments = (*_close(clock.segments, at), Segment(Status.stopped, at, at, reason))
    return replace(clock, status=Status.stopped, segments=segments)


def rearm(clock: Clock, target: Target, at: datetime, reason: str) -> Clock:
    """Starts the next cycle of a recurring clock (next update)."""
    return start(target, at, reason=reason, cycle=clock.cycle + 1)


def retarget(clock: Clock, target: Target) -> Clock:
    """Applies a new target (priority, policy or calendar changed); segments are kept."""
    return replace(clock, target=target)


def _elapsed(
    kind: ClockKind, calendar: BusinessCalendar, start: datetime, end: datetime
) -> timedelta:
    if end <= start:
        return timedelta(0)
    if kind is ClockKind.calendar:
        return end - start
    return business_time_between(calendar, start, end)


def _advance(
    kind: ClockKind, calendar: BusinessCalendar, start: datetime, delta: timedelta
) -> datetime:
    if kind is ClockKind.calendar:
        return start + delta
    return add_business_time(calendar, start, delta)


def elapsed(clock: Clock, calendar: BusinessCalendar, now: datetime) -> timedelta:
    """Time counted so far (business time for a business clock)."""
    total = timedelta(0)
    for segment in clock.segments:
        if segment.state is Status.running:
            end = segment.end if segment.end is not None else now
            total += _elapsed(clock.target.clock, calendar, segment.start, end)
    return total


def _instant_of(clock: Clock, calendar: BusinessCalendar, budget: timedelta) -> datetime | None:
    """When the running clock will have counted `budget` in total; None unless running."""
    if clock.status is not Status.running:
        return None
    current = clock.segments[-1]
    used = elapsed(replace(clock, segments=clock.segments[:-1]), calendar, current.start)
    remaining = max(budget - used, timedelta(0))
    return _advance(clock.target.clock, calendar, current.start, remaining)


def due_at(clock: Clock, calendar: BusinessCalendar) -> datetime | None:
    """When the target runs out, if the clock keeps running."""
    return _instant_of(clock, calendar, clock.target.duration)


def at_risk_at(clock: Clock, calendar: BusinessCalendar) -> datetime | None:
    """When the at-risk share of the target is used up, if the clock keeps running."""
    budget = clock.target.duration * clock.target.at_risk_percent / 100
    return _instant_of(clock, calendar, budget)


def display_state(
    status: str,
    *,
    breached_at: datetime | None,
    due_at: datetime | None,
    at_risk_at: datetime | None,
    now: datetime,
) -> State:
    """What a person should see, from the stored instants alone (no calendar needed)."""
    if status == Status.met:
        return State.met
    if status == Status.stopped:
        return State.stopped
    if breached_at is not None or (due_at is not None and due_at <= now):
        return State.breached
    if status == Status.paused:
        return State.paused
    if at_risk_at is not None and at_risk_at <= now:
        return State.at_risk
    return State.on_track

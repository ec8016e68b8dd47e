"""A ticket's SLA clocks as stored rows: start, pause, meet, re-arm and retarget them. No I/O."""

import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from types import SimpleNamespace
from typing import Any

from app import timesource
from app.sla import clocks
from app.sla.calendar import BusinessCalendar
from app.sla.clocks import Clock, Segment
from app.sla.models import Calendar, TicketClock
from app.sla.policy import ClockKind, Metric, PolicyTarget, Target, arrival_of, select_target
from app.tickets.lifecycle import DONE, PAUSED, Status

# Clocks that stop counting while the ticket waits on the client.
WAITING_METRICS = frozenset({Metric.resolution, Metric.next_update})
WAITING_STATUSES = PAUSED | {Status.awaiting_approval}
MINUTE = timedelta(minutes=1)


@dataclass(frozen=True)
class SlaContext:
    """What a ticket's clocks are computed against."""

    plan: str
    calendar: BusinessCalendar
    table: tuple[PolicyTarget, ...]

    def target(self, priority: str, metric: Metric, arrived_at: datetime) -> Target | None:
        arrival = arrival_of(self.calendar, arrived_at)
        return select_target(
            self.table, plan=self.plan, priority=priority, metric=metric, arrival=arrival
        )


@lru_cache(maxsize=512)
def _business_calendar(calendar_id: uuid.UUID, version: int, data: str) -> BusinessCalendar:
    return BusinessCalendar.from_dict(json.loads(data))


def business_calendar(row: Calendar) -> BusinessCalendar:
    """The arithmetic value of a calendar row, built once per calendar version."""
    data = {
        "timezone": row.timezone,
        "weekly_hours": row.weekly_hours,
        "holiday_country": row.holiday_country,
        "holiday_subdivision": row.holiday_subdivision,
        "closed_dates": [day.isoformat() for day in row.closed_dates],
        "open_dates": [day.isoformat() for day in row.open_dates],
    }
    return _business_calendar(row.id, row.version, json.dumps(data, sort_keys=True))


def context_from(plan: str, calendar: Calendar, policies: list[dict[str, Any]]) -> SlaContext:
    """The context built from rows fetched with calendar_join and policy_json."""
    return SlaContext(plan, business_calendar(calendar), _targets_from_json(policies))


def _targets_from_json(policies: list[dict[str, Any]]) -> tuple[PolicyTarget, ...]:
    return tuple(
        PolicyTarget(
            plan=row["plan"],
            priority=row["priority"],
            metric=Metric(row["metric"]),
            clock=ClockKind(row["clock"]),
            target_minutes=row["target_minutes"],
            after_hours_minutes=row["after_hours_minutes"],
            closed_day_minutes=row["closed_day_minutes"],
            at_risk_percent=row["at_risk_percent"],
        )
        for row in policies
    )


def to_clock(row: TicketClock) -> Clock:
    target = Target(
        Metric(row.metric), ClockKind(row.clock), row.target_minutes, row.at_risk_percent
    )
    return Clock(
        metric=Metric(row.metric),
        target=target,
        status=clocks.Status(row.status),
        segments=tuple(Segment.from_json(s) for s in row.segments),
        cycle=row.cycle,
        breached_at=row.breached_at,
        met_at=row.met_at,
    )


def _computed(clock: Clock, calendar: BusinessCalendar) -> dict[str, Any]:
    """The stored columns that follow from a clock and its calendar."""
    return {
        "clock": clock.target.clock.value,
        "target_minutes": clock.target.minutes,
        "at_risk_percent": clock.target.at_risk_percent,
        "status": clock.status.value,
        "cycle": clock.cycle,
        "segments": [segment.to_json() for segment in clock.segments],
        "started_at": clock.started_at,
        "due_at": clocks.due_at(clock, calendar),
        "at_risk_at": clocks.at_risk_at(clock, calendar),
        "met_at": clock.met_at,
        "elapsed_minutes": final_elapsed_minutes(clock, calendar),
    }


def final_elapsed_minutes(clock: Clock, calendar: BusinessCalendar) -> float | None:
    """Minutes a met or stopped clock counted over its running segments; None until then."""
    if clock.status not in (clocks.Status.met, clocks.Status.stopped):
        return None
    # Every running segment is closed once the clock is over, so "now" plays no part.
    return clocks.elapsed(clock, calendar, clock.segments[-1].start) / MINUTE


def write(row: TicketClock, clock: Clock, calendar: BusinessCalendar) -> TicketClock:
    """Stores a clock and the instants that follow from it on `row`."""
    if clock.cycle != row.cycle:
        row.breached_at = None
        row.at_risk_fired_at = None
    for name, value in _computed(clock, calendar).items():
        setattr(row, name, value)
    row.next_fire_at = next_fire_at(row)
    row.revision = (row.revision or 0) + 1
    row.updated_at = timesource.now()
    return row


def next_fire_at(row: Any) -> datetime | None:
    """The next at-risk or breach instant to act on, for a row or a row-like value."""
    if row.status != clocks.Status.running or row.breached_at is not None:
        return None
    if row.at_risk_fired_at is None and row.at_risk_at is not None:
        return min(row.at_risk_at, row.due_at) if row.due_at else row.at_risk_at
    return row.due_at


def new_values(ticket_id: uuid.UUID, clock: Clock, calendar: BusinessCalendar) -> SimpleNamespace:
    """The column values of a clock that is new, as a row-like value (no ORM object)."""
    values = SimpleNamespace(
        ticket_id=ticket_id,
        metric=clock.metric.value,
        breached_at=None,
        at_risk_fired_at=None,
        revision=1,
        updated_at=timesource.now(),
        **_computed(clock, calendar),
    )
    values.next_fire_at = next_fire_at(values)
    return values


def new_row(ticket_id: uuid.UUID, clock: Clock, calendar: BusinessCalendar) -> TicketClock:
    return TicketClock(**vars(new_values(ticket_id, clock, calendar)))


def start_clocks(
    ticket_id: uuid.UUID, *, priority: str, opened_at: datetime, context: SlaContext
) -> list[SimpleNamespace]:
    """The clocks a new ticket starts with: first response and resolution (as values)."""
    started = []
    for metric in (Metric.first_response, Metric.resolution):
        target = context.target(priority, metric, opened_at)
        if target is not None:
            clock = clocks.start(target, opened_at, reason="created")
            started.append(new_values(ticket_id, clock, context.calendar))
    return started


def on_status_change(
    rows: dict[str, TicketClock],
    source: Status,
    target: Status,
    at: datetime,
    calendar: BusinessCalendar,
) -> None:
    """Pauses, resumes, meets or stops the clocks as the ticket moves."""
    for metric, row in rows.items():
        clock = to_clock(row)
        if target is Status.cancelled:
            clock = clocks.stop(clock, at, "cancelled")
        elif target in DONE:
            clock = clocks.meet(clock, at, target.value)
        elif target in WAITING_STATUSES and metric in WAITING_METRICS:
            clock = clocks.pause(clock, at, target.value)
        elif target is Status.open and metric in WAITING_METRICS:
            reason = "reopened" if source is Status.resolved else "open"
            clock = clocks.resume(clock, at, reason)
        write(row, clock, calendar)


def on_public_reply(
    ticket_id: uuid.UUID,
    rows: dict[str, TicketClock],
    *,
    priority: str,
    status: Status,
    at: datetime,
    context: SlaContext,
) -> list[TicketClock]:
    """A public agent reply meets first response and escalation review and re-arms next update.

    Returns clock rows that did not exist before (to be added to the session).
    """
    for metric in (Metric.first_response, Metric.escalation_review):
        if metric in rows:
            write(
                rows[metric],
                clocks.meet(to_clock(rows[metric]), at, "public reply"),
                context.calendar,
            )
    if status in DONE or status in WAITING_STATUSES:
        return []
    target = context.target(priority, Metric.next_update, at)
    if target is None:
        return []
    existing = rows.get(Metric.next_update)
    if existing is None:
        return [
            new_row(ticket_id, clocks.start(target, at, reason="public reply"), context.calendar)
        ]
    rearmed = clocks.rearm(to_clock(existing), target, at, "public reply")
    write(existing, rearmed, context.calendar)
    return []


def start_review(
    ticket_id: uuid.UUID,
    rows: dict[str, TicketClock],
    *,
    priority: str,
    at: datetime,
    context: SlaContext,
) -> list[TicketClock]:
    """An escalation starts (or restarts) the escalation review clock."""
    target = context.target(priority, Metric.escalation_review, at)
    if target is None:
        return []
    existing = rows.get(Metric.escalation_review)
    if existing is None:
        return [new_row(ticket_id, clocks.start(target, at, reason="escalated"), context.calendar)]
    write(existing, clocks.rearm(to_clock(existing), target, at, "escalated"), context.calendar)
    return []


def retarget(rows: dict[str, TicketClock], *, priority: str, context: SlaContext) -> None:
    """Recomputes targets and instants after a priority, calendar or policy change."""
    now = timesource.now()
    for metric, row in rows.items():
        clock = to_clock(row)
        target = context.target(priority, Metric(metric), clock.started_at)
        if target is None:
            clock = clocks.stop(clock, now, "no longer in the policy")
        else:
            clock = clocks.retarget(clock, target)
        write(row, clock, context.calendar)


def state_now(row: Any, now: datetime) -> clocks.State:
    """The state a stored clock (row or row-like) shows at `now`."""
    return clocks.display_state(
        row.status,
        breached_at=row.breached_at,
        due_at=row.due_at,
        at_risk_at=row.at_risk_at,
        now=now,
    )

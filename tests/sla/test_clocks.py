"""Pure tests for app.sla.clocks against the real business-calendar arithmetic."""

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from app.sla import clocks
from app.sla.calendar import (
    DAY_KEYS,
    BusinessCalendar,
    add_business_time,
    business_time_between,
    default_calendar,
)
from app.sla.clocks import Clock, Segment, State, Status
from app.sla.policy import ClockKind, Metric, Target

NY = ZoneInfo("America/New_York")
BERLIN_ZONE = ZoneInfo("Europe/Berlin")
MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)

BERLIN = BusinessCalendar.from_dict(
    {
        "timezone": "Europe/Berlin",
        "weekly_hours": {
            key: [["09:00", "12:30"], ["13:30", "18:00"]] if key not in ("sat", "sun") else []
            for key in DAY_KEYS
        },
        "holiday_country": "DE",
        "holiday_subdivision": "BE",
    }
)
ALWAYS_OPEN = BusinessCalendar.from_dict(
    {"timezone": "UTC", "weekly_hours": {key: [["00:00", "24:00"]] for key in DAY_KEYS}}
)
# A night shift that runs past midnight, in a zone with DST.
NIGHT_SHIFT = BusinessCalendar.from_dict(
    {
        "timezone": "America/Los_Angeles",
        "weekly_hours": {
            key: [["20:00", "04:00"]] if key not in ("sat", "sun") else [] for key in DAY_KEYS
        },
    }
)
CALENDARS = {
    "new_york": default_calendar(),
    "berlin_lunch": BERLIN,
    "utc_24_7": ALWAYS_OPEN,
    "la_night": NIGHT_SHIFT,
}

# Instants where mistakes like to hide: openings, closings, lunch, DST changes, holidays.
BOUNDARIES = [
    datetime(2026, 3, 2, 9, 0, tzinfo=NY),  # Monday opening
    datetime(2026, 3, 6, 17, 59, tzinfo=NY),  # Friday, a minute before the weekend
    datetime(2026, 3, 6, 18, 0, tzinfo=NY),  # Friday closing
    datetime(2026, 3, 8, 1, 30, tzinfo=NY),  # just before spring forward
    datetime(2026, 3, 9, 9, 0, tzinfo=NY),  # first opening after spring forward
    datetime(2026, 10, 30, 16, 0, tzinfo=NY),  # Friday before fall back
    datetime(2026, 11, 25, 17, 0, tzinfo=NY),  # eve of Thanksgiving
    datetime(2026, 11, 26, 10, 0, tzinfo=NY),  # Thanksgiving
    datetime(2026, 12, 31, 17, 0, tzinfo=NY),  # New Year's Eve
    datetime(2026, 3, 2, 12, 30, tzinfo=BERLIN_ZONE),  # lunch starts
    datetime(2026, 3, 2, 13, 30, tzinfo=BERLIN_ZONE),  # lunch ends
    datetime(2026, 3, 27, 17, 0, tzinfo=BERLIN_ZONE),  # Friday before spring forward
    datetime(2026, 10, 23, 17, 0, tzinfo=BERLIN_ZONE),  # Friday before fall back
    datetime(2026, 4, 2, 17, 0, tzinfo=BERLIN_ZONE),  # before Good Friday / Easter Monday
    datetime(2026, 3, 6, 3, 59, tzinfo=ZoneInfo("America/Los_Angeles")),  # end of night shift
    datetime(2026, 3, 6, 20, 0, tzinfo=ZoneInfo("America/Los_Angeles")),  # Friday night shift
]

calendars = st.sampled_from(list(CALENDARS.values()))
instants = st.one_of(
    st.sampled_from([b.astimezone(UTC) for b in BOUNDARIES]),
    st.datetimes(
        min_value=datetime(2025, 1, 1),
        max_value=datetime(2028, 12, 31),
        timezones=st.just(UTC),
    ),
)
targets = st.builds(
    Target,
    metric=st.sampled_from(list(Metric)),
    clock=st.sampled_from(list(ClockKind)),
    minutes=st.one_of(
        st.sampled_from([15, 30, 60, 120, 240, 270, 480, 540, 1440, 1620]), st.integers(1, 2000)
    ),
    at_risk_percent=st.one_of(st.just(80), st.integers(1, 100)),
)
resolution_targets = targets.map(lambda t: replace(t, metric=Metric.resolution))

PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def advance(target: Target, cal: BusinessCalendar, start: datetime, delta: timedelta) -> datetime:
    """Independent expectation: where `delta` of counted time after `start` ends."""
    if target.clock is ClockKind.calendar:
        return start + delta
    return add_business_time(cal, start, delta)


def counted(target: Target, cal: BusinessCalendar, start: datetime, end: datetime) -> timedelta:
    """Independent expectation: time counted in [start, end)."""
    if end <= start:
        return timedelta(0)
    if target.clock is ClockKind.calendar:
        return end - start
    return business_time_between(cal, start, end)


def share(target: Target, percent: int) -> timedelta:
    return timedelta(microseconds=target.minutes * 60_000_000 * percent // 100)


def offsets(span: timedelta) -> st.SearchStrategy[timedelta]:
    """Offsets in [0, span), in whole microseconds."""
    top = max(span // timedelta(microseconds=1) - 1, 0)
    return st.integers(0, top).map(lambda us: timedelta(microseconds=us))


# --- a freshly started clock -------------------------------------------------------------------


@PROPERTY
@given(cal=calendars, target=targets, at=instants)
def test_fresh_clock_is_due_when_the_target_is_used_up(
    cal: BusinessCalendar, target: Target, at: datetime
) -> None:
    clock = clocks.start(target, at, reason="created")
    expected = (
        at + target.duration
        if target.clock is ClockKind.calendar
        else add_business_time(cal, at, target.duration)
    )
    assert clocks.due_at(clock, cal) == expected
    # At the due instant it has counted exactly the target, not a microsecond more or less.
    assert clocks.elapsed(clock, cal, expected) == target.duration


@PROPERTY
@given(cal=calendars, target=targets, at=instants)
def test_fresh_clock_turns_at_risk_at_its_percentage_and_never_after_due(
    cal: BusinessCalendar, target: Target, at: datetime
) -> None:
    clock = clocks.start(target, at, reason="created")
    risk, due = clocks.at_risk_at(clock, cal), clocks.due_at(clock, cal)
    assert risk == advance(target, cal, at, share(target, target.at_risk_percent))
    assert risk is not None and due is not None
    assert at <= risk <= due
    assert clocks.elapsed(clock, cal, risk) == share(target, target.at_risk_percent)


def test_default_at_risk_is_80_percent_of_business_time() -> None:
    # Standard medium first response: 4 business hours from Friday 16:00 New York.
    target = Target(Metric.first_response, ClockKind.business, 240, 80)
    clock = clocks.start(target, datetime(2026, 3, 6, 16, 0, tzinfo=NY), reason="created")
    cal = default_calendar()
    # 2 h on Friday, the rest on Monday: 80% (192 min) at 10:12, due at 11:00.
    assert clocks.at_risk_at(clock, cal) == datetime(2026, 3, 9, 10, 12, tzinfo=NY)
    assert clocks.due_at(clock, cal) == datetime(2026, 3, 9, 11, 0, tzinfo=NY)


def test_business_clock_skips_thanksgiving() -> None:
    target = Target(Metric.first_response, ClockKind.business, 240, 80)
    clock = clocks.start(target, datetime(2026, 11, 25, 17, 0, tzinfo=NY), reason="created")
    # 1 h on Wednesday, Thursday is Thanksgiving, 3 h on Friday.
    assert clocks.due_at(clock, default_calendar()) == datetime(2026, 11, 27, 12, 0, tzinfo=NY)


def test_calendar_clock_counts_nights_and_weekends() -> None:
    target = Target(Metric.first_response, ClockKind.calendar, 240, 80)
    clock = clocks.start(target, datetime(2026, 3, 6, 20, 0, tzinfo=NY), reason="created")
    # Friday 20:00 + 4 h is midnight into Saturday, closed hours included.
    assert clocks.due_at(clock, default_calendar()) == datetime(2026, 3, 7, 0, 0, tzinfo=NY)


# --- pausing -----------------------------------------------------------------------------------


@PROPERTY
@given(data=st.data(), cal=calendars, target=resolution_targets, at=instants)
def test_paused_time_does_not_count_towards_resolution(
    data: st.DataObject, cal: BusinessCalendar, target: Target, at: datetime
) -> None:
    running = clocks.start(target, at, reason="created")
    due_before = clocks.due_at(running, cal)
    risk_before = clocks.at_risk_at(running, cal)
    assert due_before is not None and risk_before is not None
    paused_at = at + data.draw(offsets(due_before - at), label="pause after")
    resumed_at = paused_at + data.draw(offsets(timedelta(days=9)), label="paused for")

    paused = clocks.pause(running, paused_at, "pending")
    assert paused.status is Status.paused
    assert clocks.due_at(paused, cal) is None
    assert clocks.at_risk_at(paused, cal) is None
    resumed = clocks.resume(paused, resumed_at, "open")
    assert resumed.status is Status.running

    waited = counted(target, cal, paused_at, resumed_at)
    due_after = clocks.due_at(resumed, cal)
    assert due_after == advance(target, cal, due_before, waited)
    assert counted(target, cal, due_before, due_after) == waited
    if paused_at < risk_before:
        assert clocks.at_risk_at(resumed, cal) == advance(target, cal, risk_before, waited)
    # Whatever happened in between, the clock has counted exactly its target when it is due.
    assert clocks.elapsed(resumed, cal, due_after) == target.duration


def test_pause_on_pending_moves_a_calendar_due_time_by_the_wait() -> None:
    target = Target(Metric.resolution, ClockKind.calendar, 240, 80)
    clock = clocks.start(target, utc(2026, 5, 4, 10), reason="created")
    clock = clocks.pause(clock, utc(2026, 5, 4, 11), "pending")
    clock = clocks.resume(clock, utc(2026, 5, 4, 13), "open")
    assert clocks.due_at(clock, ALWAYS_OPEN) == utc(2026, 5, 4, 16)
    assert clocks.at_risk_at(clock, ALWAYS_OPEN) == utc(2026, 5, 4, 15, 12)


def test_pause_over_a_weekend_costs_no_business_time() -> None:
    # Resolution of 9 business hours started Friday 09:00; paused Friday 18:00 → Monday 09:00.
    target = Target(Metric.resolution, ClockKind.business, 540, 80)
    start = datetime(2026, 3, 6, 9, 0, tzinfo=NY)
    running = clocks.start(target, start, reason="created")
    clock = clocks.pause(running, datetime(2026, 3, 6, 12, 0, tzinfo=NY), "pending")
    clock = clocks.resume(clock, datetime(2026, 3, 9, 9, 0, tzinfo=NY), "open")
    # 3 h used on Friday, 6 h left from Monday 09:00 → Monday 15:00.
    assert clocks.due_at(clock, default_calendar()) == datetime(2026, 3, 9, 15, 0, tzinfo=NY)


def test_segments_explain_why_the_clock_is_due_when_it_is() -> None:
    target = Target(Metric.resolution, ClockKind.calendar, 240, 80)
    t0, t1, t2 = utc(2026, 5, 4, 10), utc(2026, 5, 4, 11), utc(2026, 5, 4, 13)
    clock = clocks.start(target, t0, reason="created")
    clock = clocks.resume(clocks.pause(clock, t1, "pending"), t2, "open")
    assert clock.segments == (
        Segment(Status.running, t0, t1, "created"),
        Segment(Status.paused, t1, t2, "pending"),
        Segment(Status.running, t2, None, "open"),
    )
    assert clock.started_at == t0


def test_pausing_a_paused_clock_and_resuming_a_running_one_change_nothing() -> None:
    target = Target(Metric.resolution, ClockKind.calendar, 240, 80)
    running = clocks.start(target, utc(2026, 5, 4, 10), reason="created")
    assert clocks.resume(running, utc(2026, 5, 4, 11), "open") == running
    paused = clocks.pause(running, utc(2026, 5, 4, 11), "pending")
    assert clocks.pause(paused, utc(2026, 5, 4, 12), "on_hold") == paused


# --- elapsed -----------------------------------------------------------------------------------


History = tuple[BusinessCalendar, list[tuple[datetime, Clock]], list[tuple[datetime, datetime]]]


@st.composite
def clock_histories(draw: st.DrawFn) -> History:
    """A clock paused and resumed at random.

    Returns the calendar, the clock's successive states (each with the instant it took effect)
    and the stretches during which the clock ran.
    """
    cal = draw(calendars)
    target = draw(resolution_targets)
    at = draw(instants)
    clock = clocks.start(target, at, reason="created")
    states = [(at, clock)]
    running: list[tuple[datetime, datetime]] = []
    since, now = at, at
    for _ in range(draw(st.integers(0, 4))):
        now += draw(offsets(timedelta(days=3)))
        if clock.status is Status.running:
            clock = clocks.pause(clock, now, "pending")
            running.append((since, now))
        else:
            clock = clocks.resume(clock, now, "open")
            since = now
        states.append((now, clock))
    if clock.status is Status.running:
        running.append((since, datetime.max.replace(tzinfo=UTC)))
    return cal, states, running


def _state_at(states: list[tuple[datetime, Clock]], now: datetime) -> Clock:
    """The clock as stored at `now`: the latest state that took effect at or before it."""
    return [clock for since, clock in states if since <= now][-1]


@PROPERTY
@given(history=clock_histories(), data=st.data())
def test_elapsed_counts_only_running_time_and_never_goes_backwards(
    history: History, data: st.DataObject
) -> None:
    cal, states, running = history
    first, last = states[0][0], states[-1][0]
    span = last - first + 4 * 24 * HOUR
    nows = sorted(
        {first, last, *(first + d for d in data.draw(st.lists(offsets(span), min_size=2)))}
    )
    values = [clocks.elapsed(_state_at(states, now), cal, now) for now in nows]
    assert values == sorted(values)
    target = states[0][1].target
    for now, value in zip(nows, values, strict=True):
        expected = sum((counted(target, cal, s, min(e, now)) for s, e in running), timedelta(0))
        assert value == expected


@PROPERTY
@given(cal=calendars, target=resolution_targets, at=instants, data=st.data())
def test_elapsed_does_not_grow_while_paused(
    cal: BusinessCalendar, target: Target, at: datetime, data: st.DataObject
) -> None:
    paused_at = at + data.draw(offsets(timedelta(days=5)))
    clock = clocks.pause(clocks.start(target, at, reason="created"), paused_at, "on_hold")
    frozen = counted(target, cal, at, paused_at)
    later = paused_at + data.draw(offsets(timedelta(days=30)))
    assert clocks.elapsed(clock, cal, paused_at) == frozen
    assert clocks.elapsed(clock, cal, later) == frozen


# --- met and stopped ---------------------------------------------------------------------------


@PROPERTY
@given(cal=calendars, target=targets, at=instants, data=st.data())
def test_met_clock_is_frozen_and_never_fires(
    cal: BusinessCalendar, target: Target, at: datetime, data: st.DataObject
) -> None:
    met_at = at + data.draw(offsets(timedelta(days=4)))
    met = clocks.meet(clocks.start(target, at, reason="created"), met_at, "public reply")
    assert met.status is Status.met
    assert met.met_at == met_at
    assert clocks.due_at(met, cal) is None
    assert clocks.at_risk_at(met, cal) is None
    used = counted(target, cal, at, met_at)
    assert clocks.elapsed(met, cal, met_at + timedelta(days=10)) == used
    assert clocks.pause(met, met_at + HOUR, "pending") == met
    assert clocks.meet(met, met_at + HOUR, "again") == met
    assert clocks.stop(met, met_at + HOUR, "cancelled") == met


@PROPERTY
@given(cal=calendars, target=targets, at=instants, data=st.data())
def test_stopped_clock_is_frozen_and_never_fires(
    cal: BusinessCalendar, target: Target, at: datetime, data: st.DataObject
) -> None:
    stopped_at = at + data.draw(offsets(timedelta(days=4)))
    stopped = clocks.stop(clocks.start(target, at, reason="created"), stopped_at, "cancelled")
    assert stopped.status is Status.stopped
    assert stopped.met_at is None
    assert clocks.due_at(stopped, cal) is None
    assert clocks.at_risk_at(stopped, cal) is None
    assert clocks.elapsed(stopped, cal, stopped_at + timedelta(days=10)) == counted(
        target, cal, at, stopped_at
    )
    assert clocks.pause(stopped, stopped_at + HOUR, "pending") == stopped
    assert clocks.meet(stopped, stopped_at + HOUR, "resolved") == stopped
    assert clocks.stop(stopped, stopped_at + HOUR, "again") == stopped


@pytest.mark.parametrize("metric", list(Metric))
def test_stopped_clock_is_not_revived_when_the_ticket_reopens(metric: Metric) -> None:
    # DOMAIN.md: "A clock that is met or stopped never fires." The engine stops a clock that is
    # no longer in the policy (e.g. next update after a critical ticket is lowered to high) and
    # resumes waiting metrics when the ticket goes back to open.
    target = Target(metric, ClockKind.calendar, 60, 80)
    stopped = clocks.stop(
        clocks.start(target, utc(2026, 5, 4, 10), reason="created"),
        utc(2026, 5, 4, 10, 30),
        "no longer in the policy",
    )
    after = clocks.resume(stopped, utc(2026, 5, 4, 12), "open")
    assert after.status is Status.stopped
    assert clocks.due_at(after, ALWAYS_OPEN) is None


@pytest.mark.parametrize(
    "metric", [Metric.first_response, Metric.next_update, Metric.escalation_review]
)
def test_met_clock_other_than_resolution_is_not_revived_by_resume(metric: Metric) -> None:
    target = Target(metric, ClockKind.calendar, 60, 80)
    met = clocks.meet(
        clocks.start(target, utc(2026, 5, 4, 10), reason="created"),
        utc(2026, 5, 4, 10, 5),
        "public reply",
    )
    after = clocks.resume(met, utc(2026, 5, 4, 12), "reopened")
    assert after == met
    assert clocks.due_at(after, ALWAYS_OPEN) is None


@PROPERTY
@given(cal=calendars, target=resolution_targets, at=instants, data=st.data())
def test_reopened_ticket_resumes_its_resolution_clock_where_it_stopped(
    cal: BusinessCalendar, target: Target, at: datetime, data: st.DataObject
) -> None:
    fresh_due = clocks.due_at(clocks.start(target, at, reason="created"), cal)
    assert fresh_due is not None
    resolved_at = at + data.draw(offsets(fresh_due - at))
    reopened_at = resolved_at + data.draw(offsets(timedelta(days=10)))
    met = clocks.meet(clocks.start(target, at, reason="created"), resolved_at, "resolved")
    reopened = clocks.resume(met, reopened_at, "reopened")
    assert reopened.status is Status.running
    assert reopened.met_at is None
    used = counted(target, cal, at, resolved_at)
    assert clocks.due_at(reopened, cal) == advance(target, cal, reopened_at, target.duration - used)
    assert [s.state for s in reopened.segments] == ["running", "met", "running"]


# --- rearm and retarget ------------------------------------------------------------------------


@PROPERTY
@given(cal=calendars, first=targets, second=targets, at=instants, data=st.data())
def test_rearm_starts_a_fresh_next_update_cycle(
    cal: BusinessCalendar, first: Target, second: Target, at: datetime, data: st.DataObject
) -> None:
    first = replace(first, metric=Metric.next_update)
    second = replace(second, metric=Metric.next_update)
    old = clocks.start(first, at, reason="public reply", cycle=data.draw(st.integers(0, 50)))
    old = data.draw(
        st.sampled_from(
            [
                old,
                clocks.pause(old, at + MINUTE, "pending"),
                clocks.meet(old, at + MINUTE, "resolved"),
                replace(old, breached_at=at + first.duration),
            ]
        )
    )
    again = at + data.draw(offsets(timedelta(days=2)))
    rearmed = clocks.rearm(old, second, again, "public reply")
    assert rearmed.cycle == old.cycle + 1
    assert rearmed.status is Status.running
    assert rearmed.segments == (Segment(Status.running, again, None, "public reply"),)
    assert rearmed.target == second
    assert rearmed.breached_at is None and rearmed.met_at is None
    assert clocks.due_at(rearmed, cal) == advance(second, cal, again, second.duration)


@PROPERTY
@given(cal=calendars, old=resolution_targets, new=resolution_targets, at=instants, data=st.data())
def test_retarget_keeps_the_history_and_moves_the_due_time(
    cal: BusinessCalendar, old: Target, new: Target, at: datetime, data: st.DataObject
) -> None:
    paused_at = at + data.draw(offsets(timedelta(days=3)))
    resumed_at = paused_at + data.draw(offsets(timedelta(days=3)))
    clock = clocks.start(old, at, reason="created")
    clock = clocks.resume(clocks.pause(clock, paused_at, "pending"), resumed_at, "open")
    changed = clocks.retarget(clock, new)
    assert changed.segments == clock.segments
    assert changed.cycle == clock.cycle and changed.status is clock.status
    assert changed.target == new
    used = counted(new, cal, at, paused_at)
    remaining = max(new.duration - used, timedelta(0))
    assert clocks.due_at(changed, cal) == advance(new, cal, resumed_at, remaining)


def test_lowering_priority_gives_a_later_due_time() -> None:
    cal = default_calendar()
    start = datetime(2026, 3, 2, 10, 0, tzinfo=NY)
    high = Target(Metric.resolution, ClockKind.calendar, 480, 80)
    medium = Target(Metric.resolution, ClockKind.business, 540, 80)
    clock = clocks.start(high, start, reason="created")
    assert clocks.due_at(clock, cal) == datetime(2026, 3, 2, 18, 0, tzinfo=NY)
    assert clocks.due_at(clocks.retarget(clock, medium), cal) == datetime(
        2026, 3, 3, 10, 0, tzinfo=NY
    )


# --- display_state -----------------------------------------------------------------------------

NOW = utc(2026, 5, 4, 12)


@pytest.mark.parametrize(
    ("status", "breached_at", "due", "risk", "expected"),
    [
        pytest.param("met", None, None, None, State.met, id="met"),
        pytest.param("met", NOW - HOUR, NOW - HOUR, NOW - HOUR, State.met, id="met-after-breach"),
        pytest.param("stopped", None, None, None, State.stopped, id="stopped"),
        pytest.param("stopped", NOW - HOUR, None, None, State.stopped, id="stopped-after-breach"),
        pytest.param("running", NOW - HOUR, NOW + HOUR, None, State.breached, id="breached-at"),
        pytest.param("running", None, NOW - MINUTE, NOW - HOUR, State.breached, id="due-passed"),
        pytest.param("running", None, NOW, NOW - HOUR, State.breached, id="exactly-due"),
        pytest.param("paused", NOW - HOUR, None, None, State.breached, id="breached-paused"),
        pytest.param("paused", None, None, None, State.paused, id="paused"),
        pytest.param("running", None, NOW + HOUR, NOW, State.at_risk, id="exactly-at-risk"),
        pytest.param("running", None, NOW + HOUR, NOW - MINUTE, State.at_risk, id="at-risk"),
        pytest.param(
            "running",
            None,
            NOW + HOUR,
            NOW + timedelta(microseconds=1),
            State.on_track,
            id="just-before-at-risk",
        ),
        pytest.param(
            "running",
            None,
            NOW + timedelta(microseconds=1),
            NOW - HOUR,
            State.at_risk,
            id="just-before-due",
        ),
        pytest.param("running", None, NOW + HOUR, NOW + MINUTE, State.on_track, id="on-track"),
    ],
)
def test_display_state_from_stored_values(
    status: str,
    breached_at: datetime | None,
    due: datetime | None,
    risk: datetime | None,
    expected: State,
) -> None:
    shown = clocks.display_state(
        status, breached_at=breached_at, due_at=due, at_risk_at=risk, now=NOW
    )
    assert shown is expected


@PROPERTY
@given(cal=calendars, target=targets, at=instants, data=st.data())
def test_running_clock_goes_on_track_then_at_risk_then_breached(
    cal: BusinessCalendar, target: Target, at: datetime, data: st.DataObject
) -> None:
    clock = clocks.start(target, at, reason="created")
    due, risk = clocks.due_at(clock, cal), clocks.at_risk_at(clock, cal)
    assert due is not None and risk is not None

    def shown(now: datetime) -> State:
        return clocks.display_state(
            clock.status.value, breached_at=None, due_at=due, at_risk_at=risk, now=now
        )

    assert shown(due) is State.breached
    assert shown(due + data.draw(offsets(timedelta(days=30)))) is State.breached
    assume(risk < due)
    assert shown(risk) is State.at_risk
    assert shown(risk + data.draw(offsets(due - risk))) is State.at_risk
    assert shown(risk - timedelta(microseconds=1)) is State.on_track


# --- segments as stored ------------------------------------------------------------------------

zoned_instants = st.datetimes(
    min_value=datetime(2000, 1, 1),
    max_value=datetime(2100, 1, 1),
    timezones=st.sampled_from(
        [UTC, timezone(timedelta(hours=-5)), timezone(timedelta(hours=5, minutes=30))]
    ),
)


@settings(max_examples=200, deadline=None)
@given(
    state=st.sampled_from(list(Status)),
    start=zoned_instants,
    end=st.none() | zoned_instants,
    reason=st.text(max_size=30),
)
def test_segment_survives_a_json_round_trip(
    state: Status, start: datetime, end: datetime | None, reason: str
) -> None:
    segment = Segment(state, start, end, reason)
    restored = Segment.from_json(json.loads(json.dumps(segment.to_json())))
    assert restored == segment
    assert restored.start.utcoffset() == start.utcoffset()
    assert (restored.end is None) == (end is None)


def test_open_segment_is_stored_with_a_null_end() -> None:
    data = Segment(Status.running, utc(2026, 5, 4, 10), None, "created").to_json()
    assert data == {
        "state": "running",
        "start": "2026-05-04T10:00:00+00:00",
        "end": None,
        "reason": "created",
    }

"""Pure tests for app.sla.policy: the default policy of DOMAIN.md, arrival and target selection."""

from dataclasses import replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from app.sla.calendar import BusinessCalendar, default_calendar
from app.sla.policy import (
    Arrival,
    ClockKind,
    Metric,
    PolicyTarget,
    Target,
    arrival_of,
    default_table,
    select_target,
    validate_table,
)

NY = ZoneInfo("America/New_York")
CAL, BUS = ClockKind.calendar, ClockKind.business
FR, NU, RES, ESC = (
    Metric.first_response,
    Metric.next_update,
    Metric.resolution,
    Metric.escalation_review,
)
HOUR, BUSINESS_DAY = 60, 9 * 60

# (plan, priority, metric) -> (clock, in-hours minutes, after-hours minutes, closed-day minutes)
# Written out by hand from the DOMAIN.md table, not derived from the code under test.
EXPECTED_DEFAULT = {
    # standard
    ("standard", "critical", FR): (CAL, 15, None, None),
    ("standard", "critical", NU): (CAL, 60, None, None),
    ("standard", "critical", RES): (CAL, 240, None, None),
    ("standard", "critical", ESC): (CAL, 1440, None, None),
    ("standard", "high", FR): (CAL, 60, 240, 240),
    ("standard", "high", RES): (CAL, 480, None, None),
    ("standard", "high", ESC): (CAL, 1440, None, None),
    ("standard", "medium", FR): (BUS, 240, None, None),
    ("standard", "medium", RES): (BUS, 540, None, None),
    ("standard", "medium", ESC): (CAL, 1440, None, None),
    ("standard", "low", FR): (BUS, 540, None, None),
    ("standard", "low", RES): (BUS, 1620, None, None),
    ("standard", "low", ESC): (CAL, 1440, None, None),
    # enterprise: critical as standard; first responses half of standard; resolutions as standard
    ("enterprise", "critical", FR): (CAL, 15, None, None),
    ("enterprise", "critical", NU): (CAL, 60, None, None),
    ("enterprise", "critical", RES): (CAL, 240, None, None),
    ("enterprise", "critical", ESC): (CAL, 1440, None, None),
    ("enterprise", "high", FR): (CAL, 30, 120, 120),
    ("enterprise", "high", RES): (CAL, 480, None, None),
    ("enterprise", "high", ESC): (CAL, 1440, None, None),
    ("enterprise", "medium", FR): (BUS, 120, None, None),
    ("enterprise", "medium", RES): (BUS, 540, None, None),
    ("enterprise", "medium", ESC): (CAL, 1440, None, None),
    ("enterprise", "low", FR): (BUS, 270, None, None),
    ("enterprise", "low", RES): (BUS, 1620, None, None),
    ("enterprise", "low", ESC): (CAL, 1440, None, None),
}


def ny(*args: int) -> datetime:
    return datetime(*args, tzinfo=NY)


def _by_key(table: list[PolicyTarget]) -> dict[tuple[str, str, Metric], PolicyTarget]:
    return {(row.plan, row.priority, row.metric): row for row in table}


# --- the default table -------------------------------------------------------------------------


def test_default_table_matches_the_domain_policy_exactly() -> None:
    table = default_table()
    actual = {
        (row.plan, row.priority, row.metric): (
            row.clock,
            row.target_minutes,
            row.after_hours_minutes,
            row.closed_day_minutes,
        )
        for row in table
    }
    assert actual == EXPECTED_DEFAULT
    assert len(table) == len(EXPECTED_DEFAULT), "a plan/priority/metric appears more than once"


def test_every_default_target_turns_at_risk_at_80_percent() -> None:
    assert {row.at_risk_percent for row in default_table()} == {80}


def test_critical_targets_are_the_same_for_both_plans() -> None:
    rows = _by_key(default_table())
    for metric in (FR, NU, RES, ESC):
        standard, enterprise = (
            rows["standard", "critical", metric],
            rows["enterprise", "critical", metric],
        )
        assert replace(standard, plan="enterprise") == enterprise


@pytest.mark.parametrize("priority", ["high", "medium", "low"])
def test_enterprise_first_response_is_half_of_standard_and_resolution_is_the_same(
    priority: str,
) -> None:
    rows = _by_key(default_table())
    standard_first, enterprise_first = (
        rows["standard", priority, FR],
        rows["enterprise", priority, FR],
    )
    assert enterprise_first.target_minutes * 2 == standard_first.target_minutes
    if standard_first.after_hours_minutes is not None:
        assert enterprise_first.after_hours_minutes * 2 == standard_first.after_hours_minutes
        assert enterprise_first.closed_day_minutes * 2 == standard_first.closed_day_minutes
    assert enterprise_first.clock == standard_first.clock
    standard_res, enterprise_res = (
        rows["standard", priority, RES],
        rows["enterprise", priority, RES],
    )
    assert replace(standard_res, plan="enterprise") == enterprise_res


def test_only_critical_tickets_have_a_next_update_cadence() -> None:
    with_cadence = {(r.plan, r.priority) for r in default_table() if r.metric is NU}
    assert with_cadence == {("standard", "critical"), ("enterprise", "critical")}


def test_escalation_review_is_24_calendar_hours_for_every_plan_and_priority() -> None:
    reviews = [r for r in default_table() if r.metric is ESC]
    assert len(reviews) == 8
    assert all(r.clock is CAL and r.target_minutes == 24 * HOUR for r in reviews)
    assert all(r.after_hours_minutes is None and r.closed_day_minutes is None for r in reviews)


def test_business_day_targets_are_nine_business_hours() -> None:
    rows = _by_key(default_table())
    assert rows["standard", "low", FR].target_minutes == BUSINESS_DAY
    assert rows["standard", "medium", RES].target_minutes == BUSINESS_DAY
    assert rows["standard", "low", RES].target_minutes == 3 * BUSINESS_DAY
    assert {rows["standard", p, m].clock for p in ("medium", "low") for m in (FR, RES)} == {BUS}


def test_default_table_is_a_fresh_list_each_time() -> None:
    first = default_table()
    first.clear()
    assert len(default_table()) == len(EXPECTED_DEFAULT)


# --- validate_table ----------------------------------------------------------------------------


def test_default_table_is_valid() -> None:
    assert validate_table(default_table()) == []


def test_missing_first_response_target_is_reported_as_a_gap() -> None:
    table = [
        r for r in default_table() if (r.plan, r.priority, r.metric) != ("standard", "high", FR)
    ]
    problems = validate_table(table)
    assert len(problems) == 1
    assert "standard/high" in problems[0] and "first_response" in problems[0]


def test_missing_resolution_target_is_reported_as_a_gap() -> None:
    table = [
        r for r in default_table() if (r.plan, r.priority, r.metric) != ("enterprise", "low", RES)
    ]
    problems = validate_table(table)
    assert len(problems) == 1
    assert "enterprise/low" in problems[0] and "resolution" in problems[0]


def test_every_gap_is_reported_when_a_whole_plan_is_missing() -> None:
    table = [r for r in default_table() if r.plan != "enterprise"]
    problems = validate_table(table)
    # 4 priorities x 2 required metrics (first response, resolution)
    assert len(problems) == 8
    assert all("enterprise/" in p for p in problems)


def test_empty_table_reports_every_required_target() -> None:
    assert len(validate_table([])) == 2 * 4 * 2


def test_duplicate_row_is_reported() -> None:
    table = default_table()
    duplicate = replace(_by_key(table)["standard", "medium", RES], target_minutes=999)
    problems = validate_table([*table, duplicate])
    assert len(problems) == 1
    assert "standard/medium" in problems[0] and "resolution" in problems[0]
    assert "twice" in problems[0]


def test_optional_metrics_may_be_left_out() -> None:
    table = [r for r in default_table() if r.metric in (FR, RES)]
    assert validate_table(table) == []


# --- arrival_of on the default calendar --------------------------------------------------------


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        pytest.param(ny(2026, 3, 2, 10, 0), Arrival.in_hours, id="monday-10:00"),
        pytest.param(ny(2026, 3, 2, 9, 0), Arrival.in_hours, id="monday-opening-09:00"),
        pytest.param(ny(2026, 3, 2, 17, 59, 59), Arrival.in_hours, id="monday-17:59:59"),
        pytest.param(ny(2026, 3, 2, 18, 0), Arrival.after_hours, id="monday-closing-18:00"),
        pytest.param(ny(2026, 3, 2, 20, 0), Arrival.after_hours, id="monday-20:00"),
        pytest.param(ny(2026, 3, 2, 8, 59), Arrival.after_hours, id="monday-08:59"),
        pytest.param(ny(2026, 3, 7, 11, 0), Arrival.closed_day, id="saturday-11:00"),
        pytest.param(ny(2026, 3, 8, 3, 0), Arrival.closed_day, id="sunday-dst-change"),
        pytest.param(ny(2026, 11, 26, 10, 0), Arrival.closed_day, id="thanksgiving-10:00"),
        pytest.param(ny(2026, 11, 26, 20, 0), Arrival.closed_day, id="thanksgiving-20:00"),
        pytest.param(ny(2026, 11, 27, 10, 0), Arrival.in_hours, id="day-after-thanksgiving"),
    ],
)
def test_arrival_on_the_default_calendar(at: datetime, expected: Arrival) -> None:
    assert arrival_of(default_calendar(), at) is expected


def test_arrival_uses_the_calendars_local_date_not_utc() -> None:
    # Saturday 01:00 UTC is Friday 20:00 in New York: after hours, not a closed day.
    assert arrival_of(default_calendar(), datetime(2026, 3, 7, 1, 0, tzinfo=UTC)) is (
        Arrival.after_hours
    )
    # Monday 03:00 UTC is Sunday 22:00 in New York: a closed day.
    assert arrival_of(default_calendar(), datetime(2026, 3, 2, 3, 0, tzinfo=UTC)) is (
        Arrival.closed_day
    )
    # Monday 15:00 UTC is Monday 10:00 in New York.
    assert arrival_of(default_calendar(), datetime(2026, 3, 2, 15, 0, tzinfo=UTC)) is (
        Arrival.in_hours
    )


def test_lunch_break_is_after_hours_not_a_closed_day() -> None:
    berlin = BusinessCalendar.from_dict(
        {
            "timezone": "Europe/Berlin",
            "weekly_hours": {
                day: [["09:00", "12:30"], ["13:30", "18:00"]]
                for day in ("mon", "tue", "wed", "thu", "fri")
            },
        }
    )
    lunch = datetime(2026, 3, 2, 13, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    assert arrival_of(berlin, lunch) is Arrival.after_hours


# --- select_target -----------------------------------------------------------------------------


def _select(plan: str, priority: str, metric: Metric, arrival: Arrival) -> Target | None:
    return select_target(
        default_table(), plan=plan, priority=priority, metric=metric, arrival=arrival
    )


@pytest.mark.parametrize(
    ("plan", "arrival", "minutes"),
    [
        ("standard", Arrival.in_hours, 60),
        ("standard", Arrival.after_hours, 240),
        ("standard", Arrival.closed_day, 240),
        ("enterprise", Arrival.in_hours, 30),
        ("enterprise", Arrival.after_hours, 120),
        ("enterprise", Arrival.closed_day, 120),
    ],
)
def test_high_first_response_target_depends_on_arrival(
    plan: str, arrival: Arrival, minutes: int
) -> None:
    assert _select(plan, "high", FR, arrival) == Target(FR, CAL, minutes, 80)


@pytest.mark.parametrize("arrival", list(Arrival))
def test_targets_without_an_after_hours_variant_ignore_arrival(arrival: Arrival) -> None:
    assert _select("standard", "medium", FR, arrival) == Target(FR, BUS, 240, 80)
    assert _select("standard", "critical", FR, arrival) == Target(FR, CAL, 15, 80)
    assert _select("enterprise", "high", RES, arrival) == Target(RES, CAL, 480, 80)


def test_arrival_on_the_calendar_drives_the_selected_target() -> None:
    cal = default_calendar()
    minutes = {
        at: _select("standard", "high", FR, arrival_of(cal, at)).minutes  # type: ignore[union-attr]
        for at in (ny(2026, 3, 2, 10), ny(2026, 3, 2, 20), ny(2026, 3, 7, 10), ny(2026, 11, 26, 10))
    }
    assert list(minutes.values()) == [60, 240, 240, 240]


def test_closed_day_target_takes_precedence_over_after_hours() -> None:
    row = PolicyTarget(
        "standard", "high", FR, CAL, 60, after_hours_minutes=120, closed_day_minutes=300
    )
    table = [row]
    pick = {
        a: select_target(table, plan="standard", priority="high", metric=FR, arrival=a)
        for a in Arrival
    }
    assert pick[Arrival.in_hours].minutes == 60  # type: ignore[union-attr]
    assert pick[Arrival.after_hours].minutes == 120  # type: ignore[union-attr]
    assert pick[Arrival.closed_day].minutes == 300  # type: ignore[union-attr]


def test_closed_day_falls_back_to_the_after_hours_target() -> None:
    row = PolicyTarget("standard", "high", FR, CAL, 60, after_hours_minutes=120)
    assert row.minutes_for(Arrival.closed_day) == 120
    assert row.minutes_for(Arrival.after_hours) == 120
    assert row.minutes_for(Arrival.in_hours) == 60


def test_only_closed_day_variant_leaves_after_hours_on_the_normal_target() -> None:
    row = PolicyTarget("standard", "high", FR, CAL, 60, closed_day_minutes=300)
    assert row.minutes_for(Arrival.after_hours) == 60
    assert row.minutes_for(Arrival.closed_day) == 300


def test_selected_target_carries_the_rows_clock_and_at_risk_percent() -> None:
    row = PolicyTarget("enterprise", "low", RES, BUS, 1000, at_risk_percent=65)
    target = select_target(
        [row], plan="enterprise", priority="low", metric=RES, arrival=Arrival.in_hours
    )
    assert target == Target(RES, BUS, 1000, 65)
    assert target.duration.total_seconds() == 1000 * 60  # type: ignore[union-attr]


@pytest.mark.parametrize("plan", ["standard", "enterprise"])
@pytest.mark.parametrize("priority", ["high", "medium", "low"])
def test_no_next_update_target_below_critical(plan: str, priority: str) -> None:
    assert _select(plan, priority, NU, Arrival.in_hours) is None


def test_critical_next_update_is_every_60_calendar_minutes() -> None:
    assert _select("enterprise", "critical", NU, Arrival.closed_day) == Target(NU, CAL, 60, 80)


def test_unknown_plan_or_priority_has_no_target() -> None:
    assert _select("platinum", "high", FR, Arrival.in_hours) is None
    assert _select("standard", "urgent", FR, Arrival.in_hours) is None

"""The SLA report: compliance, timings, breaches, escalations and CSAT.

Which tickets: those created in [from, to), grouped by their current priority, organization
or assignee (unassigned tickets form their own group by agent).

Each ticket has exactly one first-response and one resolution clock (the policy table must
define both targets for every plan and priority), started when the ticket was opened, i.e.
at its `created_at` (imports included). The clocks are therefore read by the same range on
`started_at` through `ix_ticket_clocks_report`, an index that carries everything the report
reads, and joined to their tickets. A clock's outcome:

- breached: a breach was recorded (`breached_at`, whatever happened next, a cancellation
  included), a met clock counted more than its target, or a running clock is past due now;
- met: met within its target (`elapsed_minutes` <= `target_minutes`);
- no outcome (excluded from compliance): running and not yet due, paused (its due instant is
  unknown), or stopped by a cancellation before breaching.

Compliance is met / (met + breached). Times (median and p90, `percentile_cont`) are taken over
met clocks, late ones included, from `elapsed_minutes`: business minutes on a business clock,
calendar minutes otherwise, pauses (pending, on hold, awaiting approval) excluded, counted
across reopenings. Breaches count breached first-response and resolution clocks. Escalations
count each ticket's steps up the chain (`escalation_level - 1`: every escalation records one
row per level reached and moves the ticket exactly one level). CSAT averages the scores of the
rated tickets.

Where the figures come from: each whole UTC day of the range whose roll-up is fresh (see
app/reports/models.py) is read from `report_rollups`, a few rows a day; the rest of the range
(its partial first and last days, today, a day changed since its roll-up) is computed live
by the same grouped query the roll-ups are built with (`grouped`), so both say the same.
SQL sums the parts per group and joins their times (each part's sorted); Python sorts each
group's times (runs that merge cheaply) and interpolates the percentiles as percentile_cont
does.
"""

import math
import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, aggregate_order_by
from sqlmodel.ext.asyncio.session import AsyncSession

from app import timesource
from app.assignment.models import Agent
from app.base import TIMESTAMP
from app.errors import invalid
from app.organizations.models import Organization
from app.pagination import PAGE_DEFAULT, opaque, unwrap
from app.reports.models import ReportBuild, ReportChange, ReportRollup
from app.reports.schemas import ClockStats, Csat, GroupBy, SlaReport, SlaReportRow
from app.sla.clocks import Status
from app.sla.models import TicketClock
from app.sla.policy import Metric
from app.statements import among
from app.tickets.models import Priority, Ticket

MAX_RANGE = timedelta(days=366)
REPORTED = (Metric.first_response.value, Metric.resolution.value)
NO_OUTCOME, MET, BREACHED = 0, 1, 2
PRIORITY_ORDER = [priority.value for priority in Priority]

_clock = TicketClock.__table__.c
_ticket = Ticket.__table__.c
_GROUP_KEYS = {
    GroupBy.priority: _ticket.priority,
    GroupBy.organization: _ticket.organization_id,
    GroupBy.agent: _ticket.assignee_id,
}
# A month is ~100,000 tickets and twice as many clocks. Each range is planned on its own (a
# generic plan of the prepared statement cannot know how many tickets a range holds and falls
# back to sequential scans); the tickets' pages are cached and in date order, so index scans
# beat the sequential scan the default page costs pick; the aggregation fits in memory; and
# JIT compilation would cost more than it saves. SET LOCAL: for this transaction only.
_SETTINGS = sa.text(
    "SELECT set_config('plan_cache_mode', 'force_custom_plan', true),"
    " set_config('random_page_cost', '1.1', true), set_config('work_mem', '32MB', true),"
    " set_config('jit', 'off', true)"
)
# Inline, so that the planner can match the partial index's predicate.
IS_REPORTED = _clock.metric.in_([sa.literal(metric, literal_execute=True) for metric in REPORTED])
_NO_MINUTES = sa.literal([], ARRAY(sa.Double))
_RESOLUTION = Metric.resolution.value
_SUMMED = ("rows", "met", "breached", "escalations", "csat_sum", "csat_count")
DAY = timedelta(days=1)


def _outcome(now: sa.BindParameter[datetime]) -> sa.ColumnElement[int]:
    breached = sa.or_(
        _clock.breached_at.is_not(None),
        sa.and_(_clock.status == Status.running.value, _clock.due_at <= now),
        sa.and_(_clock.status == Status.met.value, _clock.elapsed_minutes > _clock.target_minutes),
    )
    return sa.case((breached, BREACHED), (_clock.status == Status.met.value, MET), else_=NO_OUTCOME)


def _ranges(name: str) -> Any:
    """The instants reported live, as [start, end) pairs (`:starts`, `:ends`)."""
    starts = sa.bindparam("starts", type_=ARRAY(TIMESTAMP))
    ends = sa.bindparam("ends", type_=ARRAY(TIMESTAMP))
    columns = sa.column("start", TIMESTAMP), sa.column("end", TIMESTAMP)
    return sa.func.unnest(starts, ends).table_valued(*columns).render_derived(name)


def _within(instant: sa.ColumnElement[datetime], ranges: Any) -> sa.ColumnElement[bool]:
    return sa.and_(instant >= ranges.c.start, instant < ranges.c.end)


def grouped(group_by: GroupBy) -> sa.Select[Any]:
    """One row per group and metric over the tickets created in the ranges, judged at `:now`:
    what a day's roll-up keeps and what the report sums (key as text, times as a list)."""
    now = sa.bindparam("now", type_=TIMESTAMP)
    clock_ranges, ticket_ranges = _ranges("clock_ranges"), _ranges("ranges")
    clocks = (
        sa.select(
            _clock.ticket_id,
            _clock.metric,
            _clock.status,
            _clock.elapsed_minutes,
            _outcome(now).label("outcome"),
        )
        .select_from(clock_ranges.join(TicketClock, _within(_clock.started_at, clock_ranges)))
        .where(IS_REPORTED)
        .subquery("clocks")
    )
    key = sa.cast(_GROUP_KEYS[group_by], sa.Text)
    met = clocks.c.status == Status.met.value
    tickets = ticket_ranges.join(Ticket, _within(_ticket.created_at, ticket_ranges))
    return (
        sa.select(
            key.label("key"),
            clocks.c.metric,
            # Ticket figures are read on the first-response row (or the clock-less row) only,
            # so each ticket counts once.
            sa.func.count().label("rows"),
            sa.func.count().filter(clocks.c.outcome == MET).label("met"),
            sa.func.count().filter(clocks.c.outcome == BREACHED).label("breached"),
            sa.func.coalesce(
                sa.func.array_agg(
                    aggregate_order_by(clocks.c.elapsed_minutes, clocks.c.elapsed_minutes)
                ).filter(met),
                _NO_MINUTES,
            ).label("minutes"),
            sa.func.coalesce(sa.func.sum(_ticket.escalation_level - 1), 0).label("escalations"),
            sa.func.coalesce(sa.func.sum(_ticket.satisfaction_score), 0).label("csat_sum"),
            sa.func.count(_ticket.satisfaction_score).label("csat_count"),
        )
        .select_from(tickets.outerjoin(clocks, clocks.c.ticket_id == _ticket.id))
        .group_by(key, clocks.c.metric)
    )


def _statement(group_by: GroupBy) -> sa.Select[Any]:
    """One row per group and metric: the live rows of the ranges and the roll-ups of the
    fresh days (`:days`), summed, with the group's times joined (`report_minutes`). The
    total is summed in Python, from the groups."""
    rollup = ReportRollup.__table__.c
    live = grouped(group_by)
    kept = sa.select(*(rollup[column.name] for column in live.selected_columns)).where(
        rollup.grouping == group_by.value,
        rollup.day == sa.func.any(sa.bindparam("days", type_=ARRAY(sa.Date))),
    )
    parts = sa.union_all(live, kept).subquery("parts")
    summed = (sa.func.sum(parts.c[name]).label(name) for name in _SUMMED)
    minutes = sa.func.report_minutes(parts.c.minutes, type_=ARRAY(sa.Double))
    # Byte order: ids and metric names need no linguistic collation to be grouped.
    key, metric = parts.c.key.collate("C"), parts.c.metric.collate("C")
    return sa.select(
        key.label("key"), metric.label("metric"), *summed, minutes.label("minutes")
    ).group_by(key, metric)


_STATEMENTS = {group_by: _statement(group_by) for group_by in GroupBy}


class _Clocks:
    """One metric's clocks over a group: outcomes counted, times of the met ones kept."""

    def __init__(self) -> None:
        self.rows = self.met = self.breached = 0
        self.minutes: list[float] = []

    def add(self, row: Any) -> None:
        """A part's clocks (`row`), or another group's (a `_Clocks`)."""
        self.rows += row.rows
        self.met += row.met
        self.breached += row.breached
        self.minutes.extend(row.minutes)

    def stats(self) -> ClockStats:
        decided = self.met + self.breached
        self.minutes.sort()  # runs of sorted times: each part's times come sorted
        return ClockStats(
            met=self.met,
            breached=self.breached,
            excluded=self.rows - decided,
            compliance_percent=_round(100 * self.met / decided) if decided else None,
            median_minutes=_round(percentile(self.minutes, 0.5)),
            p90_minutes=_round(percentile(self.minutes, 0.9)),
        )


def percentile(ordered: list[float], fraction: float) -> float | None:
    """PostgreSQL's percentile_cont, to the last bit: linear between the closest ranks."""
    if not ordered:
        return None
    position = fraction * (len(ordered) - 1)
    low, high = ordered[math.floor(position)], ordered[math.ceil(position)]
    return low + (high - low) * (position - math.floor(position))


class _Group:
    """Figures of one group, folded from its rows (per part and metric)."""

    def __init__(self) -> None:
        self.tickets = self.escalations = self.csat_sum = self.csat_count = 0
        self.metrics = {metric: _Clocks() for metric in REPORTED}

    def add(self, row: Any) -> None:
        clocks = self.metrics.get(row.metric)
        if clocks is not None:
            clocks.add(row)
        if row.metric != _RESOLUTION:  # first response, or a ticket without clocks
            self.tickets += row.rows
            self.escalations += row.escalations
            self.csat_sum += row.csat_sum
            self.csat_count += row.csat_count

    @classmethod
    def total(cls, groups: Iterable["_Group"]) -> "_Group":
        """The groups summed, after their own times were sorted (so they merge cheaply)."""
        total = cls()
        for group in groups:
            for metric, clocks in group.metrics.items():
                total.metrics[metric].add(clocks)
            total.tickets += group.tickets
            total.escalations += group.escalations
            total.csat_sum += group.csat_sum
            total.csat_count += group.csat_count
        return total

    def out(self, key: str | None, name: str | None) -> SlaReportRow:
        first, resolution = (self.metrics[metric].stats() for metric in REPORTED)
        average = self.csat_sum / self.csat_count if self.csat_count else None
        return SlaReportRow(
            key=key,
            name=name,
            tickets=self.tickets,
            first_response=first,
            resolution=resolution,
            breaches=first.breached + resolution.breached,
            escalations=self.escalations,
            csat=Csat(average=_round(average), count=self.csat_count),
        )


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 2)


async def _names(session: AsyncSession, group_by: GroupBy, keys: Sequence[Any]) -> dict[Any, str]:
    if group_by is GroupBy.priority:
        return {key: key for key in keys}
    table = Organization if group_by is GroupBy.organization else Agent
    ids = [uuid.UUID(key) for key in keys if key is not None]
    if not ids:
        return {}
    rows = await session.execute(sa.select(table.id, table.name).where(among(table.id, ids)))
    return {str(row.id): row.name for row in rows}


def _order(group_by: GroupBy, key: Any, name: str | None) -> tuple[Any, ...]:
    if group_by is GroupBy.priority:
        return (PRIORITY_ORDER.index(key),)
    return (key is None, (name or "").casefold(), key or "")


def _after(group_by: GroupBy, cursor: str | None) -> tuple[Any, ...] | None:
    """The position of the last group of the previous page; a cursor of another grouping, or
    not one this API returned, is a 422."""
    if cursor is None:
        return None
    kinds = (int,) if group_by is GroupBy.priority else (bool, str, str)

    def read(value: list[Any]) -> tuple[Any, ...]:
        grouping, *position = value
        if grouping != group_by.value or [type(part) for part in position] != list(kinds):
            raise ValueError(cursor)
        return tuple(position)

    return unwrap(cursor, read)


def _check_range(start: datetime, end: datetime) -> None:
    if start >= end:
        raise invalid("query.to", "`to` must be after `from`.")
    if end - start > MAX_RANGE:
        raise invalid("query.to", f"A report covers at most {MAX_RANGE.days} days.")


def _days(start: datetime, end: datetime) -> tuple[date, date]:
    """The whole UTC days inside [start, end), as [first, last)."""
    first = (start.astimezone(UTC) + DAY - timedelta(microseconds=1)).date()
    return first, end.astimezone(UTC).date()


def midnight(day: date) -> datetime:
    return datetime.combine(day, time(), UTC)


async def _fresh_days(
    session: AsyncSession, start: datetime, end: datetime, now: datetime
) -> list[date]:
    """The whole days of the range whose roll-ups are current and judged as at `now`."""
    first, last = _days(start, end)
    if first >= last:
        return []
    build = ReportBuild.__table__.c
    rows = await session.execute(
        sa.select(build.day)
        .where(build.day >= first, build.day < last, current(now))
        .order_by(build.day)
    )
    return list(rows.scalars())


def current(now: datetime) -> sa.ColumnElement[bool]:
    """A build (`report_builds`) that is read: no change recorded to its day since, and
    judging running clocks at `now` as at its own instant."""
    build, change = ReportBuild.__table__.c, ReportChange.__table__.c
    return sa.and_(
        build.judged_from <= now,
        build.judged_until > now,
        ~sa.exists().where(change.day == build.day),
    )


def _live(start: datetime, end: datetime, fresh: list[date]) -> tuple[list[datetime], ...]:
    """[start, end) less the fresh days, as the starts and ends of its pieces."""
    starts, ends, cursor = [], [], start
    for day in fresh:
        if cursor < midnight(day):
            starts.append(cursor)
            ends.append(midnight(day))
        cursor = midnight(day + DAY)
    if cursor < end:
        starts.append(cursor)
        ends.append(end)
    return starts, ends


async def statement(
    session: AsyncSession, group_by: GroupBy, start: datetime, end: datetime, now: datetime
) -> sa.Select[Any]:
    """The report's statement, bound: live over the range less its fresh days, which it reads
    from their roll-ups."""
    fresh = await _fresh_days(session, start, end, now)
    starts, ends = _live(start, end, fresh)
    parameters = {"starts": starts, "ends": ends, "days": fresh, "now": now}
    return _STATEMENTS[group_by].params(parameters)


async def sla_report(
    session: AsyncSession,
    *,
    start: datetime,
    end: datetime,
    group_by: GroupBy,
    cursor: str | None = None,
    limit: int = PAGE_DEFAULT,
    now: datetime | None = None,
) -> SlaReport:
    """SLA compliance and timings of the tickets created in [start, end), by group."""
    _check_range(start, end)
    now = now or timesource.now()
    await session.execute(_SETTINGS)
    rows = await session.execute(await statement(session, group_by, start, end, now))
    groups = dict[Any, _Group]()
    if group_by is GroupBy.priority:
        groups = {priority: _Group() for priority in PRIORITY_ORDER}
    for row in rows:
        groups.setdefault(row.key, _Group()).add(row)  # one row per group and metric
    names = await _names(session, group_by, list(groups))
    positions = {key: _order(group_by, key, names.get(key)) for key in groups}
    after = _after(group_by, cursor)
    ordered = sorted(
        (key for key in groups if after is None or positions[key] > after),
        key=positions.__getitem__,
    )
    shown = ordered[:limit]
    next_cursor = opaque([group_by.value, *positions[shown[-1]]]) if len(ordered) > limit else None
    return SlaReport.model_validate(
        {
            "from": start.astimezone(UTC),
            "to": end.astimezone(UTC),
            "group_by": group_by,
            "generated_at": now,
            "total": _Group.total(groups.values()).out(None, None),
            "data": [groups[key].out(key, names.get(key)) for key in shown],
            "next_cursor": next_cursor,
        }
    )

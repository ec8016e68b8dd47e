"""The SLA report: compliance, timings, breaches, escalations and CSAT, computed in SQL.

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
"""

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel.ext.asyncio.session import AsyncSession

from app import timesource
from app.assignment.models import Agent
from app.errors import invalid
from app.organizations.models import Organization
from app.reports.schemas import ClockStats, Csat, GroupBy, SlaReport, SlaReportRow
from app.sla.clocks import Status
from app.sla.models import TicketClock
from app.sla.policy import Metric
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
_REPORTED_IN = _clock.metric.in_([sa.literal(metric, literal_execute=True) for metric in REPORTED])


def _outcome(now: sa.BindParameter[datetime]) -> sa.ColumnElement[int]:
    breached = sa.or_(
        _clock.breached_at.is_not(None),
        sa.and_(_clock.status == Status.running.value, _clock.due_at <= now),
        sa.and_(_clock.status == Status.met.value, _clock.elapsed_minutes > _clock.target_minutes),
    )
    return sa.case((breached, BREACHED), (_clock.status == Status.met.value, MET), else_=NO_OUTCOME)


def _statement(group_by: GroupBy) -> sa.Select[Any]:
    """One row per group and metric, plus one per metric for the whole range (the total)."""
    start = sa.bindparam("start", type_=sa.DateTime(timezone=True))
    end = sa.bindparam("end", type_=sa.DateTime(timezone=True))
    now = sa.bindparam("now", type_=sa.DateTime(timezone=True))
    clocks = (
        sa.select(
            _clock.ticket_id,
            _clock.metric,
            _clock.status,
            _clock.elapsed_minutes,
            _outcome(now).label("outcome"),
        )
        .where(_REPORTED_IN, _clock.started_at >= start, _clock.started_at < end)
        .subquery("clocks")
    )
    key = _GROUP_KEYS[group_by]
    met = clocks.c.status == Status.met.value
    # Hash aggregation gathers each group's times; sorting them group by group (below) costs
    # far less than the sort of every joined row an ordered-set aggregate would need.
    groups = (
        sa.select(
            sa.func.grouping(key).label("is_total"),
            key.label("key"),
            clocks.c.metric,
            # Ticket figures are read on the first-response row (or the clock-less row) only,
            # so each ticket counts once.
            sa.func.count().label("rows"),
            sa.func.count().filter(clocks.c.outcome == MET).label("met"),
            sa.func.count().filter(clocks.c.outcome == BREACHED).label("breached"),
            sa.func.array_agg(clocks.c.elapsed_minutes).filter(met).label("minutes"),
            sa.func.sum(_ticket.escalation_level - 1).label("escalations"),
            sa.func.sum(_ticket.satisfaction_score).label("csat_sum"),
            sa.func.count(_ticket.satisfaction_score).label("csat_count"),
        )
        .select_from(Ticket.__table__.outerjoin(clocks, clocks.c.ticket_id == _ticket.id))
        .where(_ticket.created_at >= start, _ticket.created_at < end)
        .group_by(sa.func.grouping_sets(sa.tuple_(key, clocks.c.metric), clocks.c.metric))
        .subquery("groups")
    )
    minutes = sa.func.unnest(groups.c.minutes).column_valued("minutes")
    quantiles = sa.literal([0.5, 0.9], ARRAY(sa.Double))
    times = sa.select(sa.func.percentile_cont(quantiles).within_group(minutes)).scalar_subquery()
    return sa.select(*(c for c in groups.c if c.name != "minutes"), times.label("times"))


_STATEMENTS = {group_by: _statement(group_by) for group_by in GroupBy}


class _Group:
    """Figures of one group, folded from its rows (one per metric)."""

    def __init__(self) -> None:
        self.tickets = self.escalations = self.csat_sum = self.csat_count = 0
        self.metrics: dict[str, Any] = {}

    def add(self, row: Any) -> None:
        if row.metric in REPORTED:
            self.metrics[row.metric] = row
        if row.metric in (Metric.first_response.value, None):
            self.tickets += row.rows
            self.escalations += row.escalations or 0
            self.csat_sum += row.csat_sum or 0
            self.csat_count += row.csat_count

    def out(self, key: str | None, name: str | None) -> SlaReportRow:
        first, resolution = (_stats(self.metrics.get(metric)) for metric in REPORTED)
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


def _stats(row: Any) -> ClockStats:
    if row is None:
        return ClockStats(
            met=0,
            breached=0,
            excluded=0,
            compliance_percent=None,
            median_minutes=None,
            p90_minutes=None,
        )
    decided = row.met + row.breached
    median, p90 = row.times or (None, None)
    return ClockStats(
        met=row.met,
        breached=row.breached,
        excluded=row.rows - decided,
        compliance_percent=_round(100 * row.met / decided) if decided else None,
        median_minutes=_round(median),
        p90_minutes=_round(p90),
    )


async def _names(session: AsyncSession, group_by: GroupBy, keys: Sequence[Any]) -> dict[Any, str]:
    if group_by is GroupBy.priority:
        return {key: key for key in keys}
    table = Organization if group_by is GroupBy.organization else Agent
    ids = [key for key in keys if key is not None]
    if not ids:
        return {}
    rows = await session.execute(sa.select(table.id, table.name).where(table.id.in_(ids)))
    return {row.id: row.name for row in rows}


def _order(group_by: GroupBy, key: Any, name: str | None) -> tuple[Any, ...]:
    if group_by is GroupBy.priority:
        return (PRIORITY_ORDER.index(key),)
    return (key is None, (name or "").casefold(), str(key))


def _check_range(start: datetime, end: datetime) -> None:
    if start >= end:
        raise invalid("query.to", "`to` must be after `from`.")
    if end - start > MAX_RANGE:
        raise invalid("query.to", f"A report covers at most {MAX_RANGE.days} days.")


async def sla_report(
    session: AsyncSession,
    *,
    start: datetime,
    end: datetime,
    group_by: GroupBy,
    now: datetime | None = None,
) -> SlaReport:
    """SLA compliance and timings of the tickets created in [start, end), by group."""
    _check_range(start, end)
    now = now or timesource.now()
    await session.execute(_SETTINGS)
    rows = await session.execute(_STATEMENTS[group_by], {"start": start, "end": end, "now": now})
    total, groups = _Group(), dict[Any, _Group]()
    if group_by is GroupBy.priority:
        groups = {priority: _Group() for priority in PRIORITY_ORDER}
    for row in rows:
        (total if row.is_total else groups.setdefault(row.key, _Group())).add(row)
    names = await _names(session, group_by, list(groups))
    ordered = sorted(groups, key=lambda key: _order(group_by, key, names.get(key)))
    return SlaReport.model_validate(
        {
            "from": start.astimezone(UTC),
            "to": end.astimezone(UTC),
            "group_by": group_by,
            "generated_at": now,
            "total": total.out(None, None),
            "data": [
                groups[key].out(None if key is None else str(key), names.get(key))
                for key in ordered
            ],
        }
    )

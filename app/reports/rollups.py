"""Building the SLA report's daily roll-ups (see app/reports/models.py for what they are).

A worker builds, newest first, every closed UTC day whose roll-up is missing, has a change
recorded since, or judged a running clock that has since fallen due. A day is
closed an hour after it ends: a change to a ticket of that day made before midnight (which
the triggers do not count) has committed by then. Each day is built in one REPEATABLE READ
transaction, so the changes it clears, its three groupings and its judging window come from
one snapshot; a change that commits after that snapshot stays recorded and the day is simply
built again.
"""

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from app.base import TIMESTAMP
from app.db import SessionFactory, unit_of_work
from app.reports.models import ReportBuild, ReportChange, ReportRollup
from app.reports.schemas import GroupBy
from app.reports.service import DAY, IS_REPORTED, current, grouped, midnight
from app.sla.clocks import Status
from app.sla.models import TicketClock
from app.tickets.models import Ticket

SETTLING = timedelta(hours=1)
_build, _clock = ReportBuild.__table__.c, TicketClock.__table__.c


async def stale_days(session: AsyncSession, now: datetime, limit: int) -> list[date]:
    """Closed days, newest first, whose roll-up is missing or no longer read."""
    first = await session.scalar(sa.select(sa.func.min(Ticket.__table__.c.created_at)))
    last = (now - SETTLING).astimezone(UTC).date()  # days before this one are closed
    if first is None or first.astimezone(UTC).date() >= last:
        return []
    days = (
        sa.func.generate_series(
            first.astimezone(UTC).date(), last - DAY, sa.text("interval '1 day'")
        )
        .table_valued("day")
        .render_derived()
    )
    day = sa.cast(days.c.day, sa.Date)
    rows = await session.execute(
        sa.select(day)
        .select_from(days.outerjoin(ReportBuild, _build.day == day))
        .where(sa.or_(_build.day.is_(None), sa.not_(current(now))))
        .order_by(day.desc())
        .limit(limit)
    )
    return list(rows.scalars())


def _window(day: date, now: datetime) -> sa.Select:
    """The build's row: the latest due instant of a running clock at or before `now` and the
    first one after it bound the instants at which its roll-ups judge alike."""
    running = sa.and_(
        IS_REPORTED,
        _clock.started_at >= midnight(day),
        _clock.started_at < midnight(day + DAY),
        _clock.status == Status.running.value,
        _clock.breached_at.is_(None),
    )
    infinite = {sign: sa.text(f"'{sign}infinity'::timestamptz") for sign in ("-", "")}
    return sa.select(
        sa.literal(day, sa.Date),
        sa.literal(now, TIMESTAMP),
        sa.func.coalesce(sa.func.max(_clock.due_at).filter(_clock.due_at <= now), infinite["-"]),
        sa.func.coalesce(sa.func.min(_clock.due_at).filter(_clock.due_at > now), infinite[""]),
    ).where(running)


async def build_day(session: AsyncSession, day: date, now: datetime) -> None:
    """Replaces the day's build and roll-ups, from one snapshot."""
    await session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    await session.execute(sa.delete(ReportChange).where(ReportChange.__table__.c.day == day))
    await session.execute(sa.delete(ReportBuild).where(_build.day == day))
    columns = ["day", "built_at", "judged_from", "judged_until"]
    await session.execute(sa.insert(ReportBuild.__table__).from_select(columns, _window(day, now)))
    parameters = {"starts": [midnight(day)], "ends": [midnight(day + DAY)], "now": now}
    for group_by in GroupBy:
        rows = grouped(group_by).subquery("rows")
        select = sa.select(sa.literal(group_by.value), sa.literal(day, sa.Date), *rows.c)
        names = ["grouping", "day", *(column.name for column in rows.c)]
        insert = sa.insert(ReportRollup.__table__).from_select(names, select)
        await session.execute(insert, parameters)


async def build_stale(sessions: SessionFactory, now: datetime, batch: int = 31) -> int:
    """Builds up to `batch` stale days, one transaction each; how many it built."""
    async with unit_of_work(sessions) as session:
        days = await stale_days(session, now, batch)
    for day in days:
        async with unit_of_work(sessions) as session:
            await build_day(session, day, now)
    return len(days)

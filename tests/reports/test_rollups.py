"""The SLA report over rolled-up days says exactly what it says over the tickets themselves.

The tickets are those of test_sla_report's module docstring. A rolled-up day is a whole UTC
day: the report's range mixes rolled-up days with live pieces (its partial first day).
"""

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from app import timesource
from app.db import unit_of_work
from app.reports import rollups
from app.workers import maintenance
from tests.factories import ADMIN
from tests.reports.test_sla_report import END, START, at, build, freeze, transition

UTC_DAYS = datetime(2026, 11, 16, tzinfo=UTC), datetime(2026, 11, 18, tzinfo=UTC)
GROUPINGS = ("priority", "organization", "agent")


async def report(client, group_by: str, span: tuple[datetime, datetime]) -> dict[str, Any]:
    params = {"from": span[0].isoformat(), "to": span[1].isoformat(), "group_by": group_by}
    response = await client.get("/v1/reports/sla", params=params, headers=ADMIN)
    assert response.status_code == 200, response.text
    return response.json()


async def reports(client, span=(START, END)) -> dict[str, dict[str, Any]]:
    return {group_by: await report(client, group_by, span) for group_by in GROUPINGS}


async def roll_up(app) -> int:
    return await rollups.build_stale(app.state.sessions, timesource.now())


async def forget_rollups(app) -> None:
    async with unit_of_work(app.state.sessions) as session:
        await session.execute(sa.text("DELETE FROM report_builds"))


async def test_rolled_up_days_report_as_the_tickets_do(client, app):
    await build(client, app)
    live = {span: await reports(client, span) for span in ((START, END), UTC_DAYS)}
    # Closed by Wednesday noon in New York: the UTC days of Monday and Tuesday.
    assert await roll_up(app) == 2
    assert await roll_up(app) == 0
    for span, expected in live.items():
        assert await reports(client, span) == expected


async def test_the_report_reads_the_rollups(client, app):
    await build(client, app)
    before = await report(client, "priority", UTC_DAYS)
    await roll_up(app)
    async with unit_of_work(app.state.sessions) as session:
        # 100 more clocks, all met: figures only the roll-ups hold.
        await session.execute(
            sa.text("UPDATE report_rollups SET met = met + 100, rows = rows + 100")
        )
    after = await report(client, "priority", UTC_DAYS)
    assert after["total"]["first_response"]["met"] > before["total"]["first_response"]["met"]


async def test_a_change_to_a_rolled_up_day_shows_at_once(client, app):
    tickets = await build(client, app)
    await roll_up(app)
    t5 = tickets["tickets"][4]  # Tuesday 02:00 New York: a whole UTC day of the range
    response = await client.patch(
        f"/v1/tickets/{t5['id']}", json={"priority": "low"}, headers=ADMIN
    )
    assert response.status_code == 200, response.text
    await transition(client, t5, "open")
    await transition(client, t5, "resolved")  # its resolution clock is met
    changed = await reports(client)
    by_priority = {group["key"]: group for group in changed["priority"]["data"]}
    assert by_priority["critical"]["tickets"] == 0
    assert by_priority["low"]["resolution"]["met"] == 1
    await forget_rollups(app)
    assert await reports(client) == changed  # what the tickets themselves say
    assert await roll_up(app) == 2
    assert await reports(client) == changed


async def test_a_running_clock_that_falls_due_after_the_rollup_counts_as_breached(client, app):
    await build(client, app)
    await roll_up(app)
    before = await report(client, "priority", UTC_DAYS)
    # T4's resolution clock (Monday, low priority) was running and due on Thursday.
    freeze(at(20, 12))
    after = await report(client, "priority", UTC_DAYS)
    resolution = before["total"]["resolution"], after["total"]["resolution"]
    assert resolution[1]["breached"] == resolution[0]["breached"] + 1
    assert resolution[1]["excluded"] == resolution[0]["excluded"] - 1
    await forget_rollups(app)
    assert await report(client, "priority", UTC_DAYS) == after


async def test_the_workers_job_rolls_up_closed_days(client, app):
    await build(client, app)
    assert await maintenance.build_report_rollups({"sessions": app.state.sessions}) == 2
    assert await maintenance.build_report_rollups({"sessions": app.state.sessions}) == 0

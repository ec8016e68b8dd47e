"""SLA configuration use cases: business calendars and the policy table."""

import uuid
from typing import Any

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from app import timesource
from app.errors import FieldError, ValidationFailed
from app.pagination import keyset, page
from app.repository import get_or_404, update_versioned
from app.sla import recompute
from app.sla.calendar import validate_holidays, validate_weekly_hours
from app.sla.models import Calendar, RecomputeRequest, SlaPolicyRow
from app.sla.policy import ClockKind, Metric, PolicyTarget, validate_table
from app.sla.schemas import CalendarCreate, CalendarUpdate, SlaPolicyTable

NULLABLE = frozenset({"holiday_country", "holiday_subdivision"})


def _validate(values: dict[str, Any]) -> None:
    """Refuses hours and holiday settings the arithmetic cannot honour."""
    errors = [
        FieldError(field="body.weekly_hours", message=message)
        for message in validate_weekly_hours(values["weekly_hours"])
    ]
    errors += [
        FieldError(field="body.holiday_country", message=message)
        for message in validate_holidays(values["holiday_country"], values["holiday_subdivision"])
    ]
    if set(values["closed_dates"]) & set(values["open_dates"]):
        errors.append(
            FieldError(field="body.open_dates", message="A date cannot be both closed and open.")
        )
    if errors:
        raise ValidationFailed("The calendar is not valid.", errors=errors)


async def create(session: AsyncSession, *, data: CalendarCreate) -> Calendar:
    """Adds a business calendar."""
    values = data.model_dump()
    _validate(values)
    calendar = Calendar(**values)
    session.add(calendar)
    await session.flush()
    return calendar


async def get(session: AsyncSession, *, calendar_id: uuid.UUID) -> Calendar:
    return await get_or_404(session, Calendar, calendar_id, what="calendar")


async def list_calendars(
    session: AsyncSession, *, cursor: str | None, limit: int
) -> tuple[list[Calendar], str | None]:
    statement = keyset(sa.select(Calendar), Calendar.created_at, Calendar.id, cursor, limit)
    return page((await session.execute(statement)).scalars().all(), limit)


async def update(
    session: AsyncSession,
    *,
    calendar_id: uuid.UUID,
    data: CalendarUpdate,
    expected_version: int | None,
) -> Calendar:
    """Applies a partial update, validating the calendar as it will be."""
    calendar = await get(session, calendar_id=calendar_id)
    values = data.model_dump(exclude_unset=True)
    for name, value in values.items():
        if value is None and name not in NULLABLE:
            raise ValidationFailed(
                f"{name} cannot be null.", errors=[FieldError(field=f"body.{name}", message="null")]
            )
    merged = {
        name: values.get(name, getattr(calendar, name))
        for name in (
            "weekly_hours",
            "holiday_country",
            "holiday_subdivision",
            "closed_dates",
            "open_dates",
        )
    }
    _validate(merged)
    updated = await update_versioned(
        session, Calendar, calendar_id, values, expected_version=expected_version, what="calendar"
    )
    recompute.request(session, calendar_id=calendar_id)
    return updated


async def get_table(session: AsyncSession) -> list[SlaPolicyRow]:
    """Every target of the policy table, by plan, priority and metric."""
    statement = sa.select(SlaPolicyRow).order_by(
        SlaPolicyRow.plan, SlaPolicyRow.priority, SlaPolicyRow.metric
    )
    return list((await session.execute(statement)).scalars())


def _check(data: SlaPolicyTable) -> None:
    table = [
        PolicyTarget(
            plan=t.plan.value,
            priority=t.priority.value,
            metric=Metric(t.metric),
            clock=ClockKind(t.clock),
            target_minutes=t.target_minutes,
        )
        for t in data.targets
    ]
    problems = validate_table(table)
    if problems:
        raise ValidationFailed(
            "The policy table is incomplete or ambiguous.",
            errors=[FieldError(field="body.targets", message=problem) for problem in problems],
        )


async def replace_table(session: AsyncSession, *, data: SlaPolicyTable) -> list[SlaPolicyRow]:
    """Replaces the whole table and asks the workers to recompute every open ticket's clocks."""
    _check(data)
    now = timesource.now()
    await session.execute(sa.delete(SlaPolicyRow))
    session.add_all(
        SlaPolicyRow(**target.model_dump(mode="json"), updated_at=now) for target in data.targets
    )
    session.add(RecomputeRequest(requested_at=now))
    await session.flush()
    return await get_table(session)

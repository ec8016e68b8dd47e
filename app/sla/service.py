"""Calendar use cases."""

import uuid
from typing import Any

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from app.errors import FieldError, ValidationFailed
from app.http import keyset, page
from app.repository import get_or_404, update_versioned
from app.sla import recompute
from app.sla.calendar import validate_holidays, validate_weekly_hours
from app.sla.models import Calendar
from app.sla.schemas import CalendarCreate, CalendarUpdate

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


async def get_default(session: AsyncSession) -> Calendar:
    """The calendar organizations without one of their own use."""
    return (await session.execute(sa.select(Calendar).where(Calendar.is_default))).scalar_one()


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

"""The SLA policy table: read it, replace it (which recomputes open tickets' clocks)."""

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from app import clock
from app.errors import FieldError, ValidationFailed
from app.sla.models import RecomputeRequest, SlaPolicyRow
from app.sla.policy import ClockKind, Metric, PolicyTarget, validate_table
from app.sla.schemas import PolicyTargetOut, SlaPolicyTable, SlaPolicyTableOut


async def get_table(session: AsyncSession) -> SlaPolicyTableOut:
    rows = (
        (
            await session.execute(
                sa.select(SlaPolicyRow).order_by(
                    SlaPolicyRow.plan, SlaPolicyRow.priority, SlaPolicyRow.metric
                )
            )
        )
        .scalars()
        .all()
    )
    return SlaPolicyTableOut(
        targets=[PolicyTargetOut.model_validate(row) for row in rows],
        updated_at=max((row.updated_at for row in rows), default=None),
    )


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


async def replace_table(session: AsyncSession, *, data: SlaPolicyTable) -> SlaPolicyTableOut:
    """Replaces the whole table and asks the workers to recompute every open ticket's clocks."""
    _check(data)
    now = clock.now()
    await session.execute(sa.delete(SlaPolicyRow))
    session.add_all(
        SlaPolicyRow(**target.model_dump(mode="json"), updated_at=now) for target in data.targets
    )
    session.add(RecomputeRequest(requested_at=now))
    await session.flush()
    return await get_table(session)

"""Small data-access helpers every domain service uses."""

import uuid
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from app import timesource
from app.errors import NotFound, PreconditionFailed
from app.security import Principal

M = TypeVar("M", bound=SQLModel)
S = TypeVar("S", bound=sa.Select[Any])


def tenant_filter(statement: S, column: Any, principal: Principal) -> S:
    """Limits a select to the caller's organization; operator staff see every organization."""
    if principal.tenant is not None:
        statement = statement.where(column == principal.tenant)
    return statement


async def one_or_404(session: AsyncSession, statement: sa.Select[Any], missing: str) -> Any:
    """The one row the select finds, or a 404 saying `missing`."""
    row = (await session.execute(statement)).scalar_one_or_none()
    if row is None:
        raise NotFound(missing)
    return row


async def get_or_404(
    session: AsyncSession, model: type[M], row_id: uuid.UUID, *, what: str, **scope: Any
) -> M:
    """The row with this id (and the given column values), or a 404 naming `what`."""
    statement = sa.select(model).where(model.id == row_id)  # type: ignore[attr-defined]
    for column, value in scope.items():
        if value is not None:
            statement = statement.where(getattr(model, column) == value)
    return await one_or_404(session, statement, f"No {what} with id {row_id}.")


async def added(session: AsyncSession, row: M) -> M:
    """The new row, flushed so its id and defaults are there and the database's checks ran."""
    session.add(row)
    await session.flush()
    return row


async def update_versioned(
    session: AsyncSession,
    model: type[M],
    row_id: uuid.UUID,
    values: dict[str, Any],
    *,
    expected_version: int | None,
    what: str,
    lock: bool = False,
) -> M:
    """Applies `values` if the row is still at `expected_version`; bumps version and updated_at.

    The version check is part of the UPDATE itself, so two writers holding the same ETag
    cannot both succeed.
    """
    table: Any = model
    statement = (
        sa.update(model)
        .where(table.id == row_id)
        .values(**values, version=table.version + 1, updated_at=timesource.now())
        .returning(model)
        .execution_options(synchronize_session=False, populate_existing=True)
    )
    if expected_version is not None:
        statement = statement.where(table.version == expected_version)
    row = (await session.execute(statement)).scalar_one_or_none()
    if row is not None:
        return row
    await get_or_404(session, model, row_id, what=what)
    raise PreconditionFailed(
        f"The {what} changed since you read it; fetch it again and retry with its new ETag."
    )


def changes(current: SQLModel, values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The subset of `values` that differs from `current`, and the previous values of those."""
    changed = {key: value for key, value in values.items() if getattr(current, key) != value}
    previous = {key: getattr(current, key) for key in changed}
    return changed, previous


def versioned_update(model: type[M], what: str) -> Callable[..., Awaitable[M]]:
    """A repository's `update(session, row_id, values, *, expected_version)` for `model`."""

    async def update(
        session: AsyncSession,
        row_id: uuid.UUID,
        values: dict[str, Any],
        *,
        expected_version: int | None,
    ) -> M:
        return await update_versioned(
            session, model, row_id, values, expected_version=expected_version, what=what
        )

    update.__doc__ = (
        f"Writes `values` if the {what} is still at `expected_version` (412 otherwise)."
    )
    return update

"""Attachment rows: who sees one, binding uploads to a ticket or comment, expiry, tombstones.

The one rule of visibility: staff see every attachment; a client key (contact, integration)
sees its own organization's that are not on an internal note; widget keys read nothing.
"""

import uuid
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, aggregate_order_by
from sqlmodel.ext.asyncio.session import AsyncSession

from app.api_keys.models import KeyKind
from app.attachments.models import UNBOUND_LIFETIME_HOURS, Attachment
from app.errors import NotFound, invalid
from app.pagination import keyset, page
from app.security import Principal
from app.statements import among

FIELD = "body.attachment_ids"


def visible(principal: Principal) -> sa.Select[Any]:
    """Attachments this caller may read (deleted ones included: their tombstones)."""
    statement = sa.select(Attachment)
    if principal.kind is KeyKind.widget:
        return statement.where(sa.false())
    if principal.tenant is not None:
        statement = statement.where(
            Attachment.organization_id == principal.tenant, sa.not_(Attachment.internal)
        )
    return statement


async def get_visible(
    session: AsyncSession, principal: Principal, attachment_id: uuid.UUID, *, lock: bool = False
) -> Attachment:
    statement = visible(principal).where(Attachment.id == attachment_id)
    if lock:
        statement = statement.with_for_update()
    found = (await session.execute(statement)).scalar_one_or_none()
    if found is None:
        raise NotFound(f"No attachment with id {attachment_id}.")
    return found


async def take(
    session: AsyncSession,
    *,
    principal: Principal,
    ids: Iterable[uuid.UUID],
    organization_id: uuid.UUID,
) -> list[Attachment]:
    """Locks uploads about to be bound, in the order named: an id unknown to the caller, of
    another organization, already bound or deleted is a 422, and nothing is bound."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return []
    statement = sa.select(Attachment).where(among(Attachment.id, wanted)).with_for_update()
    found = {row.id: row for row in (await session.execute(statement)).scalars()}
    for attachment_id in wanted:
        _check_bindable(found.get(attachment_id), attachment_id, principal, organization_id)
    return [found[attachment_id] for attachment_id in wanted]


def _check_bindable(
    row: Attachment | None,
    attachment_id: uuid.UUID,
    principal: Principal,
    organization_id: uuid.UUID,
) -> None:
    mine = row is not None and _uploaded_by_caller(row, principal)
    if row is None or not mine or row.organization_id not in (None, organization_id):
        raise invalid(FIELD, f"No upload with id {attachment_id}.")
    if row.deleted_at is not None:
        raise invalid(FIELD, f"Upload {attachment_id} was deleted.")
    if row.ticket_id is not None:
        raise invalid(FIELD, f"Upload {attachment_id} is attached already.")


def _uploaded_by_caller(row: Attachment, principal: Principal) -> bool:
    """Staff bind any upload (of the ticket's organization, checked after); a client key its
    organization's; a widget key (public, on every page of its site) only its own."""
    if principal.kind is KeyKind.widget:
        return row.uploaded_by_key_id == principal.key_id
    if principal.tenant is not None:
        return row.organization_id == principal.organization_id
    return principal.is_staff


async def of_comments(
    session: AsyncSession, comment_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, list[Attachment]]:
    """Comments' files, by comment."""
    return await _grouped(session, among(Attachment.comment_id, comment_ids), "comment_id")


async def raised_with(
    session: AsyncSession, ticket_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, list[Attachment]]:
    """The files tickets were raised with (not their comments': never internal), by ticket."""
    ids = list(ticket_ids)
    known: dict[uuid.UUID, list[Attachment]] = session.info.setdefault("raised_with", {})
    if all(ticket_id in known for ticket_id in ids):
        return defaultdict(list, {ticket_id: known[ticket_id] for ticket_id in ids})
    # One array parameter, not one per id: the statement is the same text for any page.
    condition = raised_with_condition(sa.any_(sa.bindparam("ids", ids, type_=ARRAY(sa.Uuid))))
    return await _grouped(session, condition, "ticket_id")


def raised_with_condition(ticket_id: Any) -> sa.ColumnElement[bool]:
    """A ticket's own files (not its comments'): the rule `raised_with` and lists share."""
    return sa.and_(Attachment.ticket_id == ticket_id, Attachment.comment_id.is_(None))


def raised_with_json(ticket_id: sa.ColumnElement[uuid.UUID]) -> sa.ScalarSelect[Any]:
    """The files a ticket was raised with, in order, as one JSON array column of a list's
    query (whole rows: the response model picks its fields)."""
    table = Attachment.__table__
    rows = aggregate_order_by(table.table_valued(), table.c.created_at, table.c.id)
    return (
        sa.select(sa.func.json_agg(rows, type_=sa.JSON))
        .where(raised_with_condition(ticket_id))
        .scalar_subquery()
    )


def remember_raised_with(
    session: AsyncSession, ticket_id: uuid.UUID, rows: list[Attachment]
) -> None:
    """Keeps the files a ticket was raised with in this session, so presenting it needs no
    query (the clocks do the same: app/sla/repository.remember)."""
    ordered = sorted(rows, key=lambda row: (row.created_at, row.id))
    session.info.setdefault("raised_with", {})[ticket_id] = ordered


async def _grouped(
    session: AsyncSession, condition: sa.ColumnElement[bool], owner: str
) -> dict[uuid.UUID, list[Attachment]]:
    statement = (
        sa.select(Attachment).where(condition).order_by(Attachment.created_at, Attachment.id)
    )
    found: dict[uuid.UUID, list[Attachment]] = defaultdict(list)
    for row in (await session.execute(statement)).scalars():
        found[getattr(row, owner)].append(row)
    return found


async def on_ticket(
    session: AsyncSession,
    principal: Principal,
    ticket_id: uuid.UUID,
    cursor: str | None,
    limit: int,
) -> tuple[list[Attachment], str | None]:
    """A page of the files of a ticket and its comments the caller may see, oldest first."""
    statement = visible(principal).where(Attachment.ticket_id == ticket_id)
    statement = keyset(
        statement, Attachment.created_at, Attachment.id, cursor, limit, newest_first=False
    )
    return page((await session.execute(statement)).scalars().all(), limit)


async def lock_expired(session: AsyncSession, now: datetime, limit: int) -> list[Attachment]:
    """Unbound uploads past their lifetime, locked for deletion."""
    statement = (
        sa.select(Attachment)
        .where(
            Attachment.ticket_id.is_(None),
            Attachment.deleted_at.is_(None),
            Attachment.created_at < now - timedelta(hours=UNBOUND_LIFETIME_HOURS),
        )
        .order_by(Attachment.created_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list((await session.execute(statement)).scalars())


async def forget(session: AsyncSession, rows: Iterable[Attachment]) -> None:
    """Unbound uploads whose content is gone: nothing refers to them, so the rows go too."""
    ids = [row.id for row in rows]
    if ids:
        await session.execute(sa.delete(Attachment).where(among(Attachment.id, ids)))


def mark_deleted(attachment: Attachment, now: datetime) -> None:
    attachment.deleted_at = now

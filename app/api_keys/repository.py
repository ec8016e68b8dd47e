"""The api_keys table: the keys a caller may manage, the lookup by hash, and every write."""

import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from app import timesource
from app.api_keys.models import ApiKey, KeyKind
from app.assignment.models import Agent
from app.errors import NotFound
from app.organizations.models import Contact
from app.statements import among

if TYPE_CHECKING:
    # For type hints only: app.security looks keys up through this module.
    from app.security import Principal


def scoped(principal: "Principal") -> sa.Select[Any]:
    """Keys the caller may manage: an integration only its organization's widget keys."""
    statement = sa.select(ApiKey)
    if principal.kind is KeyKind.integration:
        statement = statement.where(
            ApiKey.organization_id == principal.organization_id, ApiKey.kind == KeyKind.widget
        )
    return statement


async def get_visible(
    session: AsyncSession, *, principal: "Principal", key_id: uuid.UUID
) -> ApiKey:
    """The key if the caller may manage it; any other is a 404."""
    statement = scoped(principal).where(ApiKey.id == key_id)
    key = (await session.execute(statement)).scalar_one_or_none()
    if key is None:
        raise NotFound(f"No API key with id {key_id}.")
    return key


async def lookup(session: AsyncSession, digest: bytes) -> ApiKey | None:
    """The key with this hash while it may act: not revoked, its agent active, its contact not
    deleted (deleting a contact revokes their keys too; this holds whatever wrote the row)."""
    statement = _acting(sa.select(ApiKey)).where(ApiKey.key_hash == digest)
    return (await session.execute(statement)).scalar_one_or_none()


async def still_acting(session: AsyncSession, key_ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    """Which of these keys may still act (by `lookup`'s rule): open streams of the others
    are closed."""
    statement = _acting(sa.select(ApiKey.id)).where(among(ApiKey.id, key_ids))
    return set((await session.execute(statement)).scalars())


def _acting(statement: sa.Select[Any]) -> sa.Select[Any]:
    """Keys that may act: not revoked, their agent active, their contact not deleted."""
    return (
        statement.outerjoin(Agent, Agent.id == ApiKey.agent_id)
        .outerjoin(Contact, Contact.id == ApiKey.contact_id)
        .where(
            ApiKey.revoked_at.is_(None),
            sa.or_(ApiKey.agent_id.is_(None), Agent.active.is_(True)),
            sa.or_(ApiKey.contact_id.is_(None), Contact.deleted_at.is_(None)),
        )
    )


async def insert(session: AsyncSession, values: dict[str, Any]) -> ApiKey:
    """A new key row (its hash, never the plaintext)."""
    key = ApiKey(**values)
    session.add(key)
    await session.flush()
    return key


async def revoke(session: AsyncSession, key: ApiKey) -> None:
    """Revokes the key; every API process forgets it when this commits (api_keys/cache.py)."""
    key.revoked_at = timesource.now()
    key.updated_at = key.revoked_at
    key.version += 1
    await session.flush()


async def revoke_for_contact(session: AsyncSession, contact_id: uuid.UUID) -> None:
    """Revokes every key that acts as a contact who is being removed."""
    now = timesource.now()
    await session.execute(
        sa.update(ApiKey)
        .where(ApiKey.contact_id == contact_id, ApiKey.revoked_at.is_(None))
        .values(revoked_at=now, updated_at=now, version=ApiKey.version + 1)
    )

"""API key use cases: issue (shown once), list, revoke."""

import uuid

from sqlmodel.ext.asyncio.session import AsyncSession

from app.api_keys import repository
from app.api_keys.models import ApiKey, KeyKind
from app.api_keys.schemas import ApiKeyCreate
from app.assignment.models import Agent
from app.errors import Forbidden, NotFound, invalid
from app.organizations.models import Contact, Organization
from app.pagination import keyset, page
from app.security import Principal, display_prefix, hash_key, new_key


async def _organization(session: AsyncSession, organization_id: uuid.UUID | None) -> uuid.UUID:
    if organization_id is None:
        raise invalid("body.organization_id", "This kind of key belongs to an organization.")
    if await session.get(Organization, organization_id) is None:
        raise invalid("body.organization_id", f"No organization with id {organization_id}.")
    return organization_id


async def _owner(session: AsyncSession, data: ApiKeyCreate) -> dict[str, uuid.UUID | None]:
    """The organization, contact or agent a key of this kind acts for."""
    owner: dict[str, uuid.UUID | None] = {
        "organization_id": None,
        "contact_id": None,
        "agent_id": None,
    }
    if data.kind is KeyKind.agent:
        if data.agent_id is None or await session.get(Agent, data.agent_id) is None:
            raise invalid("body.agent_id", "Agent keys need the id of an existing agent.")
        owner["agent_id"] = data.agent_id
    elif data.kind is KeyKind.contact:
        contact = data.contact_id and await session.get(Contact, data.contact_id)
        if not contact or contact.deleted_at is not None:
            raise invalid("body.contact_id", "Contact keys need the id of an existing contact.")
        if data.organization_id not in (None, contact.organization_id):
            raise invalid("body.organization_id", "The contact belongs to another organization.")
        owner.update(organization_id=contact.organization_id, contact_id=contact.id)
    elif data.kind in (KeyKind.integration, KeyKind.widget):
        owner["organization_id"] = await _organization(session, data.organization_id)
    if data.kind is KeyKind.widget and not data.allowed_origins:
        raise invalid("body.allowed_origins", "Widget keys need at least one allowed origin.")
    if data.kind is not KeyKind.widget and data.allowed_origins:
        raise invalid("body.allowed_origins", "Only widget keys have allowed origins.")
    if data.kind is not KeyKind.widget and data.keep_url_query:
        raise invalid("body.keep_url_query", "Only widget keys record page URLs.")
    return owner


async def create(
    session: AsyncSession, *, principal: Principal, data: ApiKeyCreate
) -> tuple[ApiKey, str]:
    """Issues a key; returns the row and the plaintext, which is never stored."""
    if principal.kind is KeyKind.integration:
        if data.kind is not KeyKind.widget:
            raise Forbidden("Integration keys may only issue widget keys.")
        if data.organization_id not in (None, principal.organization_id):
            raise NotFound(f"No organization with id {data.organization_id}.")
        data = data.model_copy(update={"organization_id": principal.organization_id})
    owner = await _owner(session, data)
    plaintext = new_key(data.kind)
    values = {
        "kind": data.kind,
        "name": data.name,
        "prefix": display_prefix(plaintext),
        "key_hash": hash_key(plaintext),
        "allowed_origins": data.allowed_origins,
        "keep_url_query": data.keep_url_query,
        **owner,
    }
    return await repository.insert(session, values), plaintext


async def list_keys(
    session: AsyncSession,
    *,
    principal: Principal,
    kind: KeyKind | None,
    organization_id: uuid.UUID | None,
    include_revoked: bool,
    cursor: str | None,
    limit: int,
) -> tuple[list[ApiKey], str | None]:
    """Keys the caller may manage, newest first."""
    statement = repository.scoped(principal)
    if kind is not None:
        statement = statement.where(ApiKey.kind == kind)
    if organization_id is not None:
        statement = statement.where(ApiKey.organization_id == organization_id)
    if not include_revoked:
        statement = statement.where(ApiKey.revoked_at.is_(None))
    statement = keyset(statement, ApiKey.created_at, ApiKey.id, cursor, limit)
    return page((await session.execute(statement)).scalars().all(), limit)


async def revoke(session: AsyncSession, *, principal: Principal, key_id: uuid.UUID) -> None:
    """Revokes a key; every API process forgets it when this commits (app/api_keys/cache.py)."""
    key = await repository.get_visible(session, principal=principal, key_id=key_id)
    if key.revoked_at is None:
        await repository.revoke(session, key)

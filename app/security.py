"""API keys and principals: who is calling, and what they may see."""

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass, field

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel.ext.asyncio.session import AsyncSession

from app.api_keys import repository as api_keys
from app.api_keys.cache import KeyCache
from app.api_keys.models import KeyKind
from app.db import get_session
from app.errors import Forbidden, NotFound, Unauthorized
from app.tickets.lifecycle import Side

KEY_PREFIX = "sd"
STAFF = frozenset({KeyKind.admin, KeyKind.agent})
CLIENT = frozenset({KeyKind.contact, KeyKind.integration, KeyKind.widget})


@dataclass(frozen=True)
class Principal:
    """The caller behind an API key."""

    kind: KeyKind
    key_id: uuid.UUID | None = None
    organization_id: uuid.UUID | None = None
    contact_id: uuid.UUID | None = None
    agent_id: uuid.UUID | None = None
    allowed_origins: tuple[str, ...] = field(default_factory=tuple)
    keep_url_query: bool = False
    # The bootstrap admin key (SUPPORTDESK_ADMIN_KEY), not an issued one: events name it.
    bootstrap: bool = False
    # A live chat's conversation token (app/chat): the requester, on that one ticket only.
    conversation_id: uuid.UUID | None = None
    conversation_ticket_id: uuid.UUID | None = None

    @property
    def is_staff(self) -> bool:
        return self.kind in STAFF

    @property
    def side(self) -> Side:
        return Side.staff if self.is_staff else Side.client

    @property
    def tenant(self) -> uuid.UUID | None:
        """The only organization this caller may see, or None for operator staff."""
        return None if self.is_staff else self.organization_id

    def sees(self, organization_id: uuid.UUID | None) -> bool:
        """Whether this caller may see the organization's resources."""
        return self.tenant is None or self.tenant == organization_id

    def actor(self) -> dict[str, str | None]:
        """How this caller appears on timeline events."""
        acting_as = self.agent_id or self.contact_id
        return {
            "type": "bootstrap" if self.bootstrap else self.kind.value,
            "id": str(acting_as) if acting_as else None,
            "key_id": str(self.key_id) if self.key_id else None,
        }


SYSTEM_ACTOR = {"type": "system", "id": None, "key_id": None}


def new_key(kind: KeyKind) -> str:
    """A fresh random key; only its hash is stored."""
    label = "pk" if kind is KeyKind.widget else kind.value
    return f"{KEY_PREFIX}_{label}_{secrets.token_urlsafe(32)}"


def hash_key(key: str) -> bytes:
    # Keys carry 256 random bits, so a fast hash is as strong as a slow one here.
    return hashlib.sha256(key.encode()).digest()


def display_prefix(key: str) -> str:
    return key[:16]


bearer = HTTPBearer(auto_error=False, description="An API key: `Authorization: Bearer sd_…`")


async def _lookup(session: AsyncSession, digest: bytes) -> Principal | None:
    """The key's principal while it may act (`api_keys.repository.lookup` says when)."""
    row = await api_keys.lookup(session, digest)
    if row is None:
        return None
    return Principal(
        kind=KeyKind(row.kind),
        key_id=row.id,
        organization_id=row.organization_id,
        contact_id=row.contact_id,
        agent_id=row.agent_id,
        allowed_origins=tuple(row.allowed_origins),
        keep_url_query=row.keep_url_query,
    )


def _bootstrap_admin(request: Request, token: str) -> Principal | None:
    admin_key = request.app.state.settings.admin_key
    if admin_key and hmac.compare_digest(token.encode(), admin_key.get_secret_value().encode()):
        return Principal(kind=KeyKind.admin, bootstrap=True)
    return None


async def _resolve(request: Request, session: AsyncSession, token: str) -> Principal | None:
    principal = _bootstrap_admin(request, token)
    if principal is not None:
        return principal
    digest = hash_key(token)
    cache: KeyCache | None = getattr(request.app.state, "key_cache", None)
    if cache is None:
        return await _lookup(session, digest)
    cached, principal = cache.get(digest)
    if cached:
        return principal
    generation = cache.generation
    principal = await _lookup(session, digest)
    cache.put(digest, principal, generation)
    return principal


async def authenticate(
    request: Request,
    credentials: HTTPAuthorizationCredentials | None = Depends(bearer),
    session: AsyncSession = Depends(get_session),
) -> Principal:
    """Resolves the bearer key to a principal, or 401."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized(
            "Send an API key as `Authorization: Bearer <key>`.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    principal = await _resolve(request, session, credentials.credentials)
    if principal is None:
        raise Unauthorized(
            "The API key is unknown or revoked, or its agent is deactivated or its contact "
            "deleted.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    request.state.principal = principal
    return principal


def requires_if_sent(*kinds: KeyKind):
    """Like `requires`, for a route that also answers callers with no key at all (None)."""

    async def dependency(
        request: Request,
        credentials: HTTPAuthorizationCredentials | None = Depends(bearer),
        session: AsyncSession = Depends(get_session),
    ) -> Principal | None:
        if credentials is None:
            return None
        return require(await authenticate(request, credentials, session), *kinds)

    return dependency


def require(principal: Principal, *kinds: KeyKind) -> Principal:
    """Refuses (403) a principal whose key kind is not among `kinds`."""
    if principal.kind not in kinds:
        allowed = ", ".join(kind.value for kind in kinds)
        raise Forbidden(f"This needs a key of kind: {allowed}; yours is {principal.kind.value}.")
    return principal


def requires(*kinds: KeyKind):
    """A dependency resolving the principal and refusing other key kinds."""

    async def dependency(principal: Principal = Depends(authenticate)) -> Principal:
        return require(principal, *kinds)

    return dependency


def requires_in_organization(*kinds: KeyKind):
    """Like `requires`, for routes under /organizations/{organization_id}.

    Another tenant's organization is a 404 whatever the key kind, so the answer never tells
    a caller whether someone else's organization exists.
    """

    async def dependency(
        organization_id: uuid.UUID, principal: Principal = Depends(authenticate)
    ) -> Principal:
        if not principal.sees(organization_id):
            raise NotFound(f"No organization with id {organization_id}.")
        return require(principal, *kinds)

    return dependency


ADMIN = (KeyKind.admin,)
ANY_KIND = tuple(KeyKind)
NOT_WIDGET = tuple(kind for kind in KeyKind if kind is not KeyKind.widget)

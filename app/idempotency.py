"""Idempotency-Key for POSTs: the same key and body within the TTL replays the first response."""

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from fastapi import Depends, Header, Request, Response
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlmodel import Field, SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from app import crypto, timesource
from app.base import TIMESTAMP, id_field
from app.config import get_settings
from app.errors import Conflict, IdempotencyMismatch, Unauthorized

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
_KEPT_HEADERS = ("content-type", "location", "etag")


class IdempotencyRecord(SQLModel, table=True):
    __tablename__ = "idempotency_keys"
    __table_args__ = (sa.UniqueConstraint("owner", "key"),)

    id: uuid.UUID = id_field()
    owner: bytes = Field(sa_type=sa.LargeBinary(32), nullable=False)
    key: str = Field(sa_type=sa.String(255), nullable=False)
    request_hash: bytes = Field(sa_type=sa.LargeBinary(32), nullable=False)
    status_code: int | None = None
    response_body: bytes | None = Field(default=None, sa_type=sa.LargeBinary)
    response_headers: dict[str, Any] | None = Field(default=None, sa_type=JSONB)
    created_at: datetime = Field(sa_type=TIMESTAMP, nullable=False, index=True)


async def _declare_header(
    idempotency_key: str | None = Header(
        default=None,
        alias=HEADER,
        min_length=1,
        max_length=255,
        description="Retries with the same key and body within 24 h return the first response.",
    ),
) -> None:
    """Declares the header in the OpenAPI spec; the unit of work does the work."""


HEADER_DEPENDENCY = Depends(_declare_header)


@dataclass
class Claim:
    """The outcome of claiming a key: nothing to do, ours to complete, or a replay."""

    record_id: uuid.UUID | None = None
    replay: Response | None = None


def ttl() -> timedelta:
    return timedelta(hours=get_settings().idempotency_ttl_hours)


# A claim a DetachedRoute left unfinished (its process died, or the database went away before
# the key could be given back) is free again after this: no detached request waits so long.
ABANDONED_AFTER = timedelta(minutes=10)


def keyed(method: str, key: str | None, authorized: bool) -> bool:
    """Whether a request's Idempotency-Key is claimed: a POST with a key of at most 255
    characters and a caller to own it. Keyless callers (a mailed rating link) share no owner
    to key a replay by; the routes that take them act once by themselves."""
    return method == "POST" and bool(key) and len(key or "") <= 255 and authorized


async def claim(session: AsyncSession, request: Request) -> Claim:
    """Claims the request's key in the current transaction, or returns the stored response."""
    key = request.headers.get(HEADER)
    if not keyed(request.method, key, "authorization" in request.headers):
        return Claim()
    owner = hashlib.sha256(request.headers.get("authorization", "").encode()).digest()
    body = await request.body()
    request_hash = hashlib.sha256(
        b"%s %s\n%s" % (request.method.encode(), request.url.path.encode(), body)
    ).digest()
    now = timesource.now()
    table = IdempotencyRecord.__table__
    statement = (
        insert(table)
        .values(id=uuid.uuid4(), owner=owner, key=key, request_hash=request_hash, created_at=now)
        .on_conflict_do_update(
            index_elements=["owner", "key"],
            set_={
                "request_hash": request_hash,
                "created_at": now,
                "status_code": None,
                "response_body": None,
                "response_headers": None,
            },
            where=(table.c.created_at < now - ttl())
            | (table.c.status_code.is_(None) & (table.c.created_at < now - ABANDONED_AFTER)),
        )
        .returning(table.c.id)
    )
    # A concurrent holder of the same key makes this wait until it commits or rolls back.
    record_id = (await session.execute(statement)).scalar_one_or_none()
    if record_id is not None:
        return Claim(record_id=record_id)
    await _authenticate(request, session)
    return Claim(replay=await _stored_response(session, owner, key, request_hash))


async def _authenticate(request: Request, session: AsyncSession) -> None:
    """Refuses (401) a replay to a key that no longer works: revoked keys replay nothing, nor
    do a chat's expired conversation tokens."""
    # Imported here, not above: app.security imports app.db, which imports this module.
    from app.chat import service as chat
    from app.security import authenticate, bearer

    credentials = await bearer(request)
    token = credentials.credentials if credentials else None
    if not chat.is_token(token):
        await authenticate(request, credentials, session)
    elif await chat.principal_of(session, str(token)) is None:
        raise Unauthorized("This chat has expired.", headers={"WWW-Authenticate": "Bearer"})


async def _stored_response(
    session: AsyncSession, owner: bytes, key: str, request_hash: bytes
) -> Response:
    table = IdempotencyRecord.__table__
    row = (
        await session.execute(sa.select(table).where(table.c.owner == owner, table.c.key == key))
    ).one()
    if row.request_hash != request_hash:
        raise IdempotencyMismatch(
            f"The {HEADER} was already used with a different request; use a new key."
        )
    if row.status_code is None:
        raise Conflict(f"A request with this {HEADER} is still in progress; retry shortly.")
    headers = dict(row.response_headers or {})
    headers[REPLAYED_HEADER] = "true"
    return Response(
        content=crypto.unseal_bytes(row.response_body),
        status_code=row.status_code,
        headers=headers,
    )


async def complete(session: AsyncSession, claim: Claim, response: Response) -> None:
    """Stores the response beside the change it describes (same transaction)."""
    if claim.record_id is None:
        return
    headers = {name: response.headers[name] for name in _KEPT_HEADERS if name in response.headers}
    table = IdempotencyRecord.__table__
    await session.execute(
        sa.update(table)
        .where(table.c.id == claim.record_id)
        .values(
            status_code=response.status_code,
            # Sealed: some responses carry a secret shown once (API keys, webhook secrets).
            response_body=crypto.seal_bytes(bytes(response.body)),
            response_headers=headers,
        )
    )


async def release(session: AsyncSession, claim: Claim) -> None:
    """Gives back a key claimed apart from its change (a DetachedRoute) when the request
    failed, so a retry with the same key runs afresh instead of meeting a 409 for 24 hours."""
    if claim.record_id is None:
        return
    table = IdempotencyRecord.__table__
    await session.execute(
        sa.delete(table).where(table.c.id == claim.record_id, table.c.status_code.is_(None))
    )


async def purge_expired(session: AsyncSession) -> int:
    """Deletes records past the TTL; returns how many."""
    table = IdempotencyRecord.__table__
    result = await session.execute(
        sa.delete(table).where(table.c.created_at < timesource.now() - ttl())
    )
    return result.rowcount or 0

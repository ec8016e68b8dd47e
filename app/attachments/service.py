"""Attachments: upload, read, delete, and binding to what a ticket or comment is created with."""

import logging
import uuid
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from app import timesource
from app.api_keys.models import KeyKind
from app.attachments import repository, upload
from app.attachments.metrics import DELETED_BYTES, STORED_BYTES
from app.attachments.models import Attachment
from app.attachments.schemas import AttachmentOut
from app.attachments.storage import Storage
from app.db import Units
from app.errors import AppError, Forbidden, Gone
from app.repository import added
from app.security import Principal

log = logging.getLogger("supportdesk.attachments")


async def store_upload(
    *,
    units: Units,
    principal: Principal,
    storage: Storage,
    chunks: AsyncIterator[bytes],
    filename: Callable[[], str | None],
    limit: int,
) -> Attachment:
    """Streams one file into storage, then records it (unbound) in one short transaction."""
    stored = await upload.store(storage, chunks, filename, limit)
    return await _record(units, principal, storage, stored)


async def _record(
    units: Units, principal: Principal, storage: Storage, stored: upload.Stored
) -> Attachment:
    attachment = _row(principal, stored)
    try:
        async with units() as session:
            await added(session, attachment)
    except BaseException:
        await storage.delete(stored.key)  # nothing refers to it
        raise
    STORED_BYTES.inc(stored.size)
    return attachment


async def readable(
    session: AsyncSession, principal: Principal, attachment_id: uuid.UUID
) -> Attachment:
    """An attachment whose content the caller may read; 410 once deleted."""
    attachment = await repository.get_visible(session, principal, attachment_id)
    if attachment.deleted_at is not None:
        raise Gone(f"Attachment {attachment_id} ({attachment.filename}) was deleted.")
    return attachment


async def delete(
    session: AsyncSession, principal: Principal, storage: Storage, attachment_id: uuid.UUID
) -> Attachment:
    """Staff delete any; the uploader's key its own while unbound. Content goes, row stays."""
    attachment = await repository.get_visible(session, principal, attachment_id, lock=True)
    if not _may_delete(principal, attachment):
        raise Forbidden("Only staff, or the key that uploaded it while it is unbound, delete it.")
    if attachment.deleted_at is None:
        await storage.delete(attachment.storage_key)
        repository.mark_deleted(attachment, timesource.now())
        DELETED_BYTES.inc(attachment.size)
    return attachment


def _may_delete(principal: Principal, attachment: Attachment) -> bool:
    if principal.kind in (KeyKind.admin, KeyKind.agent):
        return True
    return attachment.ticket_id is None and attachment.uploaded_by_key_id == principal.key_id


# Binding, step one (lock and check the named uploads): the repository's rule, as is.
take = repository.take


def attach(
    rows: list[Attachment],
    *,
    organization_id: uuid.UUID,
    ticket_id: uuid.UUID,
    comment_id: uuid.UUID | None = None,
    internal: bool = False,
) -> list[dict[str, Any]]:
    """Binds taken uploads (written when the transaction flushes, after the ticket or comment
    they point to); their metadata as events and responses carry it."""
    now = timesource.now()
    for row in rows:
        row.organization_id, row.ticket_id, row.comment_id = organization_id, ticket_id, comment_id
        row.internal, row.bound_at = internal, now
    return metadata(rows)


def metadata(rows: Iterable[Attachment], **bound: Any) -> list[dict[str, Any]]:
    """What events, webhooks and responses carry: never the content or a storage URL.
    `bound` shows taken rows as they will be once attached (`ticket_id=…`)."""
    return [
        AttachmentOut.model_validate(row).model_copy(update=bound).model_dump(mode="json")
        for row in rows
    ]


@dataclass(frozen=True)
class Keeper:
    """Where files that come with a message go: `storage`, recorded in short `units` of their
    own, up to `limit` bytes each."""

    storage: Storage
    units: Units
    limit: int


async def keep_files(
    keeper: Keeper, files: Iterable[tuple[str, bytes]], principal: Principal
) -> tuple[list[uuid.UUID], list[str]]:
    """Stores files that came with a message (email intake) as unbound uploads of the
    caller's organization, committed at once, to bind like any upload: should the message's
    own transaction fail, they expire like any unbound upload instead of staying in storage
    unrecorded. A file that is refused (its type, its size) is skipped with the reason."""
    kept: list[uuid.UUID] = []
    refused: list[str] = []
    for filename, content in files:
        try:
            name = partial(str, filename)  # asked for once the first bytes are in
            stored = await upload.store(keeper.storage, _one(content), name, keeper.limit)
        except AppError as error:
            refused.append(f"{filename}: not kept ({error.detail})")
            continue
        attachment = await _record(keeper.units, principal, keeper.storage, stored)
        kept.append(attachment.id)
    return kept, refused


async def _one(content: bytes) -> AsyncIterator[bytes]:
    yield content


def _row(principal: Principal, stored: upload.Stored) -> Attachment:
    return Attachment(
        organization_id=principal.tenant,
        uploaded_by_key_id=principal.key_id,
        filename=stored.filename,
        content_type=stored.content_type,
        size=stored.size,
        sha256=stored.sha256,
        storage_key=stored.key,
    )

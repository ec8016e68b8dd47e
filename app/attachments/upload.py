"""An upload, streamed: the multipart body's file goes to storage chunk by chunk while its
SHA-256 and size are counted; its type is sniffed from the first bytes before anything is
stored, and a file over the limit is removed before the 413 goes out."""

import hashlib
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass

from app.attachments import sniff
from app.attachments.storage import Storage
from app.errors import PayloadTooLarge, UnsupportedMediaType, invalid

# Multipart framing around the file (boundaries, part headers, other small fields).
FRAMING_BYTES = 64 * 1024
MAX_FILENAME = 255


@dataclass
class Stored:
    """What was written: the content is in storage under `key`."""

    key: str
    filename: str
    content_type: str
    size: int
    sha256: str


def too_large(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(f"Attachments are limited to {limit} bytes ({limit // 2**20} MiB).")


def refuse_by_length(content_length: str | None, limit: int) -> None:
    """A declared body that cannot fit is refused before a byte is read."""
    if content_length and content_length.isdigit() and int(content_length) > limit + FRAMING_BYTES:
        raise too_large(limit)


def clean_filename(raw: str | None) -> str:
    """The name shown and offered on download: no path, no control characters."""
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    if not name:
        raise invalid("body.file", "The file needs a name (the part's filename).")
    return name[:MAX_FILENAME]


class _Counter:
    def __init__(self, limit: int) -> None:
        self.limit, self.size, self.digest = limit, 0, hashlib.sha256()

    def add(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > self.limit:
            raise too_large(self.limit)
        self.digest.update(chunk)


async def _head(chunks: AsyncIterator[bytes], counter: _Counter) -> bytes:
    """The first HEAD_BYTES (or the whole file, if smaller), counted."""
    head = bytearray()
    async for chunk in chunks:
        counter.add(chunk)
        head += chunk
        if len(head) >= sniff.HEAD_BYTES:
            break
    return bytes(head)


async def store(
    storage: Storage,
    chunks: AsyncIterator[bytes],
    filename: Callable[[], str | None],
    limit: int,
) -> Stored:
    """Sniffs, then streams the rest to storage. Nothing remains stored if it raises.
    `filename` is asked once the first bytes are in (a multipart part names it up front)."""
    counter = _Counter(limit)
    head = await _head(chunks, counter)
    name = clean_filename(filename())
    if not head:
        raise invalid("body.file", "The file is empty.")
    try:
        content_type = sniff.sniff(head, name)
    except sniff.Refused as refused:
        raise UnsupportedMediaType(str(refused)) from None
    key = f"attachments/{uuid.uuid4()}"
    async with AsyncExitStack() as stack:
        writer = await stack.enter_async_context(
            storage.writer(key, content_type=content_type, filename=name)
        )
        await writer.write(head)
        async for chunk in chunks:
            counter.add(chunk)
            await writer.write(chunk)
    return Stored(key, name, content_type, counter.size, counter.digest.hexdigest())

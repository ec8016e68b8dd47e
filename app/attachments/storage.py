"""Where attachments' bytes live: a local folder or an S3-compatible bucket, behind one obstore API.

`SUPPORTDESK_STORAGE_URL` picks the store (`open_storage`). Writes stream through a bounded
buffer (multipart on S3), reads stream in chunks, and S3 objects can be handed out as
presigned URLs.
"""

import asyncio
import contextlib
import logging
import os
import re
from collections.abc import AsyncIterator
from datetime import timedelta
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import SplitResult, parse_qs, quote, unquote, urlsplit

import obstore
from obstore.store import LocalStore, S3Store

if TYPE_CHECKING:
    from obstore import AsyncWritableFile, Attributes, BytesStream, GetOptions
    from obstore.store import ClientConfig, S3Config

log = logging.getLogger("supportdesk.attachments")

# A writer buffers parts of PART_BYTES (S3 parts: 5 MiB at least) with PARTS_IN_FLIGHT
# uploading: measured, an upload of any size adds ~PARTS_IN_FLIGHT * PART_BYTES + 2 MiB to the
# API's RSS on S3 (18 MiB), ~1.35 * PART_BYTES on a folder, per concurrent upload
# (bench/attachments.py).
PART_BYTES = 8 * 1024 * 1024
PARTS_IN_FLIGHT = 2
READ_CHUNK_BYTES = 1024 * 1024
# obstore joins network frames until a chunk reaches this size; frames can be large, so chunks
# over READ_CHUNK_BYTES are split again.
_READ_MIN_CHUNK = READ_CHUNK_BYTES // 2
# A slow client reading a long recording keeps one GET open the whole time.
_REQUEST_TIMEOUT = "1h"
_S3_QUERY_KEYS = {"endpoint_url", "region", "public_endpoint_url"}
_BUCKET = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
_USAGE = (
    "SUPPORTDESK_STORAGE_URL must be file:///absolute/path, file:relative/path or "
    "s3://bucket[/prefix][?endpoint_url=http(s)://host:port&region=…"
    "&public_endpoint_url=http(s)://host:port]"
)


class StorageKind(StrEnum):
    file = "file"
    s3 = "s3"


class BadStorageUrl(ValueError):
    """SUPPORTDESK_STORAGE_URL cannot be understood."""


class StorageError(Exception):
    """A failure of the object store that callers may want to tell apart."""


class Missing(StorageError):
    """No object is stored under that key."""

    def __init__(self, key: str) -> None:
        super().__init__(f"no stored object {key!r}")
        self.key = key


class Unavailable(StorageError):
    """The store does not answer as it should (for /readyz)."""


class Writer:
    """What `Storage.writer` yields: write chunks in order; `written` counts the bytes."""

    def __init__(self, file: "AsyncWritableFile") -> None:
        self._file = file
        self.written = 0

    async def write(self, chunk: bytes) -> None:
        """Append one chunk; waits while the parts before it are still uploading."""
        await self._file.write(chunk)
        self.written += len(chunk)


class Storage:
    """One object store: streaming writes and reads by key, deletes, presigned URLs."""

    def __init__(
        self,
        store: LocalStore | S3Store,
        *,
        kind: StorageKind,
        description: str,
        root: Path | None = None,
        signer: S3Store | None = None,
    ) -> None:
        self._store = store
        # Presigns for browsers: the same bucket at its public address, when that differs.
        self._signer = signer or store
        self.kind = kind
        self._description = description
        self._root = root  # the folder of file storage

    def describe(self) -> str:
        """Where the bytes go, without credentials (for /readyz and logs)."""
        return self._description

    async def check(self) -> None:
        """Proves the store answers (the folder is writable, the bucket can be listed), or
        raises `Unavailable`."""
        if self._root is not None:
            if not await asyncio.to_thread(_writable_directory, self._root):
                raise Unavailable(f"{self._root} is not a writable directory")
            return
        try:
            # A missing bucket or refused credentials fail the listing; an empty one is fine.
            await obstore.list_with_delimiter_async(self._store, prefix=".readyz")
        except Exception as error:
            reason = str(error).splitlines()[0] if str(error) else type(error).__name__
            raise Unavailable(f"{self._description}: {reason}") from error

    @contextlib.asynccontextmanager
    async def writer(
        self, key: str, *, content_type: str | None = None, filename: str | None = None
    ) -> AsyncIterator[Writer]:
        """Streams an object to a fresh `key`; if the block raises, nothing remains under it.

        On S3 the object keeps `content_type` and a download `Content-Disposition` for
        `filename`, which is what a presigned GET then answers with.
        """
        file = obstore.open_writer_async(
            self._store,
            key,
            attributes=self._attributes(content_type, filename),
            buffer_size=PART_BYTES,
            max_concurrency=PARTS_IN_FLIGHT,
        )
        try:
            # obstore's own exit aborts a multipart upload when the block raises.
            async with file:
                yield Writer(file)
        except BaseException:
            try:
                await self.delete(key)
            except Exception:
                # The original failure matters more; the key is unique and unreferenced.
                log.warning("could not remove the partial object %s", key, exc_info=True)
            raise

    async def read(self, key: str, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]:
        """The bytes [start, end) of `key` (end None: to the end), as chunks of at most 1 MiB.

        Awaiting it fetches the object, so `Missing` is raised before a response starts; then
        iterate the chunks. The caller keeps the range within the object's size: a start at
        or past the end is refused by the store.
        """
        if start < 0 or (end is not None and end < start):
            raise ValueError(f"bad byte range [{start}, {end})")
        options: GetOptions = {}
        if end is not None:
            if end == start:
                await self._head(key)
                return _nothing()
            options["range"] = (start, end)
        elif start:
            options["range"] = {"offset": start}
        try:
            result = await obstore.get_async(self._store, key, options=options or None)
        except FileNotFoundError as error:
            raise Missing(key) from error
        return _chunks(result.stream(min_chunk_size=_READ_MIN_CHUNK))

    async def delete(self, key: str) -> None:
        """Removes the object; a key that holds nothing is fine."""
        with contextlib.suppress(FileNotFoundError):
            await obstore.delete_async(self._store, key)

    async def presign(self, key: str, *, expires: timedelta = timedelta(minutes=5)) -> str | None:
        """A URL that GETs the object without credentials until `expires`; None for a folder.

        obstore cannot sign response-content-disposition/-type overrides: S3 answers with the
        headers the object was stored with, which `writer(key, content_type=…, filename=…)`
        sets.
        """
        if not isinstance(self._store, S3Store):
            return None
        return await obstore.sign_async(self._signer, "GET", key, expires)

    async def _head(self, key: str) -> None:
        try:
            await obstore.head_async(self._store, key)
        except FileNotFoundError as error:
            raise Missing(key) from error

    def _attributes(self, content_type: str | None, filename: str | None) -> "Attributes | None":
        # LocalStore refuses attributes; the API sets these headers itself for a folder.
        if self.kind is not StorageKind.s3:
            return None
        attributes: Attributes = {}
        if content_type:
            attributes["Content-Type"] = content_type
        if filename:
            attributes["Content-Disposition"] = content_disposition(filename)
        return attributes or None


def content_disposition(filename: str) -> str:
    """`attachment` with an ASCII fallback name and the exact name as RFC 8187 `filename*`."""
    fallback = "".join(
        char if char.isascii() and char.isprintable() and char not in '"\\' else "_"
        for char in filename
    )
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def open_storage(url: str) -> Storage:
    """The store SUPPORTDESK_STORAGE_URL names: `file:` a folder, `s3:` a bucket."""
    parts = urlsplit(url)
    if parts.scheme == "file":
        return _open_folder(parts)
    if parts.scheme == "s3":
        return _open_bucket(parts)
    raise BadStorageUrl(_USAGE)


def _open_folder(parts: SplitResult) -> Storage:
    if parts.netloc not in ("", "localhost") or parts.query or parts.fragment or not parts.path:
        raise BadStorageUrl(_USAGE)
    root = Path(unquote(parts.path)).absolute()
    try:
        store = LocalStore(root, mkdir=True)
    except Exception as error:
        raise BadStorageUrl(f"SUPPORTDESK_STORAGE_URL: cannot use {root}: {error}") from error
    return Storage(store, kind=StorageKind.file, description=root.as_uri(), root=root)


def _open_bucket(parts: SplitResult) -> Storage:
    if "@" in parts.netloc:
        raise BadStorageUrl(
            "SUPPORTDESK_STORAGE_URL carries no credentials: set AWS_ACCESS_KEY_ID and "
            "AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN) instead"
        )
    bucket = parts.netloc
    if not _BUCKET.fullmatch(bucket) or parts.fragment:
        raise BadStorageUrl(_USAGE)
    try:
        query = parse_qs(parts.query, keep_blank_values=True, strict_parsing=bool(parts.query))
    except ValueError as error:
        raise BadStorageUrl(_USAGE) from error
    unknown = set(query) - _S3_QUERY_KEYS
    if unknown:
        raise BadStorageUrl(f"SUPPORTDESK_STORAGE_URL: unknown parameter {sorted(unknown)[0]!r}")
    values = {name: found[-1] for name, found in query.items()}
    config: S3Config = {}
    client: ClientConfig = {"timeout": _REQUEST_TIMEOUT}
    if values.get("region"):
        config["region"] = values["region"]
    endpoint = values.get("endpoint_url")
    if endpoint:
        config["endpoint"] = _endpoint(endpoint)
        # Custom endpoints (MinIO, Ceph…) rarely resolve bucket subdomains.
        config["virtual_hosted_style_request"] = False
        client["allow_http"] = endpoint.startswith("http://")
    prefix = parts.path.strip("/") or None
    # Credentials (and anything the URL leaves out) come from the standard AWS_* variables.
    store = S3Store(bucket, prefix=prefix, config=config, client_options=client)
    signer = None
    if values.get("public_endpoint_url"):
        # Signing is offline: this store is never connected to, only its URLs are handed out.
        public = {**config, "endpoint": _endpoint(values["public_endpoint_url"])}
        signer = S3Store(bucket, prefix=prefix, config=public, client_options=client)
    shown = [f"{name}={values[name]}" for name in ("endpoint_url", "region") if values.get(name)]
    where = f"s3://{bucket}" + (f"/{prefix}" if prefix else "")
    return Storage(
        store,
        kind=StorageKind.s3,
        description=where + ("?" + "&".join(shown) if shown else ""),
        signer=signer,
    )


def _endpoint(value: str) -> str:
    endpoint = urlsplit(value)
    if (
        endpoint.scheme not in ("http", "https")
        or not endpoint.hostname
        or endpoint.username is not None
        or endpoint.query
        or endpoint.path not in ("", "/")
    ):
        raise BadStorageUrl(
            "SUPPORTDESK_STORAGE_URL: endpoint_url must be http(s)://host[:port], no credentials"
        )
    return value.rstrip("/")


def _writable_directory(root: Path) -> bool:
    return root.is_dir() and os.access(root, os.W_OK | os.X_OK)


async def _chunks(stream: "BytesStream") -> AsyncIterator[bytes]:
    async for chunk in stream:
        if len(chunk) <= READ_CHUNK_BYTES:
            yield chunk
            continue
        view = memoryview(chunk)
        for offset in range(0, len(chunk), READ_CHUNK_BYTES):
            yield bytes(view[offset : offset + READ_CHUNK_BYTES])


async def _nothing() -> AsyncIterator[bytes]:
    return
    yield

"""Object storage, against a folder and a real S3-compatible server (moto's, on 127.0.0.1)."""

import hashlib
import random
import uuid
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from app.attachments.storage import (
    READ_CHUNK_BYTES,
    BadStorageUrl,
    Missing,
    Storage,
    StorageKind,
    Unavailable,
    content_disposition,
    open_storage,
)

MiB = 1024 * 1024


@pytest.fixture(params=[StorageKind.file, StorageKind.s3], ids=str)
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Storage:
    if request.param is StorageKind.file:
        return open_storage((tmp_path / "store").as_uri())
    return open_storage(request.getfixturevalue("s3_server"))


def _key() -> str:
    return f"attachments/{uuid.uuid4()}"


def _bytes(size: int) -> bytes:
    return random.Random(size).randbytes(size)


async def _put(storage: Storage, data: bytes, *, chunk: int = 64 * 1024, **headers: str) -> str:
    key = _key()
    async with storage.writer(key, **headers) as writer:
        for offset in range(0, len(data), chunk):
            await writer.write(data[offset : offset + chunk])
    assert writer.written == len(data)
    return key


async def _read(storage: Storage, key: str, start: int = 0, end: int | None = None) -> bytes:
    received = []
    async for chunk in await storage.read(key, start, end):
        assert 0 < len(chunk) <= READ_CHUNK_BYTES
        received.append(chunk)
    return b"".join(received)


def _endpoint(s3_url: str) -> str:
    return parse_qs(urlsplit(s3_url).query)["endpoint_url"][0]


async def test_20_mib_written_in_64_kib_chunks_reads_back_whole(storage: Storage) -> None:
    data = _bytes(20 * MiB)
    key = await _put(storage, data)

    read = await _read(storage, key)

    assert hashlib.sha256(read).digest() == hashlib.sha256(data).digest()


async def test_a_large_object_goes_to_s3_in_parts(s3_server: str) -> None:
    storage = open_storage(s3_server)
    key = await _put(storage, _bytes(20 * MiB))

    url = await storage.presign(key)
    assert url is not None
    async with httpx.AsyncClient() as client, client.stream("GET", url) as response:
        # S3 names a multipart object's ETag by its part count: 20 MiB in 8 MiB parts.
        assert response.headers["etag"].strip('"').endswith("-3")


async def test_ranges_read_the_first_middle_and_last_bytes(storage: Storage) -> None:
    data = _bytes(3 * MiB + 5)
    key = await _put(storage, data)

    assert await _read(storage, key, 0, 10) == data[:10]
    assert await _read(storage, key, MiB - 3, 2 * MiB + 7) == data[MiB - 3 : 2 * MiB + 7]
    assert await _read(storage, key, 3 * MiB) == data[3 * MiB :]
    assert await _read(storage, key, 5, 5) == b""


@pytest.mark.parametrize("size", [1000, 9 * MiB], ids=["buffered", "multipart"])
async def test_a_writer_block_that_raises_leaves_nothing(
    storage: Storage, size: int, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    key = _key()

    with pytest.raises(RuntimeError, match="client went away"):
        async with storage.writer(key) as writer:
            await writer.write(_bytes(size))
            raise RuntimeError("client went away")

    with pytest.raises(Missing):
        await storage.read(key)
    if storage.kind is StorageKind.file:
        assert [path for path in (tmp_path / "store").rglob("*") if path.is_file()] == []
    else:
        endpoint = _endpoint(request.getfixturevalue("s3_server"))
        async with httpx.AsyncClient() as client:
            pending = await client.get(f"{endpoint}/supportdesk-test?uploads")
        assert key not in pending.text


async def test_a_deleted_object_is_missing(storage: Storage) -> None:
    key = await _put(storage, b"screenshot")

    await storage.delete(key)
    await storage.delete(key)  # twice is fine

    with pytest.raises(Missing) as missing:
        await storage.read(key)
    assert missing.value.key == key
    with pytest.raises(Missing):
        await storage.read(key, 0, 0)


async def test_a_presigned_url_gets_the_bytes_with_the_stored_headers(s3_server: str) -> None:
    storage = open_storage(s3_server)
    data = _bytes(100_000)
    filename = "écran 1.mp4"
    key = await _put(storage, data, content_type="video/mp4", filename=filename)

    url = await storage.presign(key)

    assert url is not None and "X-Amz-Signature=" in url
    async with httpx.AsyncClient() as client:
        response = await client.get(url)
    assert response.status_code == 200
    assert response.content == data
    assert response.headers["content-type"] == "video/mp4"
    assert response.headers["content-disposition"] == content_disposition(filename)


async def test_file_storage_presigns_nothing(tmp_path: Path) -> None:
    storage = open_storage(tmp_path.as_uri())
    key = await _put(storage, b"x")

    assert await storage.presign(key) is None


def test_content_disposition_offers_an_ascii_fallback_and_the_exact_name() -> None:
    assert content_disposition('rapport "final" é.pdf') == (
        'attachment; filename="rapport _final_ _.pdf"; '
        "filename*=UTF-8''rapport%20%22final%22%20%C3%A9.pdf"
    )


async def test_check_passes_when_the_store_answers(storage: Storage) -> None:
    await storage.check()


async def test_check_fails_for_a_folder_that_is_gone(tmp_path: Path) -> None:
    storage = open_storage((tmp_path / "store").as_uri())
    (tmp_path / "store").rmdir()

    with pytest.raises(Unavailable, match="not a writable directory"):
        await storage.check()


async def test_check_fails_for_a_missing_bucket(s3_server: str) -> None:
    storage = open_storage(s3_server.replace("s3://supportdesk-test", "s3://no-such-bucket"))

    with pytest.raises(Unavailable, match="no-such-bucket"):
        await storage.check()


def test_a_relative_folder_is_under_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)

    storage = open_storage("file:.supportdesk/attachments")

    assert storage.kind == "file"
    assert storage.describe() == (tmp_path / ".supportdesk/attachments").as_uri()
    assert (tmp_path / ".supportdesk/attachments").is_dir()


def test_s3_describes_itself_without_credentials(s3_server: str) -> None:
    storage = open_storage(s3_server)

    assert storage.kind == "s3"
    assert storage.describe() == s3_server
    assert "testing" not in storage.describe()


@pytest.mark.parametrize(
    "url",
    [
        "",
        "/var/lib/attachments",
        "ftp://host/attachments",
        "file:",
        "file://host/attachments",
        "s3://",
        "s3://Not_A_Bucket",
        "s3://key:secret@bucket",
        "s3://bucket?endpoint=http://127.0.0.1:9000",
        "s3://bucket?endpoint_url=ftp://127.0.0.1",
        "s3://bucket?endpoint_url=http://user:pass@127.0.0.1:9000",
    ],
)
def test_a_bad_url_names_the_setting(url: str) -> None:
    with pytest.raises(BadStorageUrl, match="SUPPORTDESK_STORAGE_URL") as refused:
        open_storage(url)
    assert isinstance(refused.value, ValueError)

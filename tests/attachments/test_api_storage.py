"""The attachment API against each storage as ops configure it: S3 (a real S3-compatible
server) answers downloads with a presigned redirect; a large upload streams through."""

import hashlib
from collections.abc import AsyncIterator

import httpx
import pytest

from app.config import get_settings
from app.main import create_app
from tests.factories import ADMIN, make_ticket

MiB = 2**20


@pytest.fixture
async def s3_client(s3_server: str) -> AsyncIterator[httpx.AsyncClient]:
    """An API whose attachments go to the S3 server."""
    settings = get_settings().model_copy(update={"storage_url": s3_server})
    async with _client(settings) as http:
        yield http


@pytest.fixture
async def roomy_client() -> AsyncIterator[httpx.AsyncClient]:
    """An API on the file storage with the limit raised to 150 MiB."""
    settings = get_settings().model_copy(update={"max_attachment_bytes": 150 * MiB})
    async with _client(settings) as http:
        yield http


def _client(settings):
    application = create_app(settings)

    class Running:
        async def __aenter__(self) -> httpx.AsyncClient:
            self.lifespan = application.router.lifespan_context(application)
            await self.lifespan.__aenter__()
            transport = httpx.ASGITransport(app=application)
            self.http = httpx.AsyncClient(transport=transport, base_url="http://testserver")
            return self.http

        async def __aexit__(self, *exc) -> None:
            await self.http.aclose()
            await self.lifespan.__aexit__(*exc)

    return Running()


PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


async def test_s3_downloads_are_presigned_redirects(s3_client, tenant):
    response = await s3_client.post(
        "/v1/attachments",
        files={"file": ("invoice 2026.pdf", PDF, "image/png")},
        headers=tenant.contact_key,
    )
    assert response.status_code == 201, response.text
    file = response.json()
    assert file["content_type"] == "application/pdf"
    await make_ticket(
        s3_client, tenant.contact_key, requester=tenant.contact, attachment_ids=[file["id"]]
    )

    content = await s3_client.get(
        f"/v1/attachments/{file['id']}/content", headers=tenant.contact_key
    )
    assert content.status_code == 307
    location = content.headers["location"]
    assert "X-Amz-Signature" in location and "X-Amz-Expires=300" in location
    async with httpx.AsyncClient() as browser:  # what a browser does with the redirect
        fetched = await browser.get(location)
    assert fetched.status_code == 200 and fetched.content == PDF
    assert fetched.headers["content-type"] == "application/pdf"
    assert fetched.headers["content-disposition"].startswith("attachment;")

    deleted = await s3_client.delete(f"/v1/attachments/{file['id']}", headers=ADMIN)
    assert deleted.status_code == 200
    async with httpx.AsyncClient() as browser:  # the object is gone from the bucket
        assert (await browser.get(location)).status_code == 404


async def test_a_100_mib_recording_streams_through(roomy_client, tenant):
    digest = hashlib.sha256()
    header = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"
    block = bytes(range(256)) * 4096  # 1 MiB

    async def body() -> AsyncIterator[bytes]:
        yield b'--cut\r\nContent-Disposition: form-data; name="file"; filename="demo.mp4"\r\n\r\n'
        digest.update(header)
        yield header
        for _ in range(100):
            digest.update(block)
            yield block
        yield b"\r\n--cut--\r\n"

    response = await roomy_client.post(
        "/v1/attachments",
        content=body(),
        headers={**tenant.contact_key, "Content-Type": "multipart/form-data; boundary=cut"},
    )
    assert response.status_code == 201, response.text
    file = response.json()
    assert file["size"] == len(header) + 100 * MiB
    assert file["sha256"] == digest.hexdigest()
    assert file["content_type"] == "video/mp4"
    tail = await roomy_client.get(
        f"/v1/attachments/{file['id']}/content",
        headers={**tenant.contact_key, "Range": "bytes=-1024"},
    )
    assert tail.status_code == 206 and tail.content == block[-1024:]


async def test_presigned_urls_name_the_public_endpoint_when_one_is_set(s3_server):
    # Inside compose the API reaches the store as minio:9000; a browser needs the host's port.
    from app.attachments.storage import open_storage

    storage = open_storage(s3_server + "&public_endpoint_url=http://files.example.test:9000")
    url = await storage.presign("attachments/x")
    assert url is not None and url.startswith("http://files.example.test:9000/")

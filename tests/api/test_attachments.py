"""Attachments through the API on the file storage: upload typed by content, limits, binding
to tickets and comments, reading with ranges, visibility, deletion and expiry."""

import hashlib
import os
import struct
import zlib
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
import sqlalchemy as sa

from app.config import get_settings
from tests.factories import ADMIN, make_tenant, make_ticket

ELF = b"\x7fELF\x02\x01\x01\x00" + bytes(56)
PE = b"MZ\x90\x00\x03\x00\x00\x00" + bytes(56) + b"This program cannot be run in DOS mode."


def png(width: int = 2, height: int = 2) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height)))
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def stored_files() -> list[Path]:
    root = Path(urlparse(get_settings().storage_url).path)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


async def upload(client, headers, content: bytes, filename: str, declared: str = "text/plain"):
    return await client.post(
        "/v1/attachments", files={"file": (filename, content, declared)}, headers=headers
    )


async def uploaded(client, headers, content: bytes = b"", filename: str = "shot.png") -> dict:
    response = await upload(client, headers, content or png(), filename)
    assert response.status_code == 201, response.text
    return response.json()


async def test_the_type_comes_from_the_content_not_the_client(client, tenant):
    content = png()
    response = await upload(client, tenant.contact_key, content, "screen.png", "text/html")
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["content_type"] == "image/png"
    assert body["size"] == len(content)
    assert body["sha256"] == hashlib.sha256(content).hexdigest()
    assert (body["ticket_id"], body["comment_id"], body["filename"]) == (None, None, "screen.png")


@pytest.mark.parametrize("content", [ELF, PE], ids=["elf", "pe"])
async def test_executables_are_refused_and_nothing_is_stored(client, tenant, content):
    before = set(stored_files())
    response = await upload(client, tenant.contact_key, content, "invoice.pdf", "application/pdf")
    assert response.status_code == 415
    assert response.headers["content-type"] == "application/problem+json"
    assert set(stored_files()) == before


async def test_a_file_over_the_limit_is_refused_and_nothing_is_stored(client, tenant, app):
    limit = app.state.settings.max_attachment_bytes
    before = set(stored_files())

    async def body() -> AsyncIterator[bytes]:  # chunked: no Content-Length to refuse early
        boundary = b"--cut\r\n"
        yield boundary + b'Content-Disposition: form-data; name="file"; filename="big.png"\r\n\r\n'
        yield png()
        for _ in range(limit // 2**20 + 2):
            yield bytes(2**20)
        yield b"\r\n--cut--\r\n"

    response = await client.post(
        "/v1/attachments",
        content=body(),
        headers={**tenant.contact_key, "Content-Type": "multipart/form-data; boundary=cut"},
    )
    assert response.status_code == 413, response.text
    assert set(stored_files()) == before


async def test_a_declared_length_over_the_limit_is_refused_before_reading(client, tenant, app):
    limit = app.state.settings.max_attachment_bytes
    response = await client.post(
        "/v1/attachments",
        content=b"x",
        headers={
            **tenant.contact_key,
            "Content-Type": "multipart/form-data; boundary=cut",
            "Content-Length": str(limit * 2),
        },
    )
    assert response.status_code == 413


async def test_not_multipart_or_no_file_field_is_a_clear_error(client, tenant):
    response = await client.post("/v1/attachments", json={"file": "x"}, headers=tenant.contact_key)
    assert response.status_code == 415
    response = await client.post(
        "/v1/attachments", files={"other": ("a.txt", b"hello")}, headers=tenant.contact_key
    )
    assert response.status_code == 422


async def test_a_ticket_and_a_comment_carry_their_files(client, tenant):
    screenshot = await uploaded(client, tenant.contact_key)
    log = await uploaded(client, tenant.contact_key, b"12:00 error: boom\n", "app.log")
    ticket = await make_ticket(
        client, tenant.contact_key, requester=tenant.contact, attachment_ids=[screenshot["id"]]
    )
    response = await client.post(
        f"/v1/tickets/{ticket['id']}/comments",
        json={"body": "The log, as asked.", "attachment_ids": [log["id"]]},
        headers=tenant.contact_key,
    )
    assert response.status_code == 201, response.text
    comment = response.json()
    assert [each["id"] for each in comment["attachments"]] == [log["id"]]
    assert comment["attachments"][0]["content_type"] == "text/plain"

    listed = await client.get(f"/v1/tickets/{ticket['id']}/attachments", headers=ADMIN)
    files = {each["id"]: each for each in listed.json()["data"]}
    assert files[screenshot["id"]]["ticket_id"] == ticket["id"]
    assert files[screenshot["id"]]["comment_id"] is None
    assert files[log["id"]]["comment_id"] == comment["id"]

    events = await client.get(f"/v1/tickets/{ticket['id']}/events", headers=tenant.contact_key)
    by_type = {event["type"]: event["data"] for event in events.json()["data"]}
    [created_file] = by_type["ticket.created"]["attachments"]
    assert created_file["id"] == screenshot["id"] and "storage_key" not in created_file
    assert by_type["ticket.comment_added"]["comment"]["attachments"][0]["id"] == log["id"]


async def test_an_upload_binds_once_and_only_within_its_organization(client, tenant):
    other = await make_tenant(client)
    mine = await uploaded(client, tenant.contact_key)
    theirs = await uploaded(client, other.contact_key)
    await make_ticket(
        client, tenant.contact_key, requester=tenant.contact, attachment_ids=[mine["id"]]
    )
    for ids in ([mine["id"]], [theirs["id"]], ["7d3f0c5e-1111-4222-8333-944455556666"]):
        response = await client.post(
            "/v1/tickets",
            json={"subject": "Again", "description": "Same file", "attachment_ids": ids},
            headers=tenant.contact_key,
        )
        assert response.status_code == 422, ids
        assert response.json()["errors"][0]["field"] == "body.attachment_ids"
    # Nothing was bound by the refused requests: theirs is still theirs to use.
    await make_ticket(
        client, other.contact_key, requester=other.contact, attachment_ids=[theirs["id"]]
    )


async def test_files_on_an_internal_note_are_staff_only(client, tenant, agent_key):
    ticket = await make_ticket(client, tenant.contact_key, requester=tenant.contact)
    secret = await uploaded(client, agent_key, b"internal diagnostics\n", "diag.txt")
    response = await client.post(
        f"/v1/tickets/{ticket['id']}/comments",
        json={
            "body": "Root cause notes",
            "visibility": "internal",
            "attachment_ids": [secret["id"]],
        },
        headers=agent_key,
    )
    assert response.status_code == 201, response.text
    for path in (f"/v1/attachments/{secret['id']}", f"/v1/attachments/{secret['id']}/content"):
        assert (await client.get(path, headers=tenant.contact_key)).status_code == 404
        assert (await client.get(path, headers=tenant.integration_key)).status_code == 404
        assert (await client.get(path, headers=agent_key)).status_code == 200
    listed = await client.get(f"/v1/tickets/{ticket['id']}/attachments", headers=tenant.contact_key)
    assert listed.json()["data"] == []


async def test_a_tickets_files_come_in_pages_oldest_first(client, tenant, agent_key):
    files = [await uploaded(client, tenant.contact_key, filename=f"shot{n}.png") for n in range(3)]
    ticket = await make_ticket(
        client,
        tenant.contact_key,
        requester=tenant.contact,
        attachment_ids=[each["id"] for each in files],
    )
    for n in range(2):
        extra = await uploaded(client, tenant.contact_key, filename=f"later{n}.png")
        response = await client.post(
            f"/v1/tickets/{ticket['id']}/comments",
            json={"body": "One more", "attachment_ids": [extra["id"]]},
            headers=tenant.contact_key,
        )
        assert response.status_code == 201, response.text
        files.append(extra)
    secret = await uploaded(client, agent_key, b"internal\n", "diag.txt")
    response = await client.post(
        f"/v1/tickets/{ticket['id']}/comments",
        json={"body": "Notes", "visibility": "internal", "attachment_ids": [secret["id"]]},
        headers=agent_key,
    )
    assert response.status_code == 201, response.text

    async def every_page(headers: dict[str, str]) -> list[list[str]]:
        pages, cursor = [], None
        while True:
            params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
            listed = await client.get(
                f"/v1/tickets/{ticket['id']}/attachments", params=params, headers=headers
            )
            assert listed.status_code == 200, listed.text
            pages.append([each["id"] for each in listed.json()["data"]])
            if (cursor := listed.json()["next_cursor"]) is None:
                return pages

    ids = [each["id"] for each in files]
    assert await every_page(tenant.contact_key) == [ids[0:2], ids[2:4], ids[4:5]]
    assert await every_page(agent_key) == [ids[0:2], ids[2:4], [ids[4], secret["id"]]]
    bad = await client.get(
        f"/v1/tickets/{ticket['id']}/attachments",
        params={"cursor": "not-a-cursor"},
        headers=tenant.contact_key,
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "query.cursor"


async def test_another_organizations_file_is_not_found(client, tenant):
    other = await make_tenant(client)
    theirs = await uploaded(client, other.contact_key)
    response = await client.get(f"/v1/attachments/{theirs['id']}", headers=tenant.contact_key)
    assert response.status_code == 404


async def test_content_is_a_download_with_ranges(client, tenant):
    content = os.urandom(10_000)
    video = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + content
    file = await uploaded(client, tenant.contact_key, video, "recording.mp4")
    assert file["content_type"] == "video/mp4"
    path = f"/v1/attachments/{file['id']}/content"

    whole = await client.get(path, headers=tenant.contact_key)
    assert whole.status_code == 200 and whole.content == video
    assert whole.headers["x-content-type-options"] == "nosniff"
    assert whole.headers["etag"] == f'"{file["sha256"]}"'
    assert whole.headers["content-disposition"].startswith("attachment;")
    assert "filename*=UTF-8''recording.mp4" in whole.headers["content-disposition"]

    part = await client.get(path, headers={**tenant.contact_key, "Range": "bytes=100-199"})
    assert part.status_code == 206 and part.content == video[100:200]
    assert part.headers["content-range"] == f"bytes 100-199/{len(video)}"
    tail = await client.get(path, headers={**tenant.contact_key, "Range": "bytes=-10"})
    assert tail.content == video[-10:]
    beyond = await client.get(path, headers={**tenant.contact_key, "Range": "bytes=99999-"})
    assert beyond.status_code == 416
    cached = await client.get(
        path, headers={**tenant.contact_key, "If-None-Match": f'"{file["sha256"]}"'}
    )
    assert cached.status_code == 304


async def test_deleting_keeps_a_tombstone_and_removes_the_content(client, tenant, agent_key):
    before = set(stored_files())
    loose = await uploaded(client, tenant.contact_key)
    assert len(set(stored_files()) - before) == 1
    response = await client.delete(f"/v1/attachments/{loose['id']}", headers=tenant.contact_key)
    assert response.status_code == 200 and response.json()["deleted_at"]
    assert set(stored_files()) == before
    gone = await client.get(f"/v1/attachments/{loose['id']}/content", headers=tenant.contact_key)
    assert gone.status_code == 410

    bound = await uploaded(client, tenant.contact_key)
    ticket = await make_ticket(
        client, tenant.contact_key, requester=tenant.contact, attachment_ids=[bound["id"]]
    )
    refused = await client.delete(f"/v1/attachments/{bound['id']}", headers=tenant.contact_key)
    assert refused.status_code == 403
    deleted = await client.delete(f"/v1/attachments/{bound['id']}", headers=agent_key)
    assert deleted.status_code == 200
    listed = await client.get(f"/v1/tickets/{ticket['id']}/attachments", headers=tenant.contact_key)
    [tombstone] = listed.json()["data"]
    assert tombstone["filename"] == "shot.png" and tombstone["deleted_at"]


async def test_unbound_uploads_expire_after_a_day(client, tenant, app):
    from app.workers.attachments import expire_uploads

    before = set(stored_files())
    loose = await uploaded(client, tenant.contact_key)
    kept = await uploaded(client, tenant.contact_key)
    await make_ticket(
        client, tenant.contact_key, requester=tenant.contact, attachment_ids=[kept["id"]]
    )
    async with app.state.engine.begin() as connection:
        await connection.execute(
            sa.text(
                "UPDATE attachments SET created_at = now() - interval '25 hours'"
                " WHERE id IN (:a, :b)"
            ),
            {"a": loose["id"], "b": kept["id"]},
        )
    await expire_uploads({"engine": app.state.engine, "sessions": app.state.sessions})
    assert (await client.get(f"/v1/attachments/{loose['id']}", headers=ADMIN)).status_code == 404
    assert (await client.get(f"/v1/attachments/{kept['id']}", headers=ADMIN)).status_code == 200
    assert len(set(stored_files()) - before) == 1  # the bound one's content stays


async def test_a_list_shows_each_ticket_as_reading_it_does(client, tenant):
    """The list builds a page in one statement (clocks and files as JSON beside each row):
    every entry must be exactly what GET /v1/tickets/{id} answers — files, SLA clocks and
    their instants written alike."""
    screenshot = await uploaded(client, tenant.contact_key)
    with_file = await make_ticket(
        client, tenant.contact_key, requester=tenant.contact, attachment_ids=[screenshot["id"]]
    )
    plain = await make_ticket(client, tenant.contact_key, requester=tenant.contact)
    comment = {"body": "A log.", "attachment_ids": [(await uploaded(client, ADMIN))["id"]]}
    response = await client.post(f"/v1/tickets/{plain['id']}/comments", json=comment, headers=ADMIN)
    assert response.status_code == 201, response.text
    params = {"organization_id": tenant.organization["id"]}
    listed = (await client.get("/v1/tickets", params=params, headers=ADMIN)).json()["data"]
    by_id = {ticket["id"]: ticket for ticket in listed}
    for ticket in (with_file, plain):
        read = await client.get(f"/v1/tickets/{ticket['id']}", headers=ADMIN)
        assert by_id[ticket["id"]] == read.json()
    assert [each["id"] for each in by_id[with_file["id"]]["attachments"]] == [screenshot["id"]]
    assert by_id[plain["id"]]["attachments"] == []  # a comment's file is not the ticket's
    assert by_id[plain["id"]]["sla"]["first_response"]["due_at"].endswith("Z")

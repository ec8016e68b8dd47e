"""A screenshot from the widget: uploaded cross-origin with the publishable key, bound to the
request it is sent with, and usable by nothing else."""

import hashlib

import sqlalchemy as sa

from app.attachments.models import Attachment
from tests.api.test_attachments import ELF, png
from tests.factories import ADMIN
from tests.intake.widget_helpers import (
    ORIGIN,
    browser_client,
    make_widget_key,
    random_address,
    ticket_count,
    widget_headers,
    widget_request,
)
from tests.problems import assert_problem
from tests.test_ratelimit import api_process

UPLOAD = "/v1/intake/widget/attachments"
INTAKE = "/v1/intake/widget"


async def _upload(browser, key: str, content: bytes, filename: str = "screenshot.png", **headers):
    files = {"file": (filename, content, "image/png")}
    return await browser.post(UPLOAD, files=files, headers=widget_headers(key, **headers))


async def _uploaded(browser, key: str, content: bytes = b"") -> dict:
    response = await _upload(browser, key, content or png())
    assert response.status_code == 201, response.text
    return response.json()


async def _stored_uploads(app, organization_id: str) -> int:
    async with app.state.sessions() as session:
        statement = sa.select(sa.func.count()).where(Attachment.organization_id == organization_id)
        return (await session.execute(statement)).scalar_one()


async def test_a_screenshot_sent_with_the_widget_is_on_the_ticket(
    client, browser, tenant, widget_key
):
    shot = png(40, 30)
    upload = await _upload(browser, widget_key, shot)
    assert upload.status_code == 201, upload.text
    assert upload.headers["Access-Control-Allow-Origin"] == ORIGIN
    file = upload.json()
    assert file["content_type"] == "image/png" and file["ticket_id"] is None

    body = widget_request(tenant.contact["email"], attachment_ids=[file["id"]])
    receipt = await browser.post(INTAKE, json=body, headers=widget_headers(widget_key))
    assert receipt.status_code == 201, receipt.text

    ticket_id = receipt.json()["id"]
    ticket = (await client.get(f"/v1/tickets/{ticket_id}", headers=ADMIN)).json()
    [shown] = ticket["attachments"]
    assert (shown["id"], shown["filename"], shown["size"]) == (
        file["id"],
        "screenshot.png",
        len(shot),
    )
    content = await client.get(f"/v1/attachments/{file['id']}/content", headers=tenant.contact_key)
    assert content.status_code == 200
    assert hashlib.sha256(content.content).hexdigest() == file["sha256"]
    events = await client.get(f"/v1/tickets/{ticket_id}/events", headers=tenant.contact_key)
    [created] = [event for event in events.json()["data"] if event["type"] == "ticket.created"]
    assert [each["id"] for each in created["data"]["attachments"]] == [file["id"]]


async def test_the_upload_answers_its_preflight_for_the_keys_origins_only(browser, widget_key):
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "x"}
    allowed = await browser.options(
        UPLOAD, params={"key": widget_key}, headers={**preflight, "Origin": ORIGIN}
    )
    assert allowed.status_code == 204
    assert allowed.headers["Access-Control-Allow-Origin"] == ORIGIN
    refused = await browser.options(
        UPLOAD, params={"key": widget_key}, headers={**preflight, "Origin": "https://evil.example"}
    )
    assert refused.status_code == 403
    assert "Access-Control-Allow-Origin" not in refused.headers


async def test_a_page_on_another_origin_stores_nothing(app, browser, tenant, widget_key):
    response = await _upload(browser, widget_key, png(), Origin="https://evil.example")

    assert_problem(response, 403)
    assert "Access-Control-Allow-Origin" not in response.headers
    assert await _stored_uploads(app, tenant.organization["id"]) == 0


async def test_executables_from_the_widget_are_refused(app, browser, tenant, widget_key):
    response = await _upload(browser, widget_key, ELF, "screenshot.png")

    assert_problem(response, 415)
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN  # the page shows why
    assert await _stored_uploads(app, tenant.organization["id"]) == 0


async def test_the_widget_binds_only_what_its_own_key_uploaded(
    app, client, browser, tenant, widget_key
):
    other_key = (await make_widget_key(client, tenant.organization))["key"]
    by_other_widget = await _uploaded(browser, other_key)
    contact_upload = await client.post(
        "/v1/attachments",
        files={"file": ("notes.txt", b"private notes\n", "text/plain")},
        headers=tenant.contact_key,
    )
    assert contact_upload.status_code == 201, contact_upload.text

    for foreign in (by_other_widget, contact_upload.json()):
        body = widget_request(tenant.contact["email"], attachment_ids=[foreign["id"]])
        response = await browser.post(INTAKE, json=body, headers=widget_headers(widget_key))
        problem = assert_problem(response, 422)
        assert "body.attachment_ids" in {error["field"] for error in problem["errors"]}
    assert await ticket_count(app, tenant.organization["id"]) == 0


async def test_a_widget_key_reads_no_file_not_even_its_own(client, browser, widget_key):
    file = await _uploaded(browser, widget_key)
    for path in (f"/v1/attachments/{file['id']}", f"/v1/attachments/{file['id']}/content"):
        response = await browser.get(path, headers=widget_headers(widget_key))
        assert response.status_code == 403, path
    refused = await browser.post(
        "/v1/attachments",
        files={"file": ("shot.png", png(), "image/png")},
        headers=widget_headers(widget_key),
    )
    assert refused.status_code == 403


async def test_uploads_draw_from_the_widgets_budget(client, tenant):
    key = (await make_widget_key(client, tenant.organization))["key"]
    async with (
        api_process(widget_rate_per_ip=2) as application,
        browser_client(application, random_address()) as browser,
    ):
        statuses = [(await _upload(browser, key, png())).status_code for _ in range(3)]
        body = widget_request(tenant.contact["email"])
        intake = await browser.post(INTAKE, json=body, headers=widget_headers(key))
    assert statuses == [201, 201, 429]
    assert intake.status_code == 429

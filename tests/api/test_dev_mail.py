"""GET /dev/mail: what `supportdesk dev`'s SMTP sink received, read through the API that serves
it only when SUPPORTDESK_DEV_MAIL_DIR is set."""

import email
import email.policy
import email.utils
from collections.abc import AsyncIterator, Iterator
from email.message import EmailMessage
from pathlib import Path

import aiosmtplib
import httpx
import pytest

from app.config import get_settings
from app.errors import PROBLEM_MEDIA_TYPE
from app.mail.devsink import DevSink
from app.main import create_app


@pytest.fixture
def sink(tmp_path: Path) -> Iterator[DevSink]:
    server = DevSink(tmp_path / "mail").start()
    yield server
    server.stop()


@pytest.fixture
async def dev_client(app, sink: DevSink) -> AsyncIterator[httpx.AsyncClient]:
    """An API like the one `supportdesk dev` runs: its dev_mail_dir is the sink's folder."""
    settings = get_settings().model_copy(update={"dev_mail_dir": str(sink.folder)})
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            yield http


def mail(subject: str, *, html: str | None = None, reply_to: str | None = None) -> EmailMessage:
    message = EmailMessage()
    message["From"] = "Support <support@desk.example>"
    message["To"] = "Jane Doe <jane@demo.example>"
    message["Subject"] = subject
    message["Date"] = email.utils.formatdate(localtime=False)
    message["Message-ID"] = email.utils.make_msgid(domain="desk.example")
    if reply_to:
        message["In-Reply-To"] = reply_to
        message["References"] = f"<root@client.example> {reply_to}"
    message.set_content(f"Text of {subject}\n")
    if html:
        message.add_alternative(html, subtype="html")
    return message


async def send(sink: DevSink, message: EmailMessage) -> None:
    await aiosmtplib.send(message, hostname="127.0.0.1", port=sink.port, timeout=10)


def assert_not_found(response: httpx.Response) -> None:
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM_MEDIA_TYPE
    assert response.json()["status"] == 404


async def test_mail_the_sink_received_is_listed_newest_first(dev_client, sink):
    first = mail("Ticket SUP-1 received")
    second = mail(
        "Re: Ticket SUP-1 received",
        html="<p>Your ticket is <b>resolved</b></p>",
        reply_to=first["Message-ID"],
    )
    await send(sink, first)
    await send(sink, second)

    response = await dev_client.get("/dev/mail")
    assert response.status_code == 200
    newest, oldest = response.json()["data"]
    assert newest["subject"] == "Re: Ticket SUP-1 received"
    assert newest["from"] == "Support <support@desk.example>"
    assert newest["to"] == "Jane Doe <jane@demo.example>"
    assert newest["text"] == "Text of Re: Ticket SUP-1 received\n"
    assert "<b>resolved</b>" in newest["html"]
    assert newest["message_id"] == second["Message-ID"]
    assert newest["in_reply_to"] == first["Message-ID"]
    assert newest["references"] == ["<root@client.example>", first["Message-ID"]]
    assert newest["date"]
    assert oldest["subject"] == "Ticket SUP-1 received"
    assert oldest["html"] is None and oldest["in_reply_to"] is None
    assert oldest["references"] == []

    limited = await dev_client.get("/dev/mail", params={"limit": 1})
    assert [m["subject"] for m in limited.json()["data"]] == ["Re: Ticket SUP-1 received"]


async def test_one_mail_is_served_raw_as_rfc822(dev_client, sink):
    await send(sink, mail("Ticket SUP-2 received"))
    (listed,) = (await dev_client.get("/dev/mail")).json()["data"]

    response = await dev_client.get(f"/dev/mail/{listed['id']}")
    assert response.status_code == 200
    assert response.headers["content-type"] == "message/rfc822"
    raw = email.message_from_bytes(response.content, policy=email.policy.default)
    assert raw["Subject"] == "Ticket SUP-2 received"
    assert raw["Message-ID"] == listed["message_id"]
    assert raw.get_content().splitlines() == ["Text of Ticket SUP-2 received"]


async def test_unknown_ids_and_paths_outside_the_folder_are_not_found(dev_client, sink):
    (sink.folder / "notes.eml").write_text("Subject: not one the sink wrote\n\nhi\n")
    (sink.folder.parent / "outside.eml").write_text("Subject: secret\n\nhi\n")
    for path in (
        "/dev/mail/00000000000000000000-00000000",
        "/dev/mail/notes",
        "/dev/mail/..%2Foutside",
        "/dev/mail/%2E%2E",
        "/dev/mail/..%2F..%2F..%2Fetc%2Fpasswd",
    ):
        assert_not_found(await dev_client.get(path))
    assert (await dev_client.get("/dev/mail")).json() == {"data": []}


async def test_limit_out_of_range_is_a_validation_problem(dev_client):
    for limit in (0, 501, "many"):
        response = await dev_client.get("/dev/mail", params={"limit": limit})
        assert response.status_code == 422
        assert response.headers["content-type"] == PROBLEM_MEDIA_TYPE


async def test_the_api_has_no_dev_mail_unless_dev_sets_its_folder(client):
    assert_not_found(await client.get("/dev/mail"))


async def test_dev_mail_is_not_part_of_the_contract(dev_client):
    spec = (await dev_client.get("/openapi.json")).json()
    assert not any(path.startswith("/dev") for path in spec["paths"])

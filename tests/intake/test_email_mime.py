"""POST /v1/intake/email with the raw message (message/rfc822), and `supportdesk mail-in`."""

import base64
import itertools
import os
import signal
import subprocess
import sys
from email.message import EmailMessage

import pytest

from app.intake import mime
from tests.api.test_attachments import ELF, png
from tests.api.test_tickets import fetch
from tests.factories import ADMIN
from tests.problems import assert_problem
from tests.processes import free_port, start, wait_until_up

_ids = itertools.count(1)
RAW = {"Content-Type": "message/rfc822"}


def message(sender: str, subject: str, text: str | None = "Hello", **headers: str) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = "support@operator.example"
    mail["Cc"] = "boss@client.example"
    mail["Subject"] = subject
    mail["Message-ID"] = f"<raw{next(_ids)}@client.example>"
    for name, value in headers.items():
        mail[name.replace("_", "-")] = value
    if text is not None:
        mail.set_content(text)
    return mail


async def send(client, tenant, mail: EmailMessage | bytes):
    raw = mail if isinstance(mail, bytes) else mail.as_bytes()
    return await client.post(
        "/v1/intake/email", content=raw, headers={**tenant.integration_key, **RAW}
    )


def sender_of(tenant) -> str:
    return f"{tenant.contact['name']} <{tenant.contact['email']}>"


async def comments_of(client, ticket_id: str) -> list[str]:
    listed = await client.get(f"/v1/tickets/{ticket_id}/comments", headers=ADMIN)
    return [comment["body"] for comment in listed.json()["data"]]


async def attachments_of(client, ticket_id: str) -> list[dict]:
    listed = await client.get(f"/v1/tickets/{ticket_id}/attachments", headers=ADMIN)
    return listed.json()["data"]


async def tickets_count(client) -> int:
    return len((await client.get("/v1/tickets", headers=ADMIN)).json()["data"])


async def test_a_raw_message_opens_a_ticket(client, tenant):
    response = await send(
        client, tenant, message(sender_of(tenant), "=?utf-8?q?Checkout_f=C3=A4ils?=", "Card error")
    )
    assert response.status_code == 201, response.text
    assert response.json()["action"] == "created"
    ticket = (await fetch(client, response.json()["ticket_id"])).json()
    assert (ticket["channel"], ticket["subject"], ticket["description"]) == (
        "email",
        "Checkout fäils",
        "Card error",
    )
    assert ticket["requester_id"] == tenant.contact["id"]


async def test_a_raw_reply_with_in_reply_to_comments_on_the_same_ticket(client, tenant):
    first = message(sender_of(tenant), "Login slow", "Takes 20 seconds")
    opened = (await send(client, tenant, first)).json()
    reply = message(
        sender_of(tenant), "Re: Login slow", "Now 30 seconds", In_Reply_To=first["Message-ID"]
    )
    response = await send(client, tenant, reply)
    assert response.status_code == 200, response.text
    assert (response.json()["action"], response.json()["ticket_id"]) == (
        "commented",
        opened["ticket_id"],
    )
    assert await comments_of(client, opened["ticket_id"]) == ["Now 30 seconds"]


async def test_references_alone_thread_a_reply(client, tenant):
    first = message(sender_of(tenant), "Export broken", "CSV is empty")
    opened = (await send(client, tenant, first)).json()
    # In-Reply-To names a message we never saw (the client's colleague's); References
    # names the thread's opening message, further back.
    reply = message(
        sender_of(tenant),
        "Re: Re: Export broken",
        "Still empty",
        In_Reply_To="<unknown@elsewhere.example>",
        References=f"{first['Message-ID']} <unknown@elsewhere.example>",
    )
    response = await send(client, tenant, reply)
    assert response.json()["action"] == "commented", response.text
    assert response.json()["ticket_id"] == opened["ticket_id"]


async def test_references_to_a_message_we_sent_thread_a_reply(client, tenant):
    opened = (await send(client, tenant, message(sender_of(tenant), "Slow", "x"))).json()
    number = (await fetch(client, opened["ticket_id"])).json()["number"].removeprefix("SUP-")
    reply = message(
        sender_of(tenant), "Re: your update", "ok", References=f"<sup-{number}.7@desk.example>"
    )
    assert (await send(client, tenant, reply)).json()["ticket_id"] == opened["ticket_id"]


async def test_an_html_only_body_becomes_text(client, tenant):
    mail = message(sender_of(tenant), "Printer", None)
    mail.set_content(
        "<html><head><style>p{color:red}</style></head><body><p>The printer&nbsp;is "
        "<b>on fire</b>.</p><div>Please &amp; thanks</div><script>alert(1)</script></body>"
        "</html>",
        subtype="html",
    )
    response = await send(client, tenant, mail)
    ticket = (await fetch(client, response.json()["ticket_id"])).json()
    assert ticket["description"] == "The printer is on fire.\n\nPlease & thanks"


async def test_the_plain_part_is_preferred_and_quoted_history_is_stripped(client, tenant):
    first = message(sender_of(tenant), "Billing", "Invoice wrong")
    opened = (await send(client, tenant, first)).json()
    reply = message(
        sender_of(tenant),
        "Re: Billing",
        "Fixed, thanks.\n> an inline quote\nAll good.\n\n"
        "On Mon, 2 Nov 2026 at 10:00, Desk <desk@operator.example> wrote:\n"
        "> We corrected the invoice.\n> Regards\n",
        In_Reply_To=first["Message-ID"],
    )
    reply.add_alternative("<p>HTML version that must not be used</p>", subtype="html")
    response = await send(client, tenant, reply)
    assert response.json()["action"] == "commented"
    assert await comments_of(client, opened["ticket_id"]) == ["Fixed, thanks.\nAll good."]


@pytest.mark.parametrize(
    "sender, headers",
    [
        (None, {"Auto-Submitted": "auto-replied"}),
        (None, {"Auto-Submitted": "auto-generated; type=vacation"}),
        (None, {"Precedence": "bulk"}),
        (None, {"Precedence": "junk"}),
        (None, {"Precedence": "auto_reply"}),
        (None, {"Precedence": "list"}),
        (None, {"X-Autoreply": "yes"}),
        (None, {"X-Autorespond": "Out of office"}),
        (None, {"Return-Path": "<>"}),
        ("MAILER-DAEMON@client.example", {}),
        ("Mail Delivery System <postmaster@client.example>", {}),
    ],
)
async def test_auto_replies_and_bounces_are_ignored(client, tenant, sender, headers):
    mail = message(sender or sender_of(tenant), "Out of office: Login slow", "Back Monday")
    for name, value in headers.items():
        mail[name] = value
    response = await send(client, tenant, mail)
    assert response.status_code == 200, response.text
    assert response.json() == {"action": "ignored", "ticket_id": None, "comment_id": None}
    assert await tickets_count(client) == 0
    feed = await client.get("/v1/events", params={"types": "intake.refused"}, headers=ADMIN)
    assert feed.json()["data"] == []
    # Its id is remembered: the same bounce again is a duplicate, still with no ticket.
    again = (await send(client, tenant, mail)).json()
    assert (again["action"], again["ticket_id"]) == ("duplicate", None)


async def test_json_mail_carries_references_headers_and_attachments_too(client, tenant):
    """Providers posting JSON map the same headers: one rule serves both bodies."""
    first = {"from": sender_of(tenant), "subject": "Sync", "message_id": "<j1@client.example>"}
    opened = await client.post("/v1/intake/email", json=first, headers=tenant.integration_key)
    reply = {
        "from": sender_of(tenant),
        "subject": "Re: Sync",
        "text": "More",
        "message_id": "<j2@client.example>",
        "references": "<j1@client.example>",
        "attachments": [{"filename": "a.txt", "size": 10}],
    }
    answered = await client.post("/v1/intake/email", json=reply, headers=tenant.integration_key)
    assert answered.json()["ticket_id"] == opened.json()["ticket_id"]
    assert await comments_of(client, opened.json()["ticket_id"]) == [
        "More\n\nAttachments: a.txt (10 bytes)"
    ]
    bounce = {**reply, "message_id": "<j3@client.example>", "headers": {"Precedence": "bulk"}}
    ignored = await client.post("/v1/intake/email", json=bounce, headers=tenant.integration_key)
    assert ignored.json()["action"] == "ignored"


async def test_auto_submitted_no_is_an_ordinary_message(client, tenant):
    mail = message(sender_of(tenant), "Hello", "Hi", Auto_Submitted="no")
    assert (await send(client, tenant, mail)).json()["action"] == "created"


async def test_an_auto_reply_in_a_thread_adds_nothing_to_the_ticket(client, tenant):
    first = message(sender_of(tenant), "Login slow", "Takes 20 seconds")
    opened = (await send(client, tenant, first)).json()
    vacation = message(
        sender_of(tenant),
        "Re: Login slow",
        "I am away",
        In_Reply_To=first["Message-ID"],
        Auto_Submitted="auto-replied",
    )
    assert (await send(client, tenant, vacation)).json()["action"] == "ignored"
    assert await comments_of(client, opened["ticket_id"]) == []


async def test_attachments_are_kept_as_files_and_listed_by_name_and_size(client, tenant):
    first = message(sender_of(tenant), "Crash", "See the screenshot")
    first.add_attachment(png(), "image", "png", filename="shot.png")
    first.add_attachment(b"a,b\n", "text", "csv", filename="rows.csv")
    first.add_attachment(ELF, "application", "octet-stream", filename="fix.exe")
    opened = (await send(client, tenant, first)).json()
    ticket = (await fetch(client, opened["ticket_id"])).json()
    assert ticket["description"] == (
        f"See the screenshot\n\nAttachments: shot.png ({len(png())} bytes), rows.csv (4 bytes), "
        f"fix.exe ({len(ELF)} bytes)\n\nfix.exe: not kept (Executables and scripts are not "
        "accepted (ELF executable).)"
    ), ticket["description"]
    files = await attachments_of(client, opened["ticket_id"])
    assert [(f["filename"], f["content_type"]) for f in files] == [
        ("shot.png", "image/png"),
        ("rows.csv", "text/csv"),
    ]
    reply = message(sender_of(tenant), "Re: Crash", "Log", In_Reply_To=first["Message-ID"])
    reply.add_attachment(b"12:00 error: boom\n", "text", "plain", filename="app.log")
    await send(client, tenant, reply)
    [comment] = (
        await client.get(f"/v1/tickets/{opened['ticket_id']}/comments", headers=ADMIN)
    ).json()["data"]
    assert comment["body"] == "Log\n\nAttachments: app.log (18 bytes)"
    assert [f["filename"] for f in comment["attachments"]] == ["app.log"]


async def test_a_raw_message_over_the_body_limit_is_refused(client, tenant, app):
    # A raw mail may carry one file of the attachment limit, base64-encoded; more is a 413.
    limit = app.state.settings.max_attachment_bytes * 4 // 3 + 2**20
    mail = message(sender_of(tenant), "Huge", "See attached")
    mail.add_attachment(bytes(limit), "application", "zip", filename="huge.zip")
    assert_problem(await send(client, tenant, mail), 413)
    assert await tickets_count(client) == 0


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\x00\xff\xfe garbage without headers \x00",
        b"Subject: no sender\r\n\r\nHello",
        b"From: \r\nSubject: empty sender\r\n\r\nHello",
        b"From: jane@client.example\r\nSubject: \x00\r\nMessage-ID: \r\n"
        b"Content-Type: text/plain; charset=no-such-charset\r\n\r\n\xff\xfe",
        b'From: "unterminated <jane@client.example\r\nTo: ,,,@@@ <<>>\r\n'
        b"Subject: =?utf-8?b?!!!?=\r\nContent-Type: multipart/mixed\r\n\r\nno boundary",
    ],
)
async def test_malformed_messages_are_refused_as_problems_not_500(client, tenant, raw):
    # Unreadable, or readable enough to find its sender is no contact: 422 either way.
    assert_problem(await send(client, tenant, raw), 422)
    assert await tickets_count(client) == 0


async def test_an_unknown_sender_of_a_raw_message_is_refused(client, tenant):
    response = await send(client, tenant, message("stranger@elsewhere.example", "Help"))
    assert "designated" in assert_problem(response, 422)["detail"]


async def test_other_media_types_are_unsupported(client, tenant):
    response = await client.post(
        "/v1/intake/email",
        content=b"hello",
        headers={**tenant.integration_key, "Content-Type": "text/plain"},
    )
    assert_problem(response, 415)


@pytest.fixture
async def api():
    """A real `supportdesk serve` on the test database, as Postfix's pipe reaches it."""
    port = free_port()
    process = start("serve", "--host", "127.0.0.1", "--port", str(port))
    try:
        base = f"http://127.0.0.1:{port}"
        await wait_until_up(base)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def mail_in(base: str, key: str, mail: EmailMessage) -> subprocess.CompletedProcess[bytes]:
    """`supportdesk mail-in` with the message on stdin, as a Postfix pipe transport runs it."""
    return subprocess.run(
        [sys.executable, "-m", "app.cli", "mail-in", "--url", base],
        input=mail.as_bytes(),
        env={**os.environ, "SUPPORTDESK_MAIL_IN_KEY": key},
        capture_output=True,
        timeout=60,
    )


async def test_mail_in_delivers_a_message_to_the_running_api(client, tenant, api):
    key = tenant.integration_key["Authorization"].removeprefix("Bearer ")
    delivered = mail_in(api, key, message(sender_of(tenant), "Via Postfix", "Piped in"))
    assert delivered.returncode == 0, delivered.stderr
    listed = (await client.get("/v1/tickets", headers=ADMIN)).json()["data"]
    assert [(ticket["subject"], ticket["channel"]) for ticket in listed] == [
        ("Via Postfix", "email")
    ]
    refused = mail_in(api, key, message("stranger@elsewhere.example", "Spam"))
    assert refused.returncode == 67
    assert b"designated" in refused.stderr


async def test_mail_in_defers_when_the_api_is_down(tenant):
    key = tenant.integration_key["Authorization"].removeprefix("Bearer ")
    down = mail_in(f"http://127.0.0.1:{free_port()}", key, message(sender_of(tenant), "x"))
    assert down.returncode == 75


# --- bounces: the failed recipients a raw bounce names ---

POSTFIX_REPORT = b"""\
From: MAILER-DAEMON@mx.client.example (Mail Delivery System)
To: support@desk.example
Subject: Undelivered Mail Returned to Sender
Message-ID: <20260302.1@mx.client.example>
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
 boundary="B1"

--B1
Content-Type: text/plain

Your message could not be delivered to one or more recipients.

--B1
Content-Type: message/delivery-status
Content-Transfer-Encoding: %(encoding)s

%(status)s
--B1
Content-Type: message/rfc822

To: Jane <jane@client.example>
Subject: [SUP-7] Hello
Message-ID: <sup-7.1@desk.example>

Hello
--B1--
"""
STATUS = """\
Reporting-MTA: dns; mx.client.example

Final-Recipient: rfc822; jane.forward@elsewhere.example
Original-Recipient: rfc822;Jane@Client.example
Action: failed
Status: 5.2.2 (mailbox full)
Diagnostic-Code: smtp; 552 5.2.2 Mailbox full

Final-Recipient: rfc822; bob@client.example
Action: delayed
Status: 4.4.1
"""


@pytest.mark.parametrize("encoding", ["7bit", "base64"])
def test_a_delivery_report_names_only_the_recipients_that_failed_for_good(encoding):
    status = STATUS.encode()
    if encoding == "base64":
        status = base64.encodebytes(status)
    raw = POSTFIX_REPORT.replace(b"%(encoding)s", encoding.encode())
    [bounce] = mime.parse(raw.replace(b"%(status)s", status)).bounces
    assert bounce.addresses == ("jane@client.example", "jane.forward@elsewhere.example")
    assert bounce.reason == "bounce report: 5.2.2 552 5.2.2 Mailbox full"


EXIM_BOUNCE = """\
This message was created automatically by mail delivery software (Exim 4.96.1).

A message that you sent could not be delivered to one or more of its
recipients. The following address(es) failed:

  jane@client.example
    host mx.client.example [192.0.2.10]
    SMTP error from remote mail server after RCPT TO:<jane@client.example>:
    %s
"""


def daemon_bounce(
    reply: str, message_id: str = "<sup-7.1@desk.example>", to: str = "jane@client.example"
) -> EmailMessage:
    """A mailer-daemon's bounce in its own words, returning the message it could not send."""
    bounce = message("Mail Delivery System <Mailer-Daemon@mx.client.example>", "Failed", None)
    bounce.set_content(EXIM_BOUNCE % reply)
    returned = EmailMessage()
    returned["To"] = f"Jane <{to}>"
    returned["Message-ID"] = message_id
    returned.set_content("Hello")
    bounce.add_attachment(returned)
    return bounce


@pytest.mark.parametrize(
    "reply, message_id, failed",
    [
        ("550 5.1.1 User unknown", "<sup-7.1@desk.example>", True),
        ("550 Unrouteable address", "<sup-7.1@desk.example>", True),
        ("451 4.7.1 Greylisted, try again later", "<sup-7.1@desk.example>", False),
        # A message that is not ours: someone else's mail, not our recipient.
        ("550 5.1.1 User unknown", "<abc@client.example>", False),
    ],
)
def test_a_mailer_daemons_own_words_bounce_the_message_of_ours_it_returns(
    reply, message_id, failed
):
    bounces = mime.parse(daemon_bounce(reply, message_id).as_bytes()).bounces
    assert [bounce.addresses for bounce in bounces] == (
        [("jane@client.example",)] if failed else []
    )


async def test_a_mailer_daemon_bounce_marks_the_contact_and_a_forwarded_one_does_not(
    client, tenant
):
    address = tenant.contact["email"]
    reply = f"550 5.1.1 <{address}>: User unknown"
    forwarded = message(sender_of(tenant), "Fwd: Mail delivery failed", "Why did this bounce?")
    forwarded.add_attachment(daemon_bounce(reply, to=address))
    assert (await send(client, tenant, forwarded)).json()["action"] == "created"

    contacts = f"/v1/organizations/{tenant.organization['id']}/contacts"
    listed = await client.get(contacts, params={"email": address}, headers=ADMIN)
    assert listed.json()["data"][0]["email_bouncing"] is False

    assert (await send(client, tenant, daemon_bounce(reply, to=address))).json()["action"] == (
        "ignored"
    )
    [contact] = (await client.get(contacts, params={"email": address}, headers=ADMIN)).json()[
        "data"
    ]
    assert contact["email_bouncing"] is True
    assert (
        contact["email_bounce_reason"]
        == f"bounce report: 5.1.1 550 5.1.1 <{address}>: User unknown"
    )


async def test_a_report_from_a_person_s_address_is_still_a_machine_s(client, tenant):
    receipt = message(sender_of(tenant), "Read: [SUP-7] Hello", None)
    receipt.set_content("Your message was displayed.")
    receipt.make_mixed()
    receipt.replace_header(
        "Content-Type", receipt["Content-Type"].replace("multipart/mixed", "multipart/report")
    )
    receipt.set_param("report-type", "disposition-notification")
    assert (await send(client, tenant, receipt)).json()["action"] == "ignored"
    assert await tickets_count(client) == 0

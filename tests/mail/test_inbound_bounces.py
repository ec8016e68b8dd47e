"""A bounce for an address we sent to marks that contact bouncing: no mail goes to it until
an admin clears it. A delay, or an address that is not the organization's contact, changes
nothing."""

import itertools
from email.message import EmailMessage, Message
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime

import pytest

from app import timesource
from tests.factories import ADMIN, make_agent, make_contact, make_tenant, make_ticket
from tests.intake.test_email_mime import send, tickets_count
from tests.mail.test_threading import agent_reply, mail_settled, notifications

_ids = itertools.count(1)
UNKNOWN_USER = "550 5.1.1 <{address}>: Recipient address rejected: User unknown"


def _fields(**values: str) -> Message:
    block = Message()
    for name, value in values.items():
        block[name.replace("_", "-")] = value
    return block


def delivery_report(
    address: str,
    *,
    action: str = "failed",
    status: str = "5.1.1",
    diagnostic: str = UNKNOWN_USER,
    returned: EmailMessage | None = None,
) -> MIMEMultipart:
    """A bounce as Postfix writes one (RFC 3464): a note for people, the status of each
    recipient for machines, and the headers of the message it returns."""
    report = MIMEMultipart("report", report_type="delivery-status")
    report["From"] = "MAILER-DAEMON@mx.client.example (Mail Delivery System)"
    report["To"] = "support@desk.example"
    report["Subject"] = "Undelivered Mail Returned to Sender"
    report["Date"] = format_datetime(timesource.now())
    report["Message-ID"] = f"<dsn{next(_ids)}@mx.client.example>"
    report["Auto-Submitted"] = "auto-replied"
    report.attach(
        MIMEText(
            "This is the mail system at host mx.client.example.\n\n"
            "I'm sorry to have to inform you that your message could not\n"
            "be delivered to one or more recipients.\n"
        )
    )
    status_part = MIMEBase("message", "delivery-status")
    status_part.attach(_fields(Reporting_MTA="dns; mx.client.example"))
    status_part.attach(
        _fields(
            Final_Recipient=f"rfc822; {address}",
            Original_Recipient=f"rfc822;{address}",
            Action=action,
            Status=status,
            Remote_MTA="dns; mailstore.client.example",
            Diagnostic_Code=f"smtp; {diagnostic.format(address=address)}",
        )
    )
    report.attach(status_part)
    headers = (
        returned.as_string().split("\n\n", 1)[0]
        if returned is not None
        else f"To: {address}\nSubject: [SUP-1] Hello\nMessage-ID: <sup-1.0@desk.example>"
    )
    report.attach(MIMEText(headers + "\n", "rfc822-headers"))
    return report


async def contact_of(client, organization: dict, contact: dict) -> dict:
    """The contact as an admin reads it."""
    response = await client.get(
        f"/v1/organizations/{organization['id']}/contacts",
        params={"email": contact["email"]},
        headers=ADMIN,
    )
    assert response.status_code == 200, response.text
    [found] = [each for each in response.json()["data"] if each["id"] == contact["id"]]
    return found


async def test_a_bounce_report_holds_mail_back_until_an_admin_clears_the_address(
    app, client, sink, mail_pump
):
    await mail_pump()
    tenant = await make_tenant(client)
    agent = await make_agent(client)
    ticket = await make_ticket(client, requester=tenant.contact, subject="Checkout is down")
    [ack] = await sink.wait_for(lambda received: len(received) >= 1)

    bounce = delivery_report(tenant.contact["email"], returned=ack)
    response = await send(client, tenant, bounce)
    assert response.status_code == 200, response.text
    assert response.json() == {"action": "ignored", "ticket_id": None, "comment_id": None}
    assert await tickets_count(client) == 1
    contact = await contact_of(client, tenant.organization, tenant.contact)
    assert contact["email_bouncing"] is True
    assert contact["email_bounced_at"] is not None
    assert contact["email_bounce_reason"] == (
        f"bounce report: 5.1.1 550 5.1.1 <{tenant.contact['email']}>: "
        "Recipient address rejected: User unknown"
    )

    await agent_reply(client, ticket["id"], agent, "Which card brand fails?")
    await mail_settled(app)
    reply = next(row for row in await notifications(client, ticket["id"]) if row["kind"] == "reply")
    assert reply["status"] == "skipped"
    assert "bouncing" in reply["smtp_reply"]
    assert len(sink.received) == 1

    cleared = await client.patch(
        f"/v1/organizations/{tenant.organization['id']}/contacts/{tenant.contact['id']}",
        json={"email_bouncing": False},
        headers=ADMIN,
    )
    assert cleared.status_code == 200, cleared.text
    contact = await contact_of(client, tenant.organization, tenant.contact)
    assert (contact["email_bouncing"], contact["email_bounce_reason"]) == (False, None)
    await agent_reply(client, ticket["id"], agent, "We found it: fixed.")
    received = await sink.wait_for(lambda received: len(received) >= 2)
    assert "We found it: fixed." in received[1].get_body(("plain",)).get_content()


@pytest.mark.parametrize(
    "action, status, diagnostic",
    [
        ("delayed", "4.4.1", "connect to mx.client.example[192.0.2.1]:25: Connection timed out"),
        ("failed", "4.4.7", "Delivery time expired"),
        ("failed", "5.1.1", "550 5.1.1 User unknown"),
    ],
)
async def test_a_delay_or_a_temporary_failure_marks_nothing(
    client, tenant, action, status, diagnostic
):
    report = delivery_report(
        tenant.contact["email"], action=action, status=status, diagnostic=diagnostic
    )
    assert (await send(client, tenant, report)).json()["action"] == "ignored"
    contact = await contact_of(client, tenant.organization, tenant.contact)
    # The last case is the control: the same report with a permanent failure does mark it.
    assert contact["email_bouncing"] is (status == "5.1.1")


async def test_a_bounce_for_an_address_that_is_no_contact_of_the_organization_changes_nothing(
    client, tenant, other_tenant
):
    shared = "shared@client.example"
    elsewhere = await make_contact(client, other_tenant.organization, email=shared)

    response = await send(client, tenant, delivery_report(shared))
    assert response.json()["action"] == "ignored"
    for organization, contact in (
        (other_tenant.organization, elsewhere),
        (tenant.organization, tenant.contact),
        (other_tenant.organization, other_tenant.contact),
    ):
        assert (await contact_of(client, organization, contact))["email_bouncing"] is False

    # The organization that has the address marks its own contact, and only that one.
    assert (await send(client, other_tenant, delivery_report(shared))).json()["action"] == (
        "ignored"
    )
    assert (await contact_of(client, other_tenant.organization, elsewhere))["email_bouncing"]
    assert not (await contact_of(client, tenant.organization, tenant.contact))["email_bouncing"]

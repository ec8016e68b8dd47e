"""Mail threads both ways: the client answers our mail from their mail program, the answer
lands on the ticket, and our next mail answers theirs; an auto-reply to our mail loops not."""

import itertools
from email.message import EmailMessage
from email.utils import format_datetime, formataddr

from app import timesource
from tests.factories import ADMIN, make_agent, make_tenant, make_ticket
from tests.intake.test_email_mime import comments_of, send
from tests.webhooks.helpers import eventually, query

_ids = itertools.count(1)


async def mail_settled(app, within: float = 10) -> None:
    """Waits until every event so far is in the feed and planned, and no mail waits to be
    sent: whatever the pump will send for what happened so far, it has sent."""

    async def settled() -> bool:
        [row] = await query(
            app,
            "SELECT (SELECT count(*) FROM outbox) AS unrelayed,"
            " (SELECT last_position FROM feed_state WHERE id = 1) AS fed,"
            " (SELECT last_position FROM mail_state WHERE id = 1) AS planned,"
            " (SELECT count(*) FROM notifications WHERE status = 'pending') AS unsent",
        )
        return row.unrelayed == 0 and row.fed == row.planned and row.unsent == 0

    await eventually(settled, within=within)


async def notifications(client, ticket_id: str) -> list[dict]:
    response = await client.get(f"/v1/tickets/{ticket_id}/notifications", headers=ADMIN)
    assert response.status_code == 200, response.text
    return response.json()["data"]


def client_reply(
    tenant, ours: EmailMessage, text: str, subject: str | None = None, **headers: str
) -> EmailMessage:
    """The client's answer to one of our mails as their mail program writes it: "Re:" before
    our subject, In-Reply-To and References naming ours, our text quoted below theirs."""
    reply = EmailMessage()
    reply["From"] = formataddr((tenant.contact["name"], tenant.contact["email"]))
    reply["To"] = ours["Reply-To"] or ours["From"]
    reply["Subject"] = subject if subject is not None else f"Re: {ours['Subject']}"
    reply["Date"] = format_datetime(timesource.now())
    reply["Message-ID"] = f"<reply{next(_ids)}.{tenant.contact['id']}@client.example>"
    reply["In-Reply-To"] = ours["Message-ID"]
    reply["References"] = ours["Message-ID"]
    for name, value in headers.items():
        reply[name.replace("_", "-")] = value
    quoted = "\n".join(f"> {line}" for line in ours.get_body(("plain",)).get_content().split("\n"))
    reply.set_content(f"{text}\n\nOn {ours['Date']}, {ours['From']} wrote:\n{quoted}\n")
    return reply


async def agent_reply(client, ticket_id: str, agent: dict, body: str) -> None:
    response = await client.post(
        f"/v1/tickets/{ticket_id}/comments",
        json={"body": body, "visibility": "public", "author_id": agent["id"]},
        headers=ADMIN,
    )
    assert response.status_code == 201, response.text


async def test_a_client_reply_lands_on_the_ticket_and_our_answer_continues_its_thread(
    client, sink, mail_pump
):
    await mail_pump()
    tenant = await make_tenant(client)
    agent = await make_agent(client, name="Alex Kim")
    ticket = await make_ticket(client, requester=tenant.contact, subject="Checkout is down")
    [ack] = await sink.wait_for(lambda received: len(received) >= 1)

    theirs = client_reply(tenant, ack, "It fails again since 10:00, card payments only.")
    response = await send(client, tenant, theirs)
    assert response.status_code == 200, response.text
    assert (response.json()["action"], response.json()["ticket_id"]) == ("commented", ticket["id"])
    assert await comments_of(client, ticket["id"]) == [
        "It fails again since 10:00, card payments only."
    ]

    await agent_reply(client, ticket["id"], agent, "We rolled the payment change back.")
    received = await sink.wait_for(lambda received: len(received) >= 2)
    answer = received[1]
    assert "We rolled the payment change back." in answer.get_body(("plain",)).get_content()
    assert answer["In-Reply-To"] == theirs["Message-ID"]
    assert answer["References"].split() == [ack["Message-ID"], theirs["Message-ID"]]
    assert ticket["number"] in answer["Subject"]


async def test_a_reply_whose_subject_lost_the_ticket_tag_still_threads(client, sink, mail_pump):
    await mail_pump()
    tenant = await make_tenant(client)
    ticket = await make_ticket(client, requester=tenant.contact, subject="Export is empty")
    [ack] = await sink.wait_for(lambda received: len(received) >= 1)
    assert ack["Subject"] == f"[{ticket['number']}] Export is empty"

    theirs = client_reply(tenant, ack, "Still empty today.", subject="AW: Export is empty")
    del theirs["References"]
    response = await send(client, tenant, theirs)
    assert (response.json()["action"], response.json()["ticket_id"]) == ("commented", ticket["id"])
    assert await comments_of(client, ticket["id"]) == ["Still empty today."]

    # The same words without In-Reply-To are a new request: the id alone threaded it.
    fresh = client_reply(tenant, ack, "Another export question.", subject="Export is empty")
    del fresh["In-Reply-To"], fresh["References"]
    assert (await send(client, tenant, fresh)).json()["action"] == "created"


async def test_an_out_of_office_reply_to_our_mail_adds_nothing_and_sends_nothing(
    app, client, sink, mail_pump
):
    await mail_pump()
    tenant = await make_tenant(client)
    ticket = await make_ticket(client, requester=tenant.contact, subject="Login slow")
    [ack] = await sink.wait_for(lambda received: len(received) >= 1)
    await mail_settled(app)

    away = client_reply(
        tenant,
        ack,
        "I am out of the office until Monday and will read your mail then.",
        subject=f"Automatic reply: {ack['Subject']}",
        Auto_Submitted="auto-replied",
        X_Auto_Response_Suppress="All",
    )
    response = await send(client, tenant, away)
    assert response.status_code == 200, response.text
    assert response.json() == {"action": "ignored", "ticket_id": None, "comment_id": None}

    await mail_settled(app)
    assert await comments_of(client, ticket["id"]) == []
    assert [row["kind"] for row in await notifications(client, ticket["id"])] == ["acknowledgment"]
    assert len(sink.received) == 1

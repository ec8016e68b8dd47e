"""Outbound mail end to end: an event, the planner, SMTP, and what staff see of it."""

from tests.factories import ADMIN, make_agent, make_tenant, make_ticket


async def notifications(client, ticket_id):
    response = await client.get(f"/v1/tickets/{ticket_id}/notifications", headers=ADMIN)
    assert response.status_code == 200, response.text
    return response.json()["data"]


async def test_a_new_ticket_is_acknowledged_with_its_number_and_reply_target(
    client, sink, mail_pump
):
    await mail_pump()
    tenant = await make_tenant(client)
    ticket = await make_ticket(client, requester=tenant.contact, subject="Checkout is down")

    [mail] = await sink.wait_for(lambda received: len(received) >= 1)
    assert mail["Subject"] == f"[{ticket['number']}] Checkout is down"
    assert tenant.contact["email"] in mail["To"]
    assert mail["Message-ID"].startswith(f"<sup-{ticket['number'].removeprefix('SUP-')}.")
    text = mail.get_body(("plain",)).get_content()
    assert ticket["number"] in text
    assert "We will reply by" in text
    html = mail.get_body(("html",)).get_content()
    assert ticket["number"] in html
    [row] = await notifications(client, ticket["id"])
    assert row["kind"] == "acknowledgment"
    assert row["status"] in ("pending", "sent")


async def test_a_public_reply_threads_and_an_internal_note_is_never_mailed(client, sink, mail_pump):
    await mail_pump()
    tenant = await make_tenant(client)
    agent = await make_agent(client, name="Alex Kim")
    ticket = await make_ticket(client, requester=tenant.contact)
    [ack] = await sink.wait_for(lambda received: len(received) >= 1)
    for body, visibility in (("secret note", "internal"), ("Try clearing the cache.", "public")):
        response = await client.post(
            f"/v1/tickets/{ticket['id']}/comments",
            json={"body": body, "visibility": visibility, "author_id": agent["id"]},
            headers=ADMIN,
        )
        assert response.status_code == 201, response.text
    received = await sink.wait_for(lambda received: len(received) >= 2)
    reply = received[1]
    assert "Try clearing the cache." in reply.get_body(("plain",)).get_content()
    assert "Alex Kim" in reply.get_body(("plain",)).get_content()
    assert reply["In-Reply-To"] == ack["Message-ID"]
    assert ack["Message-ID"] in reply["References"]
    assert not any("secret note" in str(m) for m in sink.received)

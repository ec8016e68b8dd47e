"""POST /v1/intake/email: new messages, replies, keywords, refusals, duplicates."""

import asyncio
import itertools

from tests.api.test_tickets import events_of, fetch
from tests.factories import ADMIN, make_contact, make_ticket
from tests.problems import assert_problem

_ids = itertools.count(1)


def mail(sender: str, subject: str, text: str = "Hello", **fields) -> dict:
    return {
        "from": sender,
        "to": "support@operator.example",
        "subject": subject,
        "text": text,
        "message_id": f"<m{next(_ids)}@client.example>",
        **fields,
    }


async def send(client, tenant, body: dict):
    return await client.post("/v1/intake/email", json=body, headers=tenant.integration_key)


def sender_of(tenant) -> str:
    return f"{tenant.contact['name']} <{tenant.contact['email'].upper()}>"


async def test_a_new_message_opens_an_email_ticket(client, tenant):
    response = await send(
        client, tenant, mail(sender_of(tenant), "Checkout fails", "Card payments error since 9:00")
    )
    assert response.status_code == 201, response.text
    result = response.json()
    assert result["action"] == "created"
    ticket = (await fetch(client, result["ticket_id"])).json()
    assert ticket["channel"] == "email"
    assert ticket["subject"] == "Checkout fails"
    assert ticket["description"] == "Card payments error since 9:00"
    assert ticket["requester_id"] == tenant.contact["id"]
    created = await events_of(client, ticket["id"], "ticket.created")
    assert created[0]["actor"] == {
        "type": "contact",
        "id": tenant.contact["id"],
        "key_id": created[0]["actor"]["key_id"],
    }


async def test_keywords_set_emergency_and_bug_report(client, tenant):
    emergency = await send(client, tenant, mail(sender_of(tenant), "EMERGENCY: site down"))
    ticket = (await fetch(client, emergency.json()["ticket_id"])).json()
    assert (ticket["emergency"], ticket["priority"], ticket["subject"]) == (
        True,
        "critical",
        "site down",
    )
    assert len(await events_of(client, ticket["id"], "ticket.emergency")) == 1
    bug = await send(client, tenant, mail(sender_of(tenant), "BUG REPORT: export drops rows"))
    assert (await fetch(client, bug.json()["ticket_id"])).json()["category"] == "bug_report"


async def test_a_reply_naming_the_ticket_adds_a_public_comment(client, tenant):
    ticket = await make_ticket(client, requester=tenant.contact)
    body = "It works now, thanks.\n\nOn Mon, 2 Nov 2026, Desk <desk@op.example> wrote:\n> Fixed."
    response = await send(
        client, tenant, mail(sender_of(tenant), f"Re: RE: [{ticket['number']}] Checkout", body)
    )
    assert response.status_code == 200, response.text
    assert response.json()["action"] == "commented"
    assert response.json()["ticket_id"] == ticket["id"]
    comments = (await client.get(f"/v1/tickets/{ticket['id']}/comments", headers=ADMIN)).json()
    assert [(c["body"], c["visibility"], c["author_type"]) for c in comments["data"]] == [
        ("It works now, thanks.", "public", "contact")
    ]
    assert comments["data"][0]["id"] == response.json()["comment_id"]


async def test_a_reply_in_the_thread_finds_its_ticket_without_a_number(client, tenant):
    first = mail(sender_of(tenant), "Login slow", "Takes 20 seconds")
    opened = (await send(client, tenant, first)).json()
    reply = mail(
        sender_of(tenant), "Re: Login slow", "Now 30 seconds", in_reply_to=first["message_id"]
    )
    response = await send(client, tenant, reply)
    assert response.json()["action"] == "commented"
    assert response.json()["ticket_id"] == opened["ticket_id"]
    # A reply to a message we sent about the ticket (<sup-NUMBER.…@…>) threads the same way.
    number = (await fetch(client, opened["ticket_id"])).json()["number"].removeprefix("SUP-")
    ours = mail(sender_of(tenant), "Re: your update", "ok", in_reply_to=f"<sup-{number}.1@desk>")
    assert (await send(client, tenant, ours)).json()["ticket_id"] == opened["ticket_id"]


async def test_escalation_keyword_escalates_the_referenced_ticket(client, tenant):
    ticket = await make_ticket(client, requester=tenant.contact)
    response = await send(
        client,
        tenant,
        mail(sender_of(tenant), f"Re: [{ticket['number']}] ESCALATION – still down", "3 days now"),
    )
    assert response.status_code == 200, response.text
    assert response.json()["action"] == "escalated"
    chain = (await client.get(f"/v1/tickets/{ticket['id']}/escalations", headers=ADMIN)).json()
    assert [(e["level"], e["trigger"], e["reason"]) for e in chain["data"]][-1] == (
        2,
        "client",
        "3 days now",
    )


async def test_the_same_message_twice_never_acts_twice(client, tenant):
    body = mail(sender_of(tenant), "Export broken", "CSV is empty")
    first, second = await asyncio.gather(send(client, tenant, body), send(client, tenant, body))
    actions = sorted(response.json()["action"] for response in (first, second))
    assert actions == ["created", "duplicate"]
    assert first.json()["ticket_id"] == second.json()["ticket_id"]
    listed = await client.get("/v1/tickets", headers=ADMIN)
    assert len(listed.json()["data"]) == 1


async def test_senders_who_are_not_designated_are_refused_and_nothing_is_created(client, tenant):
    outsider = await make_contact(client, tenant.organization, designated=False)
    for sender in (outsider["email"], "stranger@elsewhere.example"):
        response = await send(client, tenant, mail(sender, "Please help"))
        problem = assert_problem(response, 422)
        assert "designated" in problem["detail"]
    assert (await client.get("/v1/tickets", headers=ADMIN)).json()["data"] == []
    feed = await client.get("/v1/events", params={"types": "intake.refused"}, headers=ADMIN)
    refused = feed.json()["data"]
    assert [event["data"]["from"] for event in refused] == [
        outsider["email"],
        "stranger@elsewhere.example",
    ]
    assert all(event["organization_id"] == tenant.organization["id"] for event in refused)
    assert [event["data"]["reason"] for event in refused] == ["not_designated", "unknown_contact"]


async def test_a_refused_message_is_accepted_once_the_sender_is_designated(client, tenant):
    outsider = await make_contact(client, tenant.organization, designated=False)
    body = mail(outsider["email"], "Please help")
    assert (await send(client, tenant, body)).status_code == 422
    await client.patch(
        f"/v1/organizations/{tenant.organization['id']}/contacts/{outsider['id']}",
        json={"designated": True},
        headers=ADMIN,
    )
    assert (await send(client, tenant, body)).json()["action"] == "created"


async def test_a_reply_to_another_organizations_ticket_opens_a_new_one(
    client, tenant, other_tenant
):
    theirs = await make_ticket(client, requester=other_tenant.contact)
    response = await send(
        client, tenant, mail(sender_of(tenant), f"Re: [{theirs['number']}] hello")
    )
    assert response.json()["action"] == "created"
    assert response.json()["ticket_id"] != theirs["id"]
    assert (await client.get(f"/v1/tickets/{theirs['id']}/comments", headers=ADMIN)).json()[
        "data"
    ] == []


async def test_only_integration_keys_post_email(client, tenant, agent_key):
    body = mail(sender_of(tenant), "hi")
    for headers in (tenant.contact_key, agent_key, ADMIN):
        response = await client.post("/v1/intake/email", json=body, headers=headers)
        assert_problem(response, 403)
    missing = {key: value for key, value in body.items() if key != "message_id"}
    assert_problem(await send(client, tenant, missing), 422)


async def test_replies_keeping_the_escalation_subject_escalate_once(client, tenant):
    ticket = await make_ticket(client, requester=tenant.contact)
    subject = f"Re: [{ticket['number']}] ESCALATION – still down"
    first = await send(client, tenant, mail(sender_of(tenant), subject, "Day 3"))
    second = await send(client, tenant, mail(sender_of(tenant), f"RE: {subject}", "Day 4"))
    assert first.json()["action"] == "escalated"
    assert second.json()["action"] == "commented"
    chain = (await client.get(f"/v1/tickets/{ticket['id']}/escalations", headers=ADMIN)).json()
    assert len(chain["data"]) == 1
    comments = (await client.get(f"/v1/tickets/{ticket['id']}/comments", headers=ADMIN)).json()
    assert [c["body"] for c in comments["data"]] == ["Day 4"]


async def test_a_reply_to_a_merged_ticket_lands_on_the_ticket_it_was_merged_into(client, tenant):
    survivor = await make_ticket(client, requester=tenant.contact)
    duplicate = await make_ticket(client, requester=tenant.contact)
    merged = await client.post(
        f"/v1/tickets/{duplicate['id']}/merge", json={"into": survivor["id"]}, headers=ADMIN
    )
    assert merged.status_code == 200
    response = await send(
        client, tenant, mail(sender_of(tenant), f"Re: [{duplicate['number']}] any news?")
    )
    assert response.json() == {
        "action": "commented",
        "ticket_id": survivor["id"],
        "comment_id": response.json()["comment_id"],
    }

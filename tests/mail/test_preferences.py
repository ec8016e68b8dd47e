"""How much mail a contact gets: their preference decides which kinds go out, what is held
back is recorded as skipped with the reason, and with SMTP off nothing goes out at all."""

from typing import Any

import httpx
import sqlalchemy as sa

from tests.factories import (
    ADMIN,
    make_agent,
    make_contact,
    make_key,
    make_organization,
    make_tenant,
    make_ticket,
)
from tests.mail.test_kinds import (
    MONDAY_0905_TOKYO,
    addressed_to,
    agent_with_key,
    calendar_in,
    comment,
    inbox,
    kind_of,
    move,
    notifications,
    run_assign_pm,
    settled,
    smtp_settings,
    split,
    summaries_at,
)

# What each preference lets through, of: acknowledgment, reply, pending, split, pm_welcome and
# the weekly summary.
SENT = {
    "all": {"acknowledgment", "reply", "pending", "split", "pm_welcome", "weekly_summary"},
    "important": {"acknowledgment", "reply", "pending", "split"},
    "digest": {"pending", "weekly_summary"},
    "none": set(),
}
TICKET_KINDS = {"acknowledgment", "reply", "pending", "split"}


async def set_preference(
    client: httpx.AsyncClient, contact: dict[str, Any], preference: str, headers: dict[str, str]
) -> httpx.Response:
    url = f"/v1/organizations/{contact['organization_id']}/contacts/{contact['id']}"
    return await client.patch(url, json={"notification_preference": preference}, headers=headers)


async def organization_mail(app: Any, organization_id: str) -> list[sa.Row]:
    """Mail about the organization rather than a ticket: no endpoint lists it, so read the table."""
    statement = sa.text(
        "SELECT kind, contact_id, status, smtp_reply FROM notifications"
        " WHERE organization_id = :id AND ticket_id IS NULL"
    )
    async with app.state.engine.connect() as connection:
        return list((await connection.execute(statement, {"id": organization_id})).all())


async def ticket_rows_of(client: httpx.AsyncClient, contact: dict, tickets: list[dict]) -> list:
    """The contact's mails about these tickets, as staff list them per ticket."""
    rows = [row for ticket in tickets for row in await notifications(client, ticket["id"])]
    return [row for row in rows if row["contact_id"] == contact["id"]]


async def test_each_preference_sends_its_kinds_and_records_the_rest_as_skipped(
    client, app, sink, mail_pump
):
    await mail_pump()
    tokyo = await calendar_in(client, "Asia/Tokyo")
    organization = await make_organization(client, name="Prefs Ltd", calendar_id=tokyo["id"])
    contacts = {}
    for preference in SENT:
        contact = await make_contact(client, organization)
        key = await make_key(client, "contact", contact_id=contact["id"])
        response = await set_preference(client, contact, preference, key)
        assert response.status_code == 200, response.text
        contacts[preference] = contact
    await make_agent(client, role="pm")
    assert await run_assign_pm(app, organization["id"])
    _, agent_key = await agent_with_key(client)
    tickets: dict[str, list[dict]] = {}
    for preference, contact in contacts.items():
        ticket = await make_ticket(client, requester=contact)
        await comment(client, ticket, agent_key, body="Could you send a screenshot?")
        await move(client, ticket, "pending")
        tickets[preference] = [ticket, *await split(client, ticket, agent_key, "Second issue")]
    assert await summaries_at(app, smtp_settings(sink), MONDAY_0905_TOKYO) == 2

    for preference, contact in contacts.items():
        wanted = SENT[preference]
        received = await inbox(sink, contact, len(wanted))
        original, part = tickets[preference]
        await settled(client, original["id"], 3)
        await settled(client, part["id"], 1)
        rows = await ticket_rows_of(client, contact, tickets[preference])
        assert {row["kind"] for row in rows} == TICKET_KINDS, preference
        for row in rows:
            if row["kind"] in wanted:
                assert (row["status"], row["smtp_code"]) == ("sent", 250), row
            else:
                assert row["status"] == "skipped", row
                assert row["smtp_reply"] == f"not sent: {preference} preference", row
        assert sorted(kind_of(mail) for mail in received) == sorted(wanted), preference
    await check_organization_mail(app, organization, contacts)
    assert len(sink.received) == sum(len(kinds) for kinds in SENT.values())


async def check_organization_mail(app: Any, organization: dict, contacts: dict) -> None:
    """The PM's welcome is held back (recorded) for those who do not want it; the summary is
    planned only for those who want it."""
    rows = await organization_mail(app, organization["id"])
    for preference, contact in contacts.items():
        mine = {row.kind: row for row in rows if str(row.contact_id) == contact["id"]}
        welcome = mine.pop("pm_welcome")
        if "pm_welcome" in SENT[preference]:
            assert welcome.status == "sent", preference
        else:
            assert welcome.status == "skipped", preference
            assert welcome.smtp_reply == f"not sent: {preference} preference"
        summary = mine.pop("weekly_summary", None)
        if "weekly_summary" in SENT[preference]:
            assert summary is not None and summary.status == "sent", preference
        else:
            assert summary is None, preference
        assert mine == {}, preference


async def test_a_contact_sets_only_its_own_preference_and_integrations_may_too(client):
    tenant = await make_tenant(client)
    colleague = await make_contact(client, tenant.organization)
    own = await set_preference(client, tenant.contact, "digest", tenant.contact_key)
    assert own.status_code == 200, own.text
    assert own.json()["notification_preference"] == "digest"

    assert (await set_preference(client, colleague, "none", tenant.contact_key)).status_code == 403
    url = f"/v1/organizations/{tenant.organization['id']}/contacts/{tenant.contact['id']}"
    for body in (
        {"name": "Someone Else"},
        {"notification_preference": "none", "designated": False},
        {"email_bouncing": False},
    ):
        response = await client.patch(url, json=body, headers=tenant.contact_key)
        assert response.status_code == 403, (body, response.text)
    widget_key = await make_key(
        client,
        "widget",
        organization_id=tenant.organization["id"],
        allowed_origins=["https://shop.example"],
    )
    assert (await set_preference(client, colleague, "none", widget_key)).status_code == 403
    by_integration = await set_preference(client, colleague, "important", tenant.integration_key)
    assert by_integration.status_code == 200, by_integration.text

    stored = await client.get(url.rsplit("/", 1)[0], headers=ADMIN)
    assert stored.status_code == 200, stored.text
    listed = {c["id"]: c for c in stored.json()["data"]}
    assert listed[tenant.contact["id"]]["notification_preference"] == "digest"
    assert listed[colleague["id"]]["notification_preference"] == "important"
    # What the contact key was refused is as it was.
    assert listed[tenant.contact["id"]]["name"] == tenant.contact["name"]
    assert listed[tenant.contact["id"]]["designated"] is True


async def test_with_smtp_off_mail_is_recorded_as_skipped_and_nothing_is_sent(
    client, sink, mail_pump
):
    await mail_pump(smtp_url=None)
    tenant = await make_tenant(client)
    _, agent_key = await agent_with_key(client)
    ticket = await make_ticket(client, requester=tenant.contact)
    await comment(client, ticket, agent_key, body="On it.")

    rows = await settled(client, ticket["id"], 2)
    assert sorted(row["kind"] for row in rows) == ["acknowledgment", "reply"]
    for row in rows:
        assert row["status"] == "skipped"
        assert "mail is off" in row["smtp_reply"]
        assert (row["attempts"], row["sent_at"], row["next_attempt_at"]) == (0, None, None)
    assert addressed_to(sink.received, tenant.contact) == []
    assert sink.received == []

"""A client escalates a ticket at most once per review period; staff are not limited."""

import asyncio
from datetime import UTC, datetime, timedelta

import httpx

from app import timesource
from app.config import get_settings
from tests.factories import ADMIN, make_contact, make_key, make_ticket
from tests.intake.test_email_intake import mail, send, sender_of
from tests.problems import assert_problem


def url_of(ticket: dict) -> str:
    return f"/v1/tickets/{ticket['id']}/escalations"


async def escalate(client: httpx.AsyncClient, ticket: dict, headers, reason: str = "Still down"):
    return await client.post(url_of(ticket), json={"reason": reason}, headers=headers)


async def chain(client: httpx.AsyncClient, ticket: dict) -> list[tuple[int, str]]:
    response = await client.get(url_of(ticket), headers=ADMIN)
    assert response.status_code == 200, response.text
    return [(step["level"], step["trigger"]) for step in response.json()["data"]]


def frozen_at(moment: datetime) -> None:
    timesource.set_source(lambda: moment)


async def test_a_second_client_escalation_within_the_period_is_a_429_saying_when(client, tenant):
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    frozen_at(start)
    ticket = await make_ticket(client, tenant.contact_key)
    assert (await escalate(client, ticket, tenant.contact_key)).status_code == 201

    frozen_at(start + timedelta(hours=1))
    response = await escalate(client, ticket, tenant.contact_key, "Please, it is urgent")
    problem = assert_problem(response, 429)
    assert response.headers["retry-after"] == str(3 * 3600)
    assert "2026-03-02T13:00:00Z" in problem["detail"]
    assert await chain(client, ticket) == [(2, "client")]


async def test_another_contact_of_the_organization_shares_the_ticket_limit(client, tenant):
    ticket = await make_ticket(client, tenant.contact_key)
    colleague = await make_contact(client, tenant.organization)
    colleague_key = await make_key(client, "contact", contact_id=colleague["id"])
    assert (await escalate(client, ticket, tenant.contact_key)).status_code == 201
    assert_problem(await escalate(client, ticket, colleague_key), 429)
    assert await chain(client, ticket) == [(2, "client")]


async def test_staff_still_escalate_and_the_client_may_again_after_the_period(client, tenant):
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    frozen_at(start)
    ticket = await make_ticket(client, tenant.contact_key)
    other = await make_ticket(client, tenant.contact_key)
    assert (await escalate(client, ticket, tenant.contact_key)).status_code == 201
    # The limit is per ticket: another ticket, and staff on this one, are not held back.
    assert (await escalate(client, other, tenant.contact_key)).status_code == 201
    assert (await escalate(client, ticket, ADMIN, "Contract at risk")).status_code == 201

    frozen_at(start + timedelta(hours=4))
    assert (await escalate(client, ticket, tenant.contact_key)).status_code == 201
    assert await chain(client, ticket) == [(2, "client"), (3, "agent"), (4, "client")]


async def test_the_period_is_configurable(client, tenant, monkeypatch):
    monkeypatch.setattr(get_settings(), "client_escalation_cooldown_hours", 0.5)
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    frozen_at(start)
    ticket = await make_ticket(client, tenant.contact_key)
    assert (await escalate(client, ticket, tenant.contact_key)).status_code == 201
    frozen_at(start + timedelta(minutes=20))
    response = await escalate(client, ticket, tenant.contact_key)
    assert_problem(response, 429)
    assert response.headers["retry-after"] == str(10 * 60)
    frozen_at(start + timedelta(minutes=30))
    assert (await escalate(client, ticket, tenant.contact_key)).status_code == 201


async def test_concurrent_client_escalations_make_exactly_one(client, tenant):
    ticket = await make_ticket(client, tenant.contact_key)
    responses = await asyncio.gather(
        *(escalate(client, ticket, tenant.contact_key, f"attempt {n}") for n in range(4))
    )
    assert sorted(r.status_code for r in responses) == [201, 429, 429, 429], [
        r.text for r in responses
    ]
    assert await chain(client, ticket) == [(2, "client")]
    detail = await client.get(f"/v1/tickets/{ticket['id']}", headers=ADMIN)
    assert detail.json()["escalation_level"] == 2


async def test_an_escalation_email_within_the_period_is_kept_as_a_comment(client, tenant):
    ticket = await make_ticket(client, requester=tenant.contact)
    assert (await escalate(client, ticket, tenant.contact_key)).status_code == 201
    subject = f"[{ticket['number']}] ESCALATION - still down"
    response = await send(client, tenant, mail(sender_of(tenant), subject, "Day 3"))
    assert response.status_code == 200, response.text
    assert response.json()["action"] == "commented"
    assert await chain(client, ticket) == [(2, "client")]
    comments = await client.get(f"/v1/tickets/{ticket['id']}/comments", headers=ADMIN)
    assert [c["body"] for c in comments.json()["data"]] == ["Day 3"]


async def test_an_impact_the_contact_reported_counts_as_their_escalation(client, tenant):
    ticket = await make_ticket(client, tenant.contact_key, context={"users_affected": 100})
    assert await chain(client, ticket) == [(2, "impact")]
    response = await escalate(client, ticket, tenant.contact_key, "And again")
    assert_problem(response, 429)
    assert await chain(client, ticket) == [(2, "impact")]


async def test_raising_the_impact_after_escalating_does_not_escalate_again(client, tenant):
    ticket = await make_ticket(client, tenant.contact_key)
    assert (await escalate(client, ticket, tenant.contact_key)).status_code == 201
    response = await client.patch(
        f"/v1/tickets/{ticket['id']}",
        json={"context": {"users_affected": 1000}},
        headers=tenant.contact_key,
    )
    assert response.status_code == 200, response.text
    assert await chain(client, ticket) == [(2, "client")]

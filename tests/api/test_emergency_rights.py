"""Who may raise a ticket to an emergency: staff, the organization's integration, the requester."""

import httpx
import pytest

from tests.factories import ADMIN, make_contact, make_key, make_ticket
from tests.intake.test_email_intake import mail, send
from tests.problems import assert_problem


async def declare(client: httpx.AsyncClient, ticket: dict, headers) -> httpx.Response:
    return await client.patch(
        f"/v1/tickets/{ticket['id']}", json={"emergency": True}, headers=headers
    )


async def current(client: httpx.AsyncClient, ticket: dict) -> dict:
    response = await client.get(f"/v1/tickets/{ticket['id']}", headers=ADMIN)
    assert response.status_code == 200, response.text
    return response.json()


async def emergencies(client: httpx.AsyncClient, ticket: dict) -> list[dict]:
    response = await client.get(f"/v1/tickets/{ticket['id']}/events", headers=ADMIN)
    return [event for event in response.json()["data"] if event["type"] == "ticket.emergency"]


@pytest.fixture
async def colleague(client, tenant) -> tuple[dict, dict]:
    """Another designated contact of the same organization, with its own key."""
    contact = await make_contact(client, tenant.organization)
    return contact, await make_key(client, "contact", contact_id=contact["id"])


async def test_a_contact_may_not_raise_another_contacts_ticket_to_emergency(
    client, tenant, colleague
):
    ticket = await make_ticket(client, tenant.contact_key, priority="low")
    _, colleague_key = colleague
    problem = assert_problem(await declare(client, ticket, colleague_key), 403, "forbidden")
    assert "requester" in problem["detail"]
    after = await current(client, ticket)
    assert (after["emergency"], after["priority"]) == (False, "low")
    assert await emergencies(client, ticket) == []
    # The same contact may still edit what clients may edit on a colleague's ticket.
    response = await client.patch(
        f"/v1/tickets/{ticket['id']}",
        json={"subject": "Checkout fails on EU cards"},
        headers=colleague_key,
    )
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("who", ["requester", "admin", "agent", "integration"])
async def test_the_requester_staff_and_the_integration_may(client, tenant, agent_key, who):
    headers = {
        "requester": tenant.contact_key,
        "admin": ADMIN,
        "agent": agent_key,
        "integration": tenant.integration_key,
    }[who]
    ticket = await make_ticket(client, tenant.contact_key, priority="low")
    response = await declare(client, ticket, headers)
    assert response.status_code == 200, response.text
    assert (response.json()["emergency"], response.json()["priority"]) == (True, "critical")
    assert len(await emergencies(client, ticket)) == 1


async def test_an_emergency_email_from_another_contact_comments_without_raising(
    client, tenant, colleague
):
    ticket = await make_ticket(client, requester=tenant.contact, priority="low")
    contact, _ = colleague
    subject = f"Re: [{ticket['number']}] EMERGENCY: we are all down"
    response = await send(client, tenant, mail(contact["email"], subject, "Nothing loads"))
    assert response.status_code == 200, response.text
    assert response.json()["action"] == "commented"
    after = await current(client, ticket)
    assert (after["emergency"], after["priority"]) == (False, "low")
    assert await emergencies(client, ticket) == []
    comments = await client.get(f"/v1/tickets/{ticket['id']}/comments", headers=ADMIN)
    assert [c["body"] for c in comments.json()["data"]] == ["Nothing loads"]


async def test_an_emergency_email_from_the_requester_still_raises_it(client, tenant):
    ticket = await make_ticket(client, requester=tenant.contact, priority="low")
    subject = f"Re: [{ticket['number']}] EMERGENCY: we are all down"
    response = await send(client, tenant, mail(tenant.contact["email"], subject, "Nothing loads"))
    assert response.status_code == 200, response.text
    assert (await current(client, ticket))["emergency"] is True
    assert len(await emergencies(client, ticket)) == 1


async def test_the_client_side_declares_an_emergency_once_per_ticket(client, tenant):
    ticket = await make_ticket(client, tenant.contact_key)
    url = f"/v1/tickets/{ticket['id']}"
    for value in (True, False):
        response = await client.patch(url, json={"emergency": value}, headers=tenant.contact_key)
        assert response.status_code == 200, response.text
    again = await client.patch(url, json={"emergency": True}, headers=tenant.contact_key)
    assert_problem(again, 403)
    by_staff = await client.patch(url, json={"emergency": True}, headers=ADMIN)
    assert by_staff.status_code == 200, by_staff.text
    events = (await client.get(f"{url}/events", headers=ADMIN)).json()["data"]
    assert [event["type"] for event in events].count("ticket.emergency") == 2

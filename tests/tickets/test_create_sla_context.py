"""A process raises tickets from the SLA context it remembers (organizations/sla_context.py);
whatever changes the calendar, the policy or the plan, from another process or straight in
SQL, the very next create honours it. A refused create writes nothing, not even a number."""

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
import httpx
import pytest
from sqlalchemy.engine import make_url

from app import timesource
from tests.factories import ADMIN, make_contact, make_tenant, make_ticket
from tests.processes import two_apis

NY = ZoneInfo("America/New_York")
MORNINGS = {day: [["08:00", "12:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}
MEDIUM_FIRST_RESPONSE = ("standard", "medium", "first_response")


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=NY)


def due(ticket: dict[str, Any], metric: str = "first_response") -> datetime:
    return datetime.fromisoformat(ticket["sla"][metric]["due_at"])


@pytest.fixture
async def console(app) -> AsyncIterator[asyncpg.Connection]:
    """A connection of its own, as another process or an operator's console has."""
    url = make_url(app.state.settings.database_url).set(drivername="postgresql")
    connection = await asyncpg.connect(url.render_as_string(hide_password=False))
    try:
        yield connection
    finally:
        await connection.close()


@pytest.fixture(autouse=True)
def monday_morning() -> None:
    timesource.set_source(lambda: at(2026, 11, 23, 10, 0).astimezone(UTC))


async def make_calendar(client: httpx.AsyncClient) -> dict[str, Any]:
    body = {"name": "NY", "timezone": "America/New_York", "holiday_country": "US"}
    response = await client.post("/v1/calendars", json=body, headers=ADMIN)
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_calendar_changed_in_sql_is_honoured_by_the_next_create(client, console):
    calendar = await make_calendar(client)
    tenant = await make_tenant(client, calendar_id=calendar["id"])
    first = await make_ticket(client, tenant.contact_key, priority="medium")
    assert due(first) == at(2026, 11, 23, 14, 0)

    # No version bump, as a hand-written UPDATE would do.
    await console.execute(
        "UPDATE calendars SET weekly_hours = $1::jsonb WHERE id = $2",
        json.dumps(MORNINGS),
        calendar["id"],
    )
    second = await make_ticket(client, tenant.contact_key, priority="medium")
    # 2 h left on Monday (10-12), 2 h on Tuesday morning
    assert due(second) == at(2026, 11, 24, 10, 0)


async def test_a_policy_changed_in_sql_is_honoured_by_the_next_create(client, tenant, console):
    first = await make_ticket(client, tenant.contact_key, priority="medium")
    assert first["sla"]["first_response"]["target_minutes"] == 240

    await console.execute(
        "UPDATE sla_policies SET target_minutes = 60 "
        "WHERE plan = $1 AND priority = $2 AND metric = $3",
        *MEDIUM_FIRST_RESPONSE,
    )
    second = await make_ticket(client, tenant.contact_key, priority="medium")
    assert second["sla"]["first_response"]["target_minutes"] == 60
    assert due(second) == at(2026, 11, 23, 11, 0)


async def test_an_organizations_new_calendar_and_plan_are_honoured_by_the_next_create(
    client, tenant, console
):
    first = await make_ticket(client, tenant.contact_key, priority="medium")
    assert due(first) == at(2026, 11, 23, 14, 0)
    calendar = await make_calendar(client)
    hours = {"weekly_hours": MORNINGS}
    response = await client.patch(f"/v1/calendars/{calendar['id']}", json=hours, headers=ADMIN)
    assert response.status_code == 200, response.text

    await console.execute(
        "UPDATE organizations SET calendar_id = $1 WHERE id = $2",
        calendar["id"],
        tenant.organization["id"],
    )
    second = await make_ticket(client, tenant.contact_key, priority="medium")
    assert due(second) == at(2026, 11, 24, 10, 0)

    await console.execute(
        "UPDATE organizations SET plan = 'enterprise' WHERE id = $1", tenant.organization["id"]
    )
    third = await make_ticket(client, tenant.contact_key, priority="medium")
    assert third["sla"]["first_response"]["target_minutes"] == 120


async def test_a_contact_undesignated_in_sql_is_refused_at_once(client, tenant, console):
    await make_ticket(client, ADMIN, requester=tenant.contact)

    await console.execute(
        "UPDATE contacts SET designated = false WHERE id = $1", tenant.contact["id"]
    )
    body = {"subject": "Still me", "description": "Again.", "requester_id": tenant.contact["id"]}
    refused = await client.post("/v1/tickets", json=body, headers=ADMIN)
    assert refused.status_code == 422, refused.text
    assert "not a designated contact" in refused.json()["detail"]


async def test_a_contact_of_another_organization_is_no_contact_to_a_tenants_key(
    client, tenant, other_tenant
):
    await make_ticket(client, ADMIN, requester=other_tenant.contact)
    body = {
        "subject": "Theirs",
        "description": "Not ours.",
        "requester_id": other_tenant.contact["id"],
    }
    refused = await client.post("/v1/tickets", json=body, headers=tenant.integration_key)
    assert refused.status_code == 422, refused.text
    assert f"No contact with id {other_tenant.contact['id']}" in refused.text


async def test_a_refused_create_takes_no_ticket_number(client, tenant):
    first = await make_ticket(client, tenant.contact_key)
    undesignated = await make_contact(client, tenant.organization, designated=False)
    body = {"subject": "Me too", "description": "Please.", "requester_id": undesignated["id"]}
    assert (await client.post("/v1/tickets", json=body, headers=ADMIN)).status_code == 422
    second = await make_ticket(client, tenant.contact_key)
    assert int(second["number"].removeprefix("SUP-")) == int(first["number"][4:]) + 1


async def test_a_created_ticket_commits_with_its_clocks_events_and_outbox_rows(
    client, tenant, console
):
    ticket = await make_ticket(client, tenant.contact_key, priority="medium")
    clocks = await console.fetchval(
        "SELECT count(*) FROM ticket_clocks WHERE ticket_id = $1", ticket["id"]
    )
    event = await console.fetchrow(
        "SELECT e.data, o.event_id IS NOT NULL AS queued FROM events e "
        "LEFT JOIN outbox o ON o.event_id = e.id WHERE e.ticket_id = $1",
        ticket["id"],
    )
    assert clocks == 2
    assert event["queued"]
    assert json.loads(event["data"])["ticket"]["number"] == ticket["number"]


# -- two real API processes ---------------------------------------------------------------


@pytest.fixture(scope="module")
async def apis() -> AsyncIterator[list[httpx.AsyncClient]]:
    """Two API processes on the test database, each with its own memory."""
    async with two_apis(ADMIN) as both:
        yield both


async def target_minutes(api: httpx.AsyncClient, requester: dict[str, Any]) -> int:
    body = {"subject": "S", "description": "D", "priority": "medium"}
    ticket = await make_ticket(api, ADMIN, requester=requester, **body)
    return ticket["sla"]["first_response"]["target_minutes"]


async def test_a_policy_put_in_one_process_is_honoured_by_the_next_create_in_another(client, apis):
    tenant = await make_tenant(client)
    assert [await target_minutes(api, tenant.contact) for api in apis] == [240, 240]

    table = (await apis[0].get("/v1/sla-policies")).json()["targets"]
    for target in table:
        if (target["plan"], target["priority"], target["metric"]) == MEDIUM_FIRST_RESPONSE:
            target["target_minutes"] = 90
    response = await apis[0].put("/v1/sla-policies", json={"targets": table})
    assert response.status_code == 200, response.text
    assert await target_minutes(apis[1], tenant.contact) == 90

    response = await apis[1].patch(
        f"/v1/organizations/{tenant.organization['id']}", json={"plan": "enterprise"}
    )
    assert response.status_code == 200, response.text
    assert await target_minutes(apis[0], tenant.contact) == 120

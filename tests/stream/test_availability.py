"""GET /v1/availability and the widget's copy: open or closed on the organization's calendar,
who is on duty, and when a request raised now would get its first response."""

from datetime import UTC, datetime
from typing import Any

import pytest

from app import timesource
from tests.factories import ADMIN, make_agent, make_tenant, make_ticket
from tests.intake.widget_helpers import ORIGIN, browser_client, make_widget_key, widget_headers
from tests.problems import assert_problem

ALWAYS = {day: [["00:00", "24:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
OFFICE = {day: [["09:00", "18:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}
SUNDAY_NIGHT = datetime(2026, 12, 6, 3, 0, tzinfo=UTC)


async def tenant_on(client, weekly_hours: dict[str, Any]):
    body = {"name": "Support hours", "timezone": "UTC", "weekly_hours": weekly_hours}
    calendar = await client.post("/v1/calendars", json=body, headers=ADMIN)
    assert calendar.status_code == 201, calendar.text
    return await make_tenant(client, calendar_id=calendar.json()["id"])


async def availability(client, headers, **params) -> dict[str, Any]:
    response = await client.get("/v1/availability", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def due_for_a_ticket_raised_now(client, tenant) -> str:
    ticket = await make_ticket(client, tenant.contact_key, requester=tenant.contact)
    assert ticket["priority"] == "medium"
    return ticket["sla"]["first_response"]["due_at"]


@pytest.fixture
def sunday_night():
    timesource.set_source(lambda: SUNDAY_NIGHT)  # the test's teardown resets the clock


@pytest.fixture
def stopped_clock():
    now = datetime.now(UTC).replace(microsecond=0)
    timesource.set_source(lambda: now)


@pytest.mark.usefixtures("stopped_clock")
async def test_a_24_7_desk_with_an_agent_on_duty_is_open(client):
    tenant = await tenant_on(client, ALWAYS)
    await make_agent(client, working_hours=ALWAYS, timezone="UTC")

    shown = await availability(client, tenant.contact_key)

    assert shown["open"] is True and shown["next_open_at"] is None
    assert shown["agents_on_duty"] == 1
    assert shown["chat"] is True
    assert shown["first_response"]["priority"] == "medium"
    expected = await due_for_a_ticket_raised_now(client, tenant)
    assert shown["first_response"]["due_if_raised_now"] == expected


@pytest.mark.usefixtures("sunday_night")
async def test_a_closed_desk_says_when_it_opens_and_when_it_would_reply(client):
    tenant = await tenant_on(client, OFFICE)
    await make_agent(client, working_hours=OFFICE, timezone="UTC")

    shown = await availability(client, tenant.integration_key)

    assert shown["open"] is False
    assert shown["next_open_at"] == "2026-12-07T09:00:00Z"  # Monday morning
    assert shown["agents_on_duty"] == 0
    assert shown["chat"] is False
    expected = await due_for_a_ticket_raised_now(client, tenant)
    assert shown["first_response"]["due_if_raised_now"] == expected


async def test_an_agent_on_time_off_is_not_on_duty(client):
    tenant = await tenant_on(client, ALWAYS)
    agent = await make_agent(client, working_hours=ALWAYS, timezone="UTC")
    window = {"starts_at": "2020-01-01T00:00:00Z", "ends_at": "2099-01-01T00:00:00Z"}
    away = await client.post(f"/v1/agents/{agent['id']}/time-off", json=window, headers=ADMIN)
    assert away.status_code == 201, away.text

    shown = await availability(client, ADMIN, organization_id=tenant.organization["id"])

    assert shown["open"] is True
    assert shown["agents_on_duty"] == 0
    assert shown["chat"] is False  # open, but nobody to chat with


async def test_the_widget_reads_it_from_its_allowed_origins(app, client):
    tenant = await tenant_on(client, ALWAYS)
    key = (await make_widget_key(client, tenant.organization))["key"]
    url = "/v1/intake/widget/availability"

    async with browser_client(app) as browser:
        allowed = await browser.get(url, params={"key": key}, headers={"Origin": ORIGIN})
        refused = await browser.get(
            url, params={"key": key}, headers={"Origin": "https://evil.example"}
        )
        no_widget_route = await browser.get("/v1/availability", headers=widget_headers(key))

    assert allowed.status_code == 200, allowed.text
    assert allowed.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert allowed.json()["open"] is True
    assert_problem(refused, 403)
    assert "Access-Control-Allow-Origin" not in refused.headers
    assert no_widget_route.status_code == 403


async def test_who_reads_which_organization(client, tenant, other_tenant, agent_key):
    theirs = {"organization_id": other_tenant.organization["id"]}
    assert_problem(await client.get("/v1/availability", headers=ADMIN), 422)
    assert_problem(
        await client.get("/v1/availability", params=theirs, headers=tenant.contact_key), 422
    )
    assert (await client.get("/v1/availability", params=theirs, headers=agent_key)).is_success
    unknown = {"organization_id": "00000000-0000-0000-0000-000000000001"}
    assert_problem(await client.get("/v1/availability", params=unknown, headers=ADMIN), 404)

"""/v1/calendars: business calendars, their validation, and the seeded default."""

from typing import Any

import httpx
import pytest

from tests.factories import ADMIN
from tests.problems import assert_problem

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")


def error_fields(problem: dict[str, Any]) -> set[str]:
    return {error["field"] for error in problem.get("errors") or []}


def calendar_body(**fields: Any) -> dict[str, Any]:
    return {
        "name": "Berlin office",
        "timezone": "Europe/Berlin",
        "weekly_hours": {
            "mon": [["08:00", "12:00"], ["13:00", "17:00"]],
            "sat": [["22:00", "02:00"]],
        },
        "holiday_country": "DE",
        "holiday_subdivision": "BY",
        "closed_dates": ["2030-12-24"],
        "open_dates": ["2030-12-26"],
        **fields,
    }


async def create_calendar(client: httpx.AsyncClient, **fields: Any) -> dict[str, Any]:
    response = await client.post("/v1/calendars", json=calendar_body(**fields), headers=ADMIN)
    assert response.status_code == 201, response.text
    return response.json()


async def test_admin_creates_a_calendar(client):
    calendar = await create_calendar(client)
    body = calendar_body()
    assert calendar["name"] == body["name"]
    assert calendar["timezone"] == "Europe/Berlin"
    assert calendar["weekly_hours"]["mon"] == body["weekly_hours"]["mon"]
    assert calendar["weekly_hours"]["sat"] == body["weekly_hours"]["sat"]
    assert calendar["weekly_hours"]["tue"] == []
    assert calendar["holiday_country"] == "DE"
    assert calendar["holiday_subdivision"] == "BY"
    assert calendar["closed_dates"] == ["2030-12-24"]
    assert calendar["open_dates"] == ["2030-12-26"]
    assert calendar["is_default"] is False
    assert {"id", "created_at", "updated_at"} <= calendar.keys()


async def test_calendar_defaults_to_office_hours_without_holidays(client):
    response = await client.post(
        "/v1/calendars", json={"name": "Tokyo", "timezone": "Asia/Tokyo"}, headers=ADMIN
    )
    assert response.status_code == 201, response.text
    calendar = response.json()
    for day in WEEKDAYS:
        assert calendar["weekly_hours"][day] == [["09:00", "18:00"]]
    assert calendar["weekly_hours"]["sat"] == calendar["weekly_hours"]["sun"] == []
    assert calendar["holiday_country"] is None
    assert calendar["closed_dates"] == calendar["open_dates"] == []


async def test_seeded_default_calendar_is_listed(client):
    response = await client.get("/v1/calendars", headers=ADMIN)
    assert response.status_code == 200
    defaults = [row for row in response.json()["data"] if row["is_default"]]
    assert len(defaults) == 1
    default = defaults[0]
    assert default["timezone"] == "America/New_York"
    assert default["holiday_country"] == "US"
    for day in WEEKDAYS:
        assert default["weekly_hours"][day] == [["09:00", "18:00"]]
    assert default["weekly_hours"]["sat"] == default["weekly_hours"]["sun"] == []


async def test_calendar_is_listed_and_read_back(client):
    calendar = await create_calendar(client)
    listed = (await client.get("/v1/calendars", headers=ADMIN)).json()["data"]
    assert calendar["id"] in {row["id"] for row in listed}
    response = await client.get(f"/v1/calendars/{calendar['id']}", headers=ADMIN)
    assert response.status_code == 200
    assert response.json() == calendar
    assert response.headers["etag"]


async def test_unknown_calendar_is_not_found(client):
    response = await client.get("/v1/calendars/00000000-0000-4000-8000-0000000ca1e0", headers=ADMIN)
    assert_problem(response, 404)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"timezone": "Europe/Atlantis"}, "body.timezone"),
        ({"weekly_hours": {"tue": [["09:00", "13:00"], ["12:00", "18:00"]]}}, "body.weekly_hours"),
        ({"weekly_hours": {"tue": [["09:00", "25:00"]]}}, "body.weekly_hours"),
        ({"holiday_country": "ZZ", "holiday_subdivision": None}, "body.holiday_country"),
        ({"holiday_subdivision": "XX-99"}, "body.holiday_country"),
        ({"closed_dates": ["2030-07-04"], "open_dates": ["2030-07-04"]}, "body.open_dates"),
        ({"closed_dates": ["2030-02-30"]}, "body.closed_dates"),
    ],
    ids=[
        "unknown-timezone",
        "overlapping-intervals",
        "hour-25",
        "unknown-holiday-country",
        "unknown-subdivision",
        "closed-and-open",
        "impossible-date",
    ],
)
async def test_invalid_calendar_is_refused_naming_the_field(client, fields, field):
    response = await client.post("/v1/calendars", json=calendar_body(**fields), headers=ADMIN)
    problem = assert_problem(response, 422)
    assert any(name.startswith(field) for name in error_fields(problem)), problem
    assert all(error["message"] for error in problem["errors"])


async def test_patch_updates_with_etag_and_refuses_stale_writes(client):
    calendar = await create_calendar(client)
    url = f"/v1/calendars/{calendar['id']}"
    etag = (await client.get(url, headers=ADMIN)).headers["etag"]
    response = await client.patch(
        url,
        json={"name": "Munich office", "timezone": "Europe/Vienna"},
        headers={**ADMIN, "If-Match": etag},
    )
    assert response.status_code == 200, response.text
    assert response.json()["name"] == "Munich office"
    assert response.json()["timezone"] == "Europe/Vienna"
    assert response.json()["holiday_country"] == "DE"
    stale = await client.patch(url, json={"name": "Lost"}, headers={**ADMIN, "If-Match": etag})
    assert_problem(stale, 412)
    assert (await client.get(url, headers=ADMIN)).json()["name"] == "Munich office"


async def test_patch_is_validated_against_the_whole_calendar(client):
    calendar = await create_calendar(client, closed_dates=["2030-05-01"], open_dates=[])
    url = f"/v1/calendars/{calendar['id']}"
    response = await client.patch(url, json={"open_dates": ["2030-05-01"]}, headers=ADMIN)
    assert "body.open_dates" in error_fields(assert_problem(response, 422))
    assert (await client.get(url, headers=ADMIN)).json()["open_dates"] == []


async def test_patch_can_clear_holidays(client):
    calendar = await create_calendar(client)
    response = await client.patch(
        f"/v1/calendars/{calendar['id']}",
        json={"holiday_country": None, "holiday_subdivision": None},
        headers=ADMIN,
    )
    assert response.status_code == 200, response.text
    assert response.json()["holiday_country"] is None


async def test_patch_cannot_null_the_time_zone(client):
    calendar = await create_calendar(client)
    response = await client.patch(
        f"/v1/calendars/{calendar['id']}", json={"timezone": None}, headers=ADMIN
    )
    assert_problem(response, 422)


async def test_non_admin_keys_cannot_manage_calendars(client, tenant, agent_key):
    for headers in (agent_key, tenant.integration_key, tenant.contact_key):
        assert_problem(await client.get("/v1/calendars", headers=headers), 403)
        response = await client.post("/v1/calendars", json=calendar_body(), headers=headers)
        assert_problem(response, 403)

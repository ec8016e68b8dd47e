"""/v1/agents: staff records with roles, time zones, working hours and backups."""

from typing import Any

import pytest

from tests.factories import ADMIN, make_agent
from tests.problems import assert_problem

MISSING_ID = "00000000-0000-4000-8000-00000000a9e7"
OFFICE_HOURS = {
    "mon": [["09:00", "18:00"]],
    "tue": [["09:00", "18:00"]],
    "wed": [["09:00", "18:00"]],
    "thu": [["09:00", "18:00"]],
    "fri": [["09:00", "18:00"]],
    "sat": [],
    "sun": [],
}


def error_fields(problem: dict[str, Any]) -> set[str]:
    return {error["field"] for error in problem.get("errors") or []}


def agent_body(**fields: Any) -> dict[str, Any]:
    return {"name": "Ada", "email": "ada@desk.example", "role": "support_tier2", **fields}


async def test_admin_adds_an_agent_with_defaults(client):
    response = await client.post("/v1/agents", json=agent_body(), headers=ADMIN)
    assert response.status_code == 201, response.text
    agent = response.json()
    assert agent["role"] == "support_tier2"
    assert agent["timezone"] == "America/New_York"
    assert agent["working_hours"] == OFFICE_HOURS
    assert agent["capacity"] == 10
    assert agent["active"] is True
    assert agent["expertise"] == []
    assert agent["backup_agent_id"] is None
    assert {"id", "created_at", "updated_at"} <= agent.keys()
    assert response.headers["etag"]


async def test_agent_keeps_its_expertise_time_zone_and_hours(client):
    hours = {
        **OFFICE_HOURS,
        "sat": [["10:00", "14:00"]],
        "mon": [["08:00", "12:00"], ["13:00", "17:00"]],
    }
    agent = await make_agent(
        client,
        expertise=["Billing", "api"],
        timezone="Europe/Berlin",
        working_hours=hours,
        capacity=3,
    )
    fetched = (await client.get(f"/v1/agents/{agent['id']}", headers=ADMIN)).json()
    assert fetched["expertise"] == ["billing", "api"]
    assert fetched["timezone"] == "Europe/Berlin"
    assert fetched["working_hours"] == hours
    assert fetched["capacity"] == 3


async def test_list_filters_by_role_activity_and_expertise(client):
    pm = await make_agent(client, role="pm", expertise=["shopify"])
    tier1 = await make_agent(client, active=False)
    role = (await client.get("/v1/agents?role=pm", headers=ADMIN)).json()["data"]
    assert [row["id"] for row in role] == [pm["id"]]
    inactive = (await client.get("/v1/agents?active=false", headers=ADMIN)).json()["data"]
    assert [row["id"] for row in inactive] == [tier1["id"]]
    skilled = (await client.get("/v1/agents?expertise=Shopify", headers=ADMIN)).json()["data"]
    assert [row["id"] for row in skilled] == [pm["id"]]


async def test_unknown_agent_is_not_found(client):
    assert_problem(await client.get(f"/v1/agents/{MISSING_ID}", headers=ADMIN), 404)


@pytest.mark.parametrize("role", ["wizard", "PM", ""])
async def test_unknown_role_is_refused(client, role):
    response = await client.post("/v1/agents", json=agent_body(role=role), headers=ADMIN)
    assert "body.role" in error_fields(assert_problem(response, 422))


@pytest.mark.parametrize("timezone", ["Mars/Olympus_Mons", "UTC+2", "new york", ""])
async def test_time_zone_must_be_iana(client, timezone):
    response = await client.post("/v1/agents", json=agent_body(timezone=timezone), headers=ADMIN)
    assert "body.timezone" in error_fields(assert_problem(response, 422))


@pytest.mark.parametrize(
    "hours",
    [
        {"mon": [["25:00", "18:00"]]},
        {"mon": [["09:00"]]},
        {"mon": [["9am", "5pm"]]},
        {"mon": [["09:00", "13:00"], ["12:00", "18:00"]]},
        {"someday": [["09:00", "18:00"]]},
    ],
    ids=["hour-25", "half-interval", "not-hh-mm", "overlapping", "unknown-day"],
)
async def test_invalid_working_hours_are_refused(client, hours):
    response = await client.post("/v1/agents", json=agent_body(working_hours=hours), headers=ADMIN)
    problem = assert_problem(response, 422)
    assert any(field.startswith("body.working_hours") for field in error_fields(problem))


async def test_negative_capacity_is_refused(client):
    response = await client.post("/v1/agents", json=agent_body(capacity=-1), headers=ADMIN)
    assert_problem(response, 422)


async def test_backup_agent_must_exist(client):
    response = await client.post(
        "/v1/agents", json=agent_body(backup_agent_id=MISSING_ID), headers=ADMIN
    )
    assert "body.backup_agent_id" in error_fields(assert_problem(response, 422))


async def test_backup_agent_is_kept(client):
    backup = await make_agent(client)
    agent = await make_agent(client, backup_agent_id=backup["id"])
    assert agent["backup_agent_id"] == backup["id"]


async def test_agent_cannot_be_their_own_backup(client):
    agent = await make_agent(client)
    response = await client.patch(
        f"/v1/agents/{agent['id']}", json={"backup_agent_id": agent["id"]}, headers=ADMIN
    )
    assert "body.backup_agent_id" in error_fields(assert_problem(response, 422))


async def test_agent_email_is_unique_regardless_of_case(client):
    await make_agent(client, email="dup@desk.example")
    response = await client.post(
        "/v1/agents", json=agent_body(email="DUP@desk.example"), headers=ADMIN
    )
    assert_problem(response, 409)


async def test_changing_email_to_a_taken_one_conflicts(client):
    await make_agent(client, email="taken@desk.example")
    agent = await make_agent(client)
    response = await client.patch(
        f"/v1/agents/{agent['id']}", json={"email": "taken@desk.example"}, headers=ADMIN
    )
    assert_problem(response, 409)


async def test_patch_updates_with_etag_and_refuses_stale_writes(client):
    agent = await make_agent(client)
    url = f"/v1/agents/{agent['id']}"
    etag = (await client.get(url, headers=ADMIN)).headers["etag"]
    response = await client.patch(
        url, json={"role": "support_tier3", "capacity": 4}, headers={**ADMIN, "If-Match": etag}
    )
    assert response.status_code == 200, response.text
    assert response.json()["role"] == "support_tier3"
    assert response.json()["capacity"] == 4
    assert response.json()["name"] == agent["name"]
    stale = await client.patch(url, json={"capacity": 9}, headers={**ADMIN, "If-Match": etag})
    assert_problem(stale, 412)
    assert (await client.get(url, headers=ADMIN)).json()["capacity"] == 4


async def test_patch_cannot_null_required_fields(client):
    agent = await make_agent(client)
    response = await client.patch(f"/v1/agents/{agent['id']}", json={"role": None}, headers=ADMIN)
    assert_problem(response, 422)


async def test_backup_can_be_cleared(client):
    backup = await make_agent(client)
    agent = await make_agent(client, backup_agent_id=backup["id"])
    response = await client.patch(
        f"/v1/agents/{agent['id']}", json={"backup_agent_id": None}, headers=ADMIN
    )
    assert response.status_code == 200
    assert response.json()["backup_agent_id"] is None


async def test_agent_key_can_read_but_not_write(client, agent_key):
    agent = await make_agent(client)
    assert (await client.get("/v1/agents", headers=agent_key)).status_code == 200
    assert (await client.get(f"/v1/agents/{agent['id']}", headers=agent_key)).status_code == 200
    response = await client.post(
        "/v1/agents", json=agent_body(email="new@desk.example"), headers=agent_key
    )
    assert_problem(response, 403)
    patch = await client.patch(f"/v1/agents/{agent['id']}", json={"capacity": 1}, headers=agent_key)
    assert_problem(patch, 403)


@pytest.mark.parametrize("key", ["contact_key", "integration_key"])
async def test_client_keys_cannot_see_agents(client, tenant, key):
    assert_problem(await client.get("/v1/agents", headers=getattr(tenant, key)), 403)

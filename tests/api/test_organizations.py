"""/v1/organizations: create, list, read and update with ETags; tenants see only themselves."""

from typing import Any

import pytest

from tests.factories import ADMIN, make_organization
from tests.problems import assert_problem

MISSING_ID = "00000000-0000-4000-8000-00000000beef"


def error_fields(problem: dict[str, Any]) -> set[str]:
    return {error["field"] for error in problem.get("errors") or []}


async def test_admin_creates_an_organization(client):
    body = {"name": "Acme", "plan": "enterprise", "industry": "retail", "platform": "shopify"}
    response = await client.post("/v1/organizations", json=body, headers=ADMIN)
    assert response.status_code == 201, response.text
    organization = response.json()
    assert {key: organization[key] for key in body} == body
    assert organization["calendar_id"] is None and organization["pm_id"] is None
    assert organization["max_designated_contacts"] == 5
    assert organization["designated_count"] == 0
    assert {"id", "created_at", "updated_at"} <= organization.keys()
    assert response.headers["etag"]


async def test_plan_defaults_to_standard(client):
    response = await client.post("/v1/organizations", json={"name": "Plain"}, headers=ADMIN)
    assert response.status_code == 201
    assert response.json()["plan"] == "standard"


async def test_organization_can_be_read_back_with_its_etag(client):
    organization = await make_organization(client, name="Readable")
    response = await client.get(f"/v1/organizations/{organization['id']}", headers=ADMIN)
    assert response.status_code == 200
    assert response.json() == organization
    assert response.headers["etag"]


async def test_list_shows_organizations_newest_first_and_filters_by_plan(client):
    first = await make_organization(client, plan="standard")
    second = await make_organization(client, plan="enterprise")
    response = await client.get("/v1/organizations", headers=ADMIN)
    assert response.status_code == 200
    page = response.json()
    assert [row["id"] for row in page["data"]] == [second["id"], first["id"]]
    assert page["next_cursor"] is None
    enterprise = await client.get("/v1/organizations?plan=enterprise", headers=ADMIN)
    assert [row["id"] for row in enterprise.json()["data"]] == [second["id"]]


async def test_unknown_organization_is_not_found(client):
    assert_problem(await client.get(f"/v1/organizations/{MISSING_ID}", headers=ADMIN), 404)


@pytest.mark.parametrize("plan", ["gold", "STANDARD", ""])
async def test_unknown_plan_is_refused(client, plan):
    response = await client.post(
        "/v1/organizations", json={"name": "X", "plan": plan}, headers=ADMIN
    )
    problem = assert_problem(response, 422)
    assert "body.plan" in error_fields(problem)


async def test_unknown_plan_filter_is_refused(client):
    assert_problem(await client.get("/v1/organizations?plan=gold", headers=ADMIN), 422)


async def test_calendar_must_exist(client):
    body = {"name": "Late", "calendar_id": MISSING_ID}
    problem = assert_problem(await client.post("/v1/organizations", json=body, headers=ADMIN), 422)
    assert "body.calendar_id" in error_fields(problem)
    organization = await make_organization(client)
    response = await client.patch(
        f"/v1/organizations/{organization['id']}", json={"calendar_id": MISSING_ID}, headers=ADMIN
    )
    assert "body.calendar_id" in error_fields(assert_problem(response, 422))


async def test_organization_can_use_an_existing_calendar(client):
    body = {"name": "Berlin office", "timezone": "Europe/Berlin", "holiday_country": "DE"}
    calendar = await client.post("/v1/calendars", json=body, headers=ADMIN)
    assert calendar.status_code == 201, calendar.text
    organization = await make_organization(client, calendar_id=calendar.json()["id"])
    assert organization["calendar_id"] == calendar.json()["id"]


async def test_patch_with_current_etag_updates_and_changes_the_etag(client):
    organization = await make_organization(client, name="Before")
    url = f"/v1/organizations/{organization['id']}"
    etag = (await client.get(url, headers=ADMIN)).headers["etag"]
    response = await client.patch(
        url, json={"name": "After", "plan": "enterprise"}, headers={**ADMIN, "If-Match": etag}
    )
    assert response.status_code == 200, response.text
    assert response.json()["name"] == "After"
    assert response.json()["plan"] == "enterprise"
    assert response.json()["industry"] == organization["industry"]
    assert response.headers["etag"] != etag
    assert response.json()["updated_at"] >= organization["updated_at"]


async def test_patch_with_stale_etag_is_refused_and_changes_nothing(client):
    organization = await make_organization(client, name="Original")
    url = f"/v1/organizations/{organization['id']}"
    stale = (await client.get(url, headers=ADMIN)).headers["etag"]
    await client.patch(url, json={"industry": "media"}, headers=ADMIN)
    response = await client.patch(url, json={"name": "Lost"}, headers={**ADMIN, "If-Match": stale})
    assert_problem(response, 412)
    current = (await client.get(url, headers=ADMIN)).json()
    assert current["name"] == "Original"
    assert current["industry"] == "media"


async def test_patch_without_if_match_applies(client):
    organization = await make_organization(client)
    response = await client.patch(
        f"/v1/organizations/{organization['id']}", json={"platform": "magento"}, headers=ADMIN
    )
    assert response.status_code == 200
    assert response.json()["platform"] == "magento"


async def test_patch_cannot_null_the_name(client):
    organization = await make_organization(client, name="Named")
    response = await client.patch(
        f"/v1/organizations/{organization['id']}", json={"name": None}, headers=ADMIN
    )
    assert_problem(response, 422)


async def test_unknown_fields_are_refused(client):
    response = await client.post(
        "/v1/organizations", json={"name": "Typo", "plann": "enterprise"}, headers=ADMIN
    )
    assert_problem(response, 422)


@pytest.mark.parametrize("key", ["contact_key", "integration_key"])
async def test_client_keys_see_only_their_own_organization(client, tenant, other_tenant, key):
    headers = getattr(tenant, key)
    own = await client.get(f"/v1/organizations/{tenant.organization['id']}", headers=headers)
    assert own.status_code == 200
    assert own.json()["id"] == tenant.organization["id"]
    other = await client.get(
        f"/v1/organizations/{other_tenant.organization['id']}", headers=headers
    )
    assert_problem(other, 404)
    listed = (await client.get("/v1/organizations", headers=headers)).json()["data"]
    assert [row["id"] for row in listed] == [tenant.organization["id"]]


@pytest.mark.parametrize("key", ["contact_key", "integration_key"])
async def test_client_keys_cannot_create_or_change_organizations(client, tenant, key):
    headers = getattr(tenant, key)
    assert_problem(await client.post("/v1/organizations", json={"name": "N"}, headers=headers), 403)
    response = await client.patch(
        f"/v1/organizations/{tenant.organization['id']}", json={"name": "Mine"}, headers=headers
    )
    assert_problem(response, 403)


async def test_agent_key_cannot_create_organizations(client, agent_key):
    response = await client.post("/v1/organizations", json={"name": "N"}, headers=agent_key)
    assert_problem(response, 403)

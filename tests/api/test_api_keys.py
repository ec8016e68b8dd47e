"""/v1/api-keys: issuing, showing once, hashing, revoking, and integration-managed widget keys."""

from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from tests.conftest import ADMIN_KEY
from tests.factories import ADMIN, bearer, make_agent, make_contact, make_organization
from tests.problems import assert_problem

WIDGET_ORIGINS = ["https://app.client.example"]


async def owners(client: httpx.AsyncClient) -> dict[str, dict[str, Any]]:
    """The owner fields each key kind needs, backed by real rows."""
    organization = await make_organization(client)
    contact = await make_contact(client, organization)
    agent = await make_agent(client)
    return {
        "admin": {},
        "agent": {"agent_id": agent["id"]},
        "contact": {"contact_id": contact["id"]},
        "integration": {"organization_id": organization["id"]},
        "widget": {"organization_id": organization["id"], "allowed_origins": WIDGET_ORIGINS},
    }


async def issue(
    client: httpx.AsyncClient, kind: str, headers: dict[str, str] = ADMIN, **fields: Any
) -> httpx.Response:
    return await client.post(
        "/v1/api-keys", json={"kind": kind, "name": f"{kind} key", **fields}, headers=headers
    )


# A request each kind of key is allowed to make, to prove the key authenticates.
ALLOWED_REQUEST = {
    "admin": ("GET", "/v1/api-keys"),
    "agent": ("GET", "/v1/agents"),
    "contact": ("GET", "/v1/organizations"),
    "integration": ("GET", "/v1/api-keys"),
}


@pytest.mark.parametrize("kind", ["admin", "agent", "contact", "integration", "widget"])
async def test_admin_issues_every_kind_of_key_with_its_owner(client, kind):
    fields = (await owners(client))[kind]
    response = await issue(client, kind, **fields)
    assert response.status_code == 201, response.text
    key = response.json()
    assert key["kind"] == kind
    assert key["key"].startswith("sd_")
    assert key["key"].startswith(key["prefix"]) and len(key["prefix"]) < len(key["key"])
    for field, value in fields.items():
        assert key[field] == value
    assert key["revoked_at"] is None
    assert {"id", "created_at", "updated_at"} <= key.keys()


@pytest.mark.parametrize(
    ("kind", "missing"),
    [
        ("agent", "agent_id"),
        ("contact", "contact_id"),
        ("integration", "organization_id"),
        ("widget", "organization_id"),
        ("widget", "allowed_origins"),
    ],
)
async def test_key_without_its_owner_field_is_refused(client, kind, missing):
    fields = (await owners(client))[kind]
    fields.pop(missing)
    problem = assert_problem(await issue(client, kind, **fields), 422)
    assert missing in {error["field"].split(".")[-1] for error in problem["errors"]}


async def test_key_for_a_missing_agent_is_refused(client):
    missing = "00000000-0000-4000-8000-00000000dead"
    assert_problem(await issue(client, "agent", agent_id=missing), 422)


async def test_only_widget_keys_take_allowed_origins(client):
    organization = await make_organization(client)
    response = await issue(
        client, "integration", organization_id=organization["id"], allowed_origins=WIDGET_ORIGINS
    )
    assert_problem(response, 422)


async def test_unknown_key_kind_is_refused(client):
    assert_problem(await issue(client, "superuser"), 422)


@pytest.mark.parametrize("kind", ["admin", "agent", "contact", "integration"])
async def test_new_key_works_immediately_as_bearer(client, kind):
    fields = (await owners(client))[kind]
    key = (await issue(client, kind, **fields)).json()["key"]
    method, path = ALLOWED_REQUEST[kind]
    response = await client.request(method, path, headers=bearer(key))
    assert response.status_code == 200, response.text


async def test_new_widget_key_authenticates_but_cannot_read(client):
    fields = (await owners(client))["widget"]
    key = (await issue(client, "widget", **fields)).json()["key"]
    problem = assert_problem(await client.get("/v1/api-keys", headers=bearer(key)), 403)
    assert "widget" in problem["detail"]


async def test_key_is_shown_only_in_the_create_response(client):
    created = (await issue(client, "admin")).json()
    response = await client.get("/v1/api-keys", headers=ADMIN)
    assert response.status_code == 200
    listed = [key for key in response.json()["data"] if key["id"] == created["id"]]
    assert len(listed) == 1
    assert "key" not in listed[0]
    assert listed[0]["prefix"] == created["prefix"]
    assert created["key"] not in response.text


async def test_database_stores_only_a_hash_of_the_key(client, app):
    created = (await issue(client, "admin")).json()
    plaintext = created["key"]
    async with app.state.engine.connect() as connection:
        row = (
            (
                await connection.execute(
                    sa.text("SELECT * FROM api_keys WHERE id = :id"), {"id": created["id"]}
                )
            )
            .mappings()
            .one()
        )
    for column, value in row.items():
        if isinstance(value, bytes | memoryview):
            assert plaintext.encode() not in bytes(value), column
        assert plaintext not in str(value), column
    assert plaintext.encode() not in bytes(row["key_hash"])


async def test_revoked_key_is_refused(client):
    created = (await issue(client, "admin")).json()
    headers = bearer(created["key"])
    assert (await client.get("/v1/api-keys", headers=headers)).status_code == 200
    response = await client.delete(f"/v1/api-keys/{created['id']}", headers=ADMIN)
    assert response.status_code == 204
    assert_problem(await client.get("/v1/api-keys", headers=headers), 401)


async def test_revoked_key_leaves_the_list_unless_asked_for(client):
    created = (await issue(client, "admin")).json()
    await client.delete(f"/v1/api-keys/{created['id']}", headers=ADMIN)
    active = (await client.get("/v1/api-keys", headers=ADMIN)).json()["data"]
    assert created["id"] not in {key["id"] for key in active}
    everything = await client.get("/v1/api-keys?include_revoked=true", headers=ADMIN)
    revoked = [key for key in everything.json()["data"] if key["id"] == created["id"]]
    assert revoked and revoked[0]["revoked_at"] is not None


async def test_revoking_an_unknown_key_is_not_found(client):
    response = await client.delete(
        "/v1/api-keys/00000000-0000-4000-8000-000000000000", headers=ADMIN
    )
    assert_problem(response, 404)


async def test_bootstrap_admin_key_is_accepted(client):
    response = await client.get("/v1/api-keys", headers=bearer(ADMIN_KEY))
    assert response.status_code == 200
    response = await issue(client, "admin", headers=bearer(ADMIN_KEY))
    assert response.status_code == 201


@pytest.mark.parametrize(
    "headers",
    [{}, bearer("sd_admin_not-a-real-key"), {"Authorization": f"Basic {ADMIN_KEY}"}],
    ids=["missing", "unknown", "not-bearer"],
)
async def test_request_without_a_valid_key_is_unauthorized(client, headers):
    response = await client.get("/v1/api-keys", headers=headers)
    assert_problem(response, 401)
    assert response.headers["www-authenticate"].lower().startswith("bearer")


# --- integration keys manage their organization's widget keys ----------------------------------


async def test_integration_key_issues_widget_keys_for_its_organization(client, tenant):
    response = await issue(
        client, "widget", headers=tenant.integration_key, allowed_origins=WIDGET_ORIGINS
    )
    assert response.status_code == 201, response.text
    assert response.json()["organization_id"] == tenant.organization["id"]
    explicit = await issue(
        client,
        "widget",
        headers=tenant.integration_key,
        organization_id=tenant.organization["id"],
        allowed_origins=WIDGET_ORIGINS,
    )
    assert explicit.status_code == 201, explicit.text


@pytest.mark.parametrize("kind", ["admin", "agent", "contact", "integration"])
async def test_integration_key_cannot_issue_other_kinds(client, tenant, kind):
    fields = (await owners(client))[kind]
    response = await issue(client, kind, headers=tenant.integration_key, **fields)
    assert_problem(response, 403)


async def test_integration_key_cannot_issue_widget_keys_for_another_organization(
    client, tenant, other_tenant
):
    response = await issue(
        client,
        "widget",
        headers=tenant.integration_key,
        organization_id=other_tenant.organization["id"],
        allowed_origins=WIDGET_ORIGINS,
    )
    assert_problem(response, 404)


async def test_integration_key_lists_only_its_organizations_widget_keys(
    client, tenant, other_tenant
):
    own = (
        await issue(
            client, "widget", headers=tenant.integration_key, allowed_origins=WIDGET_ORIGINS
        )
    ).json()
    other = (
        await issue(
            client, "widget", headers=other_tenant.integration_key, allowed_origins=WIDGET_ORIGINS
        )
    ).json()
    admin_key = (await issue(client, "admin")).json()
    response = await client.get("/v1/api-keys", headers=tenant.integration_key)
    assert response.status_code == 200
    listed = {key["id"] for key in response.json()["data"]}
    assert listed == {own["id"]}
    assert other["id"] not in listed and admin_key["id"] not in listed


async def test_integration_key_revokes_its_own_widget_key(client, tenant):
    widget = (
        await issue(
            client, "widget", headers=tenant.integration_key, allowed_origins=WIDGET_ORIGINS
        )
    ).json()
    response = await client.delete(f"/v1/api-keys/{widget['id']}", headers=tenant.integration_key)
    assert response.status_code == 204
    assert_problem(await client.get("/v1/api-keys", headers=bearer(widget["key"])), 401)


async def test_integration_key_cannot_revoke_keys_it_does_not_manage(client, tenant, other_tenant):
    other_widget = (
        await issue(
            client, "widget", headers=other_tenant.integration_key, allowed_origins=WIDGET_ORIGINS
        )
    ).json()
    admin_key = (await issue(client, "admin")).json()
    for key in (other_widget, admin_key):
        response = await client.delete(f"/v1/api-keys/{key['id']}", headers=tenant.integration_key)
        assert_problem(response, 404)
    assert (await client.get("/v1/api-keys", headers=bearer(admin_key["key"]))).status_code == 200


@pytest.mark.parametrize("kind", ["agent", "contact"])
async def test_staff_and_contact_keys_cannot_manage_keys(client, tenant, agent_key, kind):
    headers = agent_key if kind == "agent" else tenant.contact_key
    assert_problem(await client.get("/v1/api-keys", headers=headers), 403)
    assert_problem(await issue(client, "admin", headers=headers), 403)

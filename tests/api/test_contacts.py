"""/v1/organizations/{id}/contacts: contacts, unique emails and the designated-contact limit."""

import asyncio
from typing import Any

import httpx

from tests.factories import ADMIN, make_contact, make_key, make_organization
from tests.problems import assert_problem

LIMIT = 5


def contacts_url(organization: dict[str, Any]) -> str:
    return f"/v1/organizations/{organization['id']}/contacts"


async def designated_count(client: httpx.AsyncClient, organization: dict[str, Any]) -> int:
    response = await client.get(f"/v1/organizations/{organization['id']}", headers=ADMIN)
    return response.json()["designated_count"]


async def test_admin_adds_a_contact(client):
    organization = await make_organization(client)
    body = {"email": "ana@client.example", "name": "Ana", "designated": True}
    response = await client.post(contacts_url(organization), json=body, headers=ADMIN)
    assert response.status_code == 201, response.text
    contact = response.json()
    assert {key: contact[key] for key in body} == body
    assert contact["organization_id"] == organization["id"]
    assert {"id", "created_at", "updated_at"} <= contact.keys()
    assert await designated_count(client, organization) == 1


async def test_contacts_are_not_designated_by_default(client):
    organization = await make_organization(client)
    response = await client.post(
        contacts_url(organization), json={"email": "b@client.example", "name": "B"}, headers=ADMIN
    )
    assert response.json()["designated"] is False
    assert await designated_count(client, organization) == 0


async def test_list_filters_by_designation_and_email(client):
    organization = await make_organization(client)
    lead = await make_contact(client, organization, email="Lead@Client.example")
    member = await make_contact(client, organization, designated=False)
    url = contacts_url(organization)
    everyone = (await client.get(url, headers=ADMIN)).json()
    assert [row["id"] for row in everyone["data"]] == [member["id"], lead["id"]]
    designated = (await client.get(f"{url}?designated=true", headers=ADMIN)).json()["data"]
    assert [row["id"] for row in designated] == [lead["id"]]
    by_email = (await client.get(f"{url}?email=lead@client.example", headers=ADMIN)).json()
    assert [row["id"] for row in by_email["data"]] == [lead["id"]]


async def test_invalid_email_is_refused(client):
    organization = await make_organization(client)
    response = await client.post(
        contacts_url(organization), json={"email": "not-an-email", "name": "X"}, headers=ADMIN
    )
    assert_problem(response, 422)


async def test_contacts_of_an_unknown_organization_are_not_found(client):
    missing = {"id": "00000000-0000-4000-8000-00000000abcd"}
    assert_problem(await client.get(contacts_url(missing), headers=ADMIN), 404)
    response = await client.post(
        contacts_url(missing), json={"email": "x@client.example", "name": "X"}, headers=ADMIN
    )
    assert_problem(response, 404)


async def test_patch_changes_a_contact_and_its_etag(client):
    organization = await make_organization(client)
    contact = await make_contact(client, organization, designated=False)
    url = f"{contacts_url(organization)}/{contact['id']}"
    response = await client.patch(url, json={"name": "Renamed"}, headers=ADMIN)
    assert response.status_code == 200, response.text
    assert response.json()["name"] == "Renamed"
    assert response.json()["email"] == contact["email"]
    etag = response.headers["etag"]
    stale = await client.patch(url, json={"name": "Late"}, headers={**ADMIN, "If-Match": '"1"'})
    assert_problem(stale, 412)
    fresh = await client.patch(url, json={"name": "Again"}, headers={**ADMIN, "If-Match": etag})
    assert fresh.status_code == 200
    assert fresh.json()["name"] == "Again"


async def test_duplicate_email_in_one_organization_conflicts(client):
    organization = await make_organization(client)
    await make_contact(client, organization, email="same@client.example")
    response = await client.post(
        contacts_url(organization),
        json={"email": "SAME@client.example", "name": "Twin"},
        headers=ADMIN,
    )
    assert_problem(response, 409)


async def test_same_email_is_allowed_in_another_organization(client):
    first, second = await make_organization(client), await make_organization(client)
    await make_contact(client, first, email="shared@client.example")
    contact = await make_contact(client, second, email="shared@client.example")
    assert contact["organization_id"] == second["id"]


async def test_concurrent_designations_never_pass_the_limit(client):
    organization = await make_organization(client)
    url = contacts_url(organization)
    bodies = [
        {"email": f"rush{n}@client.example", "name": f"Rush {n}", "designated": True}
        for n in range(12)
    ]
    responses = await asyncio.gather(
        *(client.post(url, json=body, headers=ADMIN) for body in bodies)
    )
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [201] * LIMIT + [409] * (12 - LIMIT), [r.text for r in responses]
    for response in responses:
        if response.status_code == 409:
            assert_problem(response, 409)
    assert await designated_count(client, organization) == LIMIT
    listed = (await client.get(f"{url}?designated=true", headers=ADMIN)).json()["data"]
    assert len(listed) == LIMIT


async def test_designating_past_the_limit_conflicts(client):
    organization = await make_organization(client)
    for _ in range(LIMIT):
        await make_contact(client, organization)
    spare = await make_contact(client, organization, designated=False)
    response = await client.patch(
        f"{contacts_url(organization)}/{spare['id']}", json={"designated": True}, headers=ADMIN
    )
    assert_problem(response, 409)
    assert await designated_count(client, organization) == LIMIT
    unchanged = await client.get(f"{contacts_url(organization)}?designated=false", headers=ADMIN)
    assert [row["id"] for row in unchanged.json()["data"]] == [spare["id"]]


async def test_organization_limit_can_be_raised(client):
    organization = await make_organization(client, max_designated_contacts=6)
    for _ in range(6):
        await make_contact(client, organization)
    assert await designated_count(client, organization) == 6


async def test_deleting_a_designated_contact_frees_a_slot(client):
    organization = await make_organization(client)
    designated = [await make_contact(client, organization) for _ in range(LIMIT)]
    spare = await make_contact(client, organization, designated=False)
    url = contacts_url(organization)
    response = await client.delete(f"{url}/{designated[0]['id']}", headers=ADMIN)
    assert response.status_code == 204
    assert await designated_count(client, organization) == LIMIT - 1
    promoted = await client.patch(f"{url}/{spare['id']}", json={"designated": True}, headers=ADMIN)
    assert promoted.status_code == 200, promoted.text
    assert await designated_count(client, organization) == LIMIT


async def test_undesignating_frees_a_slot(client):
    organization = await make_organization(client)
    designated = [await make_contact(client, organization) for _ in range(LIMIT)]
    url = contacts_url(organization)
    await client.patch(f"{url}/{designated[0]['id']}", json={"designated": False}, headers=ADMIN)
    assert await designated_count(client, organization) == LIMIT - 1
    await make_contact(client, organization)
    assert await designated_count(client, organization) == LIMIT


async def test_deleted_contact_disappears(client):
    organization = await make_organization(client)
    contact = await make_contact(client, organization)
    url = f"{contacts_url(organization)}/{contact['id']}"
    assert (await client.delete(url, headers=ADMIN)).status_code == 204
    listed = (await client.get(contacts_url(organization), headers=ADMIN)).json()["data"]
    assert contact["id"] not in {row["id"] for row in listed}
    assert_problem(await client.patch(url, json={"name": "Ghost"}, headers=ADMIN), 404)
    assert_problem(await client.delete(url, headers=ADMIN), 404)


async def test_email_of_a_deleted_contact_can_be_reused(client):
    organization = await make_organization(client)
    contact = await make_contact(client, organization, email="reuse@client.example")
    await client.delete(f"{contacts_url(organization)}/{contact['id']}", headers=ADMIN)
    again = await make_contact(client, organization, email="reuse@client.example")
    assert again["id"] != contact["id"]


async def test_deleting_a_contact_revokes_its_key(client):
    organization = await make_organization(client)
    contact = await make_contact(client, organization)
    contact_key = await make_key(client, "contact", contact_id=contact["id"])
    assert (await client.get("/v1/organizations", headers=contact_key)).status_code == 200
    await client.delete(f"{contacts_url(organization)}/{contact['id']}", headers=ADMIN)
    assert_problem(await client.get("/v1/organizations", headers=contact_key), 401)


async def test_integration_key_manages_contacts_of_its_organization(client, tenant):
    url = contacts_url(tenant.organization)
    body = {"email": "new@client.example", "name": "New"}
    response = await client.post(url, json=body, headers=tenant.integration_key)
    assert response.status_code == 201, response.text
    listed = (await client.get(url, headers=tenant.integration_key)).json()["data"]
    assert response.json()["id"] in {row["id"] for row in listed}
    deleted = await client.delete(f"{url}/{response.json()['id']}", headers=tenant.integration_key)
    assert deleted.status_code == 204


async def test_integration_key_cannot_touch_another_organizations_contacts(
    client, tenant, other_tenant
):
    url = contacts_url(other_tenant.organization)
    headers = tenant.integration_key
    assert_problem(await client.get(url, headers=headers), 404)
    body = {"email": "sneaky@client.example", "name": "Sneaky"}
    assert_problem(await client.post(url, json=body, headers=headers), 404)
    contact_url = f"{url}/{other_tenant.contact['id']}"
    assert_problem(await client.patch(contact_url, json={"name": "X"}, headers=headers), 404)
    assert_problem(await client.delete(contact_url, headers=headers), 404)


async def test_contact_key_cannot_manage_contacts(client, tenant):
    url = contacts_url(tenant.organization)
    body = {"email": "self@client.example", "name": "Self"}
    assert_problem(await client.post(url, json=body, headers=tenant.contact_key), 403)
    assert_problem(await client.get(url, headers=tenant.contact_key), 403)

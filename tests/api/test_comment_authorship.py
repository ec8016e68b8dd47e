"""Integration keys comment as one of their organization's contacts, never as `system`."""

import httpx
import pytest

from tests.factories import ADMIN, make_ticket
from tests.problems import assert_problem


async def comment(client: httpx.AsyncClient, ticket: dict, headers, **body) -> httpx.Response:
    return await client.post(
        f"/v1/tickets/{ticket['id']}/comments", json={"body": "Hello", **body}, headers=headers
    )


async def comments_of(client: httpx.AsyncClient, ticket: dict) -> list[dict]:
    response = await client.get(f"/v1/tickets/{ticket['id']}/comments", headers=ADMIN)
    assert response.status_code == 200, response.text
    return response.json()["data"]


async def test_an_integration_comment_without_a_contact_is_a_422(client, tenant):
    ticket = await make_ticket(client, tenant.contact_key)
    problem = assert_problem(await comment(client, ticket, tenant.integration_key), 422)
    assert [error["field"] for error in problem["errors"]] == ["body.author_id"]
    assert await comments_of(client, ticket) == []


@pytest.mark.parametrize("field", ["author_type", "author"])
async def test_an_integration_cannot_name_itself_system(client, tenant, field):
    ticket = await make_ticket(client, tenant.contact_key)
    response = await comment(
        client,
        ticket,
        tenant.integration_key,
        author_id=tenant.contact["id"],
        **{field: "system"},
    )
    assert_problem(response, 422)
    assert await comments_of(client, ticket) == []


async def test_an_integration_comments_as_its_organizations_contact(client, tenant):
    ticket = await make_ticket(client, tenant.contact_key)
    response = await comment(client, ticket, tenant.integration_key, author_id=tenant.contact["id"])
    assert response.status_code == 201, response.text
    assert (response.json()["author_type"], response.json()["author_id"]) == (
        "contact",
        tenant.contact["id"],
    )


async def test_an_integration_cannot_post_as_another_organizations_contact(
    client, tenant, other_tenant
):
    ticket = await make_ticket(client, tenant.contact_key)
    response = await comment(
        client, ticket, tenant.integration_key, author_id=other_tenant.contact["id"]
    )
    assert_problem(response, 422)
    assert await comments_of(client, ticket) == []


async def test_the_operator_still_posts_system_notes(client, tenant):
    ticket = await make_ticket(client, tenant.contact_key)
    response = await comment(client, ticket, ADMIN)
    assert response.status_code == 201, response.text
    assert response.json()["author_type"] == "system"

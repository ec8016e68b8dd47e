"""Async factories that build data through the public API, as a client would."""

import itertools
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.conftest import ADMIN_KEY

ADMIN = {"Authorization": f"Bearer {ADMIN_KEY}"}
_counter = itertools.count(1)


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


async def created(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 201, response.text
    return response.json()


async def make_organization(client: httpx.AsyncClient, **fields: Any) -> dict[str, Any]:
    body = {"name": f"Org {next(_counter)}", "plan": "standard", **fields}
    return await created(await client.post("/v1/organizations", json=body, headers=ADMIN))


async def make_contact(
    client: httpx.AsyncClient,
    organization: dict[str, Any],
    *,
    designated: bool = True,
    **fields: Any,
) -> dict[str, Any]:
    n = next(_counter)
    body = {"email": f"c{n}@client.example", "name": f"Contact {n}", "designated": designated}
    body.update(fields)
    url = f"/v1/organizations/{organization['id']}/contacts"
    return await created(await client.post(url, json=body, headers=ADMIN))


async def make_agent(client: httpx.AsyncClient, **fields: Any) -> dict[str, Any]:
    n = next(_counter)
    body = {"name": f"Agent {n}", "email": f"agent{n}@desk.example", "role": "support_tier1"}
    body.update(fields)
    return await created(await client.post("/v1/agents", json=body, headers=ADMIN))


async def make_key(client: httpx.AsyncClient, kind: str, **fields: Any) -> dict[str, str]:
    """Issues a key and returns the Authorization header that uses it."""
    body = {"kind": kind, "name": f"{kind} key", **fields}
    key = await created(await client.post("/v1/api-keys", json=body, headers=ADMIN))
    return bearer(key["key"])


async def make_ticket(
    client: httpx.AsyncClient,
    headers: dict[str, str] = ADMIN,
    *,
    requester: dict[str, Any] | None = None,
    **fields: Any,
) -> dict[str, Any]:
    body: dict[str, Any] = {"subject": "Checkout fails", "description": "Card payments error."}
    if requester is not None:
        body["requester_id"] = requester["id"]
    body.update(fields)
    return await created(await client.post("/v1/tickets", json=body, headers=headers))


@dataclass
class Tenant:
    """An organization with a designated contact and the keys that act for it."""

    organization: dict[str, Any]
    contact: dict[str, Any]
    contact_key: dict[str, str]
    integration_key: dict[str, str]


async def make_tenant(client: httpx.AsyncClient, **fields: Any) -> Tenant:
    organization = await make_organization(client, **fields)
    contact = await make_contact(client, organization)
    return Tenant(
        organization=organization,
        contact=contact,
        contact_key=await make_key(client, "contact", contact_id=contact["id"]),
        integration_key=await make_key(client, "integration", organization_id=organization["id"]),
    )


@pytest.fixture
async def tenant(client: httpx.AsyncClient) -> Tenant:
    return await make_tenant(client)


@pytest.fixture
async def other_tenant(client: httpx.AsyncClient) -> Tenant:
    return await make_tenant(client)


@pytest.fixture
async def agent_key(client: httpx.AsyncClient) -> dict[str, str]:
    agent = await make_agent(client)
    return await make_key(client, "agent", agent_id=agent["id"])

"""An Idempotency-Key replay answers only a key that still works: the key is checked first."""

import pytest

from tests.factories import ADMIN, bearer, make_agent
from tests.problems import assert_problem

BODY = {"subject": "Checkout fails", "description": "Card payments error."}


async def test_a_revoked_key_replays_nothing(client, tenant):
    issued = await client.post(
        "/v1/api-keys",
        json={"kind": "contact", "name": "app", "contact_id": tenant.contact["id"]},
        headers=ADMIN,
    )
    key = issued.json()
    headers = {**bearer(key["key"]), "Idempotency-Key": "replay-after-revoke"}
    first = await client.post("/v1/tickets", json=BODY, headers=headers)
    assert first.status_code == 201, first.text
    replayed = await client.post("/v1/tickets", json=BODY, headers=headers)
    assert replayed.headers.get("idempotent-replayed") == "true"

    revoked = await client.delete(f"/v1/api-keys/{key['id']}", headers=ADMIN)
    assert revoked.status_code == 204
    again = await client.post("/v1/tickets", json=BODY, headers=headers)
    assert_problem(again, 401)
    assert "idempotent-replayed" not in again.headers
    assert first.json()["id"] not in again.text


@pytest.mark.parametrize("subject", ["Checkout fails", "Another subject"])
async def test_a_deactivated_agents_key_replays_nothing(client, tenant, subject):
    agent = await make_agent(client)
    issued = await client.post(
        "/v1/api-keys", json={"kind": "agent", "name": "a", "agent_id": agent["id"]}, headers=ADMIN
    )
    headers = {**bearer(issued.json()["key"]), "Idempotency-Key": "agent-replay"}
    body = {**BODY, "requester_id": tenant.contact["id"]}
    first = await client.post("/v1/tickets", json=body, headers=headers)
    assert first.status_code == 201, first.text

    await client.patch(f"/v1/agents/{agent['id']}", json={"active": False}, headers=ADMIN)
    # The key comes first: nothing about the stored request is said (not even a mismatch 422).
    again = {**body, "subject": subject}
    assert_problem(await client.post("/v1/tickets", json=again, headers=headers), 401)

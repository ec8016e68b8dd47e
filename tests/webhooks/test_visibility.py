"""What an organization's integration sees: its own client-facing events, never internal
notes nor other organizations' events; an operator's endpoint sees everything."""

from datetime import timedelta

from app import timesource
from tests.factories import ADMIN, make_ticket
from tests.webhooks.helpers import create_endpoint, delivery_rows, eventually, whole_feed

SECRET = "Internal-only: the client's account is flagged for fraud review zq7x"


async def comment(client, ticket_id: str, body: str, visibility: str, headers=ADMIN) -> dict:
    response = await client.post(
        f"/v1/tickets/{ticket_id}/comments",
        json={"body": body, "visibility": visibility},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    return response.json()


async def test_internal_comments_reach_operators_only(
    client, app, receiver, pumps, tenant, other_tenant, agent_key
):
    operator = await create_endpoint(client, receiver.url.replace("/hooks", "/operator"))
    integration = await create_endpoint(
        client, receiver.url.replace("/hooks", "/org"), tenant.integration_key
    )
    stranger = await create_endpoint(
        client, receiver.url.replace("/hooks", "/stranger"), other_tenant.integration_key
    )
    await pumps(1)
    ticket = await make_ticket(client, requester=tenant.contact)
    internal = await comment(client, ticket["id"], SECRET, "internal")
    agent_note = await comment(client, ticket["id"], SECRET + " (agent)", "internal", agent_key)
    public = await comment(client, ticket["id"], "We are on it.", "public")

    def comment_ids(received, path: str) -> list[str]:
        return [
            r.json["data"]["comment"]["id"]
            for r in received
            if r.path == path and r.json["type"] == "ticket.comment_added"
        ]

    received = await receiver.wait_for(
        lambda rs: len(comment_ids(rs, "/operator")) == 3 and comment_ids(rs, "/org")
    )
    # In ticket order: had the internal notes been sent to the integration, they would
    # have arrived before the public reply.
    assert comment_ids(received, "/operator") == [internal["id"], agent_note["id"], public["id"]]
    assert comment_ids(received, "/org") == [public["id"]]
    org_bodies = b"".join(r.body for r in received if r.path == "/org")
    assert b"zq7x" not in org_bodies
    assert b"zq7x" in b"".join(r.body for r in received if r.path == "/operator")
    assert not [r for r in received if r.path == "/stranger"]

    integration_types = sorted(
        row.event_type for row in await delivery_rows(app, integration["id"])
    )
    assert integration_types == ["ticket.comment_added", "ticket.created"]
    assert len(await delivery_rows(app, operator["id"])) == 4
    assert await delivery_rows(app, stranger["id"]) == []


async def test_integration_feed_hides_internal_and_foreign_events(
    client, tenant, other_tenant, agent_key
):
    ticket = await make_ticket(client, requester=tenant.contact)
    foreign = await make_ticket(client, requester=other_tenant.contact)
    internal = await comment(client, ticket["id"], SECRET, "internal")
    public = await comment(client, ticket["id"], "Fixed in 4.2.", "public", agent_key)
    await comment(client, foreign["id"], "Their business.", "public")

    seen = await whole_feed(client, tenant.integration_key)
    assert {e["ticket_id"] for e in seen} == {ticket["id"]}
    assert {e["organization_id"] for e in seen} == {tenant.organization["id"]}
    comments = [e["data"]["comment"]["id"] for e in seen if e["type"] == "ticket.comment_added"]
    assert comments == [public["id"]]
    assert "zq7x" not in str(seen)

    operator = await whole_feed(client, ADMIN)
    operator_comments = [
        e["data"]["comment"]["id"] for e in operator if e["type"] == "ticket.comment_added"
    ]
    assert internal["id"] in operator_comments and public["id"] in operator_comments
    assert {e["ticket_id"] for e in operator} == {ticket["id"], foreign["id"]}
    # Filtering by type does not let internal events through either.
    filtered = await whole_feed(client, tenant.integration_key, types="ticket.comment_added")
    assert [e["data"]["comment"]["id"] for e in filtered] == [public["id"]]


async def test_replay_to_an_integration_skips_internal_and_foreign_events(
    client, app, receiver, pumps, tenant, other_tenant
):
    ticket = await make_ticket(client, requester=tenant.contact)
    await make_ticket(client, requester=other_tenant.contact)
    await comment(client, ticket["id"], SECRET, "internal")
    public = await comment(client, ticket["id"], "Hello", "public")
    await whole_feed(client, ADMIN)  # relays: these events are out before the endpoint exists
    endpoint = await create_endpoint(client, receiver.url, tenant.integration_key)
    await pumps(1)
    response = await client.post(
        f"/v1/webhook-endpoints/{endpoint['id']}/replay",
        json={"since": (timesource.now() - timedelta(days=1)).isoformat()},
        headers=tenant.integration_key,
    )
    assert response.status_code == 202, response.text
    assert response.json() == {"deliveries": 2}
    received = await receiver.wait_for(lambda rs: len(rs) == 2)
    assert [r.json["type"] for r in received] == ["ticket.created", "ticket.comment_added"]
    assert received[1].json["data"]["comment"]["id"] == public["id"]
    assert b"zq7x" not in b"".join(r.body for r in received)
    await eventually(
        lambda: _all_delivered(app, endpoint["id"]),
    )


async def _all_delivered(app, endpoint_id: str) -> bool:
    rows = await delivery_rows(app, endpoint_id)
    return bool(rows) and all(row.status == "delivered" for row in rows)

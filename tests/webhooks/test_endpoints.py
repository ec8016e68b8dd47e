"""/v1/webhook-endpoints: creating, reading, changing and deleting endpoints, who may do it,
and the secret shown only when it is made."""

import uuid

from app.config import get_settings
from tests.factories import ADMIN, make_key, make_ticket
from tests.problems import assert_problem
from tests.webhooks.helpers import create_endpoint, get_endpoint

URL = "http://127.0.0.1:9/hooks"  # never called: no pump runs in these tests


async def test_create_returns_the_endpoint_with_its_secret_once(client):
    response = await client.post(
        "/v1/webhook-endpoints",
        json={
            "url": URL,
            "event_types": ["ticket.created", "ticket.comment_added"],
            "description": "CRM sync",
        },
        headers=ADMIN,
    )
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["secret"].startswith("whsec_")
    assert len(created["secret"]) > len("whsec_") + 20
    assert created["url"] == URL
    assert sorted(created["event_types"]) == ["ticket.comment_added", "ticket.created"]
    assert created["description"] == "CRM sync"
    assert created["enabled"] is True
    assert created["organization_id"] is None  # an operator's endpoint
    uuid.UUID(created["id"])
    assert created["created_at"] and created["updated_at"]
    assert response.headers["ETag"]

    shown = await client.get(f"/v1/webhook-endpoints/{created['id']}", headers=ADMIN)
    assert shown.status_code == 200
    assert "secret" not in shown.json()
    assert created["secret"] not in shown.text
    listed = await client.get("/v1/webhook-endpoints", headers=ADMIN)
    assert listed.status_code == 200
    assert [row["id"] for row in listed.json()["data"]] == [created["id"]]
    assert "secret" not in listed.json()["data"][0]
    assert created["secret"] not in listed.text
    patched = await client.patch(
        f"/v1/webhook-endpoints/{created['id']}", json={"description": "x"}, headers=ADMIN
    )
    assert patched.status_code == 200
    assert "secret" not in patched.json()

    # Rotating shows the new secret, once; the ETag changes with it.
    rotated = await client.post(
        f"/v1/webhook-endpoints/{created['id']}/rotate-secret", headers=ADMIN
    )
    assert rotated.status_code == 200, rotated.text
    secret = rotated.json()["secret"]
    assert secret.startswith("whsec_") and secret != created["secret"]
    assert rotated.headers["ETag"] != patched.headers["ETag"]
    shown = await client.get(f"/v1/webhook-endpoints/{created['id']}", headers=ADMIN)
    assert secret not in shown.text and created["secret"] not in shown.text
    assert shown.headers["ETag"] == rotated.headers["ETag"]
    stale = await client.patch(
        f"/v1/webhook-endpoints/{created['id']}",
        json={"description": "y"},
        headers={**ADMIN, "If-Match": patched.headers["ETag"]},
    )
    assert_problem(stale, 412)

    # Every endpoint has its own secret.
    other = await create_endpoint(client, URL)
    assert other["secret"] not in (created["secret"], secret)


async def test_who_an_endpoint_belongs_to(client, tenant, other_tenant):
    # An integration key's endpoint belongs to its organization, asked for or not.
    created = await create_endpoint(client, URL, tenant.integration_key)
    assert created["organization_id"] == tenant.organization["id"]
    assert created["secret"].startswith("whsec_")
    explicit = await create_endpoint(
        client, URL, tenant.integration_key, organization_id=tenant.organization["id"]
    )
    assert explicit["organization_id"] == tenant.organization["id"]
    shown = await get_endpoint(client, created["id"], tenant.integration_key)
    assert shown["organization_id"] == tenant.organization["id"]
    assert "secret" not in shown
    # ...never another one's.
    response = await client.post(
        "/v1/webhook-endpoints",
        json={"url": URL, "organization_id": other_tenant.organization["id"]},
        headers=tenant.integration_key,
    )
    assert_problem(response, 422)

    # An admin may make one for an organization, which its integration key then manages.
    scoped = await create_endpoint(client, URL, organization_id=tenant.organization["id"])
    assert scoped["organization_id"] == tenant.organization["id"]
    await get_endpoint(client, scoped["id"], tenant.integration_key)
    missing = await client.post(
        "/v1/webhook-endpoints",
        json={"url": URL, "organization_id": str(uuid.uuid4())},
        headers=ADMIN,
    )
    assert_problem(missing, 422)


async def test_lists_are_scoped_to_the_caller(client, tenant, other_tenant):
    mine = await create_endpoint(client, URL, tenant.integration_key)
    theirs = await create_endpoint(client, URL, other_tenant.integration_key)
    operator = await create_endpoint(client, URL)

    async def listed(headers) -> set[str]:
        response = await client.get("/v1/webhook-endpoints", headers=headers)
        assert response.status_code == 200, response.text
        return {row["id"] for row in response.json()["data"]}

    assert await listed(tenant.integration_key) == {mine["id"]}
    assert await listed(other_tenant.integration_key) == {theirs["id"]}
    assert await listed(ADMIN) == {mine["id"], theirs["id"], operator["id"]}


async def test_list_pages_with_a_cursor_and_filters_on_enabled(client):
    ids = [(await create_endpoint(client, URL))["id"] for _ in range(5)]
    await client.patch(f"/v1/webhook-endpoints/{ids[0]}", json={"enabled": False}, headers=ADMIN)
    seen, cursor = [], None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        response = await client.get("/v1/webhook-endpoints", params=params, headers=ADMIN)
        assert response.status_code == 200
        page = response.json()
        assert len(page["data"]) <= 2
        seen += [row["id"] for row in page["data"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(ids) and len(seen) == 5
    disabled = await client.get("/v1/webhook-endpoints?enabled=false", headers=ADMIN)
    assert [row["id"] for row in disabled.json()["data"]] == [ids[0]]
    enabled = await client.get("/v1/webhook-endpoints?enabled=true", headers=ADMIN)
    assert len(enabled.json()["data"]) == 4


async def test_another_organizations_integration_key_gets_404_everywhere(
    client, tenant, other_tenant
):
    endpoint = await create_endpoint(client, URL, tenant.integration_key)
    delivery_id = await _a_delivery(client, endpoint, tenant)
    path = f"/v1/webhook-endpoints/{endpoint['id']}"
    stranger = other_tenant.integration_key
    attempts = [
        client.get(path, headers=stranger),
        client.patch(path, json={"description": "mine now"}, headers=stranger),
        client.delete(path, headers=stranger),
        client.get(f"{path}/deliveries", headers=stranger),
        client.post(f"{path}/test", headers=stranger),
        client.post(f"{path}/replay", json={"since": "2020-01-01T00:00:00Z"}, headers=stranger),
        client.post(f"{path}/rotate-secret", headers=stranger),
        client.get(f"/v1/webhook-deliveries/{delivery_id}", headers=stranger),
        client.post(f"/v1/webhook-deliveries/{delivery_id}/retry", headers=stranger),
    ]
    for attempt in attempts:
        assert_problem(await attempt, 404)
    # Nothing changed, and the owner still sees it all.
    shown = await get_endpoint(client, endpoint["id"], tenant.integration_key)
    assert shown["description"] is None
    owner = await client.get(f"{path}/deliveries", headers=tenant.integration_key)
    assert [row["id"] for row in owner.json()["data"]] == [delivery_id]


async def _a_delivery(client, endpoint, tenant) -> str:
    """Queues one delivery for the endpoint (the relay runs when the feed is read)."""
    await make_ticket(client, requester=tenant.contact)
    assert (await client.get("/v1/events", headers=ADMIN)).status_code == 200
    response = await client.get(f"/v1/webhook-endpoints/{endpoint['id']}/deliveries", headers=ADMIN)
    rows = response.json()["data"]
    assert len(rows) == 1, rows
    return rows[0]["id"]


async def test_contacts_agents_widgets_and_anonymous_callers_are_refused(client, tenant, agent_key):
    endpoint = await create_endpoint(client, URL)
    path = f"/v1/webhook-endpoints/{endpoint['id']}"
    widget = await make_key(
        client,
        "widget",
        organization_id=tenant.organization["id"],
        allowed_origins=["https://shop.example"],
    )
    callers = ((tenant.contact_key, 403), (agent_key, 403), (widget, 403), ({}, 401))
    for headers, status in callers:
        for response in (
            await client.post("/v1/webhook-endpoints", json={"url": URL}, headers=headers),
            await client.get("/v1/webhook-endpoints", headers=headers),
            await client.get(path, headers=headers),
            await client.patch(path, json={"enabled": False}, headers=headers),
            await client.delete(path, headers=headers),
            await client.get(f"{path}/deliveries", headers=headers),
            await client.post(f"{path}/test", headers=headers),
            await client.post(f"{path}/rotate-secret", headers=headers),
            await client.get("/v1/events", headers=headers),
        ):
            assert_problem(response, status)
    assert (await get_endpoint(client, endpoint["id"]))["enabled"] is True


INVALID_BODIES = [
    {"url": URL, "event_types": ["ticket.exploded"]},
    {"url": URL, "event_types": ["TICKET.CREATED"]},
    {"url": URL, "event_types": "ticket.created"},
    {"url": URL, "colour": "blue"},
    {"url": URL, "secret": "whsec_chosen"},
    {"url": ""},
    {"event_types": ["ticket.created"]},
    {"url": URL, "enabled": "maybe"},
    {"url": URL, "description": "x" * 501},
    {"url": "http://127.0.0.1/" + "a" * 2048},
    {"url": "not a url"},
]


async def test_invalid_bodies_are_422_problems(client):
    for body in INVALID_BODIES:
        response = await client.post("/v1/webhook-endpoints", json=body, headers=ADMIN)
        problem = assert_problem(response, 422)
        assert problem.get("errors"), (body, problem)
    problem = assert_problem(
        await client.post(
            "/v1/webhook-endpoints",
            json={"url": URL, "event_types": ["ticket.created", "ticket.exploded"]},
            headers=ADMIN,
        ),
        422,
    )
    assert any("event_types" in error["field"] for error in problem["errors"]), problem
    assert (await client.get("/v1/webhook-endpoints", headers=ADMIN)).json()["data"] == []


async def test_every_documented_event_type_is_accepted(client):
    documented = [
        "ticket.created",
        "ticket.updated",
        "ticket.status_changed",
        "ticket.assigned",
        "ticket.unassigned",
        "ticket.comment_added",
        "ticket.sla_at_risk",
        "ticket.sla_breached",
        "ticket.escalated",
        "ticket.emergency",
        "ticket.split",
        "ticket.merged",
        "ticket.satisfaction_rated",
        "organization.pm_assigned",
        "organization.pm_changed",
        "organization.pm_unassigned",
        "intake.refused",
        "webhook_endpoint.disabled",
    ]
    created = await create_endpoint(client, URL, event_types=documented)
    assert sorted(created["event_types"]) == sorted(documented)


async def test_patch_uses_etags(client):
    created = await client.post("/v1/webhook-endpoints", json={"url": URL}, headers=ADMIN)
    endpoint_id, first_etag = created.json()["id"], created.headers["ETag"]
    path = f"/v1/webhook-endpoints/{endpoint_id}"
    assert (await client.get(path, headers=ADMIN)).headers["ETag"] == first_etag

    changed = await client.patch(
        path,
        json={"description": "orders", "event_types": ["ticket.created"]},
        headers={**ADMIN, "If-Match": first_etag},
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["description"] == "orders"
    assert changed.json()["event_types"] == ["ticket.created"]
    assert changed.json()["url"] == URL  # untouched
    second_etag = changed.headers["ETag"]
    assert second_etag != first_etag

    stale = await client.patch(
        path, json={"description": "lost update"}, headers={**ADMIN, "If-Match": first_etag}
    )
    assert_problem(stale, 412)
    assert (await get_endpoint(client, endpoint_id))["description"] == "orders"

    unconditional = await client.patch(path, json={"event_types": []}, headers=ADMIN)
    assert unconditional.status_code == 200
    assert unconditional.json()["event_types"] == []
    assert unconditional.headers["ETag"] not in (first_etag, second_etag)

    # Disabling and enabling through the API.
    disabled = await client.patch(path, json={"enabled": False}, headers=ADMIN)
    assert disabled.status_code == 200
    assert disabled.json()["enabled"] is False
    assert disabled.json()["disabled_at"] is not None
    assert disabled.json()["disabled_reason"]
    enabled = await client.patch(path, json={"enabled": True}, headers=ADMIN)
    assert enabled.json()["enabled"] is True
    assert enabled.json()["disabled_at"] is None and enabled.json()["disabled_reason"] is None


INVALID_PATCHES = [
    {"url": None},
    {"enabled": None},
    {"event_types": None},
    {"event_types": ["ticket.exploded"]},
    {"secret": "whsec_mine"},
    {"organization_id": str(uuid.uuid4())},
    {"url": "gopher://127.0.0.1/"},
]


async def test_invalid_patches_are_422_and_change_nothing(client):
    endpoint = await create_endpoint(client, URL, event_types=["ticket.created"])
    for body in INVALID_PATCHES:
        response = await client.patch(
            f"/v1/webhook-endpoints/{endpoint['id']}", json=body, headers=ADMIN
        )
        assert_problem(response, 422)
    unchanged = await get_endpoint(client, endpoint["id"])
    assert unchanged["url"] == URL and unchanged["enabled"] is True
    assert unchanged["event_types"] == ["ticket.created"]
    assert unchanged["updated_at"] == endpoint["updated_at"]


async def test_delete_is_204_then_404(client, tenant):
    endpoint = await create_endpoint(client, URL, tenant.integration_key)
    path = f"/v1/webhook-endpoints/{endpoint['id']}"
    response = await client.delete(path, headers=tenant.integration_key)
    assert response.status_code == 204
    assert response.content == b""
    assert_problem(await client.get(path, headers=ADMIN), 404)
    assert_problem(await client.delete(path, headers=tenant.integration_key), 404)
    assert_problem(await client.patch(path, json={}, headers=ADMIN), 404)
    listed = await client.get("/v1/webhook-endpoints", headers=ADMIN)
    assert listed.json()["data"] == []


async def test_unknown_and_malformed_ids_are_404_and_422(client):
    assert_problem(await client.get(f"/v1/webhook-endpoints/{uuid.uuid4()}", headers=ADMIN), 404)
    assert_problem(await client.get("/v1/webhook-endpoints/not-a-uuid", headers=ADMIN), 422)
    assert_problem(
        await client.post(f"/v1/webhook-deliveries/{uuid.uuid4()}/retry", headers=ADMIN), 404
    )


async def test_endpoint_limit_per_scope(client, tenant, other_tenant):
    limit = get_settings().max_webhook_endpoints
    assert limit == 20  # the documented default
    for _ in range(limit):
        await create_endpoint(client, URL, tenant.integration_key)
    refused = await client.post(
        "/v1/webhook-endpoints", json={"url": URL}, headers=tenant.integration_key
    )
    assert_problem(refused, 409)
    # An admin creating one for that organization is refused too.
    assert_problem(
        await client.post(
            "/v1/webhook-endpoints",
            json={"url": URL, "organization_id": tenant.organization["id"]},
            headers=ADMIN,
        ),
        409,
    )
    # Other scopes have their own room.
    await create_endpoint(client, URL, other_tenant.integration_key)
    await create_endpoint(client, URL)
    # Deleting one makes room again.
    listed = await client.get(
        "/v1/webhook-endpoints", params={"limit": 1}, headers=tenant.integration_key
    )
    victim = listed.json()["data"][0]["id"]
    deleted = await client.delete(f"/v1/webhook-endpoints/{victim}", headers=tenant.integration_key)
    assert deleted.status_code == 204
    await create_endpoint(client, URL, tenant.integration_key)


async def test_endpoint_limit_holds_under_concurrent_creates(client, tenant, monkeypatch):
    import asyncio

    monkeypatch.setattr(get_settings(), "max_webhook_endpoints", 3)
    responses = await asyncio.gather(
        *[
            client.post("/v1/webhook-endpoints", json={"url": URL}, headers=tenant.integration_key)
            for _ in range(8)
        ]
    )
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [201] * 3 + [409] * 5, statuses
    listed = await client.get("/v1/webhook-endpoints", headers=tenant.integration_key)
    assert len(listed.json()["data"]) == 3


async def test_create_is_idempotent_with_a_key(client):
    headers = {**ADMIN, "Idempotency-Key": "endpoint-1"}
    first = await client.post("/v1/webhook-endpoints", json={"url": URL}, headers=headers)
    again = await client.post("/v1/webhook-endpoints", json={"url": URL}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    listed = await client.get("/v1/webhook-endpoints", headers=ADMIN)
    assert len(listed.json()["data"]) == 1

"""/v1/tickets: raising, validating, listing, reading, editing and moving tickets."""

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.factories import (
    ADMIN,
    make_agent,
    make_contact,
    make_key,
    make_organization,
    make_ticket,
)
from tests.problems import assert_problem

# A way from `new` to each status, made by staff.
PATH_TO = {
    "new": [],
    "open": ["open"],
    "pending": ["open", "pending"],
    "on_hold": ["open", "on_hold"],
    "awaiting_approval": ["open", "awaiting_approval"],
    "resolved": ["open", "resolved"],
    "closed": ["open", "resolved", "closed"],
    "cancelled": ["cancelled"],
}
LEGAL = {
    ("new", "open"),
    ("open", "pending"),
    ("pending", "open"),
    ("open", "on_hold"),
    ("on_hold", "open"),
    ("open", "resolved"),
    ("open", "awaiting_approval"),
    ("awaiting_approval", "resolved"),
    ("awaiting_approval", "open"),
    ("resolved", "closed"),
    ("resolved", "open"),
    *((source, "cancelled") for source in PATH_TO if source not in ("closed", "cancelled")),
}
ILLEGAL = sorted((a, b) for a in PATH_TO for b in PATH_TO if (a, b) not in LEGAL)


def error_fields(problem: dict) -> list[str]:
    return [error["field"] for error in problem.get("errors") or []]


async def all_tickets(client: httpx.AsyncClient, **params: Any) -> list[dict]:
    response = await client.get("/v1/tickets", params={"limit": 200, **params}, headers=ADMIN)
    assert response.status_code == 200, response.text
    return response.json()["data"]


async def ids(client: httpx.AsyncClient, **params: Any) -> set[str]:
    return {ticket["id"] for ticket in await all_tickets(client, **params)}


async def timeline(client: httpx.AsyncClient, ticket_id: str, headers=ADMIN) -> list[dict]:
    response = await client.get(f"/v1/tickets/{ticket_id}/events", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["data"]


async def events_of(client: httpx.AsyncClient, ticket_id: str, type: str) -> list[dict]:
    return [event for event in await timeline(client, ticket_id) if event["type"] == type]


async def move(
    client: httpx.AsyncClient, ticket_id: str, to: str, headers=ADMIN, reason: str | None = None
) -> httpx.Response:
    body = {"to": to} if reason is None else {"to": to, "reason": reason}
    return await client.post(f"/v1/tickets/{ticket_id}/transitions", json=body, headers=headers)


async def ticket_in(client: httpx.AsyncClient, status: str, **fields: Any) -> dict:
    """A ticket walked by staff from `new` to `status`."""
    ticket = await make_ticket(client, **fields)
    for step in PATH_TO[status]:
        response = await move(client, ticket["id"], step)
        assert response.status_code == 200, response.text
        ticket = response.json()
    assert ticket["status"] == status
    return ticket


async def fetch(client: httpx.AsyncClient, ticket_id: str) -> httpx.Response:
    response = await client.get(f"/v1/tickets/{ticket_id}", headers=ADMIN)
    assert response.status_code == 200, response.text
    return response


def iso(moment: datetime) -> str:
    return moment.isoformat()


def parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


# --- raising tickets -------------------------------------------------------------------------


async def test_contact_key_raises_a_portal_ticket_for_its_own_contact(client, tenant):
    response = await client.post(
        "/v1/tickets",
        json={"subject": "Export hangs", "description": "The CSV export never finishes."},
        headers=tenant.contact_key,
    )
    ticket = response.json()
    assert response.status_code == 201, response.text
    assert ticket["requester_id"] == tenant.contact["id"]
    assert ticket["organization_id"] == tenant.organization["id"]
    assert ticket["channel"] == "portal"
    assert ticket["status"] == "new"
    assert ticket["number"].startswith("SUP-") and ticket["number"][4:].isdigit()
    assert response.headers["location"] == f"/v1/tickets/{ticket['id']}"
    assert (await fetch(client, ticket["id"])).json()["subject"] == "Export hangs"


async def test_a_contact_key_cannot_raise_a_ticket_for_another_contact(client, tenant):
    colleague = await make_contact(client, tenant.organization)
    body = {"subject": "Help", "description": "Please.", "requester_id": colleague["id"]}
    response = await client.post("/v1/tickets", json=body, headers=tenant.contact_key)
    assert_problem(response, 403, "forbidden")
    assert await ids(client) == set()


@pytest.mark.parametrize("kind", ["admin", "integration"])
async def test_staff_and_integrations_must_name_the_requester(client, tenant, kind):
    headers = ADMIN if kind == "admin" else tenant.integration_key
    body = {"subject": "Export hangs", "description": "The CSV export never finishes."}
    problem = assert_problem(await client.post("/v1/tickets", json=body, headers=headers), 422)
    assert "body.requester_id" in error_fields(problem)
    assert await ids(client) == set()

    response = await client.post(
        "/v1/tickets", json={**body, "requester_id": tenant.contact["id"]}, headers=headers
    )
    assert response.status_code == 201, response.text
    assert response.json()["requester_id"] == tenant.contact["id"]
    assert response.json()["channel"] == "api"


@pytest.mark.parametrize("kind", ["admin", "integration", "contact"])
async def test_a_non_designated_requester_is_sent_back_and_nothing_is_created(client, tenant, kind):
    outsider = await make_contact(client, tenant.organization, designated=False)
    headers = {
        "admin": ADMIN,
        "integration": tenant.integration_key,
        "contact": await make_key(client, "contact", contact_id=outsider["id"]),
    }[kind]
    body = {"subject": "Help", "description": "Please help.", "requester_id": outsider["id"]}
    if kind == "contact":
        del body["requester_id"]
    response = await client.post("/v1/tickets", json=body, headers=headers)
    problem = assert_problem(response, 422, "not-designated")
    assert "designated" in problem["detail"]
    assert await ids(client) == set()
    assert await ids(client, requester_id=outsider["id"]) == set()


async def test_integration_key_cannot_raise_a_ticket_for_another_organizations_contact(
    client, tenant, other_tenant
):
    body = {
        "subject": "Help",
        "description": "Please help.",
        "requester_id": other_tenant.contact["id"],
    }
    response = await client.post("/v1/tickets", json=body, headers=tenant.integration_key)
    problem = assert_problem(response, 422)
    assert "body.requester_id" in error_fields(problem)
    assert await ids(client) == set()


async def test_an_emergency_becomes_critical_and_raises_an_emergency_event(client, tenant):
    ticket = await make_ticket(
        client, tenant.contact_key, subject="Site down", priority="low", emergency=True
    )
    assert ticket["emergency"] is True
    assert ticket["priority"] == "critical"
    emergencies = await events_of(client, ticket["id"], "ticket.emergency")
    assert len(emergencies) == 1
    assert emergencies[0]["data"]["ticket"]["id"] == ticket["id"]


async def test_an_ordinary_ticket_keeps_its_priority_and_raises_no_emergency(client, tenant):
    ticket = await make_ticket(client, tenant.contact_key, priority="low")
    assert ticket["priority"] == "low"
    assert ticket["emergency"] is False
    types = [event["type"] for event in await timeline(client, ticket["id"])]
    assert types == ["ticket.created"]


async def test_an_admin_import_keeps_its_past_created_at(client, tenant):
    opened = (datetime.now(UTC) - timedelta(days=3)).replace(microsecond=0)
    ticket = await make_ticket(client, requester=tenant.contact, created_at=iso(opened))
    assert parse(ticket["created_at"]) == opened
    assert parse((await fetch(client, ticket["id"])).json()["created_at"]) == opened


async def test_an_import_dated_in_the_future_is_refused(client, tenant):
    body = {
        "subject": "Imported",
        "description": "From the old desk.",
        "requester_id": tenant.contact["id"],
        "created_at": iso(datetime.now(UTC) + timedelta(hours=1)),
    }
    problem = assert_problem(await client.post("/v1/tickets", json=body, headers=ADMIN), 422)
    assert "body.created_at" in error_fields(problem)
    assert await ids(client) == set()


@pytest.mark.parametrize("kind", ["integration", "contact", "agent"])
async def test_only_admin_keys_may_set_created_at(client, tenant, kind):
    if kind == "agent":
        agent = await make_agent(client)
        headers = await make_key(client, "agent", agent_id=agent["id"])
    else:
        headers = getattr(tenant, f"{kind}_key")
    body = {
        "subject": "Imported",
        "description": "From the old desk.",
        "created_at": iso(datetime.now(UTC) - timedelta(days=1)),
    }
    if kind != "contact":
        body["requester_id"] = tenant.contact["id"]
    problem = assert_problem(await client.post("/v1/tickets", json=body, headers=headers), 422)
    assert "body.created_at" in error_fields(problem)
    assert await ids(client) == set()


async def test_a_widget_key_can_neither_raise_tickets_here_nor_read_them(client, tenant):
    widget = await make_key(
        client,
        "widget",
        organization_id=tenant.organization["id"],
        allowed_origins=["https://app.client.example"],
    )
    # Widget keys raise tickets through /v1/intake/widget only (tests/intake/).
    body = {
        "subject": "Site down",
        "description": "Nothing loads.",
        "emergency": True,
        "requester_id": tenant.contact["id"],
    }
    assert_problem(await client.post("/v1/tickets", json=body, headers=widget), 403, "forbidden")
    ticket = await make_ticket(client, tenant.contact_key)
    assert_problem(await client.get("/v1/tickets", headers=widget), 403)
    for path in ("", "/comments", "/events"):
        response = await client.get(f"/v1/tickets/{ticket['id']}{path}", headers=widget)
        assert_problem(response, 403, "forbidden")


# --- validation ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"priority": "urgent"}, "body.priority"),
        ({"category": "complaint"}, "body.category"),
        ({"channel": "fax"}, "body.channel"),
        ({"context": {"location": "beach"}}, "body.context.location"),
        ({"colour": "red"}, "body.colour"),
        ({"subject": "x" * 301}, "body.subject"),
        ({"subject": "   "}, "body.subject"),
        ({"context": {"users_affected": 2**31}}, "body.context.users_affected"),
        ({"context": {"users_affected": 2**63}}, "body.context.users_affected"),
        ({"context": {"users_affected": 10**30}}, "body.context.users_affected"),
        ({"context": {"users_affected": -1}}, "body.context.users_affected"),
        ({"created_at": "2024-01-01T10:00:00"}, "body.created_at"),
        ({"subject": "Login\x00 fails"}, "body.subject"),
        ({"description": "Steps:\x00 click"}, "body.description"),
        ({"context": {"steps": "1. open\x002. click"}}, "body.context.steps"),
    ],
    ids=[
        "unknown-priority",
        "unknown-category",
        "unknown-channel",
        "unknown-location",
        "extra-field",
        "oversized-subject",
        "blank-subject",
        "users-affected-int32-overflow",
        "users-affected-int64-overflow",
        "users-affected-huge",
        "users-affected-negative",
        "naive-created-at",
        "nul-in-subject",
        "nul-in-description",
        "nul-in-context",
    ],
)
async def test_an_invalid_ticket_is_a_422_naming_the_field_and_creates_nothing(
    client, tenant, extra, field
):
    body = {
        "subject": "Checkout fails",
        "description": "Card payments error.",
        "requester_id": tenant.contact["id"],
        **extra,
    }
    problem = assert_problem(await client.post("/v1/tickets", json=body, headers=ADMIN), 422)
    assert field in error_fields(problem), problem
    assert all(error["message"] for error in problem["errors"])
    assert await ids(client) == set()


async def test_a_body_over_one_mebibyte_is_a_413_problem(client, tenant):
    body = {
        "subject": "Huge",
        "description": "x" * (1024 * 1024 + 1),
        "requester_id": tenant.contact["id"],
    }
    assert_problem(await client.post("/v1/tickets", json=body, headers=ADMIN), 413)
    assert await ids(client) == set()


@pytest.mark.parametrize(
    "created_at",
    ["0001-01-01T00:00:00+00:00", "0001-01-01T05:00:00+14:00", "0001-01-01T00:00:00-14:00"],
)
async def test_an_import_dated_at_the_dawn_of_time_is_not_a_server_error(
    client, tenant, created_at
):
    body = {
        "subject": "Imported",
        "description": "From a very old desk.",
        "requester_id": tenant.contact["id"],
        "created_at": created_at,
    }
    response = await client.post("/v1/tickets", json=body, headers=ADMIN)
    assert response.status_code in (201, 422), response.text
    if response.status_code == 422:
        assert "body.created_at" in error_fields(assert_problem(response, 422))


@pytest.mark.parametrize(
    "params",
    [
        {"created_after": "0001-01-01T00:00:00+14:00"},
        {"created_before": "9999-12-31T23:59:59-14:00"},
        {"q": "printer\x00jam"},
    ],
    ids=["created-after-year-1", "created-before-year-9999", "nul-in-q"],
)
async def test_an_extreme_list_filter_is_answered_not_a_server_error(client, tenant, params):
    await make_ticket(client, requester=tenant.contact)
    response = await client.get("/v1/tickets", params=params, headers=ADMIN)
    assert response.status_code in (200, 422), response.text
    if response.status_code == 422:
        assert_problem(response, 422)


async def test_a_body_that_is_not_json_is_refused_with_a_problem(client, tenant):
    response = await client.post(
        "/v1/tickets",
        content=b"subject=hello",
        headers={**ADMIN, "Content-Type": "application/json"},
    )
    assert response.status_code in (400, 415, 422)
    assert_problem(response, response.status_code)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"created_after": "2024-01-01T00:00:00"}, "query.created_after"),
        ({"created_before": "2024-01-01T00:00:00"}, "query.created_before"),
        ({"created_after": "yesterday"}, "query.created_after"),
        ({"status": "archived"}, "query.status"),
        ({"priority": "urgent"}, "query.priority"),
        ({"organization_id": "not-a-uuid"}, "query.organization_id"),
        ({"limit": 0}, "query.limit"),
        ({"limit": 201}, "query.limit"),
    ],
    ids=[
        "naive-created-after",
        "naive-created-before",
        "unparseable-date",
        "unknown-status",
        "unknown-priority",
        "bad-uuid",
        "limit-zero",
        "limit-over-max",
    ],
)
async def test_an_invalid_list_filter_is_a_422_naming_the_parameter(client, tenant, params, field):
    response = await client.get("/v1/tickets", params=params, headers=ADMIN)
    problem = assert_problem(response, 422)
    assert any(name.startswith(field) for name in error_fields(problem)), problem


# --- listing ---------------------------------------------------------------------------------


async def test_status_filter_matches_any_of_the_repeated_values(client, tenant):
    new = await ticket_in(client, "new", requester=tenant.contact)
    opened = await ticket_in(client, "open", requester=tenant.contact)
    pending = await ticket_in(client, "pending", requester=tenant.contact)
    await ticket_in(client, "resolved", requester=tenant.contact)
    assert await ids(client, status="new") == {new["id"]}
    both = await ids(client, status=["open", "pending"])
    assert both == {opened["id"], pending["id"]}


@pytest.mark.parametrize(
    ("name", "wanted", "other"),
    [("priority", "high", "low"), ("category", "billing", "technical")],
)
async def test_priority_and_category_filters(client, tenant, name, wanted, other):
    match = await make_ticket(client, requester=tenant.contact, **{name: wanted})
    await make_ticket(client, requester=tenant.contact, **{name: other})
    assert await ids(client, **{name: wanted}) == {match["id"]}
    assert len(await ids(client)) == 2


async def test_organization_and_requester_filters(client, tenant, other_tenant):
    colleague = await make_contact(client, tenant.organization)
    mine = await make_ticket(client, requester=tenant.contact)
    colleagues = await make_ticket(client, requester=colleague)
    theirs = await make_ticket(client, requester=other_tenant.contact)
    by_org = await ids(client, organization_id=tenant.organization["id"])
    assert by_org == {mine["id"], colleagues["id"]}
    assert await ids(client, organization_id=other_tenant.organization["id"]) == {theirs["id"]}
    assert await ids(client, requester_id=colleague["id"]) == {colleagues["id"]}


async def test_assignee_filter(client, tenant):
    agent = await make_agent(client)
    assigned = await make_ticket(client, requester=tenant.contact)
    await make_ticket(client, requester=tenant.contact)
    response = await client.patch(
        f"/v1/tickets/{assigned['id']}", json={"assignee_id": agent["id"]}, headers=ADMIN
    )
    assert response.status_code == 200, response.text
    assert await ids(client, assignee_id=agent["id"]) == {assigned["id"]}


async def test_full_text_search_looks_at_subject_and_description(client, tenant):
    invoice = await make_ticket(
        client,
        requester=tenant.contact,
        subject="Invoice PDF missing",
        description="The March document is not in the portal.",
    )
    printer = await make_ticket(
        client,
        requester=tenant.contact,
        subject="Office hardware",
        description="The printer on floor two keeps jamming.",
    )
    assert await ids(client, q="invoice") == {invoice["id"]}
    assert await ids(client, q="printers jammed") == {printer["id"]}
    assert await ids(client, q="kangaroo") == set()


async def test_created_after_and_before_bound_the_creation_time(client, tenant):
    now = datetime.now(UTC)
    old = await make_ticket(
        client, requester=tenant.contact, created_at=iso(now - timedelta(days=10))
    )
    middle = await make_ticket(
        client, requester=tenant.contact, created_at=iso(now - timedelta(days=5))
    )
    fresh = await make_ticket(client, requester=tenant.contact)
    week_ago = iso(now - timedelta(days=7))
    assert await ids(client, created_after=week_ago) == {middle["id"], fresh["id"]}
    assert await ids(client, created_before=week_ago) == {old["id"]}
    window = {"created_after": week_ago, "created_before": iso(now - timedelta(days=1))}
    assert await ids(client, **window) == {middle["id"]}


async def test_pages_of_two_cover_every_ticket_once_newest_first(client, tenant):
    now = datetime.now(UTC)
    made = [
        await make_ticket(
            client, requester=tenant.contact, created_at=iso(now - timedelta(hours=n))
        )
        for n in range(5)
    ]
    seen: list[dict] = []
    sizes: list[int] = []
    cursor = None
    for _ in range(10):
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        response = await client.get("/v1/tickets", params=params, headers=ADMIN)
        assert response.status_code == 200, response.text
        body = response.json()
        seen += body["data"]
        sizes.append(len(body["data"]))
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert sizes == [2, 2, 1]
    assert [ticket["id"] for ticket in seen] == [ticket["id"] for ticket in made]


async def test_pages_do_not_skip_or_repeat_tickets_created_at_the_same_instant(client, tenant):
    moment = iso((datetime.now(UTC) - timedelta(days=1)).replace(microsecond=0))
    made = {(await make_ticket(client, requester=tenant.contact, created_at=moment))["id"]}
    for _ in range(4):
        made.add((await make_ticket(client, requester=tenant.contact, created_at=moment))["id"])
    seen: list[str] = []
    cursor = None
    for _ in range(10):
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        body = (await client.get("/v1/tickets", params=params, headers=ADMIN)).json()
        seen += [ticket["id"] for ticket in body["data"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 5
    assert set(seen) == made


def forged_cursor(created_at: str) -> str:
    """A cursor in this API's encoding that it never returned."""
    raw = json.dumps([created_at, "00000000-0000-4000-8000-000000000000"]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        "e30",
        "W10",
        "!!!",
        "eyJzZXEiOiAxfQ",
        forged_cursor("2024-01-01T00:00:00"),
        forged_cursor("0001-01-01T00:00:00+14:00"),
        forged_cursor("9999-12-31T23:59:59-14:00"),
    ],
    ids=[
        "garbage",
        "empty-object",
        "empty-list",
        "not-base64",
        "seq-cursor",
        "naive-time",
        "year-1",
        "year-9999",
    ],
)
async def test_a_cursor_this_api_did_not_return_is_a_422(client, tenant, cursor):
    await make_ticket(client, requester=tenant.contact)
    response = await client.get("/v1/tickets", params={"cursor": cursor}, headers=ADMIN)
    problem = assert_problem(response, 422)
    assert "query.cursor" in error_fields(problem)


# --- reading ---------------------------------------------------------------------------------


async def test_get_one_ticket_returns_it_with_an_etag(client, tenant):
    ticket = await make_ticket(client, tenant.contact_key)
    response = await client.get(f"/v1/tickets/{ticket['id']}", headers=tenant.contact_key)
    assert response.status_code == 200
    assert response.json()["id"] == ticket["id"]
    assert response.json()["number"] == ticket["number"]
    assert response.headers["etag"]


async def test_an_unknown_ticket_is_a_404_and_a_malformed_id_a_422(client, tenant):
    missing = "00000000-0000-4000-8000-000000000000"
    assert_problem(await client.get(f"/v1/tickets/{missing}", headers=ADMIN), 404, "not-found")
    assert_problem(await client.get("/v1/tickets/SUP-1000", headers=ADMIN), 422)


# --- editing ---------------------------------------------------------------------------------


async def test_a_partial_update_changes_only_the_fields_sent_and_records_the_previous_values(
    client, tenant
):
    ticket = await make_ticket(
        client, tenant.contact_key, subject="Slow", description="Pages are slow.", priority="low"
    )
    before = await fetch(client, ticket["id"])
    response = await client.patch(
        f"/v1/tickets/{ticket['id']}",
        json={"subject": "Dashboard slow", "priority": "high"},
        headers=tenant.contact_key,
    )
    assert response.status_code == 200, response.text
    updated = response.json()
    assert updated["subject"] == "Dashboard slow"
    assert updated["priority"] == "high"
    assert updated["description"] == "Pages are slow."
    assert updated["category"] == ticket["category"]
    assert response.headers["etag"] != before.headers["etag"]
    assert (await fetch(client, ticket["id"])).headers["etag"] == response.headers["etag"]
    (event,) = await events_of(client, ticket["id"], "ticket.updated")
    assert event["data"]["previous"] == {"subject": "Slow", "priority": "low"}
    assert event["data"]["ticket"]["subject"] == "Dashboard slow"


async def test_an_empty_patch_changes_nothing(client, tenant):
    ticket = await make_ticket(client, requester=tenant.contact)
    before = await fetch(client, ticket["id"])
    response = await client.patch(f"/v1/tickets/{ticket['id']}", json={}, headers=ADMIN)
    assert response.status_code == 200, response.text
    assert response.headers["etag"] == before.headers["etag"]
    assert response.json()["updated_at"] == before.json()["updated_at"]
    assert await events_of(client, ticket["id"], "ticket.updated") == []


async def test_a_client_declaring_an_emergency_later_makes_the_ticket_critical(client, tenant):
    ticket = await make_ticket(client, tenant.contact_key, priority="medium")
    response = await client.patch(
        f"/v1/tickets/{ticket['id']}", json={"emergency": True}, headers=tenant.contact_key
    )
    assert response.status_code == 200, response.text
    assert response.json()["priority"] == "critical"
    assert len(await events_of(client, ticket["id"], "ticket.emergency")) == 1
    (updated,) = await events_of(client, ticket["id"], "ticket.updated")
    assert updated["data"]["previous"] == {"emergency": False, "priority": "medium"}


async def test_if_match_with_the_current_etag_applies_the_update(client, tenant):
    ticket = await make_ticket(client, requester=tenant.contact)
    etag = (await fetch(client, ticket["id"])).headers["etag"]
    response = await client.patch(
        f"/v1/tickets/{ticket['id']}",
        json={"subject": "Renamed"},
        headers={**ADMIN, "If-Match": etag},
    )
    assert response.status_code == 200, response.text
    assert response.json()["subject"] == "Renamed"


async def test_a_stale_if_match_is_a_412_and_changes_nothing(client, tenant):
    ticket = await make_ticket(client, requester=tenant.contact, subject="Original")
    stale = (await fetch(client, ticket["id"])).headers["etag"]
    first = await client.patch(
        f"/v1/tickets/{ticket['id']}", json={"priority": "high"}, headers=ADMIN
    )
    assert first.status_code == 200
    response = await client.patch(
        f"/v1/tickets/{ticket['id']}",
        json={"subject": "Overwritten"},
        headers={**ADMIN, "If-Match": stale},
    )
    assert_problem(response, 412, "precondition-failed")
    current = await fetch(client, ticket["id"])
    assert current.json()["subject"] == "Original"
    assert current.headers["etag"] == first.headers["etag"]
    assert len(await events_of(client, ticket["id"], "ticket.updated")) == 1


@pytest.mark.parametrize("kind", ["contact", "integration"])
async def test_a_client_cannot_assign_a_ticket(client, tenant, kind):
    agent = await make_agent(client)
    ticket = await make_ticket(client, tenant.contact_key)
    response = await client.patch(
        f"/v1/tickets/{ticket['id']}",
        json={"assignee_id": agent["id"]},
        headers=getattr(tenant, f"{kind}_key"),
    )
    assert_problem(response, 403, "forbidden")
    assert (await fetch(client, ticket["id"])).json()["assignee_id"] is None


async def test_staff_assign_a_ticket_to_an_active_agent(client, tenant, agent_key):
    agent = await make_agent(client)
    ticket = await make_ticket(client, tenant.contact_key)
    response = await client.patch(
        f"/v1/tickets/{ticket['id']}", json={"assignee_id": agent["id"]}, headers=agent_key
    )
    assert response.status_code == 200, response.text
    assert response.json()["assignee_id"] == agent["id"]
    assert len(await events_of(client, ticket["id"], "ticket.assigned")) == 1


@pytest.mark.parametrize("who", ["inactive", "unknown"])
async def test_the_assignee_must_be_an_active_agent(client, tenant, who):
    if who == "inactive":
        assignee = (await make_agent(client, active=False))["id"]
    else:
        assignee = "00000000-0000-4000-8000-000000000000"
    ticket = await make_ticket(client, requester=tenant.contact)
    response = await client.patch(
        f"/v1/tickets/{ticket['id']}", json={"assignee_id": assignee}, headers=ADMIN
    )
    problem = assert_problem(response, 422)
    assert "body.assignee_id" in error_fields(problem)
    assert (await fetch(client, ticket["id"])).json()["assignee_id"] is None


@pytest.mark.parametrize("status", ["closed", "cancelled"])
async def test_a_closed_or_cancelled_ticket_can_no_longer_be_edited(client, tenant, status):
    ticket = await ticket_in(client, status, requester=tenant.contact, subject="Done")
    response = await client.patch(
        f"/v1/tickets/{ticket['id']}", json={"subject": "Edited"}, headers=ADMIN
    )
    assert_problem(response, 409)
    assert (await fetch(client, ticket["id"])).json()["subject"] == "Done"


@pytest.mark.parametrize("field", ["subject", "description", "priority", "category"])
async def test_required_fields_cannot_be_nulled(client, tenant, field):
    ticket = await make_ticket(client, requester=tenant.contact)
    response = await client.patch(f"/v1/tickets/{ticket['id']}", json={field: None}, headers=ADMIN)
    assert_problem(response, 422)
    assert (await fetch(client, ticket["id"])).json()[field] == ticket[field]


# --- lifecycle over HTTP ---------------------------------------------------------------------


@pytest.mark.parametrize(("source", "target"), sorted(LEGAL), ids="{0[0]}->{0[1]}".format)
async def test_staff_make_every_legal_move(client, tenant, source, target):
    ticket = await ticket_in(client, source, requester=tenant.contact)
    response = await move(client, ticket["id"], target)
    assert response.status_code == 200, response.text
    assert response.json()["status"] == target
    assert (await fetch(client, ticket["id"])).json()["status"] == target
    last = (await events_of(client, ticket["id"], "ticket.status_changed"))[-1]
    assert last["data"]["previous"] == {"status": source}
    assert last["data"]["ticket"]["status"] == target


@pytest.mark.parametrize("source", list(PATH_TO), ids=str)
async def test_every_illegal_move_is_a_409_and_changes_nothing(client, tenant, source):
    """All 8 targets a status has no move to, tried in turn on one ticket (they change nothing)."""
    illegal = [target for (start, target) in ILLEGAL if start == source]
    assert len(illegal) == 8 - sum(1 for (start, _) in LEGAL if start == source)
    ticket = await ticket_in(client, source, requester=tenant.contact)
    before = await fetch(client, ticket["id"])
    changes = len(await events_of(client, ticket["id"], "ticket.status_changed"))
    for target in illegal:
        response = await move(client, ticket["id"], target)
        problem = assert_problem(response, 409, "illegal-transition")
        assert source in problem["detail"], target
    after = await fetch(client, ticket["id"])
    assert after.json()["status"] == source
    assert after.json()["updated_at"] == before.json()["updated_at"]
    assert after.headers["etag"] == before.headers["etag"]
    assert len(await events_of(client, ticket["id"], "ticket.status_changed")) == changes


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("new", "open"),
        ("open", "pending"),
        ("open", "resolved"),
        ("open", "awaiting_approval"),
        ("resolved", "closed"),
    ],
    ids="{0[0]}->{0[1]}".format,
)
@pytest.mark.parametrize("kind", ["contact", "integration"])
async def test_a_client_cannot_make_a_staff_only_move(client, tenant, kind, source, target):
    ticket = await ticket_in(client, source, requester=tenant.contact)
    response = await move(client, ticket["id"], target, getattr(tenant, f"{kind}_key"))
    assert_problem(response, 403, "forbidden")
    assert (await fetch(client, ticket["id"])).json()["status"] == source


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("pending", "open"),
        ("open", "on_hold"),
        ("on_hold", "open"),
        ("awaiting_approval", "resolved"),
        ("awaiting_approval", "open"),
        ("resolved", "open"),
        ("new", "cancelled"),
        ("pending", "cancelled"),
    ],
    ids="{0[0]}->{0[1]}".format,
)
async def test_a_contact_pauses_approves_reopens_and_cancels_its_requests(
    client, tenant, source, target
):
    ticket = await ticket_in(client, source, requester=tenant.contact)
    # Sending work back from awaiting_approval asks for a reason.
    reason = "The export still drops rows." if source == "awaiting_approval" else None
    response = await move(client, ticket["id"], target, tenant.contact_key, reason=reason)
    assert response.status_code == 200, response.text
    assert (await fetch(client, ticket["id"])).json()["status"] == target
    last = (await events_of(client, ticket["id"], "ticket.status_changed"))[-1]
    assert last["actor"]["type"] == "contact"
    assert last["actor"]["id"] == tenant.contact["id"]


async def test_resolving_sets_resolved_at_and_reopening_clears_it(client, tenant):
    ticket = await ticket_in(client, "open", requester=tenant.contact)
    assert ticket["resolved_at"] is None
    started = datetime.now(UTC) - timedelta(seconds=5)
    resolved = (await move(client, ticket["id"], "resolved")).json()
    assert resolved["resolved_at"] is not None
    assert started <= parse(resolved["resolved_at"]) <= datetime.now(UTC) + timedelta(seconds=5)
    assert (await fetch(client, ticket["id"])).json()["resolved_at"] == resolved["resolved_at"]
    reopened = (await move(client, ticket["id"], "open")).json()
    assert reopened["resolved_at"] is None


async def test_a_moves_reason_is_kept_on_the_timeline(client, tenant):
    ticket = await ticket_in(client, "open", requester=tenant.contact)
    response = await client.post(
        f"/v1/tickets/{ticket['id']}/transitions",
        json={"to": "on_hold", "reason": "Waiting for the quarter-end freeze"},
        headers=tenant.contact_key,
    )
    assert response.status_code == 200, response.text
    last = (await events_of(client, ticket["id"], "ticket.status_changed"))[-1]
    assert last["data"]["reason"] == "Waiting for the quarter-end freeze"


async def test_a_reason_with_a_nul_character_is_a_422_not_a_server_error(client, tenant):
    ticket = await ticket_in(client, "open", requester=tenant.contact)
    response = await client.post(
        f"/v1/tickets/{ticket['id']}/transitions",
        json={"to": "pending", "reason": "asked for logs\x00"},
        headers=ADMIN,
    )
    assert "body.reason" in error_fields(assert_problem(response, 422))
    assert (await fetch(client, ticket["id"])).json()["status"] == "open"


async def test_a_move_to_an_unknown_status_is_a_422(client, tenant):
    ticket = await make_ticket(client, requester=tenant.contact)
    problem = assert_problem(await move(client, ticket["id"], "archived"), 422)
    assert "body.to" in error_fields(problem)
    assert (await fetch(client, ticket["id"])).json()["status"] == "new"


async def test_an_integration_can_raise_tickets_for_a_second_organization_only_with_its_key(
    client, tenant
):
    second = await make_organization(client)
    contact = await make_contact(client, second)
    integration = await make_key(client, "integration", organization_id=second["id"])
    ticket = await make_ticket(client, integration, requester=contact)
    assert ticket["organization_id"] == second["id"]
    response = await client.post(
        "/v1/tickets",
        json={"subject": "x", "description": "y", "requester_id": contact["id"]},
        headers=tenant.integration_key,
    )
    assert_problem(response, 422)

"""POST /v1/intake/widget: tickets from the "?" widget, refusals, and double-click safety."""

import asyncio

import pytest

from tests.factories import ADMIN, bearer, make_contact
from tests.intake.widget_helpers import (
    ORIGIN,
    make_widget_key,
    refusals,
    ticket_count,
    ticket_of,
    widget_headers,
    widget_request,
)
from tests.problems import assert_problem

URL = "/v1/intake/widget"


async def test_widget_request_raises_a_ticket_with_the_browsers_context(
    client, browser, tenant, widget_key
):
    body = widget_request(
        tenant.contact["email"].upper(),
        category="bug_report",
        context={"url": "https://app.client.example/orders?page=2", "app_version": "4.2.0"},
    )
    response = await browser.post(URL, json=body, headers=widget_headers(widget_key))
    ticket = await ticket_of(client, response)
    assert ticket["number"].startswith("SUP-")
    assert ticket["channel"] == "widget"
    assert ticket["category"] == "bug_report"
    assert ticket["requester_id"] == tenant.contact["id"]
    assert ticket["organization_id"] == tenant.organization["id"]
    assert ticket["context"] == {
        "url": "https://app.client.example/orders",  # the query string is not kept
        "browser": "Chrome 126",
        "os": "macOS 10.15.7",
        "app_version": "4.2.0",
        "users_affected": None,
        "location": None,
        "steps": None,
        "attachments": [],
    }
    assert response.headers["Location"] == f"/v1/tickets/{ticket['id']}"
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert "Origin" in response.headers["Vary"]


async def test_what_the_page_sends_wins_over_the_headers(client, browser, tenant, widget_key):
    context = {"browser": "Acme Desktop 3.1", "os": "Windows 11", "url": "acme://orders"}
    body = widget_request(tenant.contact["email"], context=context)
    headers = widget_headers(widget_key, Referer=f"{ORIGIN}/orders")
    ticket = await ticket_of(client, await browser.post(URL, json=body, headers=headers))
    assert ticket["context"]["browser"] == "Acme Desktop 3.1"
    assert ticket["context"]["os"] == "Windows 11"
    assert ticket["context"]["url"] == "acme://orders"


async def test_page_url_falls_back_to_the_referer(client, browser, tenant, widget_key):
    headers = widget_headers(widget_key, Referer=f"{ORIGIN}/settings/billing")
    response = await browser.post(
        URL, json=widget_request(tenant.contact["email"]), headers=headers
    )
    ticket = await ticket_of(client, response)
    assert ticket["context"]["url"] == f"{ORIGIN}/settings/billing"


async def test_the_key_may_come_in_the_query_string(browser, tenant, widget_key):
    headers = widget_headers(widget_key)
    del headers["Authorization"]
    response = await browser.post(
        URL,
        params={"key": widget_key},
        json=widget_request(tenant.contact["email"]),
        headers=headers,
    )
    assert response.status_code == 201, response.text
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN


async def test_unknown_and_undesignated_senders_get_the_same_refusal(
    app, client, browser, tenant, widget_key
):
    outsider = await make_contact(client, tenant.organization, designated=False)
    unknown = await browser.post(
        URL, json=widget_request("nobody@client.example"), headers=widget_headers(widget_key)
    )
    undesignated = await browser.post(
        URL, json=widget_request(outsider["email"]), headers=widget_headers(widget_key)
    )
    first = assert_problem(unknown, 422, "not-designated")
    second = assert_problem(undesignated, 422, "not-designated")
    assert first["detail"].replace("nobody@client.example", "X") == second["detail"].replace(
        outsider["email"], "X"
    )
    assert "designated contacts" in first["detail"]
    # The page can read the refusal, to show it.
    assert undesignated.headers["Access-Control-Allow-Origin"] == ORIGIN

    assert await ticket_count(app, tenant.organization["id"]) == 0
    contacts = await client.get(
        f"/v1/organizations/{tenant.organization['id']}/contacts", headers=ADMIN
    )
    assert len(contacts.json()["data"]) == 2  # the designated one and the outsider: none added
    events = await refusals(app, tenant.organization["id"])
    assert [event.data for event in events] == [
        {"channel": "widget", "email": "nobody@client.example", "reason": "unknown_contact"},
        {"channel": "widget", "email": outsider["email"], "reason": "not_designated"},
    ]
    assert {event.visibility for event in events} == {"public"}
    assert {event.ticket_id for event in events} == {None}
    assert events[0].actor["type"] == "widget"


async def test_a_refusal_carries_the_name_typed_and_is_recorded_once_per_submission(
    app, browser, tenant, widget_key
):
    body = widget_request("new.hire@client.example", name="Nora Newhire")
    headers = widget_headers(widget_key, **{"Idempotency-Key": "refused-once"})
    first = await browser.post(URL, json=body, headers=headers)
    again = await browser.post(URL, json=body, headers=headers)
    assert first.status_code == again.status_code == 422
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    events = await refusals(app, tenant.organization["id"])
    assert len(events) == 1
    assert events[0].data["name"] == "Nora Newhire"


async def test_a_double_click_makes_one_ticket(app, browser, tenant, widget_key):
    headers = widget_headers(widget_key, **{"Idempotency-Key": "click-7f3a"})
    body = widget_request(tenant.contact["email"])
    first, second = await asyncio.gather(
        browser.post(URL, json=body, headers=headers), browser.post(URL, json=body, headers=headers)
    )
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    retry = await browser.post(URL, json=body, headers=headers)
    assert retry.json()["id"] == first.json()["id"]
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert retry.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert await ticket_count(app, tenant.organization["id"]) == 1


async def test_the_same_idempotency_key_under_two_widget_keys_makes_two_tickets(
    client, browser, tenant, other_tenant
):
    # Keys sent as ?key= own their Idempotency-Keys exactly as bearer keys do.
    tickets = []
    for owner in (tenant, other_tenant):
        key = (await make_widget_key(client, owner.organization))["key"]
        headers = widget_headers(key, **{"Idempotency-Key": "same-everywhere"})
        del headers["Authorization"]
        body = widget_request("ana@client.example")
        await client.patch(
            f"/v1/organizations/{owner.organization['id']}/contacts/{owner.contact['id']}",
            json={"email": "ana@client.example"},
            headers=ADMIN,
        )
        response = await browser.post(URL, params={"key": key}, json=body, headers=headers)
        assert response.status_code == 201, response.text
        assert "Idempotent-Replayed" not in response.headers
        tickets.append(await ticket_of(client, response))
    assert tickets[0]["organization_id"] == tenant.organization["id"]
    assert tickets[1]["organization_id"] == other_tenant.organization["id"]


async def test_only_widget_keys_may_use_it(browser, tenant):
    response = await browser.post(
        URL,
        json=widget_request(tenant.contact["email"]),
        headers={**widget_headers("unused"), **tenant.integration_key},
    )
    assert_problem(response, 403)
    assert "Access-Control-Allow-Origin" not in response.headers


async def test_an_unknown_or_revoked_key_is_401_without_cors(client, browser, tenant):
    key = await make_widget_key(client, tenant.organization)
    await client.delete(f"/v1/api-keys/{key['id']}", headers=ADMIN)
    for token in ("sd_pk_made-up", key["key"]):
        response = await browser.post(
            URL, json=widget_request(tenant.contact["email"]), headers=widget_headers(token)
        )
        assert_problem(response, 401)
        assert "Access-Control-Allow-Origin" not in response.headers


@pytest.mark.parametrize("origin", ["https://evil.example", "http://app.client.example", None])
async def test_other_origins_are_refused_without_cors(app, browser, tenant, widget_key, origin):
    headers = widget_headers(widget_key)
    if origin is None:
        del headers["Origin"]
    else:
        headers["Origin"] = origin
    response = await browser.post(
        URL, json=widget_request(tenant.contact["email"]), headers=headers
    )
    assert_problem(response, 403)
    assert "Access-Control-Allow-Origin" not in response.headers
    assert await ticket_count(app, tenant.organization["id"]) == 0


async def test_validation_problems_are_readable_by_the_page(browser, tenant, widget_key):
    body = widget_request(tenant.contact["email"], subject="")
    response = await browser.post(URL, json=body, headers=widget_headers(widget_key))
    problem = assert_problem(response, 422)
    assert problem["errors"][0]["field"] == "body.subject"
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN


async def test_widget_keys_still_cannot_read_tickets(browser, tenant, widget_key):
    created = await browser.post(
        URL, json=widget_request(tenant.contact["email"]), headers=widget_headers(widget_key)
    )
    response = await browser.get(f"/v1/tickets/{created.json()['id']}", headers=bearer(widget_key))
    assert_problem(response, 403)


async def test_an_emergency_cannot_be_declared_from_the_widget(browser, tenant, widget_key):
    body = widget_request(tenant.contact["email"], emergency=True)
    assert_problem(await browser.post(URL, json=body, headers=widget_headers(widget_key)), 422)


async def test_integration_keys_issue_widget_keys_that_work(client, browser, tenant):
    body = {"kind": "widget", "name": "Shop", "allowed_origins": [ORIGIN]}
    issued = await client.post("/v1/api-keys", json=body, headers=tenant.integration_key)
    key = issued.json()["key"]
    response = await browser.post(
        URL, json=widget_request(tenant.contact["email"]), headers=widget_headers(key)
    )
    assert response.status_code == 201, response.text


async def test_staff_see_the_widget_ticket_like_any_other(client, browser, tenant, widget_key):
    created = await browser.post(
        URL, json=widget_request(tenant.contact["email"]), headers=widget_headers(widget_key)
    )
    ticket = await client.get(f"/v1/tickets/{created.json()['id']}", headers=ADMIN)
    assert ticket.json()["channel"] == "widget"
    events = await client.get(f"/v1/tickets/{created.json()['id']}/events", headers=ADMIN)
    assert events.json()["data"][0]["type"] == "ticket.created"

"""The page URL a widget ticket records: never its fragment, its query string only for keys
created with `keep_url_query`.

Query strings carry sign-in links, reset tokens and search terms that staff have no need to see.
"""

import pytest

from tests.factories import ADMIN, make_key
from tests.intake.widget_helpers import (
    ORIGIN,
    make_widget_key,
    ticket_of,
    widget_headers,
    widget_request,
)
from tests.problems import assert_problem

URL = "/v1/intake/widget"


async def _recorded_url(
    client, browser, tenant, key: str, *, page: str | None, referer: str | None
) -> str | None:
    """What the ticket records as the page's URL, given what the page and browser sent."""
    body = widget_request(tenant.contact["email"], context={"url": page} if page else {})
    headers = widget_headers(key, **({"Referer": referer} if referer else {}))
    ticket = await ticket_of(client, await browser.post(URL, json=body, headers=headers))
    return ticket["context"]["url"]


@pytest.mark.parametrize(
    ("page", "referer", "recorded"),
    [
        (f"{ORIGIN}/orders?page=2&token=s3cret", None, f"{ORIGIN}/orders"),
        (f"{ORIGIN}/orders#/invoice/7", None, f"{ORIGIN}/orders"),
        (f"{ORIGIN}/orders?q=x#top", None, f"{ORIGIN}/orders"),
        ("acme://orders?session=abc", None, "acme://orders"),
        (None, f"{ORIGIN}/reset?token=s3cret", f"{ORIGIN}/reset"),
        (f"{ORIGIN}/plain/path", None, f"{ORIGIN}/plain/path"),
    ],
)
async def test_the_query_string_and_fragment_are_dropped_by_default(
    client, browser, tenant, page, referer, recorded
):
    key = (await make_widget_key(client, tenant.organization))["key"]
    found = await _recorded_url(client, browser, tenant, key, page=page, referer=referer)
    assert found == recorded


async def test_a_key_that_keeps_the_query_string_records_it(client, browser, tenant):
    key = await make_widget_key(client, tenant.organization, keep_url_query=True)
    assert key["keep_url_query"] is True
    page = f"{ORIGIN}/orders?page=2#top"
    recorded = await _recorded_url(client, browser, tenant, key["key"], page=page, referer=None)
    assert recorded == f"{ORIGIN}/orders?page=2"  # the fragment is dropped all the same
    referer = f"{ORIGIN}/search?q=export"
    recorded = await _recorded_url(client, browser, tenant, key["key"], page=None, referer=referer)
    assert recorded == referer


async def test_widget_keys_drop_the_query_string_unless_created_otherwise(client, tenant):
    key = await make_widget_key(client, tenant.organization)
    assert key["keep_url_query"] is False
    listed = (await client.get("/v1/api-keys", params={"kind": "widget"}, headers=ADMIN)).json()
    assert [item["keep_url_query"] for item in listed["data"]] == [False]


async def test_an_integration_key_may_issue_a_widget_key_that_keeps_queries(client, tenant):
    body = {"kind": "widget", "name": "Shop", "allowed_origins": [ORIGIN], "keep_url_query": True}
    response = await client.post("/v1/api-keys", json=body, headers=tenant.integration_key)
    assert response.status_code == 201, response.text
    assert response.json()["keep_url_query"] is True


@pytest.mark.parametrize("kind", ["admin", "integration"])
async def test_only_widget_keys_take_keep_url_query(client, tenant, kind):
    body = {"kind": kind, "name": "x", "keep_url_query": True}
    if kind == "integration":
        body["organization_id"] = tenant.organization["id"]
    response = await client.post("/v1/api-keys", json=body, headers=ADMIN)
    problem = assert_problem(response, 422)
    assert "body.keep_url_query" in {error["field"] for error in problem["errors"]}


async def test_keys_of_other_kinds_show_it_off(client):
    headers = await make_key(client, "admin")
    listed = (await client.get("/v1/api-keys", params={"kind": "admin"}, headers=headers)).json()
    assert {item["keep_url_query"] for item in listed["data"]} == {False}

"""CORS on the widget route only: each widget key answers for its own allowed origins."""

import pytest

from app.intake.cors import normalize_origin
from tests.factories import ADMIN
from tests.intake.widget_helpers import ORIGIN, make_widget_key

URL = "/v1/intake/widget"
PREFLIGHT = {
    "Origin": ORIGIN,
    "Access-Control-Request-Method": "POST",
    "Access-Control-Request-Headers": "authorization,content-type,idempotency-key",
}


@pytest.fixture
async def widget_key(client, tenant) -> str:
    origins = (ORIGIN, "http://localhost:3000")
    return (await make_widget_key(client, tenant.organization, origins))["key"]


@pytest.mark.parametrize("origin", [ORIGIN, "http://localhost:3000"])
async def test_preflight_allows_each_of_the_keys_origins(browser, widget_key, origin):
    response = await browser.options(
        URL, params={"key": widget_key}, headers={**PREFLIGHT, "Origin": origin}
    )
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == origin
    assert response.headers["Access-Control-Allow-Methods"] == "POST"
    allowed = {name.strip() for name in response.headers["Access-Control-Allow-Headers"].split(",")}
    assert allowed == {"authorization", "content-type", "idempotency-key"}
    assert int(response.headers["Access-Control-Max-Age"]) > 0
    assert response.headers["Vary"] == "Origin"
    assert "Access-Control-Allow-Credentials" not in response.headers


@pytest.mark.parametrize(
    "origin",
    ["https://evil.example", "https://app.client.example.evil.example", "http://localhost:3001"],
)
async def test_preflight_from_another_origin_gets_no_cors_headers(browser, widget_key, origin):
    response = await browser.options(
        URL, params={"key": widget_key}, headers={**PREFLIGHT, "Origin": origin}
    )
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    assert not [name for name in response.headers if name.startswith("access-control-")]


async def test_preflight_for_an_unknown_revoked_or_missing_key_gets_no_cors_headers(
    client, browser, tenant
):
    revoked = await make_widget_key(client, tenant.organization)
    await client.delete(f"/v1/api-keys/{revoked['id']}", headers=ADMIN)
    for params in ({"key": "sd_pk_made-up"}, {"key": revoked["key"]}, {}):
        response = await browser.options(URL, params=params, headers=PREFLIGHT)
        assert response.status_code == 403
        assert "Access-Control-Allow-Origin" not in response.headers


async def test_preflight_for_a_key_of_another_kind_gets_no_cors_headers(browser, tenant):
    token = tenant.integration_key["Authorization"].removeprefix("Bearer ")
    response = await browser.options(URL, params={"key": token}, headers=PREFLIGHT)
    assert response.status_code == 403
    assert "Access-Control-Allow-Origin" not in response.headers


async def test_the_rest_of_the_api_stays_closed_to_other_origins(browser, client, widget_key):
    response = await browser.options("/v1/tickets", params={"key": widget_key}, headers=PREFLIGHT)
    assert "Access-Control-Allow-Origin" not in response.headers
    response = await client.get("/v1/organizations", headers={**ADMIN, "Origin": ORIGIN})
    assert "Access-Control-Allow-Origin" not in response.headers


async def test_stored_origins_match_as_browsers_send_them(client, browser, tenant):
    key = await make_widget_key(client, tenant.organization, ("https://App.Client.Example:443",))
    response = await browser.options(URL, params={"key": key["key"]}, headers=PREFLIGHT)
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN


@pytest.mark.parametrize(
    ("stored", "sent"),
    [
        ("https://shop.example", "https://shop.example"),
        ("https://Shop.Example/", "https://shop.example"),
        ("https://shop.example:443", "https://shop.example"),
        ("http://shop.example:80", "http://shop.example"),
        ("https://shop.example:8443", "https://shop.example:8443"),
    ],
)
def test_origins_normalize_like_browsers_serialize_them(stored, sent):
    assert normalize_origin(stored) == normalize_origin(sent) == sent


@pytest.mark.parametrize(
    ("stored", "sent"),
    [
        ("https://shop.example", "http://shop.example"),
        ("https://shop.example", "https://shop.example:8443"),
        ("http://shop.example:8080", "http://shop.example"),
        ("https://shop.example", "null"),
    ],
)
def test_different_origins_stay_different(stored, sent):
    assert normalize_origin(stored) != normalize_origin(sent)

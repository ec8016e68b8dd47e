"""The SSRF guard through the API: internal destinations are refused when an endpoint is
created or changed (422), and again when a delivery is sent."""

import ipaddress

import pytest

from app.config import get_settings
from app.webhooks.ssrf import address_allowed
from tests.factories import ADMIN, make_ticket
from tests.problems import assert_problem
from tests.webhooks.helpers import (
    create_endpoint,
    deliveries,
    get_endpoint,
    settled,
)

REFUSED_URLS = [
    "http://10.0.0.1/hooks",
    "http://172.16.0.1/hooks",
    "http://192.168.1.1/hooks",
    "http://127.0.0.1/hooks",
    "http://127.0.0.1:8080/hooks",
    "http://169.254.169.254/latest/meta-data/",
    "http://100.64.0.1/hooks",
    "http://0.0.0.0/hooks",
    "http://224.0.0.1/hooks",
    "http://240.0.0.1/hooks",
    "http://[::1]/hooks",
    "http://[fd00::1]/hooks",
    "http://[fe80::1]/hooks",
    "http://[::ffff:127.0.0.1]/hooks",
    "http://[::ffff:a9fe:a9fe]/hooks",  # 169.254.169.254, IPv4-mapped in hex
    "http://localhost/hooks",  # a name resolving to loopback
    "ftp://hooks.example.com/hooks",
    "file:///etc/passwd",
    "http://user:password@93.184.216.34/hooks",
    "https://token@93.184.216.34/hooks",
    "http:///hooks",
]


@pytest.fixture
def no_exemptions(app, monkeypatch):
    """The production default: no network is exempt from the guard."""
    monkeypatch.setattr(get_settings(), "webhook_allowed_networks", [])


async def test_internal_destinations_are_refused_at_creation(client, tenant, no_exemptions):
    for url in REFUSED_URLS:
        for headers in (ADMIN, tenant.integration_key):
            response = await client.post(
                "/v1/webhook-endpoints", json={"url": url}, headers=headers
            )
            problem = assert_problem(response, 422)
            assert [error["field"] for error in problem["errors"]] == ["body.url"], (url, problem)
    listed = await client.get("/v1/webhook-endpoints", headers=ADMIN)
    assert listed.json()["data"] == []


async def test_the_refusal_says_why(client, no_exemptions):
    problem = assert_problem(
        await client.post(
            "/v1/webhook-endpoints", json={"url": "http://169.254.169.254/"}, headers=ADMIN
        ),
        422,
    )
    assert "169.254.169.254" in problem["errors"][0]["message"]
    credentials = assert_problem(
        await client.post(
            "/v1/webhook-endpoints", json={"url": "https://a:b@93.184.216.34/"}, headers=ADMIN
        ),
        422,
    )
    assert "credentials" in credentials["errors"][0]["message"]


async def test_public_destinations_are_accepted_and_kept(client, no_exemptions):
    for url in ("http://93.184.216.34/hooks", "https://[2606:4700:4700::1111]:8443/x"):
        created = await create_endpoint(client, url)
        assert created["url"] == url
    # Changing the URL is checked the same way.
    for url in ("http://10.0.0.1/hooks", "http://[::1]/", "ftp://93.184.216.34/"):
        response = await client.patch(
            f"/v1/webhook-endpoints/{created['id']}", json={"url": url}, headers=ADMIN
        )
        assert_problem(response, 422)
    assert (await get_endpoint(client, created["id"]))["url"].startswith("https://[2606")
    changed = await client.patch(
        f"/v1/webhook-endpoints/{created['id']}",
        json={"url": "https://8.8.8.8/hooks"},
        headers=ADMIN,
    )
    assert changed.status_code == 200 and changed.json()["url"] == "https://8.8.8.8/hooks"


async def test_exempt_networks_are_allowed(client):
    # The test settings exempt 127.0.0.0/8 (as an operator may for an internal receiver).
    created = await create_endpoint(client, "http://127.0.0.1:9/hooks")
    assert created["url"] == "http://127.0.0.1:9/hooks"
    # ...but nothing else.
    for url in ("http://10.0.0.1/hooks", "http://[::1]/hooks", "http://169.254.169.254/"):
        response = await client.post("/v1/webhook-endpoints", json={"url": url}, headers=ADMIN)
        assert_problem(response, 422)


async def test_sending_is_refused_when_the_destination_is_no_longer_allowed(
    client, app, receiver, pumps, tenant, frozen_clock
):
    # Created while loopback was exempt; the workers' settings no longer exempt it.
    endpoint = await create_endpoint(client, receiver.url, event_types=["ticket.created"])
    await pumps(1, webhook_allowed_networks=[])
    await make_ticket(client, requester=tenant.contact)
    (row,) = await settled(app, endpoint["id"], failures=1)
    assert row.status == "pending"
    assert receiver.received == []
    (delivery,) = await deliveries(client, endpoint["id"])
    attempt = delivery["attempts"][0]
    assert attempt["status_code"] is None
    assert attempt["error"].startswith("refused")
    assert "127.0.0.1" in attempt["error"]


async def test_a_name_resolving_to_loopback_is_refused_when_sending(
    client, app, receiver, pumps, tenant, frozen_clock
):
    url = receiver.url.replace("127.0.0.1", "localhost")
    endpoint = await create_endpoint(client, url, event_types=["ticket.created"])
    await pumps(1, webhook_allowed_networks=[])
    await make_ticket(client, requester=tenant.contact)
    await settled(app, endpoint["id"], failures=1)
    assert receiver.received == []
    (delivery,) = await deliveries(client, endpoint["id"])
    assert delivery["attempts"][0]["error"].startswith("refused")


async def test_test_ping_is_guarded_too(client, app, receiver):
    endpoint = await create_endpoint(client, receiver.url)
    # The API sends test pings through its own guarded client; one without exemptions
    # refuses the loopback receiver when it connects.
    from app.webhooks.client import guarded_client

    lenient, app.state.webhook_client = app.state.webhook_client, guarded_client([], 5, 1)
    try:
        response = await client.post(f"/v1/webhook-endpoints/{endpoint['id']}/test", headers=ADMIN)
    finally:
        await app.state.webhook_client.aclose()
        app.state.webhook_client = lenient
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "failed"
    assert response.json()["attempts"][0]["error"].startswith("refused")
    assert receiver.received == []


# IPv4-compatible IPv6 (::a.b.c.d, deprecated, yet some stacks route it to the embedded IPv4
# address) and site-local IPv6 (fec0::/10, deprecated, still private in practice). Python's
# `is_global` calls all of these global.
EMBEDDING_AND_SITE_LOCAL = [
    "::127.0.0.1",
    "::10.0.0.1",
    "::169.254.169.254",
    "::192.168.1.1",
    "::8.8.8.8",
    "fec0::1",
    "fec0::10.0.0.1",
    "feff:ffff::1",
]


def test_ipv4_compatible_and_site_local_addresses_are_refused():
    for text in EMBEDDING_AND_SITE_LOCAL:
        assert not address_allowed(ipaddress.ip_address(text)), text
    # Exempting loopback's IPv4 range does not exempt its IPv4-compatible spelling.
    loopback = [ipaddress.ip_network("127.0.0.0/8")]
    assert not address_allowed(ipaddress.ip_address("::127.0.0.1"), loopback)
    # Public IPv6 stays allowed.
    assert address_allowed(ipaddress.ip_address("2606:4700:4700::1111"))


async def test_ipv4_compatible_and_site_local_urls_are_refused_through_the_api(client):
    # Under the test settings (127.0.0.0/8 exempt) as well as without exemptions.
    created = await create_endpoint(client, "http://127.0.0.1:9/hooks")
    for text in EMBEDDING_AND_SITE_LOCAL:
        url = f"http://[{text}]:8080/hooks"
        response = await client.post("/v1/webhook-endpoints", json={"url": url}, headers=ADMIN)
        problem = assert_problem(response, 422)
        assert [error["field"] for error in problem["errors"]] == ["body.url"], url
        assert str(ipaddress.ip_address(text)) in problem["errors"][0]["message"]
        changed = await client.patch(
            f"/v1/webhook-endpoints/{created['id']}", json={"url": url}, headers=ADMIN
        )
        assert_problem(changed, 422)
    assert (await get_endpoint(client, created["id"]))["url"] == "http://127.0.0.1:9/hooks"

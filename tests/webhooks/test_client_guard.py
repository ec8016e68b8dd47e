"""The webhook client's guard in the connection itself: a name is connected to at the
addresses it was checked at, and every socket is checked against its own address."""

import asyncio
import socket
from ipaddress import ip_network

import pytest

from app.webhooks.client import GuardedResolver, guarded_client, post
from app.webhooks.ssrf import BlockedAddress

LOOPBACK = [ip_network("127.0.0.0/8")]


def resolving(monkeypatch, *addresses: str) -> None:
    """Makes every name resolve to `addresses` (the event loop's resolver, as the guard uses)."""

    async def getaddrinfo(host, port, **_):
        return [
            (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
            for a in addresses
        ]

    monkeypatch.setattr(asyncio.get_running_loop(), "getaddrinfo", getaddrinfo)


async def test_a_name_is_connected_to_at_the_address_it_was_checked_at(receiver, monkeypatch):
    resolving(monkeypatch, "127.0.0.1")
    client = guarded_client(LOOPBACK, timeout=5, connections=2)
    try:
        url = receiver.url.replace("127.0.0.1", "hooks.example")
        outcome = await post(client, url, b"{}", {}, deadline=5)
    finally:
        await client.aclose()
    assert outcome.succeeded, outcome
    (request,) = receiver.received
    assert request.headers["host"] == f"hooks.example:{receiver.port}"


async def test_a_name_with_one_private_address_among_public_ones_is_refused(receiver, monkeypatch):
    resolving(monkeypatch, "93.184.216.34", "10.0.0.1")
    client = guarded_client([], timeout=5, connections=2)
    try:
        outcome = await post(client, "http://hooks.example/hooks", b"{}", {}, deadline=5)
    finally:
        await client.aclose()
    assert outcome.status_code is None
    assert outcome.error is not None and outcome.error.startswith("refused")
    assert "10.0.0.1" in outcome.error


@pytest.mark.parametrize("address", ["127.0.0.1", "169.254.169.254", "::1", "::ffff:10.0.0.1"])
def test_every_socket_is_checked_against_its_address(address):
    # IP literals never reach the resolver: the socket the connector asks for is checked.
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    with pytest.raises(BlockedAddress, match=address):
        GuardedResolver([]).socket((family, socket.SOCK_STREAM, 6, "", (address, 80)))


def test_a_socket_for_an_allowed_address_is_made():
    made = GuardedResolver(LOOPBACK).socket(
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", 80))
    )
    made.close()

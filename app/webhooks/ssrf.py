"""Where webhooks may go: public addresses only, unless the operator exempts a network.

The pure check is `address_allowed`; `resolve_allowed` resolves a host and checks every
address it has (`checked`), so a name with one private address among public ones is refused.
"""

import asyncio
import ipaddress
import socket
from collections.abc import Sequence
from functools import lru_cache
from urllib.parse import urlsplit

from app.config import Network

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Ranges Python's is_global does not cover, or covers only in newer versions.
EXTRA_BLOCKED = tuple(
    ipaddress.ip_network(cidr)
    for cidr in (
        "100.64.0.0/10",  # carrier-grade NAT
        "192.0.0.0/24",  # IETF protocol assignments
        "198.18.0.0/15",  # benchmarking
        "64:ff9b::/96",  # NAT64: may reach IPv4 private space
        "64:ff9b:1::/48",
        "2002::/16",  # 6to4: embeds IPv4 addresses
        "2001::/32",  # Teredo
        # IPv4-compatible (::a.b.c.d, deprecated): some stacks route it to the IPv4 address.
        "::/96",
        "fec0::/10",  # site-local (deprecated, yet private wherever it is still in use)
    )
)


class BlockedAddress(ValueError):
    """The URL is not one webhooks may be sent to."""


def address_allowed(address: IPAddress, allowed: Sequence[Network] = ()) -> bool:
    """True for a public unicast address, or one inside an exempted network."""
    if any(address in network for network in allowed):
        return True
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address_allowed(address.ipv4_mapped, allowed)
    if address.is_multicast or address.is_unspecified or not address.is_global:
        return False
    return not any(address in network for network in EXTRA_BLOCKED)


@lru_cache(maxsize=4096)  # every send checks its URL again; the answer depends on it alone
def check_url(url: str) -> tuple[str, int]:
    """The host and port of an http(s) URL without credentials; BlockedAddress otherwise."""
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        _strict_parse(url)
    except ValueError as error:
        raise BlockedAddress("The URL is not valid.") from error
    if parts.scheme not in ("http", "https"):
        raise BlockedAddress("Webhook URLs must use http or https.")
    if not parts.hostname:
        raise BlockedAddress("The URL has no host.")
    if parts.username is not None or parts.password is not None:
        raise BlockedAddress("Webhook URLs may not carry credentials; use the signature.")
    return parts.hostname, port


def _strict_parse(url: str) -> None:
    """ValueError for a URL httpx's parser refuses: the stricter parse the API has always
    validated with. httpx (about 5 MiB) is loaded by the first URL checked, not by every API
    process at startup: most never register an endpoint."""
    import httpx

    try:
        httpx.URL(url)
    except httpx.InvalidURL as error:
        raise ValueError(str(error)) from error


async def resolve_allowed(host: str, port: int, allowed: Sequence[Network]) -> list[str]:
    """The host's addresses, all checked; BlockedAddress if any is refused or none exist."""
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        return checked(host, [literal], allowed)
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise BlockedAddress(f"The host {host} could not be resolved.") from error
    addresses = dict.fromkeys(ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos)
    return checked(host, list(addresses), allowed)


def checked(host: str, addresses: Sequence[IPAddress], allowed: Sequence[Network]) -> list[str]:
    """The host's addresses as text if every one is allowed; BlockedAddress otherwise."""
    refused = [str(address) for address in addresses if not address_allowed(address, allowed)]
    if refused or not addresses:
        raise BlockedAddress(
            f"The host {host} resolves to an address webhooks may not reach "
            f"({', '.join(refused) or 'none'}): private, loopback, link-local, "
            "shared, multicast and reserved ranges are refused."
        )
    return [str(address) for address in addresses]

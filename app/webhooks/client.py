"""The HTTP client webhooks go out through: it connects only to addresses it has checked.

The check happens in the connection itself (a network backend that resolves, checks every
address and connects to a checked one), so there is no window between checking a name and
connecting in which DNS could be re-pointed at an internal address. TLS still verifies the
certificate against the URL's host name.
"""

import asyncio
import time
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import httpcore
import httpx
from httpcore._backends.auto import AutoBackend

from app.config import Network
from app.webhooks.ssrf import BlockedAddress, check_url, resolve_allowed

BODY_LIMIT = 2048  # bytes of a receiver's response kept in the log
# What we ask receivers for, and so what the log can inflate (exactly what httpx decodes
# without optional packages; fixed so installing one does not change it).
ACCEPT_ENCODING = "gzip, deflate"


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Resolves and checks the host, then connects to the first checked address that answers."""

    def __init__(self, allowed: Sequence[Network]) -> None:
        self.allowed = tuple(allowed)
        self.backend = AutoBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's interface)
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await resolve_allowed(host, port, self.allowed)
        error: Exception | None = None
        for address in addresses:
            try:
                return await self.backend.connect_tcp(
                    address,
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as failure:
                error = failure
        assert error is not None
        raise error

    async def connect_unix_socket(self, *args: object, **kwargs: object) -> None:  # type: ignore[override]
        raise BlockedAddress("Unix sockets are not webhook destinations.")

    async def sleep(self, seconds: float) -> None:
        await self.backend.sleep(seconds)


def guarded_client(
    allowed: Sequence[Network], timeout: float, connections: int
) -> httpx.AsyncClient:
    """An httpx client that follows no redirects, ignores proxy variables and checks addresses."""
    transport = httpx.AsyncHTTPTransport(trust_env=False)
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=httpx.create_ssl_context(),
        max_connections=connections,
        max_keepalive_connections=connections,
        keepalive_expiry=30,
        network_backend=GuardedBackend(allowed),
    )
    return httpx.AsyncClient(
        transport=transport,
        timeout=httpx.Timeout(timeout),
        follow_redirects=False,
        trust_env=False,
        headers={"accept-encoding": ACCEPT_ENCODING},
    )


@dataclass
class Outcome:
    """What one attempt did: a status code or an error, how long, and the start of the body."""

    status_code: int | None
    duration_ms: int
    error: str | None = None
    body: str | None = None
    retry_after: str | None = None

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


async def post(
    client: httpx.AsyncClient, url: str, body: bytes, headers: dict[str, str], deadline: float
) -> Outcome:
    """One POST with a hard overall deadline; never raises for the receiver's failures."""
    started = time.perf_counter()

    def elapsed() -> int:
        return round((time.perf_counter() - started) * 1000)

    try:
        check_url(url)
        async with asyncio.timeout(deadline):
            async with client.stream("POST", url, content=body, headers=headers) as response:
                kept = await _read_some(response)
        return Outcome(
            status_code=response.status_code,
            duration_ms=elapsed(),
            error=None if 200 <= response.status_code < 300 else _status_error(response),
            body=_text(_readable(kept, response).decode("utf-8", "replace")) or None,
            retry_after=response.headers.get("retry-after"),
        )
    except BlockedAddress as error:
        return Outcome(None, elapsed(), f"refused: {error}")
    except TimeoutError:
        return Outcome(None, elapsed(), f"timed out after {deadline:g} s")
    except httpx.HTTPError as error:
        return Outcome(None, elapsed(), _text(f"{type(error).__name__}: {error}")[:500])
    except OSError as error:
        return Outcome(None, elapsed(), _text(f"connection failed: {error}")[:500])
    except Exception as error:  # e.g. httpx.InvalidURL: a failed attempt, never a dead pump
        return Outcome(None, elapsed(), _text(f"{type(error).__name__}: {error}")[:500])


def _text(value: str) -> str:
    """Text PostgreSQL can store: a receiver's body may hold NUL characters."""
    return value.replace("\x00", "\ufffd")


async def _read_some(response: httpx.Response) -> bytes:
    """Up to BODY_LIMIT bytes of the body as sent; the rest is not read.

    Raw bytes, cut before any decompression: a few kilobytes of gzip can inflate to
    gigabytes, and httpx inflates each network read whole."""
    kept = b""
    async for chunk in response.aiter_raw():
        kept += chunk
        if len(kept) >= BODY_LIMIT:
            break
    return kept[:BODY_LIMIT]


def _readable(kept: bytes, response: httpx.Response) -> bytes:
    """The kept start of a compressed body, inflated to at most BODY_LIMIT bytes for the log
    (what cannot be inflated is logged as it came)."""
    encoding = response.headers.get("content-encoding", "").strip().lower()
    if encoding not in ("gzip", "deflate"):
        return kept
    # 47: a gzip or zlib header, detected; -15: the raw deflate some servers send.
    for wbits in (47, -15):
        try:
            return zlib.decompressobj(wbits).decompress(kept, BODY_LIMIT)
        except zlib.error:
            continue
    return kept


def _status_error(response: httpx.Response) -> str:
    if response.is_redirect:
        return f"HTTP {response.status_code}: redirects are not followed"
    return f"HTTP {response.status_code}"

"""A receiver that closes a kept-alive connection as a delivery goes out on it (its keep-alive
ran out that moment) still gets the delivery: it goes once more at once, on a new connection."""

import asyncio
import itertools
from ipaddress import ip_network

from app.webhooks.client import guarded_client, post
from app.webhooks.outcome import Outcome

LOOPBACK = [ip_network("127.0.0.0/8")]


class ClosingReceiver:
    """Answers `answered` requests on each connection (kept alive), then closes the connection
    when the next one arrives on it, unanswered. Records (connection, body) per request."""

    def __init__(self, answered: int) -> None:
        self.answered = answered
        self.requests: list[tuple[int, bytes]] = []
        self.connections = itertools.count()
        self.server: asyncio.Server | None = None

    async def start(self) -> str:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        port = self.server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}/hooks"

    async def stop(self) -> None:
        assert self.server is not None
        self.server.close()
        await self.server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connection = next(self.connections)
        try:
            for _ in range(self.answered):
                self.requests.append((connection, await _read_request(reader)))
                writer.write(b"HTTP/1.1 204 No Content\r\n\r\n")
                await writer.drain()
            self.requests.append((connection, await _read_request(reader)))
        except asyncio.IncompleteReadError:
            pass  # the client closed the connection first
        finally:
            writer.close()


async def _read_request(reader: asyncio.StreamReader) -> bytes:
    head = (await reader.readuntil(b"\r\n\r\n")).decode().lower()
    length = int(head.split("content-length:")[1].split("\r\n")[0])
    return await reader.readexactly(length)


async def _posted(receiver: ClosingReceiver, *bodies: bytes) -> list[Outcome]:
    """The outcomes of posting `bodies` to `receiver`, one after another, on one client."""
    url = await receiver.start()
    client = guarded_client(LOOPBACK, timeout=5, connections=4)
    try:
        return [await post(client, url, body, {}, deadline=5) for body in bodies]
    finally:
        await client.aclose()
        await receiver.stop()


async def test_a_delivery_dropped_on_a_closing_kept_alive_connection_goes_again_at_once():
    receiver = ClosingReceiver(answered=1)
    first, second = await _posted(receiver, b'{"n": 1}', b'{"n": 2}')
    assert first.succeeded and second.succeeded, (first, second)
    # The second went out on the first's connection, was dropped, and went again on a new one.
    assert receiver.requests == [(0, b'{"n": 1}'), (0, b'{"n": 2}'), (1, b'{"n": 2}')]


async def test_a_receiver_that_drops_every_request_gets_it_twice_and_the_attempt_fails():
    receiver = ClosingReceiver(answered=0)
    (outcome,) = await _posted(receiver, b'{"n": 1}')
    assert not outcome.succeeded
    assert outcome.error is not None and "ServerDisconnectedError" in outcome.error
    assert receiver.requests == [(0, b'{"n": 1}'), (1, b'{"n": 1}')]

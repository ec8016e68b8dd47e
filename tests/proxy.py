"""A TCP proxy a test puts between the service and a server (PostgreSQL, Redis) to cut the
link as an outage does: refuse, answer as a PostgreSQL that is starting up, stay silent, drop
every open connection, or lose the reply to one message."""

import asyncio
import contextlib
from urllib.parse import urlparse

SSL_REQUEST, GSSENC_REQUEST = 80877103, 80877104


class Link:
    """One client connection through the proxy and its connection to the server."""

    def __init__(self, client: asyncio.StreamWriter, server: asyncio.StreamWriter) -> None:
        self.client, self.server = client, server
        self.doomed = False

    def abort(self) -> None:
        self.client.transport.abort()
        self.server.transport.abort()


class Proxy:
    """Forwards 127.0.0.1:<port> to the database until `cut`: then it refuses connections
    (nothing listens), answers as a server that is starting up, or accepts and stays silent;
    every open connection is dropped. `restore` forwards again on the same port."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.port = 0
        self.mode = "up"
        self.links: set[Link] = set()
        self.marker: bytes | None = None
        self.server: asyncio.Server | None = None

    async def start(self) -> None:
        self.server = await asyncio.start_server(
            self._accept, "127.0.0.1", self.port, reuse_address=True
        )
        self.port = self.server.sockets[0].getsockname()[1]

    def url(self, database_url: str) -> str:
        parsed = urlparse(database_url)
        credentials = parsed.netloc.rpartition("@")[0]
        return parsed._replace(netloc=f"{credentials}@127.0.0.1:{self.port}").geturl()

    def drop_all(self) -> None:
        """Closes every open connection, as a server restart does."""
        for link in list(self.links):
            link.abort()
        self.links.clear()

    async def cut(self, mode: str = "refused") -> None:
        self.mode = mode
        if mode == "refused" and self.server is not None:
            self.server.close()
            await self.server.wait_closed()
            self.server = None
        self.drop_all()
        # A stopping server closes its sessions first: clients hear of it before they next
        # send (a statement in flight at that moment is another case: its outcome is unknown).
        await asyncio.sleep(0.2)

    async def restore(self) -> None:
        self.mode = "up"
        if self.server is None:
            await self.start()

    def lose_reply_to(self, marker: bytes) -> None:
        """The next message holding `marker` reaches the server; its reply never comes back:
        the connection drops instead."""
        self.marker = marker

    async def close(self) -> None:
        if self.server is not None:
            self.server.close()
        self.drop_all()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.mode == "starting":
            await _answer_starting_up(reader, writer)
            return
        if self.mode == "silent":
            with contextlib.suppress(Exception):
                while await reader.read(65536):
                    pass
            return
        try:
            upstream_reader, upstream = await asyncio.open_connection(*self.target)
        except OSError:
            writer.transport.abort()
            return
        link = Link(writer, upstream)
        self.links.add(link)
        await asyncio.gather(
            self._pipe(reader, link, upstream, outbound=True),
            self._pipe(upstream_reader, link, writer, outbound=False),
        )
        self.links.discard(link)

    async def _pipe(
        self, reader: asyncio.StreamReader, link: Link, writer: asyncio.StreamWriter, outbound: bool
    ) -> None:
        try:
            while data := await reader.read(65536):
                if not outbound and link.doomed:
                    break  # the reply the client waits for: lost
                if outbound and self.marker is not None and self.marker in data:
                    self.marker, link.doomed = None, True
                writer.write(data)
                await writer.drain()
        except (OSError, asyncio.IncompleteReadError):
            pass
        finally:
            link.abort()


async def _answer_starting_up(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """What PostgreSQL answers while it starts: FATAL 57P03 (asyncpg's CannotConnectNowError)."""
    with contextlib.suppress(Exception):
        while True:
            length = int.from_bytes(await reader.readexactly(4), "big")
            body = await reader.readexactly(length - 4)
            if int.from_bytes(body[:4], "big") not in (SSL_REQUEST, GSSENC_REQUEST):
                break
            writer.write(b"N")  # no TLS, no GSSAPI: the startup message comes next
        fields = b"SFATAL\0VFATAL\0C57P03\0Mthe database system is starting up\0\0"
        writer.write(b"E" + (len(fields) + 4).to_bytes(4, "big") + fields)
        await writer.drain()
    writer.transport.abort()

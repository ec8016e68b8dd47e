"""A small Server-Sent Events reader over httpx, as a console's EventSource would read."""

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx

# How long a test waits for a message it expects before it fails (never a timing assertion:
# a passing test does not wait this long).
PATIENCE = 20.0


@dataclass
class Message:
    event: str
    data: Any
    id: str | None


@dataclass
class Stream:
    """An open stream: its messages in order, read in the background."""

    response: httpx.Response
    messages: asyncio.Queue[Message | None] = field(default_factory=asyncio.Queue)
    comments: list[str] = field(default_factory=list)
    ended: asyncio.Event = field(default_factory=asyncio.Event)
    connected: asyncio.Event = field(default_factory=asyncio.Event)
    commented: asyncio.Event = field(default_factory=asyncio.Event)
    # The id a browser would send back as Last-Event-ID (set by any frame with an id line).
    last_id: str | None = None

    async def read(self) -> None:
        fields: dict[str, str] = {}
        try:
            async for line in self.response.aiter_lines():
                if line.startswith(":"):
                    self.comments.append(line[1:].strip())
                    self.connected.set()
                    self.commented.set()
                elif line:
                    name, _, value = line.partition(":")
                    fields[name] = value.removeprefix(" ")
                    if name == "id":
                        self.last_id = fields[name]
                elif "event" in fields or "data" in fields:
                    data = json.loads(fields["data"]) if fields.get("data") else None
                    await self.messages.put(
                        Message(fields.get("event", ""), data, fields.get("id"))
                    )
                    fields = {}
        except httpx.HTTPError:
            pass
        finally:
            self.ended.set()
            await self.messages.put(None)

    async def next(self, within: float = PATIENCE) -> Message:
        message = await asyncio.wait_for(self.messages.get(), within)
        assert message is not None, "the stream ended"
        return message

    async def take(self, count: int) -> list[Message]:
        return [await self.next() for _ in range(count)]

    async def until(self, event: str) -> list[Message]:
        """Messages up to and including the first of type `event`."""
        seen = [await self.next()]
        while seen[-1].event != event:
            seen.append(await self.next())
        return seen

    async def comment_starting(self, prefix: str) -> str:
        """The first comment line starting with `prefix`, once it came."""
        while True:
            found = [comment for comment in self.comments if comment.startswith(prefix)]
            if found:
                return found[0]
            self.commented.clear()
            await self.commented.wait()

    def pending(self) -> list[Message]:
        """What arrived and was not read yet (without waiting)."""
        found = []
        while not self.messages.empty():
            message = self.messages.get_nowait()
            if message is not None:
                found.append(message)
        return found


@contextlib.asynccontextmanager
async def opened(base: str, headers: dict[str, str], **params: Any) -> AsyncIterator[Stream]:
    """GET /v1/stream, checked to be an event stream, read until the block ends."""
    timeout = httpx.Timeout(10, read=None)
    async with (
        httpx.AsyncClient(base_url=base, timeout=timeout) as http,
        http.stream("GET", "/v1/stream", headers=headers, params=params) as response,
    ):
        assert response.status_code == 200, (await response.aread()).decode()
        assert response.headers["content-type"].startswith("text/event-stream")
        stream = Stream(response)
        reader = asyncio.create_task(stream.read())
        try:
            # The server's first line (a comment) says the subscription is in place.
            await asyncio.wait_for(stream.connected.wait(), PATIENCE)
            yield stream
        finally:
            reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await reader

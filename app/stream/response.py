"""An event stream's HTTP response, kept small: an idle stream is its request's own task, its
subscription's queue and a task that waits for the client to hang up — not a task group per
connection — so one process holds many thousands. Frames are made once per message
(sse-starlette's ServerSentEvent, app/stream/subscription.py) and written as they come.

Once the response has started, the stream is handed to `Handoff` (app/middleware.py): the
routing, dependencies and middleware it came through return (metrics count the request, its
session is closed), and only the stream's own frames stay for as long as the client listens."""

import asyncio
import functools
import logging
from collections.abc import AsyncIterator, Callable

from starlette.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

from app.middleware import hand_off

HEADERS = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}

log = logging.getLogger(__name__)


class EventStream(StreamingResponse):
    def __init__(self, frames: AsyncIterator[bytes], on_hang_up: Callable[[], None]) -> None:
        super().__init__(frames, media_type="text/event-stream", headers=HEADERS)
        self.on_hang_up = on_hang_up

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        start = {"type": "http.response.start", "status": 200, "headers": self.raw_headers}
        await send(start)
        # The stream keeps its frames and its hang-up callback, not this response.
        body = functools.partial(stream, self.body_iterator, self.on_hang_up)
        if not hand_off(scope, body):
            await body(receive, send)


async def stream(
    frames: AsyncIterator[bytes], on_hang_up: Callable[[], None], receive: Receive, send: Send
) -> None:
    """Writes the frames as they come until they end or the client hangs up."""
    watcher = asyncio.create_task(_watch(receive, on_hang_up))
    try:
        async for frame in frames:
            await send({"type": "http.response.body", "body": frame, "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})
    except OSError:
        pass  # the client is gone
    except Exception:
        # The response has started: no problem document can follow; the client reconnects
        # with its Last-Event-ID and misses nothing.
        log.exception("event stream failed")
    finally:
        watcher.cancel()
        aclose = getattr(frames, "aclose", None)
        if aclose is not None:
            await aclose()


async def _watch(receive: Receive, on_hang_up: Callable[[], None]) -> None:
    """Ends the stream when the client hangs up (uvicorn's writes to a closed connection are
    silently dropped, so only `receive` tells)."""
    while (await receive())["type"] != "http.disconnect":
        pass
    on_hang_up()

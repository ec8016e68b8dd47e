"""An event stream's HTTP response, kept small: an idle stream is its request's own task, its
subscription's queue and a task that waits for the client to hang up — not a task group per
connection — so one process holds many thousands. Frames are made once per message
(sse-starlette's ServerSentEvent, app/stream/subscription.py) and written as they come."""

import asyncio
from collections.abc import AsyncIterator, Callable

from starlette.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

HEADERS = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}


class EventStream(StreamingResponse):
    def __init__(self, frames: AsyncIterator[bytes], on_hang_up: Callable[[], None]) -> None:
        super().__init__(frames, media_type="text/event-stream", headers=HEADERS)
        self.on_hang_up = on_hang_up

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        start = {"type": "http.response.start", "status": 200, "headers": self.raw_headers}
        await send(start)
        watcher = asyncio.create_task(self._watch(receive))
        try:
            async for frame in self.body_iterator:
                await send({"type": "http.response.body", "body": frame, "more_body": True})
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        except OSError:
            pass  # the client is gone
        finally:
            watcher.cancel()
            aclose = getattr(self.body_iterator, "aclose", None)
            if aclose is not None:
                await aclose()

    async def _watch(self, receive: Receive) -> None:
        """Ends the stream when the client hangs up (uvicorn's writes to a closed connection
        are silently dropped, so only `receive` tells)."""
        while (await receive())["type"] != "http.disconnect":
            pass
        self.on_hang_up()

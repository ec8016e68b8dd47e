"""Idle keep-alive connections: the API holds them longer than clients and load balancers do.

If the server closed an idle connection first (uvicorn's default is 5 s, httpx's pool keeps
one 5 s too), a client could send its next request into the closing connection and get a
dropped connection instead of an answer. The fault suite saw exactly that once.
"""

import asyncio
import os
import signal
import subprocess

from tests.processes import free_port, start, wait_until_up

REQUEST = b"GET /healthz HTTP/1.1\r\nHost: api\r\n\r\n"


async def _served(*options: str) -> tuple[subprocess.Popen, int]:
    port = free_port()
    api = start("serve", "--host", "127.0.0.1", "--port", str(port), *options)
    await wait_until_up(f"http://127.0.0.1:{port}")
    return api, port


async def _answers_after_idle(port: int, idle: float) -> bool:
    """One request, `idle` seconds of silence, then another on the same connection:
    whether the second one is answered."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(REQUEST)
        head = (await reader.readuntil(b"\r\n\r\n")).decode().lower()
        assert head.startswith("http/1.1 200")
        length = head.split("content-length:")[1].split("\r\n")[0]
        await reader.readexactly(int(length))
        await asyncio.sleep(idle)
        writer.write(REQUEST)
        return (await reader.read(12)).startswith(b"HTTP/1.1 200")
    finally:
        writer.close()


def _stop(api: subprocess.Popen) -> None:
    if api.poll() is None:
        os.killpg(api.pid, signal.SIGKILL)
    api.wait()


async def test_an_idle_connection_outlives_a_clients_own_idle_timeout():
    api, port = await _served()
    try:
        # Longer than httpx's and uvicorn's own 5 s default, so the client closes first.
        assert await _answers_after_idle(port, 6.5)
    finally:
        _stop(api)


async def test_the_keep_alive_is_what_serve_is_told():
    api, port = await _served("--keep-alive", "1")
    try:
        assert not await _answers_after_idle(port, 2.5)
    finally:
        _stop(api)

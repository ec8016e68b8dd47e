"""Real processes for tests: the `supportdesk` command on a free port, as ops run it."""

import asyncio
import os
import socket
import subprocess
import sys
import time

import httpx


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(*command: str, **env: str) -> subprocess.Popen:
    """`supportdesk <command>` in its own session (so a kill reaches its children)."""
    return subprocess.Popen(
        [sys.executable, "-m", "app.cli", *command],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


async def wait_until_up(base: str, within: float = 30) -> None:
    deadline = time.monotonic() + within
    async with httpx.AsyncClient() as http:
        while True:
            try:
                if (await http.get(f"{base}/healthz")).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "the API did not start"
            await asyncio.sleep(0.2)

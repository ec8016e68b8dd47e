"""Real processes for tests: the `supportdesk` command on a free port, as ops run it."""

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator

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


def run(
    *command: str, within: float = 60, unset: tuple[str, ...] = (), **env: str
) -> subprocess.CompletedProcess[str]:
    """`supportdesk <command>` to its end (TimeoutExpired after `within` s), output captured;
    `unset` names variables of this environment the command must not see."""
    environment = {
        name: value for name, value in {**os.environ, **env}.items() if name not in unset
    }
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *command],
        env=environment,
        capture_output=True,
        text=True,
        timeout=within,
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


@contextlib.asynccontextmanager
async def two_apis(
    headers: dict[str, str] | None = None, **env: str
) -> AsyncIterator[list[httpx.AsyncClient]]:
    """Two `supportdesk serve` processes on the test database, each with its own memory."""
    ports = [free_port(), free_port()]
    processes = [
        start("serve", "--host", "127.0.0.1", "--port", str(port), **env) for port in ports
    ]
    try:
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        for base in bases:
            await wait_until_up(base)
        async with (
            httpx.AsyncClient(base_url=bases[0], headers=headers) as first,
            httpx.AsyncClient(base_url=bases[1], headers=headers) as second,
        ):
            yield [first, second]
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            process.wait(timeout=30)

"""A real Support Desk for the generated clients: `supportdesk serve` and a worker that sends
webhooks, on this run's database, as an integrator would reach it."""

import os
import signal
import subprocess
from collections.abc import AsyncIterator, Iterator

import pytest

from tests.conftest import ADMIN_KEY
from tests.processes import free_port, start, wait_until_up
from tests.webhooks.conftest import receiver  # noqa: F401  (the same real receiver)


def stop(process: subprocess.Popen) -> None:
    """SIGTERM, then SIGKILL to the whole session if it does not drain in time."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@pytest.fixture(scope="package")
def worker() -> Iterator[subprocess.Popen]:
    """A worker relaying the outbox and sending webhooks (the suite's default turns that off);
    the receivers the clients' tests run listen on 127.0.0.1, which the suite's SSRF
    allowance (SUPPORTDESK_WEBHOOK_ALLOWED_NETWORKS=127.0.0.0/8) lets through."""
    process = start("worker", SUPPORTDESK_WORKER_WEBHOOKS="true")
    yield process
    stop(process)


@pytest.fixture(scope="package")
async def live_server(worker: subprocess.Popen) -> AsyncIterator[str]:
    """The base URL of a running `supportdesk serve`."""
    base = f"http://127.0.0.1:{free_port()}"
    process = start("serve", "--host", "127.0.0.1", "--port", base.rsplit(":", 1)[1])
    try:
        await wait_until_up(base)
        yield base
    finally:
        stop(process)


@pytest.fixture
def server_env(live_server: str) -> dict[str, str]:
    """What the clients' own tests read to find the server under test."""
    return {"SUPPORTDESK_URL": live_server, "SUPPORTDESK_ADMIN_KEY": ADMIN_KEY}

"""A real S3-compatible server for the storage tests: moto's standalone server, on 127.0.0.1."""

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.processes import free_port

BUCKET = "supportdesk-test"
# obstore reads these standard variables; moto accepts any credentials.
AWS_VARIABLES = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
# Anything of the machine's own AWS setup would point the tests elsewhere.
AWS_UNSET = ("AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_ENDPOINT", "AWS_ENDPOINT_URL", "AWS_REGION")


def _wait_until_answering(endpoint: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        try:
            httpx.get(f"{endpoint}/moto-api/", timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.05)
    raise RuntimeError(f"moto's server did not answer on {endpoint}:\n{log.read_text()[-2000:]}")


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """moto's S3 server with one empty bucket; yields its SUPPORTDESK_STORAGE_URL (the AWS
    variables are set to dummy credentials for the session)."""
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    log = tmp_path_factory.mktemp("moto") / "server.log"
    with log.open("wb") as output, pytest.MonkeyPatch.context() as environment:
        server = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_until_answering(endpoint, server, log)
            # obstore cannot create buckets; moto takes an unsigned CreateBucket.
            httpx.put(f"{endpoint}/{BUCKET}").raise_for_status()
            for name in AWS_UNSET:
                environment.delenv(name, raising=False)
            for name, value in AWS_VARIABLES.items():
                environment.setenv(name, value)
            yield f"s3://{BUCKET}?endpoint_url={endpoint}&region=us-east-1"
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()

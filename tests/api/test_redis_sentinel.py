"""Redis through Sentinel: the API and the workers find the primary the sentinels name."""

import asyncio
import shutil
import subprocess

import pytest

from app import redis
from app.config import Settings
from tests.processes import free_port


def test_sentinel_settings_for_the_workers():
    settings = Settings(
        redis_url="redis://:secret@ignored:6379/3",
        redis_sentinels="10.0.0.1:26379, sentinel-b:26380",
        redis_sentinel_master="desk",
    )
    config = redis.redis_settings(settings)
    assert config.sentinel is True
    assert config.host == [("10.0.0.1", 26379), ("sentinel-b", 26380)]
    assert (config.sentinel_master, config.database, config.password) == ("desk", 3, "secret")
    with pytest.raises(ValueError):
        redis.redis_settings(Settings(redis_sentinels="no-port"))


@pytest.fixture
def sentinel(tmp_path):
    """A real redis-sentinel watching the test Redis as primary `desk`."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed")
    port = free_port()
    conf = tmp_path / "sentinel.conf"
    conf.write_text(
        f"port {port}\nbind 127.0.0.1\ndir {tmp_path}\nsentinel monitor desk 127.0.0.1 6379 1\n"
    )
    process = subprocess.Popen(
        [binary, str(conf), "--sentinel"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    yield port
    process.terminate()
    process.wait(timeout=10)


async def test_the_api_client_reaches_the_primary_through_sentinel(sentinel):
    settings = Settings(
        redis_url="redis://127.0.0.1:6379/15",
        redis_sentinels=f"127.0.0.1:{sentinel}",
        redis_sentinel_master="desk",
    )
    client = redis.client(settings)
    try:
        for _ in range(50):  # the sentinel needs a moment to start
            try:
                assert await client.ping()
                break
            except Exception:
                await asyncio.sleep(0.1)
        else:
            raise AssertionError("no primary through the sentinel")
        await client.set("sentinel-check", "1")
        assert await client.get("sentinel-check") == b"1"
        await client.delete("sentinel-check")
    finally:
        await client.aclose()

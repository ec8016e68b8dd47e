"""A whole Support Desk of its own for fault tests and the soak benchmark: its own PostgreSQL
and Redis (tests/e2e/servers.py), migrated, and real `supportdesk serve` / `worker`
processes that can be killed with SIGKILL and started again. Their output goes to files in
the stack's folder, kept when something failed."""

import asyncio
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import asyncpg
import httpx

from app.embedded import free_port
from tests.e2e.servers import Postgres, Redis

ADMIN_KEY = "fault-admin-key-" + "a" * 24
SECRET_KEYS = "fault-secret-key-" + "s" * 24
DATABASE = "supportdesk"


class Process:
    """One `supportdesk` process, in its own session so a kill reaches its children."""

    def __init__(self, name: str, command: list[str], env: dict[str, str], log: Path) -> None:
        self.name, self.command, self.env, self.log = name, command, env, log
        self.popen: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def start(self) -> None:
        self.starts += 1
        with self.log.open("ab") as out:
            out.write(f"--- start {self.starts} at {time.time():.3f}\n".encode())
            out.flush()
            self.popen = subprocess.Popen(
                [sys.executable, "-m", "app.cli", *self.command],
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    @property
    def pid(self) -> int:
        assert self.popen is not None
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def kill(self, sig: signal.Signals = signal.SIGKILL) -> None:
        if self.popen is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, sig)
        try:
            self.popen.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(timeout=10)

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


class Stack:
    """PostgreSQL, Redis, `apis` API processes and one worker, all of its own."""

    def __init__(self, *, apis: int = 2, env: dict[str, str] | None = None) -> None:
        self.postgres = Postgres()
        self.redis = Redis()
        self.folder = Path(tempfile.mkdtemp(prefix="supportdesk-stack-"))
        self.database_url = self.postgres.url(DATABASE)
        self.env = {
            **os.environ,
            "PYTHONUNBUFFERED": "1",
            "SUPPORTDESK_DATABASE_URL": self.database_url,
            "SUPPORTDESK_REDIS_URL": self.redis.url(0),
            "SUPPORTDESK_ADMIN_KEY": ADMIN_KEY,
            "SUPPORTDESK_SECRET_KEYS": SECRET_KEYS,
            "SUPPORTDESK_WEBHOOK_ALLOWED_NETWORKS": "127.0.0.0/8",
            "SUPPORTDESK_WORKER_WEBHOOKS": "true",
            "SUPPORTDESK_API_RATE_LIMIT_PER_MINUTE": "0",
            "SUPPORTDESK_API_RATE_LIMIT_PER_MINUTE_ANONYMOUS": "0",
            "SUPPORTDESK_STORAGE_URL": f"file://{self.folder / 'attachments'}",
            **(env or {}),
        }
        self.ports = [free_port() for _ in range(apis)]
        self.apis = [
            Process(
                f"api{n}",
                ["serve", "--host", "127.0.0.1", "--port", str(port)],
                self.env,
                self.folder / f"api{n}.log",
            )
            for n, port in enumerate(self.ports)
        ]
        self.worker = Process("worker", ["worker"], self.env, self.folder / "worker.log")

    @property
    def bases(self) -> list[str]:
        return [f"http://127.0.0.1:{port}" for port in self.ports]

    @property
    def admin(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {ADMIN_KEY}"}

    def dsn(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.postgres.port}/{DATABASE}"

    async def start(self) -> None:
        """Servers up, database created and migrated, API processes answering, worker on."""
        self.postgres.start()
        self.redis.start()
        connection = await asyncpg.connect(
            f"postgresql://postgres@127.0.0.1:{self.postgres.port}/postgres"
        )
        try:
            await connection.execute(f'CREATE DATABASE "{DATABASE}"')
        finally:
            await connection.close()
        migrated = await asyncio.to_thread(
            subprocess.run,
            [sys.executable, "-m", "app.cli", "migrate"],
            env=self.env,
            capture_output=True,
            text=True,
        )
        assert migrated.returncode == 0, migrated.stderr
        for api in self.apis:
            api.start()
        for n in range(len(self.apis)):
            await self.wait_until_up(n)
        self.worker.start()

    async def wait_until_up(self, n: int, within: float = 60) -> None:
        deadline = time.monotonic() + within
        async with httpx.AsyncClient() as http:
            while True:
                assert self.apis[n].alive(), f"{self.apis[n].name} exited:\n{self.apis[n].output()}"
                try:
                    if (await http.get(f"{self.bases[n]}/healthz")).status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
                assert time.monotonic() < deadline, f"{self.apis[n].name} did not start"
                await asyncio.sleep(0.1)

    async def restart_api(self, n: int) -> None:
        self.apis[n].kill()
        self.apis[n].start()
        await self.wait_until_up(n)

    def restart_worker(self) -> None:
        self.worker.kill()
        self.worker.start()

    def close(self, *, keep_logs: bool = False) -> None:
        """Stops everything; the processes' logs stay in `folder` when `keep_logs`."""
        for process in [*self.apis, self.worker]:
            process.kill(signal.SIGTERM)
        self.redis.destroy()
        self.postgres.destroy()
        if not keep_logs:
            shutil.rmtree(self.folder, ignore_errors=True)

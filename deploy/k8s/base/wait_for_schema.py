"""Init container of the API and worker pods: wait until the database schema is this image's.

The `supportdesk-migrate` Job upgrades the schema (`supportdesk migrate`). Pods of a new
release wait here until it has, so new code never runs against the old schema, while the old
release's pods keep serving (the Deployments roll with maxUnavailable 0).

- schema at this image's Alembic head: go on;
- schema older (the Job has not finished), or no database or table yet: wait and look again;
- schema newer than this image knows (a rollback to the previous release): go on, with a
  warning. Migrations are expand-then-contract, so the previous release runs on the next
  schema; waiting here would block every rollback.

Exits 1 after SCHEMA_WAIT_TIMEOUT seconds (default 600) so that a migration that never ran
shows as Init:Error/CrashLoopBackOff in `kubectl get pods`; Kubernetes then retries.
Run by the image's Python, from a ConfigMap (deploy/k8s/base/kustomization.yaml).
"""

import asyncio
import os
import sys
import time

import asyncpg
from alembic.config import Config
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy.engine import make_url

from app.cli import ROOT
from app.config import get_settings

POLL_SECONDS = 3.0


def log(message: str) -> None:
    print(f"wait-for-schema: {message}", flush=True)


async def current_revisions(database_url: str) -> set[str] | None:
    """The revisions recorded in the database, or None when there is no schema yet."""
    url = make_url(database_url).set(drivername="postgresql")
    connection = await asyncpg.connect(url.render_as_string(hide_password=False), timeout=5)
    try:
        rows = await connection.fetch("SELECT version_num FROM alembic_version")
    except asyncpg.UndefinedTableError:
        return None
    finally:
        await connection.close()
    return {row["version_num"] for row in rows}


def main() -> int:
    timeout = float(os.environ.get("SCHEMA_WAIT_TIMEOUT", "600"))
    script = ScriptDirectory.from_config(Config(str(ROOT / "alembic.ini")))
    heads = set(script.get_heads())
    database_url = get_settings().database_url
    deadline = time.monotonic() + timeout
    last = ""
    while True:
        try:
            current = asyncio.run(current_revisions(database_url))
        except (OSError, asyncpg.PostgresError) as error:  # TimeoutError is an OSError
            state = f"database not ready ({type(error).__name__})"
        else:
            if current == heads:
                log(f"schema is at {', '.join(sorted(heads))}")
                return 0
            unknown = set()
            for revision in current or ():
                try:
                    script.get_revision(revision)
                except CommandError:
                    unknown.add(revision)
            if unknown:
                log(
                    f"schema {', '.join(sorted(unknown))} is newer than this image's "
                    f"{', '.join(sorted(heads))} (a rollback?): starting anyway"
                )
                return 0
            shown = ", ".join(sorted(current)) if current else "empty"
            state = f"schema is {shown}, waiting for {', '.join(sorted(heads))}"
        if state != last:
            log(f"{state}; is the supportdesk-migrate Job done?")
            last = state
        if time.monotonic() > deadline:
            log(f"gave up after {timeout:.0f} s")
            return 1
        time.sleep(POLL_SECONDS)


if __name__ == "__main__":
    sys.exit(main())

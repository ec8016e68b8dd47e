"""`supportdesk dev`: the API and a worker on embedded Postgres and Redis, with demo data."""

import asyncio
import os
import secrets
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from app.crypto import DEVELOPMENT_KEY
from app.embedded import EmbeddedPostgres, EmbeddedRedis, data_root
from app.mail.devsink import DevSink

DEMO_ORGANIZATION = "Demo Co"


def _kept(root: Path, variable: str, make: Callable[[], str]) -> str:
    """A secret from the environment, or one made once and kept in the data dir (owner-only)
    across restarts, in a file named after the variable."""
    if os.environ.get(variable):
        return os.environ[variable]
    path = root / variable.removeprefix("SUPPORTDESK_").lower()
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text(make())
    return path.read_text().strip()


def _secret_keys(root: Path) -> str:
    """Dev's own SUPPORTDESK_SECRET_KEYS (the API and workers need real ones)."""
    # A data dir from before dev made its own key sealed its webhook secrets with the old
    # built-in key: keep that one for decrypting only (second in the list).
    legacy = (root / "postgres").exists()
    return _kept(
        root,
        "SUPPORTDESK_SECRET_KEYS",
        lambda: secrets.token_urlsafe(32) + (f",{DEVELOPMENT_KEY}" if legacy else ""),
    )


async def _seed(port: int) -> tuple[str, str] | None:
    """Creates a demo organization, contacts and agents once; returns a demo contact key and
    a widget key for this server's own demo page."""
    # Imported here: the settings these modules read are set by `run_dev` from the embedded
    # servers it starts, after this module was imported.
    import sqlalchemy as sa

    from app.api_keys import service as api_keys
    from app.api_keys.models import KeyKind
    from app.api_keys.schemas import ApiKeyCreate
    from app.assignment import service as agents
    from app.assignment.schemas import AgentCreate
    from app.config import get_settings
    from app.db import create_engine, create_session_factory, unit_of_work
    from app.organizations import contacts
    from app.organizations import service as organizations
    from app.organizations.models import Organization
    from app.organizations.schemas import ContactCreate, OrganizationCreate
    from app.security import Principal

    admin = Principal(kind=KeyKind.admin)
    engine = create_engine(get_settings())
    try:
        async with unit_of_work(create_session_factory(engine)) as session:
            existing = await session.execute(
                sa.select(Organization.id).where(Organization.name == DEMO_ORGANIZATION)
            )
            if existing.first() is not None:
                return None
            for name, email, role, expertise in (
                ("Pat Morgan", "pat@desk.example", "pm", ["saas", "shopify"]),
                ("Sam Lee", "sam@desk.example", "senior_pm", ["saas"]),
                ("Alex Kim", "alex@desk.example", "support_tier1", ["web"]),
                ("Riley Chen", "riley@desk.example", "support_tier3", ["web", "payments"]),
            ):
                await agents.create(
                    session,
                    data=AgentCreate(name=name, email=email, role=role, expertise=expertise),
                )
            organization = await organizations.create(
                session,
                principal=admin,
                data=OrganizationCreate(
                    name=DEMO_ORGANIZATION, plan="enterprise", industry="saas", platform="shopify"
                ),
            )
            jane = await contacts.create(
                session,
                principal=admin,
                organization_id=organization.id,
                data=ContactCreate(email="jane@demo.example", name="Jane Doe", designated=True),
            )
            await contacts.create(
                session,
                principal=admin,
                organization_id=organization.id,
                data=ContactCreate(email="joe@demo.example", name="Joe Bloggs", designated=False),
            )
            _, key = await api_keys.create(
                session,
                principal=admin,
                data=ApiKeyCreate(kind=KeyKind.contact, name="demo contact", contact_id=jane.id),
            )
            _, widget = await api_keys.create(
                session,
                principal=admin,
                data=ApiKeyCreate(
                    kind=KeyKind.widget,
                    name="demo widget",
                    organization_id=organization.id,
                    allowed_origins=[f"http://127.0.0.1:{port}", f"http://localhost:{port}"],
                ),
            )
            return key, widget
    finally:
        await engine.dispose()


def _start_services(root: Path) -> list:
    """Starts embedded Postgres, Redis and an SMTP sink for whatever the environment does not
    configure; the worker inherits the URLs through the environment."""
    started: list = []
    try:
        if not os.environ.get("SUPPORTDESK_DATABASE_URL"):
            postgres = EmbeddedPostgres(root / "postgres")
            started.append(postgres)
            postgres.ensure_database("supportdesk")
            os.environ["SUPPORTDESK_DATABASE_URL"] = postgres.url("supportdesk")
        if not os.environ.get("SUPPORTDESK_REDIS_URL"):
            redis = EmbeddedRedis(root / "redis")
            started.append(redis)
            os.environ["SUPPORTDESK_REDIS_URL"] = redis.url()
        if not os.environ.get("SUPPORTDESK_SMTP_URL"):
            sink = DevSink(root / "mail").start()
            started.append(sink)
            os.environ["SUPPORTDESK_SMTP_URL"] = sink.url
            os.environ["SUPPORTDESK_DEV_MAIL_DIR"] = str(sink.folder)
    except BaseException:
        # One that failed to start must not leave the others running.
        for service in reversed(started):
            service.stop()
        raise
    return started


def run_dev(*, port: int, seed: bool) -> None:
    """Runs until Ctrl-C or SIGTERM, then stops everything it started."""
    root = data_root()
    root.mkdir(parents=True, exist_ok=True)
    os.environ["SUPPORTDESK_ADMIN_KEY"] = _kept(
        root, "SUPPORTDESK_ADMIN_KEY", lambda: "sd_admin_" + secrets.token_urlsafe(32)
    )
    os.environ["SUPPORTDESK_SECRET_KEYS"] = _secret_keys(root)
    # Links in the mail (the rating page) point at this server, not the default port.
    os.environ.setdefault("SUPPORTDESK_PUBLIC_URL", f"http://127.0.0.1:{port}")
    # Attachments in a folder beside the embedded databases.
    os.environ.setdefault("SUPPORTDESK_STORAGE_URL", f"file://{(root / 'attachments').resolve()}")
    started = _start_services(root)
    worker = None
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        from app.cli import KEEP_ALIVE_SECONDS, migrate
        from app.config import get_settings

        get_settings.cache_clear()
        migrate()
        keys = asyncio.run(_seed(port)) if seed else None
        worker = subprocess.Popen([sys.executable, "-m", "app.cli", "worker"], env=os.environ)
        _banner(port, os.environ["SUPPORTDESK_ADMIN_KEY"], keys)
        import uvicorn

        uvicorn.run(
            "app.main:app",
            host="127.0.0.1",
            port=port,
            log_level="info",
            timeout_keep_alive=KEEP_ALIVE_SECONDS,
        )
    except KeyboardInterrupt:
        pass
    finally:
        if worker is not None and worker.poll() is None:
            worker.terminate()
            worker.wait(timeout=30)
        for service in reversed(started):
            service.stop()


def _banner(port: int, admin_key: str, keys: tuple[str, str] | None) -> None:
    lines = [
        "",
        f"  Support Desk is starting on http://127.0.0.1:{port}  (docs: /docs)",
        f"  admin key:        {admin_key}",
    ]
    if keys:
        contact_key, widget_key = keys
        lines.append(f"  demo contact key: {contact_key}  (Jane Doe, Demo Co; shown once)")
        lines.append(
            f"  the ? widget:     http://127.0.0.1:{port}/widget/demo?key={widget_key}"
            "  (raise a ticket as jane@demo.example)"
        )
    if os.environ.get("SUPPORTDESK_DEV_MAIL_DIR"):
        lines.append(f"  mail it sends:    http://127.0.0.1:{port}/dev/mail")
    lines.append(
        f"  try: curl -H 'Authorization: Bearer {admin_key}' "
        f"http://127.0.0.1:{port}/v1/organizations"
    )
    print("\n".join(lines) + "\n", flush=True)

"""The `supportdesk` command: serve, worker, migrate, dev, openapi, keys create, mail-in."""

import argparse
import asyncio
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import httpx

    from app.config import Settings

# Each command imports the app inside its own function: `supportdesk --help` and `keys create`
# start without loading FastAPI, and `dev` starts embedded servers before settings are read.
ROOT = Path(__file__).resolve().parent.parent
# Seconds an idle connection stays open: longer than any client's or load balancer's idle
# timeout (httpx 5 s, load balancers 60 s), so they close it first and never send a request
# into a connection the API is closing.
KEEP_ALIVE_SECONDS = 75


def _secure_settings(command: str) -> "Settings":
    """The settings, or exit with the reason the API or a worker must not start."""
    from app.config import InsecureSettings, get_settings, require_secrets

    settings = get_settings()
    try:
        require_secrets(settings)
    except InsecureSettings as error:
        sys.exit(f"supportdesk {command}: refusing to start: {error}")
    return settings


def cmd_serve(args: argparse.Namespace) -> None:
    import uvicorn

    from app import logs

    settings = _secure_settings("serve")
    uvicorn.run(
        "app.main:app",
        log_config=logs.config(settings.log_format, settings.log_level),
        host=args.host,
        port=args.port,
        workers=args.workers,
        proxy_headers=True,
        access_log=args.access_log,
        timeout_graceful_shutdown=args.grace,
        timeout_keep_alive=args.keep_alive,
    )


def cmd_worker(args: argparse.Namespace) -> None:
    import logging.config

    from app import logs
    from app.workers import WorkerSettings
    from app.workers.runner import run as run_worker

    if args.check:
        from arq.worker import check_health

        sys.exit(check_health(WorkerSettings))  # type: ignore[arg-type]
    settings = _secure_settings("worker")
    logging.config.dictConfig(logs.config(settings.log_format, settings.log_level))
    run_worker(WorkerSettings)  # type: ignore[arg-type]


def migrate(database_url: str | None = None) -> None:
    """Runs `alembic upgrade head` from the repository root."""
    from alembic import command
    from alembic.config import Config

    config = Config(str(ROOT / "alembic.ini"))
    config.attributes["configure_logging"] = False
    if database_url:
        config.attributes["database_url"] = database_url
    command.upgrade(config, "head")


def cmd_migrate(args: argparse.Namespace) -> None:
    migrate()
    print("database is at the latest revision")


def render_spec() -> str:
    """The OpenAPI document the app serves, as committed to openapi/openapi.json."""
    from app.main import create_app

    return json.dumps(create_app().openapi(), indent=2, sort_keys=False) + "\n"


def cmd_openapi(args: argparse.Namespace) -> None:
    from app import clientkit

    clientkit.openapi(render_spec(), check=args.check)


def cmd_keys_create(args: argparse.Namespace) -> None:
    from app.api_keys.models import KeyKind
    from app.api_keys.schemas import ApiKeyCreate
    from app.security import Principal

    data = ApiKeyCreate(
        kind=args.kind,
        name=args.name,
        organization_id=args.organization_id,
        contact_id=args.contact_id,
        agent_id=args.agent_id,
        allowed_origins=args.allowed_origin or [],
    )
    key = asyncio.run(issue_key(Principal(kind=KeyKind.admin), data))
    print(key)


async def issue_key(principal, data) -> str:
    """Creates an API key in its own transaction and returns the plaintext."""
    from app.api_keys import service
    from app.config import get_settings
    from app.db import create_engine, create_session_factory, unit_of_work

    engine = create_engine(get_settings())
    try:
        async with unit_of_work(create_session_factory(engine)) as session:
            _, plaintext = await service.create(session, principal=principal, data=data)
    finally:
        await engine.dispose()
    return plaintext


# sysexits.h codes, as a Postfix pipe(8) transport reads them: 75 defers the mail (Postfix
# retries), 67 and 65 bounce it to the sender with our stderr as the reason.
EX_DATAERR, EX_NOUSER, EX_TEMPFAIL, EX_CONFIG = 65, 67, 75, 78


def cmd_mail_in(args: argparse.Namespace) -> None:
    """Posts one raw message from stdin to the API, answering with the exit code Postfix
    acts on: delivered (0), refused sender (67), or try again later (75)."""
    import httpx

    if not args.key:
        print("supportdesk mail-in: no key (--key or SUPPORTDESK_MAIL_IN_KEY)", file=sys.stderr)
        sys.exit(EX_CONFIG)
    raw = sys.stdin.buffer.read()
    try:
        response = httpx.post(
            f"{args.url.rstrip('/')}/v1/intake/email",
            content=raw,
            headers={"Authorization": f"Bearer {args.key}", "Content-Type": "message/rfc822"},
            timeout=args.timeout,
        )
    except httpx.HTTPError as error:
        print(f"supportdesk mail-in: {args.url} unreachable: {error!r}", file=sys.stderr)
        sys.exit(EX_TEMPFAIL)
    sys.exit(_mail_in_exit(response))


def _mail_in_exit(response: "httpx.Response") -> int:
    if response.is_success:
        return 0
    try:
        detail = response.json().get("detail", response.text)
    except ValueError:
        detail = response.text
    print(f"supportdesk mail-in: {response.status_code}: {detail}"[:2000], file=sys.stderr)
    if response.status_code == 422:
        return EX_NOUSER
    if response.status_code in (413, 415):
        return EX_DATAERR  # retrying cannot make the message acceptable
    # 5xx, rate limits, and a key the API refuses (a setup mistake an operator fixes):
    # the mail waits in Postfix's queue rather than bouncing.
    return EX_TEMPFAIL


def cmd_dev(args: argparse.Namespace) -> None:
    from app.dev import run_dev

    run_dev(port=args.port, seed=not args.no_seed)


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="supportdesk", description=__doc__)
    commands = root.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the API (uvicorn)")
    serve.add_argument("--host", default=os.environ.get("SUPPORTDESK_HOST", "0.0.0.0"))
    serve.add_argument("--port", type=int, default=int(os.environ.get("SUPPORTDESK_PORT", 8000)))
    serve.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 1)))
    serve.add_argument("--grace", type=int, default=25, help="seconds to drain on SIGTERM")
    serve.add_argument(
        "--keep-alive",
        type=int,
        default=int(os.environ.get("SUPPORTDESK_KEEP_ALIVE_SECONDS", KEEP_ALIVE_SECONDS)),
        help="seconds an idle connection stays open (above clients' and load balancers')",
    )
    serve.add_argument("--access-log", action="store_true")
    serve.set_defaults(func=cmd_serve)

    worker = commands.add_parser("worker", help="run an arq worker")
    worker.add_argument(
        "--check", action="store_true", help="exit 0 if workers reported healthy recently (probes)"
    )
    worker.set_defaults(func=cmd_worker)
    commands.add_parser("migrate", help="alembic upgrade head").set_defaults(func=cmd_migrate)

    dev = commands.add_parser("dev", help="API + worker on embedded Postgres/Redis, with demo data")
    dev.add_argument("--port", type=int, default=8000)
    dev.add_argument("--no-seed", action="store_true")
    dev.set_defaults(func=cmd_dev)

    spec = commands.add_parser(
        "openapi", help="write openapi/openapi.json and regenerate the clients from it"
    )
    spec.add_argument(
        "--check", action="store_true", help="fail if the committed spec or a client differs"
    )
    spec.set_defaults(func=cmd_openapi)

    mail_in = commands.add_parser(
        "mail-in", help="post one raw message from stdin to the API (a Postfix pipe transport)"
    )
    mail_in.add_argument("--url", default="http://127.0.0.1:8000", help="the API's base URL")
    mail_in.add_argument(
        "--key",
        default=os.environ.get("SUPPORTDESK_MAIL_IN_KEY"),
        help="an integration key (default: $SUPPORTDESK_MAIL_IN_KEY)",
    )
    mail_in.add_argument("--timeout", type=float, default=30.0, help="seconds")
    mail_in.set_defaults(func=cmd_mail_in)

    keys = commands.add_parser("keys", help="API keys").add_subparsers(dest="keys", required=True)
    create = keys.add_parser("create", help="issue a key and print it once")
    create.add_argument("--kind", default="admin")
    create.add_argument("--name", default="created from the shell")
    create.add_argument("--organization-id")
    create.add_argument("--contact-id")
    create.add_argument("--agent-id")
    create.add_argument("--allowed-origin", action="append")
    create.set_defaults(func=cmd_keys_create)
    return root


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main()

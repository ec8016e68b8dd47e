"""Secrets: the API and workers refuse to start without real secret keys (`supportdesk dev` and
the tests set their own), the bootstrap admin key is long, and its events name it."""

import os
import stat

import pytest

from app.config import InsecureSettings, Settings, require_secrets
from app.crypto import DEVELOPMENT_KEY
from app.dev import _secret_keys
from app.main import create_app
from tests.conftest import ADMIN_KEY
from tests.factories import ADMIN, make_key, make_ticket
from tests.processes import free_port, run

LONG_KEY = "k" * 32
# Enough for a refusal, which comes before anything connects; a started server never exits.
WITHIN = 30


def serve() -> list[str]:
    return ["serve", "--host", "127.0.0.1", "--port", str(free_port())]


@pytest.mark.parametrize("command", [serve(), ["worker"]], ids=["api", "worker"])
def test_the_api_and_workers_refuse_to_start_without_secret_keys(command):
    finished = run(*command, within=WITHIN, unset=("SUPPORTDESK_SECRET_KEYS",))
    assert finished.returncode == 1
    assert "refusing to start: SUPPORTDESK_SECRET_KEYS is not set" in finished.stderr
    assert "Generate one with: python3 -c" in finished.stderr


@pytest.mark.parametrize(
    ("command", "variables", "reason"),
    [
        (serve(), {"SUPPORTDESK_SECRET_KEYS": "too-short"}, "key 1 of 1 is 9 bytes"),
        (["worker"], {"SUPPORTDESK_SECRET_KEYS": f"{LONG_KEY},short"}, "key 2 of 2 is 5 bytes"),
        (serve(), {"SUPPORTDESK_ADMIN_KEY": "a" * 31}, "SUPPORTDESK_ADMIN_KEY is 31 characters"),
    ],
    ids=["short-key", "short-second-key", "short-admin-key"],
)
def test_short_secrets_are_refused_at_startup(command, variables, reason):
    finished = run(*command, within=WITHIN, **variables)
    assert finished.returncode == 1
    assert "refusing to start:" in finished.stderr and reason in finished.stderr


async def test_the_apps_own_startup_refuses_them_too():
    """`uvicorn app.main:app` does not go through the `supportdesk` command."""
    application = create_app(Settings(secret_keys=[], admin_key=ADMIN_KEY))
    with pytest.raises(InsecureSettings, match="SUPPORTDESK_SECRET_KEYS is not set"):
        async with application.router.lifespan_context(application):
            pass


def test_long_enough_secrets_pass():
    require_secrets(Settings(secret_keys=f"{LONG_KEY},{'x' * 40}", admin_key="a" * 32))
    require_secrets(Settings(secret_keys=LONG_KEY, admin_key=None))


def test_dev_makes_its_own_secret_key_once_and_keeps_it(tmp_path, monkeypatch):
    monkeypatch.delenv("SUPPORTDESK_SECRET_KEYS")
    made = _secret_keys(tmp_path)
    require_secrets(Settings(secret_keys=made, admin_key=None))
    assert _secret_keys(tmp_path) == made
    assert stat.S_IMODE(os.stat(tmp_path / "secret_keys").st_mode) == 0o600
    monkeypatch.setenv("SUPPORTDESK_SECRET_KEYS", LONG_KEY)
    assert _secret_keys(tmp_path) == LONG_KEY


def test_dev_keeps_reading_secrets_its_old_data_dir_sealed(tmp_path, monkeypatch):
    monkeypatch.delenv("SUPPORTDESK_SECRET_KEYS")
    (tmp_path / "postgres").mkdir()
    new, old = _secret_keys(tmp_path).split(",")
    assert len(new) >= 32 and old == DEVELOPMENT_KEY


async def test_events_caused_by_the_bootstrap_key_name_it(client, tenant):
    issued = await make_key(client, "admin")
    by_bootstrap = await make_ticket(client, ADMIN, requester=tenant.contact)
    by_issued_key = await make_ticket(client, issued, requester=tenant.contact)
    actors = []
    for ticket in (by_bootstrap, by_issued_key):
        response = await client.get(f"/v1/tickets/{ticket['id']}/events", headers=ADMIN)
        [created] = [e for e in response.json()["data"] if e["type"] == "ticket.created"]
        actors.append(created["actor"])
    assert actors[0] == {"type": "bootstrap", "id": None, "key_id": None}
    assert actors[1]["type"] == "admin" and actors[1]["key_id"] is not None

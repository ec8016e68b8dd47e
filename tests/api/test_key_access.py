"""A key loses access in every API process at once: revoked, its agent deactivated, its contact
deleted. Two real `supportdesk serve` processes with a one-minute key cache, as two pods run."""

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from app.api_keys.cache import KeyAccessListener, KeyCache
from app.config import Settings
from app.main import create_app
from app.security import hash_key
from tests.factories import ADMIN, bearer, make_agent, make_contact, make_organization
from tests.processes import two_apis

# Far longer than the test: only the invalidation can make a process forget a key.
LONG_CACHE = {"SUPPORTDESK_API_KEY_CACHE_SECONDS": "60"}
WITHIN_SECONDS = 1.0
PROBE = "/v1/tickets?limit=1"


@pytest.fixture(scope="module")
async def apis() -> AsyncIterator[list[httpx.AsyncClient]]:
    """Two API processes on the test database, each with its own memory."""
    async with two_apis(**LONG_CACHE) as both:
        yield both


async def issue(client: httpx.AsyncClient, kind: str, **fields: Any) -> dict[str, Any]:
    body = {"kind": kind, "name": f"{kind} key", **fields}
    response = await client.post("/v1/api-keys", json=body, headers=ADMIN)
    assert response.status_code == 201, response.text
    return response.json()


async def warm(apis: list[httpx.AsyncClient], headers: dict[str, str]) -> None:
    """Each process has looked the key up (and cached it)."""
    for http in apis:
        for _ in range(2):
            response = await http.get(PROBE, headers=headers)
            assert response.status_code == 200, response.text


async def seconds_until(apis: list[httpx.AsyncClient], headers: dict[str, str], status: int):
    """How long until every process answers the key with `status`; fails after a second."""
    started = time.monotonic()
    waiting = set(range(len(apis)))
    while waiting:
        for index in sorted(waiting):
            if (await apis[index].get(PROBE, headers=headers)).status_code == status:
                waiting.discard(index)
        elapsed = time.monotonic() - started
        assert not waiting or elapsed < WITHIN_SECONDS, (
            f"process(es) {sorted(waiting)} still answer otherwise after {elapsed:.2f} s"
        )
        await asyncio.sleep(0.01)
    return time.monotonic() - started


async def test_a_revoked_key_is_refused_by_every_process_within_a_second(client, apis):
    organization = await make_organization(client)
    key = await issue(client, "integration", organization_id=organization["id"])
    headers = bearer(key["key"])
    await warm(apis, headers)

    response = await apis[0].delete(f"/v1/api-keys/{key['id']}", headers=ADMIN)
    assert response.status_code == 204, response.text
    await seconds_until(apis, headers, 401)


async def test_a_deactivated_agents_keys_are_refused_by_every_process(client, apis):
    agent = await make_agent(client)
    headers = bearer((await issue(client, "agent", agent_id=agent["id"]))["key"])
    await warm(apis, headers)

    url = f"/v1/agents/{agent['id']}"
    response = await apis[0].patch(url, json={"active": False}, headers=ADMIN)
    assert response.status_code == 200, response.text
    await seconds_until(apis, headers, 401)

    # Reactivated: every process forgets the refusal too.
    response = await apis[1].patch(url, json={"active": True}, headers=ADMIN)
    assert response.status_code == 200, response.text
    await seconds_until(apis, headers, 200)


async def test_a_deleted_contacts_keys_are_refused_by_every_process(client, apis):
    organization = await make_organization(client)
    contact = await make_contact(client, organization)
    headers = bearer((await issue(client, "contact", contact_id=contact["id"]))["key"])
    await warm(apis, headers)

    url = f"/v1/organizations/{organization['id']}/contacts/{contact['id']}"
    response = await apis[1].delete(url, headers=ADMIN)
    assert response.status_code == 204, response.text
    await seconds_until(apis, headers, 401)


async def test_an_inactive_agents_key_is_refused_at_once(client):
    agent = await make_agent(client)
    headers = bearer((await issue(client, "agent", agent_id=agent["id"]))["key"])
    assert (await client.get(PROBE, headers=headers)).status_code == 200

    url = f"/v1/agents/{agent['id']}"
    await client.patch(url, json={"active": False}, headers=ADMIN)
    response = await client.get(PROBE, headers=headers)
    assert response.status_code == 401
    assert "deactivated" in response.json()["detail"]

    await client.patch(url, json={"active": True}, headers=ADMIN)
    assert (await client.get(PROBE, headers=headers)).status_code == 200


async def test_a_key_revoked_in_sql_empties_the_cache_too(client, app):
    """Whoever writes the row (a script, a console): the database tells every process."""
    key = await issue(
        client, "integration", organization_id=(await make_organization(client))["id"]
    )
    cache = KeyCache(ttl=60)
    listener = KeyAccessListener(cache, app.state.settings.database_url)
    listener.start()
    try:
        await until(lambda: cache.trusted_until > time.monotonic())
        cache.put(b"digest", None, cache.generation)
        assert cache.get(b"digest") == (True, None)
        async with app.state.engine.begin() as connection:
            await connection.execute(
                sa.text("UPDATE api_keys SET revoked_at = now() WHERE id = :id"), {"id": key["id"]}
            )
        await until(lambda: cache.get(b"digest") == (False, None))
    finally:
        await listener.stop()


async def test_while_listening_a_process_reuses_its_lookups(client):
    key = await issue(
        client, "integration", organization_id=(await make_organization(client))["id"]
    )
    application = create_app(Settings(api_key_cache_seconds=60))
    async with application.router.lifespan_context(application):
        cache = application.state.key_cache
        await until(lambda: cache.trusted_until > time.monotonic())
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            assert (await http.get(PROBE, headers=bearer(key["key"]))).status_code == 200
        cached, principal = cache.get(hash_key(key["key"]))
        assert cached and principal is not None and str(principal.key_id) == key["id"]


async def test_without_its_listener_the_cache_keeps_nothing():
    cache = KeyCache(ttl=60)
    listener = KeyAccessListener(cache, "postgresql+asyncpg://nobody@127.0.0.1:1/nothing")
    listener.start()
    try:
        await asyncio.sleep(0.3)
        cache.put(b"digest", None, cache.generation)
        assert cache.get(b"digest") == (False, None)
    finally:
        await listener.stop()


def test_a_lookup_that_raced_an_invalidation_is_not_kept():
    cache = KeyCache(ttl=60)
    cache.trusted_until = time.monotonic() + 60
    began = cache.generation
    cache.invalidate()  # a revocation arrives while the lookup is in flight
    cache.put(b"digest", None, began)
    assert cache.get(b"digest") == (False, None)
    cache.put(b"digest", None, cache.generation)
    assert cache.get(b"digest") == (True, None)


async def until(condition, within: float = WITHIN_SECONDS * 5) -> None:
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, "condition never held"
        await asyncio.sleep(0.01)

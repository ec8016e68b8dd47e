"""Shared helpers for the webhook and change-feed tests: API shortcuts, a movable clock,
signature checks and direct looks at the database."""

import asyncio
import base64
import hashlib
import hmac
import time
from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import httpx
import sqlalchemy as sa

from tests.factories import ADMIN
from tests.webhooks.receiver import Received

T = TypeVar("T")


class MovableClock:
    """The app's clock: the wall clock plus an offset the test moves forward (or back);
    frozen, it stands still but for the test's moves, so no retry falls due by itself."""

    def __init__(self) -> None:
        self.offset = timedelta(0)
        self.frozen_at: datetime | None = None

    def __call__(self) -> datetime:
        return (self.frozen_at or datetime.now(UTC)) + self.offset

    def freeze(self) -> "MovableClock":
        self.frozen_at = datetime.now(UTC)
        return self

    def advance(self, delta: timedelta) -> None:
        self.offset += delta

    def move_past(self, when: datetime, margin: timedelta = timedelta(seconds=1)) -> None:
        """Moves the clock to just after `when` (never backwards)."""
        gap = when + margin - self()
        if gap > timedelta(0):
            self.offset += gap


async def create_endpoint(
    client: httpx.AsyncClient, url: str, headers: dict[str, str] = ADMIN, **fields: Any
) -> dict[str, Any]:
    response = await client.post(
        "/v1/webhook-endpoints", json={"url": url, **fields}, headers=headers
    )
    assert response.status_code == 201, response.text
    return response.json()


async def get_endpoint(
    client: httpx.AsyncClient, endpoint_id: str, headers: dict[str, str] = ADMIN
) -> dict[str, Any]:
    response = await client.get(f"/v1/webhook-endpoints/{endpoint_id}", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def deliveries(
    client: httpx.AsyncClient, endpoint_id: str, headers: dict[str, str] = ADMIN, **params: Any
) -> list[dict[str, Any]]:
    """Every delivery of the endpoint through the API (all pages), newest first."""
    found: list[dict[str, Any]] = []
    cursor = None
    while True:
        query = {**params, "limit": 200, **({"cursor": cursor} if cursor else {})}
        response = await client.get(
            f"/v1/webhook-endpoints/{endpoint_id}/deliveries", params=query, headers=headers
        )
        assert response.status_code == 200, response.text
        page = response.json()
        found += page["data"]
        cursor = page["next_cursor"]
        if cursor is None:
            return found


async def feed(
    client: httpx.AsyncClient, headers: dict[str, str] = ADMIN, **params: Any
) -> dict[str, Any]:
    response = await client.get("/v1/events", params=params, headers=headers)
    assert response.status_code == 200, response.text
    page = response.json()
    assert isinstance(page["next_cursor"], str) and page["next_cursor"]
    return page


async def whole_feed(
    client: httpx.AsyncClient, headers: dict[str, str] = ADMIN, **params: Any
) -> list[dict[str, Any]]:
    """Every event the caller sees, reading the feed page by page."""
    events: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = await feed(client, headers, **params, **({"cursor": cursor} if cursor else {}))
        events += page["data"]
        cursor = page["next_cursor"]
        if not page["has_more"]:
            return events


async def eventually(
    check: Callable[[], Awaitable[T]], within: float = 10.0, every: float = 0.05
) -> T:
    """Polls `check` until it returns something truthy; fails after `within` seconds."""
    deadline = time.monotonic() + within
    while True:
        value = await check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {within} s (last: {value!r})")
        await asyncio.sleep(every)


async def query(app, sql: str, **params: Any) -> list[sa.Row]:
    async with app.state.engine.connect() as connection:
        return list((await connection.execute(sa.text(sql), params)).all())


async def delivery_rows(app, endpoint_id: str | None = None) -> list[sa.Row]:
    """Deliveries straight from the database, in feed order."""
    where = "WHERE endpoint_id = :endpoint_id" if endpoint_id else ""
    return await query(
        app,
        f"SELECT * FROM webhook_deliveries {where} ORDER BY position NULLS LAST, created_at",
        **({"endpoint_id": endpoint_id} if endpoint_id else {}),
    )


async def settled(
    app, endpoint_id: str, *, failures: int | None = None, attempts: int | None = None
) -> list[sa.Row]:
    """Waits until the endpoint has deliveries and none is being attempted right now
    (each has as many recorded attempts as claims), and, when given, until one has
    `failures` failures and one has been attempted `attempts` times; returns the
    deliveries."""

    async def check() -> list[sa.Row] | None:
        rows = await query(
            app,
            "SELECT d.*, (SELECT count(*) FROM webhook_attempts a WHERE a.delivery_id = d.id) "
            "AS logged FROM webhook_deliveries d WHERE d.endpoint_id = :endpoint_id",
            endpoint_id=endpoint_id,
        )
        if not rows or any(row.logged != row.attempt_count for row in rows):
            return None
        if failures is not None and not any(row.failures == failures for row in rows):
            return None
        if attempts is not None and not any(row.attempt_count == attempts for row in rows):
            return None
        return rows

    return await eventually(check)


def make_due(clock: MovableClock, rows: Iterable[sa.Row], pumps: Iterable[Any]) -> None:
    """Moves the clock past every pending delivery's next attempt and wakes the pumps."""
    pending = [row.next_attempt_at for row in rows if row.status == "pending"]
    assert pending, "nothing is waiting for a retry"
    clock.move_past(max(pending))
    wake(pumps)


def wake(pumps: Iterable[Any]) -> None:
    for pump in pumps:
        pump.send_wake.set()


def signatures(request: Received) -> list[str]:
    return request.headers["webhook-signature"].split(" ")


def signed_by(request: Received, secret: str) -> bool:
    """Whether one of the request's signatures is this secret's (Standard Webhooks scheme,
    checked exactly, without the verifier's tolerance on the timestamp)."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = (
        f"{request.headers['webhook-id']}.{request.headers['webhook-timestamp']}.".encode()
        + request.body
    )
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return f"v1,{expected}" in signatures(request)


def of_type(received: Iterable[Received], kind: str) -> list[Received]:
    return [request for request in received if request.json["type"] == kind]


SENTINEL_PATH = "/sentinel"


async def sentinel_endpoint(
    client: httpx.AsyncClient, receiver: Any, sentinel: Any
) -> dict[str, Any]:
    """An endpoint of the sentinel organization (a tenant the test does not otherwise use),
    receiving at /sentinel: tests whose endpoints belong to another organization use it to
    observe that the pumps have looked for work (`pumps_have_looked`)."""
    url = receiver.url.replace("/hooks", SENTINEL_PATH)
    return await create_endpoint(
        client, url, sentinel.integration_key, event_types=["ticket.created"]
    )


async def pumps_have_looked(client: httpx.AsyncClient, receiver: Any, sentinel: Any) -> None:
    """Returns once the pumps have looked for due deliveries since now: a new event for the
    sentinel organization has been claimed and delivered. Whatever was due by then was
    claimed no later than that event (claims take due deliveries oldest first), so a
    delivery whose attempt count has not grown by then (see `settled`) was not due."""
    from tests.factories import make_ticket

    def arrived(received: list[Received]) -> int:
        return sum(1 for request in received if request.path == SENTINEL_PATH)

    before = arrived(receiver.received)
    await make_ticket(client, requester=sentinel.contact)
    await receiver.wait_for(lambda received: arrived(received) > before)

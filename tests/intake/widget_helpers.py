"""Shared by the widget tests: keys, a browser-like client and what the database holds."""

import os
import random
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import urlparse

import httpx
import sqlalchemy as sa
from fastapi import FastAPI

from app.events.models import Event
from app.tickets.models import Ticket
from tests.factories import ADMIN, created

ORIGIN = "https://app.client.example"
CHROME_ON_MAC = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36"
)
REQUEST = {
    "email": "",
    "subject": "The export button does nothing",
    "description": "I click Export on the orders page and nothing downloads.",
}


async def make_widget_key(
    client: httpx.AsyncClient,
    organization: dict[str, Any],
    origins: tuple[str, ...] = (ORIGIN,),
    **fields: Any,
) -> dict[str, Any]:
    body = {
        "kind": "widget",
        "name": "Website widget",
        "organization_id": organization["id"],
        "allowed_origins": list(origins),
        **fields,
    }
    return await created(await client.post("/v1/api-keys", json=body, headers=ADMIN))


def widget_headers(key: str, origin: str = ORIGIN, **extra: str) -> dict[str, str]:
    """What a browser on `origin` sends with the widget's POST."""
    return {
        "Authorization": f"Bearer {key}",
        "Origin": origin,
        "User-Agent": CHROME_ON_MAC,
        **extra,
    }


def widget_request(email: str, **fields: Any) -> dict[str, Any]:
    return {**REQUEST, "email": email, **fields}


def unflushed_redis_url() -> str:
    """The test Redis on a database no test flushes: other test runs on this server flush
    theirs before every test, which would refill a budget in the middle of a test."""
    return urlparse(os.environ["SUPPORTDESK_REDIS_URL"])._replace(path="/13").geturl()


def random_address() -> str:
    """A client address of the test's own, so budgets never carry over between tests or runs."""
    return f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"


@asynccontextmanager
async def browser_client(
    app: FastAPI, address: str | None = None
) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, client=(address or random_address(), 50123))
    async with httpx.AsyncClient(transport=transport, base_url="https://desk.example") as http:
        yield http


async def refusals(app: FastAPI, organization_id: str) -> list[Event]:
    async with app.state.sessions() as session:
        rows = await session.execute(
            sa.select(Event)
            .where(Event.type == "intake.refused", Event.organization_id == organization_id)
            .order_by(Event.seq)
        )
        return list(rows.scalars())


async def ticket_count(app: FastAPI, organization_id: str) -> int:
    async with app.state.sessions() as session:
        statement = sa.select(sa.func.count()).where(Ticket.organization_id == organization_id)
        return (await session.execute(statement)).scalar_one()


async def ticket_of(client: httpx.AsyncClient, receipt: httpx.Response) -> dict[str, Any]:
    """The whole ticket behind a widget receipt, as staff see it."""
    assert receipt.status_code == 201, receipt.text
    response = await client.get(f"/v1/tickets/{receipt.json()['id']}", headers=ADMIN)
    assert response.status_code == 200, response.text
    return response.json()

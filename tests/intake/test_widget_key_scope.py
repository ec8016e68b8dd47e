"""A widget key sits in customers' page source: it reaches the widget intake and nothing else."""

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from starlette.routing import BaseRoute

from tests.factories import ADMIN, make_agent, make_ticket
from tests.intake.widget_helpers import (
    browser_client,
    make_widget_key,
    ticket_count,
    widget_headers,
)
from tests.problems import assert_problem

# What a widget key is for: the intake, a file to send with it, and their CORS preflights.
WIDGET_ROUTES = {
    (method, path)
    for method in ("POST", "OPTIONS")
    for path in ("/v1/intake/widget", "/v1/intake/widget/attachments")
} | {("GET", "/v1/intake/widget/availability")}
# Routes that ask for no key at all: a widget key adds nothing there.
PUBLIC_ROUTES = {
    ("GET", "/openapi.json"),
    ("GET", "/docs"),
    ("GET", "/docs/oauth2-redirect"),
    ("GET", "/redoc"),
    ("GET", "/healthz"),
    ("GET", "/readyz"),
    ("GET", "/metrics"),
    ("GET", "/widget.js"),
    ("GET", "/widget/demo"),
    # The static rating page a resolution mail links to; the link's token, not a key, rates.
    ("GET", "/satisfaction/{ticket_id}"),
}
REFUSALS = {401, 403, 404}


def _leaf_routes(routes: list[BaseRoute]) -> Iterator[BaseRoute]:
    for route in routes:
        nested = getattr(route, "original_router", None)
        if nested is not None:
            yield from _leaf_routes(nested.routes)
        else:
            yield route


def operations(app: FastAPI) -> list[tuple[str, str]]:
    """Every (method, path template) the app serves, HEAD aside."""
    found = {
        (method, route.path)
        for route in _leaf_routes(app.router.routes)
        for method in getattr(route, "methods", None) or ()
        if method != "HEAD"
    }
    return sorted(found)


async def _path_ids(client, tenant, widget: dict[str, Any]) -> dict[str, str]:
    """Ids of real rows (the key's own organization, contact, ticket and key among them), so
    a refusal is never just a 404 for a row that does not exist."""
    ticket = await make_ticket(client, ADMIN, requester=tenant.contact)
    agent = await make_agent(client)
    calendars = (await client.get("/v1/calendars", headers=ADMIN)).json()["data"]
    return {
        "organization_id": tenant.organization["id"],
        "contact_id": tenant.contact["id"],
        "ticket_id": ticket["id"],
        "agent_id": agent["id"],
        "calendar_id": calendars[0]["id"],
        "key_id": widget["id"],
        "time_off_id": str(uuid.uuid4()),
        "endpoint_id": str(uuid.uuid4()),
        "delivery_id": str(uuid.uuid4()),
        "attachment_id": str(uuid.uuid4()),
    }


def test_the_exceptions_name_routes_the_app_serves(app):
    # Every other route, a new one included, is walked below; these lists must not go stale.
    served = set(operations(app))
    assert served >= WIDGET_ROUTES | PUBLIC_ROUTES


async def test_a_widget_key_reaches_nothing_but_the_widget_intake(app, client, tenant):
    widget = await make_widget_key(client, tenant.organization)
    ids = await _path_ids(client, tenant, widget)
    headers = widget_headers(widget["key"])
    answers = {}
    async with browser_client(app) as browser:
        for method, template in operations(app):
            if (method, template) in WIDGET_ROUTES | PUBLIC_ROUTES:
                continue
            path = template.format(**ids)
            body = {} if method in ("POST", "PUT", "PATCH") else None
            response = await browser.request(
                method, path, params={"key": widget["key"]}, json=body, headers=headers
            )
            answers[f"{method} {template}"] = response.status_code
    allowed = {operation: status for operation, status in answers.items() if status not in REFUSALS}
    assert allowed == {}
    assert len(answers) > 50


async def test_public_routes_answer_a_widget_key_as_they_answer_anyone(app, client, tenant):
    widget = await make_widget_key(client, tenant.organization)
    async with browser_client(app) as browser:
        for method, path in sorted(PUBLIC_ROUTES):
            anonymous = await browser.request(method, path)
            keyed = await browser.request(method, path, headers=widget_headers(widget["key"]))
            assert keyed.status_code == anonymous.status_code, path


@pytest.mark.parametrize("channel", ["bearer", "query"])
async def test_a_widget_key_cannot_raise_tickets_through_the_api(app, client, tenant, channel):
    widget = await make_widget_key(client, tenant.organization)
    headers = widget_headers(widget["key"])
    params = {}
    if channel == "query":
        del headers["Authorization"]
        params["key"] = widget["key"]
    body = {
        "subject": "Site down",
        "description": "Nothing loads.",
        "requester_id": tenant.contact["id"],
        "emergency": True,
    }
    async with browser_client(app) as browser:
        response = await browser.post("/v1/tickets", json=body, params=params, headers=headers)
    # ?key= is the widget route's convenience only: elsewhere it is no credential at all.
    problem = assert_problem(response, 401 if channel == "query" else 403)
    if channel == "bearer":
        assert "yours is widget" in problem["detail"]
    assert "Access-Control-Allow-Origin" not in response.headers
    assert await ticket_count(app, tenant.organization["id"]) == 0

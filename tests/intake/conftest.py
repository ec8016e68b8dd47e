"""Fixtures the intake tests share: a browser-like client and a widget key of the tenant."""

import pytest

from tests.intake.widget_helpers import browser_client, make_widget_key


@pytest.fixture
async def browser(app):
    async with browser_client(app) as http:
        yield http


@pytest.fixture
async def widget_key(client, tenant) -> str:
    return (await make_widget_key(client, tenant.organization))["key"]

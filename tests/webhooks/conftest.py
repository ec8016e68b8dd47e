"""Fixtures: a real receiver, and webhook pumps as the workers run them."""

from collections.abc import AsyncIterator

import pytest

from app.config import get_settings
from app.webhooks.pump import WebhookPump
from tests.webhooks.receiver import Receiver


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    server = Receiver()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def pumps(app):
    """Starts webhook pumps (each like one worker's) on demand; stops them after the test."""
    started: list[WebhookPump] = []

    async def start(count: int = 1, **overrides) -> list[WebhookPump]:
        settings = get_settings().model_copy(update=overrides)
        for _ in range(count):
            pump = WebhookPump(app.state.engine, app.state.sessions, settings, poll=0.2)
            await pump.start()
            started.append(pump)
        return started[-count:]

    yield start
    for pump in started:
        await pump.stop(grace=5)

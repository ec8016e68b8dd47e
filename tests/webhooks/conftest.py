"""Fixtures: a real receiver, and webhook pumps as the workers run them."""

from collections.abc import AsyncIterator

import pytest

from app import timesource
from app.config import get_settings
from app.webhooks.pump import WebhookPump
from tests.webhooks.helpers import MovableClock
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


@pytest.fixture
def movable_clock(app) -> MovableClock:
    """The app's clock as the wall clock plus an offset the test moves (reset afterwards)."""
    source = MovableClock()
    timesource.set_source(source)
    return source


@pytest.fixture
def frozen_clock(movable_clock) -> MovableClock:
    """The app's clock standing still (until the test moves it): nothing falls due while a
    slow machine runs the test."""
    return movable_clock.freeze()

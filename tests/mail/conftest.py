"""Fixtures: a real SMTP sink, and mail pumps as workers run them (with that sink's URL)."""

from collections.abc import AsyncIterator, Iterator

import pytest
from pydantic import SecretStr

from app.config import get_settings
from app.mail.pump import MailPump
from app.webhooks.pump import WebhookPump
from tests.mail.sink import Sink


@pytest.fixture
def sink() -> Iterator[Sink]:
    server = Sink().start()
    yield server
    server.stop()


@pytest.fixture
async def mail_pump(app, sink) -> AsyncIterator[object]:
    """Starts a worker's relay and mail pump sending to the sink; stops them afterwards."""
    started: list = []

    async def start(**overrides) -> MailPump:
        settings = get_settings().model_copy(update={"smtp_url": SecretStr(sink.url), **overrides})
        relay = WebhookPump(app.state.engine, app.state.sessions, settings, poll=0.2)
        pump = MailPump(app.state.engine, app.state.sessions, settings, poll=0.2)
        await relay.start()
        await pump.start()
        started.extend([relay, pump])
        return pump

    yield start
    for each in reversed(started):
        await each.stop(grace=5)

"""The events' schema tests use a real webhook receiver and pumps, as the webhook tests do."""

from tests.webhooks.conftest import pumps, receiver

__all__ = ["pumps", "receiver"]

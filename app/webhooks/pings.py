"""The client the API sends test pings through: built by the first ping, closed at shutdown.

Most API processes never send a test ping, and the client loads aiohttp (about 8 MiB of RSS),
so it is not built at startup. Deliveries go out from workers, through clients of their own.
"""

from typing import TYPE_CHECKING

from starlette.datastructures import State

if TYPE_CHECKING:
    from app.webhooks.client import GuardedClient

# Test pings one API process sends at once, at most.
CONNECTIONS = 20


def ping_client(state: State) -> "GuardedClient":
    """The process's ping client (app state `webhook_client`), built now if none is yet."""
    if state.webhook_client is None:
        from app.webhooks.client import guarded_client

        settings = state.settings
        state.webhook_client = guarded_client(
            settings.webhook_allowed_networks,
            settings.webhook_timeout_seconds,
            connections=CONNECTIONS,
        )
    return state.webhook_client


async def close_ping_client(state: State) -> None:
    """Closes the ping client, if a ping built one."""
    client, state.webhook_client = state.webhook_client, None
    if client is not None:
        await client.aclose()

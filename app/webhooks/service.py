"""Webhook endpoint and delivery use cases (the sending itself is in sender/pump).

The use cases that wait on the network (a test ping, the address check of a URL) take the
request's `units` instead of a session: they read in one short unit of work, wait holding no
pooled connection, then write in another, so slow receivers cannot starve the API.
"""

import asyncio
import base64
import secrets
import uuid
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from sqlmodel.ext.asyncio.session import AsyncSession

from app import crypto, timesource
from app.config import get_settings
from app.db import Units
from app.errors import Conflict, invalid
from app.organizations.models import Organization
from app.ratelimit import RateLimiter
from app.security import SYSTEM_ACTOR, Principal
from app.webhooks import limits, repository
from app.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from app.webhooks.schemas import WebhookEndpointCreate, WebhookEndpointUpdate
from app.webhooks.signing import headers, message_id, payload
from app.webhooks.ssrf import BlockedAddress, check_url, resolve_allowed

if TYPE_CHECKING:
    from app.webhooks.client import GuardedClient

ROTATION_OVERLAP = timedelta(hours=24)
MAX_REPLAY = timedelta(days=31)
TEST_EVENT_TYPE = "webhook.test"


# Reads with no rule beyond tenancy, which the repository's scoped selects apply.
get_visible = repository.get_visible
list_visible = repository.listed
get_delivery = repository.get_delivery
list_deliveries = repository.deliveries_of
attempts_of = repository.attempts_of


def new_secret() -> str:
    """A Standard Webhooks secret: whsec_ and 24 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


async def check_destination(url: str) -> None:
    """Refuses (422) a URL webhooks may not be sent to. It resolves the host: call it outside
    any unit of work."""
    settings = get_settings()
    try:
        host, port = check_url(url)
        async with asyncio.timeout(settings.webhook_timeout_seconds):
            await resolve_allowed(host, port, settings.webhook_allowed_networks)
    except BlockedAddress as error:
        raise invalid("body.url", str(error)) from error
    except TimeoutError as error:
        raise invalid("body.url", "The URL's host could not be resolved in time.") from error


async def _scope_for_create(
    session: AsyncSession, principal: Principal, requested: uuid.UUID | None
) -> uuid.UUID | None:
    if principal.tenant is not None:
        if requested not in (None, principal.tenant):
            raise invalid("body.organization_id", "Integration keys manage their own endpoints.")
        return principal.tenant
    if requested is not None and await session.get(Organization, requested) is None:
        raise invalid("body.organization_id", f"No organization with id {requested}.")
    return requested


async def create(
    units: Units, *, principal: Principal, data: WebhookEndpointCreate
) -> tuple[WebhookEndpoint, str]:
    """Adds an endpoint; returns it with its secret (shown this once)."""
    async with units() as session:
        organization_id = await _scope_for_create(session, principal, data.organization_id)
    await check_destination(data.url)
    async with units() as session:
        await _check_room(session, organization_id)
        secret = new_secret()
        endpoint = await repository.insert(
            session,
            organization_id=organization_id,
            url=data.url,
            event_types=sorted({kind.value for kind in data.event_types}),
            description=data.description,
            enabled=data.enabled,
            secret_sealed=crypto.seal(secret),
        )
    return endpoint, secret


async def _check_room(session: AsyncSession, organization_id: uuid.UUID | None) -> None:
    limit = get_settings().max_webhook_endpoints
    if await repository.count_locked(session, organization_id) >= limit:
        raise Conflict(f"At most {limit} webhook endpoints; delete one first.")


async def update(
    units: Units,
    *,
    principal: Principal,
    endpoint_id: uuid.UUID,
    data: WebhookEndpointUpdate,
    expected_version: int | None,
) -> WebhookEndpoint:
    """Applies a partial update; re-enabling resumes pending deliveries."""
    values = data.model_dump(exclude_unset=True)
    if values.get("url") is not None:
        async with units() as session:
            # Another organization's endpoint is a 404 whatever the URL: check that first.
            await get_visible(session, principal=principal, endpoint_id=endpoint_id)
        await check_destination(values["url"])
    async with units() as session:
        return await _apply(session, principal, endpoint_id, values, expected_version)


async def _apply(
    session: AsyncSession,
    principal: Principal,
    endpoint_id: uuid.UUID,
    values: dict[str, Any],
    expected_version: int | None,
) -> WebhookEndpoint:
    current = await get_visible(session, principal=principal, endpoint_id=endpoint_id)
    # Read before the update: it refreshes `current` in place (same identity).
    was_enabled = current.enabled
    for name in ("url", "enabled", "event_types"):
        if name in values and values[name] is None:
            raise invalid(f"body.{name}", f"{name} cannot be null.")
    if "event_types" in values:
        values["event_types"] = sorted({kind.value for kind in values["event_types"]})
    values.update(_enabling(current, values.get("enabled")))
    updated = await repository.update(
        session, endpoint_id, values, expected_version=expected_version
    )
    if values.get("enabled") and not was_enabled:
        await repository.resume_pending(session, endpoint_id)
        await repository.notify_senders(session)
    return updated


def _enabling(current: WebhookEndpoint, enabled: bool | None) -> dict[str, Any]:
    if enabled is None or enabled == current.enabled:
        return {}
    if enabled:
        return {"disabled_reason": None, "disabled_at": None, "failing_since": None}
    return {"disabled_reason": "Disabled through the API.", "disabled_at": timesource.now()}


async def delete(session: AsyncSession, *, principal: Principal, endpoint_id: uuid.UUID) -> None:
    """Deletes the endpoint with its delivery log; nothing more is sent to it."""
    endpoint = await get_visible(session, principal=principal, endpoint_id=endpoint_id)
    await repository.delete(session, endpoint)


async def rotate_secret(
    session: AsyncSession, *, principal: Principal, endpoint_id: uuid.UUID
) -> tuple[WebhookEndpoint, str]:
    """A new secret; the old one keeps signing alongside it for 24 hours."""
    current = await get_visible(session, principal=principal, endpoint_id=endpoint_id)
    secret = new_secret()
    values = {
        "secret_sealed": crypto.seal(secret),
        "previous_secret_sealed": current.secret_sealed,
        "previous_secret_expires_at": timesource.now() + ROTATION_OVERLAP,
    }
    endpoint = await repository.update(session, endpoint_id, values, expected_version=None)
    return endpoint, secret


async def replay(
    session: AsyncSession,
    *,
    principal: Principal,
    endpoint_id: uuid.UUID,
    since: datetime,
    until: datetime | None,
) -> int:
    """Queues every event the endpoint would receive from `since` on (again): existing
    deliveries go back to pending, missing ones are created. Returns how many."""
    endpoint = await get_visible(session, principal=principal, endpoint_id=endpoint_id)
    now = timesource.now()
    if (until or now) < since:
        raise invalid("body.until", "until must not be before since.")
    if (until or now) - since > MAX_REPLAY:
        raise invalid(
            "body.since",
            f"A replay covers at most {MAX_REPLAY.days} days; send several for more.",
        )
    limits.check_cooldown(endpoint.replayed_at, now)  # cheap: before doing the work
    count = await repository.replay(session, endpoint.id, since=since, until=until or now, now=now)
    # Stamped after the deliveries are written: the workers lock a delivery before its
    # endpoint, and so does this, so the two cannot deadlock.
    await limits.stamp_replay(session, endpoint.id, now)
    await limits.check_pending(session, endpoint.id)
    await repository.notify_senders(session)
    return count


async def retry(
    session: AsyncSession,
    *,
    principal: Principal,
    delivery_id: uuid.UUID,
    limiter: RateLimiter,
) -> WebhookDelivery:
    """Sends a delivery again now, whatever its state, with the schedule started over."""
    delivery = await get_delivery(session, principal=principal, delivery_id=delivery_id)
    if delivery.event_id is None:
        raise Conflict("Test pings are not retried; send a new one.")
    await repository.restart(session, delivery)
    await limits.check_pending(session, delivery.endpoint_id)
    # Last, so that a retry refused for another reason costs no budget.
    await limits.spend_manual_send(limiter, delivery.endpoint_id)
    await repository.notify_senders(session)
    return delivery


def webhook_id(delivery: WebhookDelivery) -> str:
    if delivery.event_id is not None:
        return message_id(delivery.event_id)
    return str((delivery.payload or {}).get("id", ""))


async def send_test(
    units: Units,
    *,
    principal: Principal,
    endpoint_id: uuid.UUID,
    client: "GuardedClient",
    limiter: RateLimiter,
) -> tuple[WebhookDelivery, WebhookAttempt]:
    """Sends a signed `webhook.test` ping now and logs it as a one-shot delivery; returns the
    delivery with its one attempt."""
    # Here, not at the top: the client loads aiohttp, which the API needs only for a ping.
    from app.webhooks.client import post

    async with units() as session:
        endpoint = await get_visible(session, principal=principal, endpoint_id=endpoint_id)
    await limits.spend_manual_send(limiter, endpoint.id)
    now = timesource.now()
    ping = _test_event(endpoint, now)
    body = payload(ping)
    secret = crypto.unseal(endpoint.secret_sealed)
    msg_id = message_id(ping.id)
    timeout = get_settings().webhook_timeout_seconds
    outcome = await post(client, endpoint.url, body, headers(msg_id, body, [secret], now), timeout)
    async with units() as session:
        return await repository.insert_sent(
            session, endpoint.id, event_type=TEST_EVENT_TYPE, body=body, outcome=outcome, now=now
        )


def _test_event(endpoint: WebhookEndpoint, now: datetime) -> SimpleNamespace:
    """A `webhook.test` event, shaped like the events deliveries carry (never stored)."""
    return SimpleNamespace(
        id=uuid.uuid4(),
        type=TEST_EVENT_TYPE,
        created_at=now,
        ticket_id=None,
        organization_id=endpoint.organization_id,
        actor=SYSTEM_ACTOR,
        data={"endpoint": {"id": endpoint.id, "url": endpoint.url}},
    )

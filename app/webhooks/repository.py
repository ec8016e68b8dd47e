"""Webhook endpoints, deliveries and attempts on the API side: tenant scoping, locks, and the
writes the use cases make. The sending side (claiming, sender, pump, relay) keeps its own SQL.
"""

import uuid
from datetime import datetime
from typing import Any

import orjson
import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from app import timesource
from app.pagination import keyset, page
from app.repository import one_or_404, tenant_filter, versioned_update
from app.security import Principal
from app.statements import among
from app.webhooks import relay
from app.webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from app.webhooks.outcome import Outcome
from app.webhooks.schemas import ATTEMPTS_SHOWN

# -- endpoints --------------------------------------------------------------------------------


def scoped(principal: Principal) -> sa.Select[Any]:
    """Endpoints the caller manages: its organization's (operator staff: every one)."""
    return tenant_filter(sa.select(WebhookEndpoint), WebhookEndpoint.organization_id, principal)


async def get_visible(
    session: AsyncSession, *, principal: Principal, endpoint_id: uuid.UUID
) -> WebhookEndpoint:
    """The endpoint if the caller manages it; another organization's is a 404."""
    statement = scoped(principal).where(WebhookEndpoint.id == endpoint_id)
    return await one_or_404(session, statement, f"No webhook endpoint with id {endpoint_id}.")


async def listed(
    session: AsyncSession,
    *,
    principal: Principal,
    enabled: bool | None,
    cursor: str | None,
    limit: int,
) -> tuple[list[WebhookEndpoint], str | None]:
    """A page of the endpoints the caller manages, newest first."""
    statement = scoped(principal)
    if enabled is not None:
        statement = statement.where(WebhookEndpoint.enabled == enabled)
    statement = keyset(statement, WebhookEndpoint.created_at, WebhookEndpoint.id, cursor, limit)
    return page((await session.execute(statement)).scalars().all(), limit)


async def count_locked(session: AsyncSession, organization_id: uuid.UUID | None) -> int:
    """How many endpoints the scope has (an organization's, or the operator's: None)."""
    # A lock on the scope until commit serializes concurrent creates, so the limit holds.
    await session.execute(
        sa.select(sa.func.pg_advisory_xact_lock(sa.func.hashtext(f"webhooks:{organization_id}")))
    )
    count = await session.scalar(
        sa.select(sa.func.count()).where(
            WebhookEndpoint.organization_id.is_(None)  # type: ignore[union-attr]
            if organization_id is None
            else WebhookEndpoint.organization_id == organization_id
        )
    )
    return count or 0


async def insert(session: AsyncSession, **values: Any) -> WebhookEndpoint:
    """A new endpoint."""
    endpoint = WebhookEndpoint(**values)
    session.add(endpoint)
    await session.flush()
    return endpoint


update = versioned_update(WebhookEndpoint, "webhook endpoint")


async def delete(session: AsyncSession, endpoint: WebhookEndpoint) -> None:
    """Deletes the endpoint; its deliveries and attempts go with it (ON DELETE CASCADE)."""
    await session.delete(endpoint)
    await session.flush()


async def stamp_replayed(
    session: AsyncSession, endpoint_id: uuid.UUID, now: datetime, *, last_before: datetime
) -> bool:
    """Marks the endpoint replayed `now` unless it was after `last_before`. The conditional
    UPDATE settles concurrent replays of one endpoint: they queue on the row, one passes."""
    column = WebhookEndpoint.replayed_at
    stamped = await session.scalar(
        sa.update(WebhookEndpoint)
        .where(
            WebhookEndpoint.id == endpoint_id,
            sa.or_(column.is_(None), column <= last_before),  # type: ignore[union-attr,operator]
        )
        .values(replayed_at=now)
        .returning(WebhookEndpoint.id)
        .execution_options(synchronize_session=False)
    )
    return stamped is not None


async def replayed_at(session: AsyncSession, endpoint_id: uuid.UUID) -> datetime | None:
    """When the endpoint was last replayed, as stored now."""
    statement = sa.select(WebhookEndpoint.replayed_at).where(WebhookEndpoint.id == endpoint_id)
    return await session.scalar(statement)


# -- deliveries -------------------------------------------------------------------------------


def scoped_deliveries(principal: Principal) -> sa.Select[Any]:
    """Deliveries to endpoints the caller manages."""
    statement = sa.select(WebhookDelivery).join(
        WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id
    )
    return tenant_filter(statement, WebhookEndpoint.organization_id, principal)


async def get_delivery(
    session: AsyncSession, *, principal: Principal, delivery_id: uuid.UUID
) -> WebhookDelivery:
    """The delivery if the caller manages its endpoint; otherwise a 404."""
    statement = scoped_deliveries(principal).where(WebhookDelivery.id == delivery_id)
    return await one_or_404(session, statement, f"No webhook delivery with id {delivery_id}.")


async def deliveries_of(
    session: AsyncSession,
    *,
    principal: Principal,
    endpoint_id: uuid.UUID,
    status: DeliveryStatus | None,
    event_type: str | None,
    cursor: str | None,
    limit: int,
) -> tuple[list[WebhookDelivery], str | None]:
    """A page of the deliveries to an endpoint the caller manages, newest first."""
    await get_visible(session, principal=principal, endpoint_id=endpoint_id)
    statement = sa.select(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint_id)
    if status is not None:
        statement = statement.where(WebhookDelivery.status == status)
    if event_type is not None:
        statement = statement.where(WebhookDelivery.event_type == event_type)
    statement = keyset(statement, WebhookDelivery.created_at, WebhookDelivery.id, cursor, limit)
    return page((await session.execute(statement)).scalars().all(), limit)


def _pending_at(endpoint_id: uuid.UUID) -> sa.ColumnElement[bool]:
    return sa.and_(
        WebhookDelivery.endpoint_id == endpoint_id,
        WebhookDelivery.status == DeliveryStatus.pending,
    )


async def count_pending(session: AsyncSession, endpoint_id: uuid.UUID, *, up_to: int) -> int:
    """The endpoint's pending deliveries, counted no further than `up_to`: a dead endpoint may
    have very many waiting."""
    pending = sa.select(sa.literal(1)).where(_pending_at(endpoint_id)).limit(up_to).subquery()
    return await session.scalar(sa.select(sa.func.count()).select_from(pending)) or 0


async def resume_pending(session: AsyncSession, endpoint_id: uuid.UUID) -> None:
    """The endpoint's pending deliveries are due now, their schedules started over."""
    await session.execute(
        sa.update(WebhookDelivery)
        .where(_pending_at(endpoint_id))
        .values(next_attempt_at=timesource.now(), failures=0)
    )


async def restart(session: AsyncSession, delivery: WebhookDelivery) -> None:
    """The delivery is pending and due now, whatever its state, its schedule started over."""
    delivery.status = DeliveryStatus.pending
    delivery.failures = 0
    delivery.next_attempt_at = timesource.now()
    delivery.updated_at = timesource.now()
    await session.flush()


async def replay(
    session: AsyncSession,
    endpoint_id: uuid.UUID,
    *,
    since: datetime,
    until: datetime,
    now: datetime,
) -> int:
    """Every event from `since` to `until` the endpoint would receive is pending (again):
    existing deliveries go back to pending, missing ones are created. Returns how many."""
    parameters = {"endpoint_id": endpoint_id, "since": since, "until": until, "now": now}
    result = await session.execute(_REPLAY, parameters)
    return result.rowcount or 0


_REPLAY = sa.text(
    """
    INSERT INTO webhook_deliveries AS d (id, endpoint_id, event_id, event_type, ticket_id,
                                         position, status, attempt_count, failures,
                                         next_attempt_at, created_at, updated_at)
    SELECT gen_random_uuid(), w.id, e.id, e.type, e.ticket_id, e.position,
           'pending', 0, 0, :now, :now, :now
    FROM webhook_endpoints w
    JOIN events e
      ON e.position IS NOT NULL
     AND e.created_at >= :since AND e.created_at <= :until
     AND (w.organization_id IS NULL
          OR (w.organization_id = e.organization_id AND e.visibility = 'public'))
     AND (cardinality(w.event_types) = 0 OR e.type = ANY (w.event_types))
    WHERE w.id = :endpoint_id
    ON CONFLICT (endpoint_id, event_id) DO UPDATE
    SET status = 'pending', failures = 0, next_attempt_at = :now, updated_at = :now
    """
)


async def notify_senders(session: AsyncSession) -> None:
    """Wakes the workers' senders when this transaction commits."""
    await session.execute(sa.text(f"NOTIFY {relay.NOTIFY_CHANNEL}"))


async def insert_sent(
    session: AsyncSession,
    endpoint_id: uuid.UUID,
    *,
    event_type: str,
    body: bytes,
    outcome: Outcome,
    now: datetime,
) -> tuple[WebhookDelivery, WebhookAttempt]:
    """A one-shot delivery (a test ping) already sent, logged with its one attempt."""
    delivery = WebhookDelivery(
        endpoint_id=endpoint_id,
        event_type=event_type,
        payload=orjson.loads(body),
        status=DeliveryStatus.delivered if outcome.succeeded else DeliveryStatus.failed,
        attempt_count=1,
        failures=0 if outcome.succeeded else 1,
        last_status_code=outcome.status_code,
        last_error=outcome.error and outcome.error[:500],
        delivered_at=now if outcome.succeeded else None,
        created_at=now,
        updated_at=now,
    )
    session.add(delivery)
    await session.flush()
    attempt = WebhookAttempt(
        delivery_id=delivery.id,
        attempted_at=now,
        status_code=outcome.status_code,
        duration_ms=outcome.duration_ms,
        error=outcome.error and outcome.error[:500],
        response_body=outcome.body and outcome.body[:2048],
    )
    session.add(attempt)
    await session.flush()
    return delivery, attempt


async def attempts_of(
    session: AsyncSession, delivery_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[WebhookAttempt]]:
    """The latest ATTEMPTS_SHOWN attempts of each of these deliveries, oldest first, in one
    query (manual retries and replays start the schedule again, so a delivery has no limit)."""
    found: dict[uuid.UUID, list[WebhookAttempt]] = {key: [] for key in delivery_ids}
    if delivery_ids:
        latest = sa.func.row_number().over(
            partition_by=WebhookAttempt.delivery_id,
            order_by=WebhookAttempt.id.desc(),  # type: ignore[union-attr]
        )
        ranked = (
            sa.select(WebhookAttempt.id, latest.label("rank"))
            .where(among(WebhookAttempt.delivery_id, delivery_ids))  # type: ignore[attr-defined]
            .subquery()
        )
        statement = (
            sa.select(WebhookAttempt)
            .join(ranked, ranked.c.id == WebhookAttempt.id)
            .where(ranked.c.rank <= ATTEMPTS_SHOWN)
            .order_by(WebhookAttempt.id)
        )
        for attempt in (await session.execute(statement)).scalars():
            found[attempt.delivery_id].append(attempt)
    return found

"""Sending deliveries: claim due ones from Postgres, POST them, record what happened.

A claim pushes `next_attempt_at` out by the lease, so a worker killed mid-send leaves the
delivery due again once the lease runs out, and another worker resends it with the same
`webhook-id`. A delivery is claimable only when no earlier event of the same ticket is still
pending at the same endpoint, which keeps each ticket's events in commit order, and only
within the worker's free send slots (app/webhooks/claiming.py).
"""

import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel.ext.asyncio.session import AsyncSession

from app import crypto
from app.events.audience import client_view
from app.events.models import EventType, EventVisibility
from app.events.service import NewEvent, record
from app.security import SYSTEM_ACTOR
from app.webhooks import metrics
from app.webhooks.claiming import OPERATOR, Slots, claim_rows
from app.webhooks.models import DeliveryStatus
from app.webhooks.outcome import Outcome
from app.webhooks.retry import next_wait, parse_retry_after
from app.webhooks.signing import message_id, payload

_RECORD = sa.text(
    """
    WITH result AS (
        SELECT * FROM unnest(:ids, :claimed, :statuses, :failures, :next_attempts, :codes,
                             :errors, :delivered, :attempted, :durations, :bodies)
            AS r(id, claimed, status, failures, next_attempt_at, status_code, error,
                 delivered_at, attempted_at, duration_ms, body)
    ), updated AS (
        UPDATE webhook_deliveries d
        SET status = r.status, failures = r.failures, next_attempt_at = r.next_attempt_at,
            last_status_code = r.status_code, last_error = r.error,
            delivered_at = coalesce(r.delivered_at, d.delivered_at), updated_at = :now
        -- Only the holder of the latest claim decides the state: a result that comes back
        -- after its lease ran out and another attempt was claimed is logged, not applied.
        FROM result r WHERE d.id = r.id AND d.attempt_count = r.claimed
        RETURNING d.id
    ), recovered AS (
        -- An endpoint fails from its first failure after a success until its next success.
        UPDATE webhook_endpoints SET failing_since = NULL
        WHERE id = ANY (:succeeded) AND failing_since IS NOT NULL
    ), failing AS (
        UPDATE webhook_endpoints SET failing_since = :now
        WHERE id = ANY (:failed) AND failing_since IS NULL
    )
    INSERT INTO webhook_attempts (delivery_id, attempted_at, status_code, duration_ms, error,
                                  response_body)
    SELECT r.id, r.attempted_at, r.status_code, r.duration_ms, r.error, r.body
    FROM result r
    WHERE r.id IN (SELECT id FROM updated)
       OR EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.id = r.id)
    """
).bindparams(
    sa.bindparam("ids", type_=ARRAY(sa.Uuid)),
    sa.bindparam("claimed", type_=ARRAY(sa.Integer)),
    sa.bindparam("statuses", type_=ARRAY(sa.String)),
    sa.bindparam("failures", type_=ARRAY(sa.Integer)),
    sa.bindparam("next_attempts", type_=ARRAY(sa.DateTime(timezone=True))),
    sa.bindparam("codes", type_=ARRAY(sa.Integer)),
    sa.bindparam("errors", type_=ARRAY(sa.String)),
    sa.bindparam("delivered", type_=ARRAY(sa.DateTime(timezone=True))),
    sa.bindparam("attempted", type_=ARRAY(sa.DateTime(timezone=True))),
    sa.bindparam("durations", type_=ARRAY(sa.Integer)),
    sa.bindparam("bodies", type_=ARRAY(sa.String)),
    sa.bindparam("succeeded", type_=ARRAY(sa.Uuid)),
    sa.bindparam("failed", type_=ARRAY(sa.Uuid)),
)


@dataclass
class Claim:
    """A delivery this worker now holds: where to send what, signed with which secrets."""

    delivery_id: uuid.UUID
    endpoint_id: uuid.UUID
    url: str
    secrets: list[str]
    msg_id: str
    body: bytes
    failures: int
    event_created_at: datetime
    claimed: int = 0  # attempt_count as this claim left it: the fencing token
    request_id: str | None = None
    # Whose send slots it takes: the endpoint's organization, or the operator.
    owner: uuid.UUID = OPERATOR


@dataclass
class Result:
    claim: Claim
    outcome: Outcome
    attempted_at: datetime


@lru_cache(maxsize=4096)
def _unseal(token: str) -> str:
    return crypto.unseal(token)


def signing_secrets(row: Any, now: datetime) -> list[str]:
    """The current secret, and the previous one while its overlap lasts."""
    secrets = [_unseal(row.secret_sealed)]
    expires = row.previous_secret_expires_at
    if row.previous_secret_sealed and expires is not None and expires > now:
        secrets.append(_unseal(row.previous_secret_sealed))
    return secrets


async def claim(
    session: AsyncSession, *, limit: int, now: datetime, lease: timedelta, slots: Slots
) -> list[Claim]:
    """Takes up to `limit` due deliveries that fit the worker's free `slots` (commits with
    the caller; the caller takes the slots once it sends)."""
    rows = await claim_rows(session, limit=limit, now=now, lease_until=now + lease, slots=slots)
    return [
        Claim(
            delivery_id=row.id,
            endpoint_id=row.endpoint_id,
            owner=row.owner,
            url=row.url,
            secrets=signing_secrets(row, now),
            msg_id=message_id(row.event_id),
            # An organization's endpoint is a client: it gets the client's view of the event.
            body=payload(client_view(row) if row.endpoint_organization_id else row, row.event_id),
            failures=row.failures,
            claimed=row.attempt_count,
            event_created_at=row.created_at,
            request_id=row.request_id,
        )
        for row in rows
    ]


@dataclass
class Verdict:
    """What a result means for its delivery."""

    status: DeliveryStatus
    failures: int
    next_attempt_at: datetime | None
    delivered_at: datetime | None


def judge(result: Result, now: datetime, rng: random.Random | None = None) -> Verdict:
    """Delivered, retried later (on the schedule, not before Retry-After), or given up."""
    outcome = result.outcome
    if outcome.succeeded:
        return Verdict(DeliveryStatus.delivered, 0, None, now)
    failures = result.claim.failures + 1
    wait = None
    if outcome.status_code != 410:
        wait = next_wait(failures, parse_retry_after(outcome.retry_after, now), rng)
    if wait is None:
        return Verdict(DeliveryStatus.failed, failures, None, None)
    return Verdict(DeliveryStatus.pending, failures, now + wait, None)


async def record_results(
    session: AsyncSession, results: Sequence[Result], *, now: datetime, disable_after: timedelta
) -> list[uuid.UUID]:
    """Writes every result and its attempt; returns the endpoints it disabled."""
    verdicts = [judge(result, now) for result in results]
    succeeded = {r.claim.endpoint_id for r in results if r.outcome.succeeded}
    failed = {r.claim.endpoint_id for r in results if not r.outcome.succeeded} - succeeded
    params = _record_params(results, verdicts, now)
    await session.execute(_RECORD, {**params, "succeeded": list(succeeded), "failed": list(failed)})
    for result, verdict in zip(results, verdicts, strict=True):
        metrics.observe(result, verdict.status, now)
    gone = {r.claim.endpoint_id for r in results if r.outcome.status_code == 410}
    disabled = []
    for endpoint_id in gone:
        if await disable(session, endpoint_id, "The endpoint answered 410 Gone.", now):
            disabled.append(endpoint_id)
    for endpoint_id in await _failing_too_long(session, failed - gone, now - disable_after):
        days = disable_after / timedelta(days=1)
        reason = f"Every delivery failed for {days:g} days."
        if await disable(session, endpoint_id, reason, now):
            disabled.append(endpoint_id)
    return disabled


def _record_params(
    results: Sequence[Result], verdicts: Sequence[Verdict], now: datetime
) -> dict[str, Any]:
    return {
        "now": now,
        "ids": [r.claim.delivery_id for r in results],
        "claimed": [r.claim.claimed for r in results],
        "statuses": [v.status for v in verdicts],
        "failures": [v.failures for v in verdicts],
        "next_attempts": [v.next_attempt_at for v in verdicts],
        "codes": [r.outcome.status_code for r in results],
        "errors": [r.outcome.error and r.outcome.error[:500] for r in results],
        "delivered": [v.delivered_at for v in verdicts],
        "attempted": [r.attempted_at for r in results],
        "durations": [r.outcome.duration_ms for r in results],
        "bodies": [r.outcome.body and r.outcome.body[:2048] for r in results],
    }


async def _failing_too_long(
    session: AsyncSession, endpoint_ids: set[uuid.UUID], since: datetime
) -> list[uuid.UUID]:
    if not endpoint_ids:
        return []
    statement = sa.text(
        "SELECT id FROM webhook_endpoints "
        "WHERE id = ANY(:ids) AND enabled AND failing_since <= :since"
    ).bindparams(sa.bindparam("ids", type_=ARRAY(sa.Uuid)))
    rows = await session.execute(statement, {"ids": list(endpoint_ids), "since": since})
    return [row.id for row in rows]


async def disable(
    session: AsyncSession, endpoint_id: uuid.UUID, reason: str, now: datetime
) -> bool:
    """Disables an enabled endpoint and records `webhook_endpoint.disabled` (once)."""
    row = (
        await session.execute(
            sa.text(
                "UPDATE webhook_endpoints SET enabled = false, disabled_reason = :reason, "
                "disabled_at = :now, updated_at = :now, version = version + 1 "
                "WHERE id = :id AND enabled RETURNING id, organization_id, url"
            ),
            {"id": endpoint_id, "reason": reason, "now": now},
        )
    ).one_or_none()
    if row is None:
        return False
    metrics.ENDPOINTS_DISABLED.inc()
    await record(
        session,
        NewEvent(
            type=EventType.webhook_endpoint_disabled,
            actor=SYSTEM_ACTOR,
            data={"endpoint": {"id": str(row.id), "url": row.url}, "reason": reason},
            organization_id=row.organization_id,
            visibility=EventVisibility.public,
        ),
    )
    return True

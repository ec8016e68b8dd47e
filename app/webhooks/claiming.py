"""Which due deliveries a worker claims: the oldest first, but never more for one endpoint or
one organization than the worker has free send slots for, so every claimed delivery is being
sent (none holds a lease while it queues) and one organization's hanging receivers cannot
take every slot of a worker.

A claim looks at the head of the due index (one scan that stops after `limit` rows) to see
which endpoints have the oldest due deliveries, then probes each of those with room for its
oldest due ones, up to its room (one index probe per endpoint). Only when room ran out there
and the head may have hidden other endpoints does a second claim probe every endpoint with
room: the work grows with the number of endpoints, never with a backlog, so a dead endpoint's
million due deliveries are not scanned past on every claim.
"""

import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel.ext.asyncio.session import AsyncSession

# The operator's endpoints have no organization; their sends share this owner's slots.
OPERATOR = uuid.UUID(int=0)

# Keeps each ticket's events in commit order at an endpoint: a delivery waits while an
# earlier one of its ticket is pending there.
_NO_EARLIER_PENDING = """
    NOT EXISTS (
        SELECT 1 FROM webhook_deliveries p
        WHERE p.endpoint_id = d.endpoint_id AND p.ticket_id = d.ticket_id
          AND p.status = 'pending' AND p.position < d.position
        -- OFFSET 0 keeps this a per-candidate index probe: flattened into an anti-join,
        -- stale statistics (a burst after an idle spell) make it scan every pending
        -- row per candidate (28 s instead of 23 ms for 6,000 pending).
        OFFSET 0)
"""

# The endpoints of the oldest claimable deliveries (an unlocked look: only whose they are),
# and whether that look may have missed endpoints with some further back.
_HEAD = f"""
    WITH head AS (
        SELECT d.endpoint_id, coalesce(w.organization_id, :operator) AS owner
        FROM webhook_deliveries d
        JOIN webhook_endpoints w ON w.id = d.endpoint_id AND w.enabled
        WHERE d.status = 'pending' AND d.next_attempt_at <= :now AND {_NO_EARLIER_PENDING}
        ORDER BY d.next_attempt_at
        LIMIT :limit
    ), candidates AS (
        SELECT endpoint_id AS id, owner, count(*) AS waiting
        FROM head GROUP BY endpoint_id, owner
    ), beyond AS (
        SELECT count(*) >= :limit AS maybe FROM head
    )
"""

# Every enabled endpoint (with room: the others are filtered out before their probe).
_EVERY_ENDPOINT = """
    WITH candidates AS (
        SELECT w.id, coalesce(w.organization_id, :operator) AS owner, 0 AS waiting
        FROM webhook_endpoints w WHERE w.enabled
    ), beyond AS (
        SELECT false AS maybe
    )
"""

# For each candidate endpoint with room (and an owner with room), its oldest due deliveries
# up to its room, locked; of those, the oldest that fit the owners' room are claimed: leased,
# and their attempt counted. `cut` says that due deliveries were left for want of room while
# endpoints not looked at may have some: worth a look at every endpoint.
_CLAIM_WITHIN_SLOTS = f"""
    , slots AS (
        SELECT c.id, c.owner, c.waiting, :endpoint_cap - coalesce(b.n, 0) AS room
        FROM candidates c
        LEFT JOIN unnest(:busy_endpoints, :busy_endpoint_counts) AS b(id, n) ON b.id = c.id
    ), due AS (
        SELECT x.id, s.owner, x.next_attempt_at
        FROM slots s CROSS JOIN LATERAL (
            SELECT d.id, d.next_attempt_at FROM webhook_deliveries d
            WHERE d.endpoint_id = s.id AND d.status = 'pending' AND d.next_attempt_at <= :now
              AND {_NO_EARLIER_PENDING}
            ORDER BY d.next_attempt_at
            LIMIT greatest(s.room, 0)
            FOR UPDATE OF d SKIP LOCKED
        ) x
        WHERE s.room > 0 AND s.owner <> ALL (:full_owners)
    ), by_owner AS (
        SELECT due.id, due.next_attempt_at, coalesce(b.n, 0) + row_number() OVER (
                   PARTITION BY due.owner ORDER BY due.next_attempt_at) AS nth
        FROM due
        LEFT JOIN unnest(:busy_owners, :busy_owner_counts) AS b(id, n) ON b.id = due.owner
    ), chosen AS (
        SELECT id FROM by_owner WHERE nth <= :owner_cap ORDER BY next_attempt_at LIMIT :limit
    ), taken AS (
        UPDATE webhook_deliveries d
        SET next_attempt_at = :lease_until, attempt_count = d.attempt_count + 1
        FROM webhook_endpoints w, events e
        -- An array, not a join: a few primary-key probes, never a scan of the table.
        WHERE d.id = ANY (ARRAY(SELECT id FROM chosen))
          AND w.id = d.endpoint_id AND e.id = d.event_id
        RETURNING d.id, d.failures, d.attempt_count, w.id AS endpoint_id, w.url,
                  w.secret_sealed, w.organization_id AS endpoint_organization_id,
                  coalesce(w.organization_id, :operator) AS owner,
                  w.previous_secret_sealed, w.previous_secret_expires_at,
                  e.id AS event_id, e.type, e.created_at, e.ticket_id, e.organization_id,
                  e.actor, e.data, e.request_id
    ), cut AS (
        SELECT (SELECT maybe FROM beyond) AND (
            EXISTS (SELECT 1 FROM slots
                    WHERE slots.waiting > slots.room OR slots.owner = ANY (:full_owners))
            OR EXISTS (SELECT 1 FROM by_owner WHERE nth > :owner_cap)
        ) AS yes
    )
    SELECT cut.yes AS cut, taken.* FROM cut LEFT JOIN taken ON true
"""

_PARAMS = (
    sa.bindparam("operator", type_=sa.Uuid),
    sa.bindparam("full_owners", type_=ARRAY(sa.Uuid)),
    sa.bindparam("busy_endpoints", type_=ARRAY(sa.Uuid)),
    sa.bindparam("busy_endpoint_counts", type_=ARRAY(sa.Integer)),
    sa.bindparam("busy_owners", type_=ARRAY(sa.Uuid)),
    sa.bindparam("busy_owner_counts", type_=ARRAY(sa.Integer)),
)
_CLAIM_HEAD = sa.text(_HEAD + _CLAIM_WITHIN_SLOTS).bindparams(*_PARAMS)
_CLAIM_EVERYWHERE = sa.text(_EVERY_ENDPOINT + _CLAIM_WITHIN_SLOTS).bindparams(*_PARAMS)
# For the claim's transaction only. Under statistics taken while nothing was pending (a burst
# after an idle spell) the planner expects one due row, so it sorts every due delivery to
# take the oldest few, probing each for an earlier pending one: 40-130 ms a claim with 20,000
# pending. Without sorts to choose it walks the due index in order and stops at `limit`
# (2 ms); the few sorts left (of claimed rows) still run. JIT off: the disabled sorts' nominal
# cost would otherwise make every claim compile (1 s).
_NO_SORTED_SCANS = sa.text(
    "SELECT set_config('enable_sort', 'off', true), set_config('jit', 'off', true)"
)


@dataclass
class Slots:
    """A worker's sends in flight per endpoint and per owner (the endpoint's organization, or
    OPERATOR), and the caps on each."""

    endpoint_cap: int
    owner_cap: int
    by_endpoint: Counter[uuid.UUID] = field(default_factory=Counter)
    by_owner: Counter[uuid.UUID] = field(default_factory=Counter)

    def take(self, endpoint_id: uuid.UUID, owner: uuid.UUID) -> None:
        self.by_endpoint[endpoint_id] += 1
        self.by_owner[owner] += 1

    def give_back(self, endpoint_id: uuid.UUID, owner: uuid.UUID) -> None:
        # Zero counts are dropped: the claim query gets only what is in flight.
        for counter, key in ((self.by_endpoint, endpoint_id), (self.by_owner, owner)):
            counter[key] -= 1
            if counter[key] <= 0:
                del counter[key]

    def copy(self) -> "Slots":
        return Slots(
            self.endpoint_cap, self.owner_cap, self.by_endpoint.copy(), self.by_owner.copy()
        )

    def params(self) -> dict[str, Any]:
        return {
            "operator": OPERATOR,
            "endpoint_cap": self.endpoint_cap,
            "owner_cap": self.owner_cap,
            "busy_endpoints": list(self.by_endpoint),
            "busy_endpoint_counts": list(self.by_endpoint.values()),
            "busy_owners": list(self.by_owner),
            "busy_owner_counts": list(self.by_owner.values()),
            "full_owners": [o for o, n in self.by_owner.items() if n >= self.owner_cap],
        }


async def claim_rows(
    session: AsyncSession, *, limit: int, now: datetime, lease_until: datetime, slots: Slots
) -> list[sa.Row[Any]]:
    """Claims up to `limit` due deliveries that fit `slots`, the oldest first; their rows."""
    moment = {"now": now, "lease_until": lease_until}
    await session.execute(_NO_SORTED_SCANS)
    rows, cut = await _claim(session, _CLAIM_HEAD, limit, moment, slots)
    if cut and len(rows) < limit:
        after = slots.copy()
        for row in rows:
            after.take(row.endpoint_id, row.owner)
        more, _ = await _claim(session, _CLAIM_EVERYWHERE, limit - len(rows), moment, after)
        rows += more
    return rows


async def _claim(
    session: AsyncSession,
    statement: sa.TextClause,
    limit: int,
    moment: dict[str, datetime],
    slots: Slots,
) -> tuple[list[sa.Row[Any]], bool]:
    """The rows claimed, and whether endpoints not looked at may have due deliveries."""
    params = {**moment, **slots.params(), "limit": limit}
    result = (await session.execute(statement, params)).all()
    return [row for row in result if row.id is not None], result[0].cut

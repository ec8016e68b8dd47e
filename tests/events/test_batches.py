"""A batch of events (an SLA sweep, a routing sweep) is written in a few statements of fixed
sizes (app.statements.chunks): every event is stored once, in order, with its outbox row."""

import uuid

import pytest
import sqlalchemy as sa

from app.db import unit_of_work
from app.events.models import EventType, EventVisibility
from app.events.service import NewEvent, record
from tests.factories import ADMIN, make_ticket


@pytest.mark.parametrize("count", [1, 8, 9, 137, 300])
async def test_every_event_of_a_batch_is_stored_once_in_order_with_its_outbox_row(
    app, client, tenant, count
):
    ticket = await make_ticket(client, ADMIN, requester=tenant.contact)
    batch = str(uuid.uuid4())
    events = [
        NewEvent(
            type=EventType.ticket_updated,
            actor={"type": "system"},
            data={"batch": batch, "n": n},
            organization_id=uuid.UUID(ticket["organization_id"]),
            ticket_id=uuid.UUID(ticket["id"]),
            visibility=EventVisibility.internal,
        )
        for n in range(count)
    ]
    async with unit_of_work(app.state.sessions) as session:
        await record(session, *events)

    async with unit_of_work(app.state.sessions) as session:
        stored = await session.execute(
            sa.text(
                "SELECT e.id, (e.data->>'n')::int AS n, o.event_id IS NOT NULL AS queued "
                "FROM events e LEFT JOIN outbox o ON o.event_id = e.id "
                "WHERE e.data->>'batch' = :batch ORDER BY e.position"
            ),
            {"batch": batch},
        )
        rows = stored.all()
    assert [row.n for row in rows] == list(range(count))
    assert [row.id for row in rows] == [event.id for event in events]
    assert all(row.queued for row in rows)

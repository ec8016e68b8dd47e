"""The SLA pump: fires what is due without a timer or the once-a-second sweep, exactly once,
and sleeps until the next deadline rather than a fixed poll."""

from datetime import timedelta

import sqlalchemy as sa

from app import timesource
from app.sla.models import TicketClock
from app.sla.pump import SlaPump
from tests.factories import make_tenant, make_ticket
from tests.workers.test_sla_worker import breach_counts, overdue_tickets


async def test_the_pump_fires_what_is_due_exactly_once(client, app):
    tickets = await overdue_tickets(client, 3)
    await app.state.arq.flushall()  # no per-clock timers: the pump alone
    pumps = [SlaPump(app.state.sessions), SlaPump(app.state.sessions)]
    for pump in pumps + pumps:
        await pump.fire_once()
    counts = await breach_counts(app)
    assert {ticket_id for ticket_id, _ in counts} == {ticket["id"] for ticket in tickets}
    assert set(counts.values()) == {1}


async def test_the_pump_sleeps_until_the_next_deadline(client, app):
    tenant = await make_tenant(client)
    ticket = await make_ticket(client, requester=tenant.contact, priority="critical")
    pump = SlaPump(app.state.sessions, horizon=30.0)
    soon = timesource.now() + timedelta(seconds=5)
    async with app.state.engine.begin() as connection:
        await connection.execute(
            sa.update(TicketClock)
            .where(TicketClock.ticket_id == ticket["id"], TicketClock.metric == "first_response")
            .values(next_fire_at=soon)
        )
    wait = await pump.fire_once()
    # Not the horizon: the deadline written by plain SQL, 5 s away (or an earlier one).
    assert 0 < wait <= 5
    assert await breach_counts(app) == {}

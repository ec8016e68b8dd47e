"""A routing sweep: waiting tickets handed out most urgent first, a few per transaction,
past the ones another worker holds, never over an agent's capacity."""

import uuid

import sqlalchemy as sa

from app.assignment import routing, sweep
from app.db import unit_of_work
from tests.factories import ADMIN, make_agent, make_tenant, make_ticket

WINDOW, LIMIT, ANNOUNCE = 2000, 500, 500


async def run_sweep(app) -> sweep.Swept:
    return await sweep.sweep(
        app.state.sessions, window=WINDOW, limit=LIMIT, announce_limit=ANNOUNCE
    )


async def events_in_order(app, event_type: str) -> list[str]:
    async with app.state.engine.connect() as connection:
        rows = await connection.execute(
            sa.text("SELECT ticket_id FROM events WHERE type = :type ORDER BY seq"),
            {"type": event_type},
        )
        return [str(ticket_id) for (ticket_id,) in rows]


async def assignee(client, ticket_id: str) -> str | None:
    response = await client.get(f"/v1/tickets/{ticket_id}", headers=ADMIN)
    assert response.status_code == 200, response.text
    return response.json()["assignee_id"]


async def test_a_sweep_routes_most_urgent_first_and_passes_over_held_tickets(client, app):
    agent = await make_agent(client, capacity=20)
    pm = await make_agent(client, role="pm", capacity=5)
    tenant = await make_tenant(client)
    raised = [
        await make_ticket(client, tenant.contact_key, category="technical", priority=priority)
        for priority in ("low", "medium", "high", "critical", "high", "low")
    ]
    request = await make_ticket(client, tenant.contact_key, category="request", priority="low")
    async with unit_of_work(app.state.sessions) as session:
        order = [str(w.id) for w in await routing.waiting(session, WINDOW)]
    held = raised[2]["id"]

    async with unit_of_work(app.state.sessions) as other:
        # Another worker holds one ticket while the sweep runs.
        await other.execute(
            sa.text("SELECT 1 FROM tickets WHERE id = :id FOR UPDATE"), {"id": held}
        )
        swept = await run_sweep(app)

    assert swept.passed == 1
    assert swept.refused == []
    assert await assignee(client, held) is None
    assert await assignee(client, request["id"]) == pm["id"]  # its own transaction: PM work
    routed = [t["id"] for t in raised if t["id"] != held]
    assert [await assignee(client, ticket_id) for ticket_id in routed] == [agent["id"]] * 5
    # Announced in the order the queue gave: most urgent first.
    assert await events_in_order(app, "ticket.assigned") == [t for t in order if t != held]

    await run_sweep(app)  # the held ticket, once free
    assert await assignee(client, held) == agent["id"]
    assert len(await events_in_order(app, "ticket.assigned")) == 7


async def test_a_sweep_fills_agents_to_capacity_and_announces_the_rest_once(client, app):
    agents = [await make_agent(client, capacity=c) for c in (2, 1)]
    tenant = await make_tenant(client)
    raised = [await make_ticket(client, tenant.contact_key, category="technical") for _ in range(7)]

    first = await run_sweep(app)
    second = await run_sweep(app)

    holders = [await assignee(client, t["id"]) for t in raised]
    assert sorted(filter(None, holders)) == sorted([agents[0]["id"]] * 2 + [agents[1]["id"]])
    assert len(first.assigned) == 3 and len(first.refused) == 4
    assert second.assigned == [] and len(second.refused) == 1  # the first announced, tried again
    unassigned = await events_in_order(app, "ticket.unassigned")
    left = [t["id"] for t, holder in zip(raised, holders, strict=True) if holder is None]
    assert sorted(unassigned) == sorted(left)


def waiting(roles: str, announced: bool = False) -> routing.Waiting:
    return routing.Waiting(uuid.uuid4(), frozenset({roles}), announced)


def test_the_queue_drops_what_others_hold_before_the_last_ticket_it_locked():
    tickets = [waiting("support_tier1") for _ in range(6)]
    queue = sweep.Queue(list(tickets), limit=50, announce_limit=5)
    offered, room = queue.offer()
    assert offered == [t.id for t in tickets] and room == sweep.PER_TRANSACTION

    # Locked the 2nd and 4th (the 1st and 3rd are held elsewhere); decided only the 2nd.
    queue.settle(offered, [tickets[1].id, tickets[3].id], [(tickets[1].id, uuid.uuid4())])

    assert queue.passed == 2
    assert queue.tried == 1
    assert queue.offer()[0] == [tickets[3].id, tickets[4].id, tickets[5].id]


def test_the_queue_leaves_announced_tickets_of_full_roles_but_tries_new_ones():
    first, announced, new, other = (
        waiting("support_tier1", announced=True),
        waiting("support_tier1", announced=True),
        waiting("support_tier1"),
        waiting("pm"),
    )
    queue = sweep.Queue([first, announced, new, other], limit=50, announce_limit=5)
    offered, _ = queue.offer()
    queue.settle(offered, [first.id], [(first.id, None)])  # no one has room

    offered, _ = queue.offer()
    assert offered == [new.id, other.id]
    queue.settle(offered, [new.id, other.id], [(new.id, None), (other.id, uuid.uuid4())])
    assert (queue.tried, queue.announced) == (2, 1)
    assert queue.offer() == ([], sweep.PER_TRANSACTION)

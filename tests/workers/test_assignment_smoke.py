"""Assignment end to end with a real burst worker: PM on creation, routing, escalation."""

from arq.worker import Worker

from app.workers.settings import WorkerSettings, shutdown, startup
from tests.factories import ADMIN, make_agent, make_key, make_tenant, make_ticket


async def run_jobs(app, *functions: str) -> None:
    for name in functions:
        await app.state.arq.enqueue_job(name)
    worker = Worker(
        functions=WorkerSettings.functions,
        redis_pool=app.state.arq,
        on_startup=startup,
        on_shutdown=shutdown,
        burst=True,
        poll_delay=0.05,
        handle_signals=False,
    )
    await worker.main()
    await worker.close()


async def test_new_organization_gets_a_pm_with_an_explanation(client, app):
    pm = await make_agent(client, role="pm", expertise=["retail"], capacity=3)
    tenant = await make_tenant(client, industry="retail")
    await run_jobs(app)
    view = await client.get(f"/v1/organizations/{tenant.organization['id']}/pm", headers=ADMIN)
    assert view.status_code == 200, view.text
    body = view.json()
    assert body["state"] == "assigned"
    assert body["pm_id"] == pm["id"]
    assert body["assignment"]["expertise_matched"] == ["retail"]
    assert body["assignment"]["overlap_minutes_per_week"] == 2700


async def test_support_ticket_is_routed_and_escalates_up_the_chain(client, app):
    tier1 = await make_agent(client, role="support_tier1", capacity=5)
    senior = await make_agent(client, role="senior_pm", capacity=5)
    ops = await make_agent(client, role="ops_manager", capacity=5)
    lead = await make_agent(client, role="leadership", capacity=5)
    tenant = await make_tenant(client)
    ticket = await make_ticket(client, tenant.contact_key, category="technical")
    await run_jobs(app, "route_tickets")
    current = (await client.get(f"/v1/tickets/{ticket['id']}", headers=ADMIN)).json()
    assert current["assignee_id"] == tier1["id"]
    url = f"/v1/tickets/{ticket['id']}/escalations"
    refused = await client.post(url, json={}, headers=tenant.contact_key)
    assert refused.status_code == 422
    expected = [senior["id"], ops["id"], lead["id"]]
    # The client escalates once per review period; staff take it the rest of the way.
    callers = [tenant.contact_key, ADMIN, ADMIN]
    for level, assignee, caller in zip((2, 3, 4), expected, callers, strict=True):
        response = await client.post(url, json={"reason": "still down"}, headers=caller)
        assert response.status_code == 201, response.text
        assert response.json()["level"] == level
        assert response.json()["assignee_id"] == assignee
    last = await client.post(url, json={"reason": "again"}, headers=ADMIN)
    assert last.status_code == 409
    chain = (await client.get(url, headers=ADMIN)).json()["data"]
    assert [step["level"] for step in chain] == [2, 3, 4]
    current = (await client.get(f"/v1/tickets/{ticket['id']}", headers=ADMIN)).json()
    assert current["escalation_level"] == 4
    assert current["sla"]["escalation_review"]["state"] == "on_track"
    _ = make_key

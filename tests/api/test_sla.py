"""SLA clocks through the API: targets on create, pauses, replies, recomputes, filters."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from app import timesource
from app.db import unit_of_work
from app.sla import firing, recompute
from tests.factories import ADMIN, make_agent, make_key, make_tenant, make_ticket

NY = ZoneInfo("America/New_York")


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=NY)


def freeze(instant: datetime) -> None:
    timesource.set_source(lambda: instant.astimezone(UTC))


def due(ticket: dict, metric: str) -> datetime:
    return datetime.fromisoformat(ticket["sla"][metric]["due_at"])


async def transition(client, ticket, to, headers=ADMIN):
    response = await client.post(
        f"/v1/tickets/{ticket['id']}/transitions", json={"to": to}, headers=headers
    )
    assert response.status_code == 200, response.text
    return response.json()


async def test_medium_ticket_gets_business_hour_targets_on_creation(client, tenant):
    freeze(at(2026, 11, 23, 10, 0))  # a Monday
    ticket = await make_ticket(client, tenant.contact_key, priority="medium")
    assert ticket["sla"]["first_response"]["clock"] == "business"
    assert due(ticket, "first_response") == at(2026, 11, 23, 14, 0)
    # one business day = 9 business hours: Monday 10:00 -> Tuesday 10:00
    assert due(ticket, "resolution") == at(2026, 11, 24, 10, 0)
    assert ticket["sla"]["first_response"]["state"] == "on_track"


async def test_friday_evening_ticket_is_due_on_monday(client, tenant):
    freeze(at(2026, 11, 20, 17, 0))  # Friday 17:00, one business hour left
    ticket = await make_ticket(client, tenant.contact_key, priority="medium")
    assert due(ticket, "first_response") == at(2026, 11, 23, 12, 0)


async def test_thanksgiving_is_skipped(client, tenant):
    freeze(at(2026, 11, 25, 16, 0))  # Wednesday before Thanksgiving
    ticket = await make_ticket(client, tenant.contact_key, priority="medium")
    # 2 h Wednesday, Thursday is a holiday, 2 h on Friday
    assert due(ticket, "first_response") == at(2026, 11, 27, 11, 0)


async def test_high_priority_after_hours_uses_the_after_hours_calendar_target(client, tenant):
    freeze(at(2026, 11, 23, 20, 0))  # Monday evening
    ticket = await make_ticket(client, tenant.contact_key, priority="high")
    assert ticket["sla"]["first_response"]["clock"] == "calendar"
    assert due(ticket, "first_response") == at(2026, 11, 24, 0, 0)  # 4 h, calendar


async def test_enterprise_targets_are_halved(client):
    enterprise = await make_tenant(client, plan="enterprise")
    freeze(at(2026, 11, 23, 10, 0))
    ticket = await make_ticket(client, enterprise.contact_key, priority="medium")
    assert due(ticket, "first_response") == at(2026, 11, 23, 12, 0)


async def test_emergency_is_critical_on_the_calendar_clock(client, tenant):
    freeze(at(2026, 11, 22, 3, 0))  # Sunday night
    ticket = await make_ticket(client, tenant.contact_key, emergency=True, priority="low")
    assert ticket["priority"] == "critical"
    assert due(ticket, "first_response") == at(2026, 11, 22, 3, 15)
    assert due(ticket, "resolution") == at(2026, 11, 22, 7, 0)


async def test_resolution_clock_pauses_while_pending(client, tenant):
    freeze(at(2026, 11, 23, 10, 0))
    ticket = await make_ticket(client, tenant.contact_key, priority="medium")
    await transition(client, ticket, "open")
    freeze(at(2026, 11, 23, 11, 0))
    paused = await transition(client, ticket, "pending")
    assert paused["sla"]["resolution"]["state"] == "paused"
    assert paused["sla"]["resolution"]["due_at"] is None
    assert paused["sla"]["first_response"]["state"] == "on_track"  # first response keeps running
    freeze(at(2026, 11, 23, 13, 0))
    resumed = await transition(client, ticket, "open", tenant.contact_key)
    # two business hours spent waiting on the client push the due time by two hours
    assert due(resumed, "resolution") == at(2026, 11, 24, 12, 0)
    report = (await client.get(f"/v1/tickets/{ticket['id']}/sla", headers=ADMIN)).json()
    resolution = next(c for c in report["data"] if c["metric"] == "resolution")
    assert [(s["state"], s["reason"]) for s in resolution["segments"]] == [
        ("running", "created"),
        ("paused", "pending"),
        ("running", "open"),
    ]
    assert resolution["segments_omitted"] == 0
    assert resolution["elapsed_minutes"] == pytest.approx(60)


async def test_a_long_history_lists_the_latest_stretches_and_counts_them_all(
    client, tenant, monkeypatch
):
    monkeypatch.setattr("app.sla.explain.SEGMENTS_SHOWN", 2)
    freeze(at(2026, 11, 23, 10, 0))
    ticket = await make_ticket(client, tenant.contact_key, priority="medium")
    await transition(client, ticket, "open")
    freeze(at(2026, 11, 23, 11, 0))
    await transition(client, ticket, "pending")
    freeze(at(2026, 11, 23, 13, 0))
    await transition(client, ticket, "open", tenant.contact_key)
    freeze(at(2026, 11, 23, 13, 30))
    report = (await client.get(f"/v1/tickets/{ticket['id']}/sla", headers=ADMIN)).json()
    resolution = next(c for c in report["data"] if c["metric"] == "resolution")
    assert [s["reason"] for s in resolution["segments"]] == ["pending", "open"]
    assert resolution["segments_omitted"] == 1
    assert resolution["elapsed_minutes"] == pytest.approx(90)  # the first hour still counts


async def test_first_public_agent_reply_meets_first_response_but_a_note_does_not(client, tenant):
    freeze(at(2026, 11, 23, 10, 0))
    agent = await make_agent(client)
    agent_key = await make_key(client, "agent", agent_id=agent["id"])
    ticket = await make_ticket(client, tenant.contact_key, priority="medium")
    freeze(at(2026, 11, 23, 10, 30))
    url = f"/v1/tickets/{ticket['id']}/comments"
    note = {"body": "checking logs", "visibility": "internal"}
    assert (await client.post(url, json=note, headers=agent_key)).status_code == 201
    current = (await client.get(f"/v1/tickets/{ticket['id']}", headers=ADMIN)).json()
    assert current["sla"]["first_response"]["state"] == "on_track"
    reply = {"body": "We are on it.", "visibility": "public"}
    assert (await client.post(url, json=reply, headers=agent_key)).status_code == 201
    current = (await client.get(f"/v1/tickets/{ticket['id']}", headers=ADMIN)).json()
    assert current["sla"]["first_response"]["state"] == "met"
    assert current["sla"]["first_response"]["met_at"].startswith("2026-11-23T15:30")


async def test_critical_ticket_arms_next_update_on_each_public_reply(client, tenant):
    freeze(at(2026, 11, 23, 10, 0))
    agent = await make_agent(client)
    agent_key = await make_key(client, "agent", agent_id=agent["id"])
    ticket = await make_ticket(client, tenant.contact_key, priority="critical")
    assert ticket["sla"]["next_update"] is None
    url = f"/v1/tickets/{ticket['id']}/comments"
    freeze(at(2026, 11, 23, 10, 5))
    await client.post(url, json={"body": "Looking."}, headers=agent_key)
    current = (await client.get(f"/v1/tickets/{ticket['id']}", headers=ADMIN)).json()
    assert due(current, "next_update") == at(2026, 11, 23, 11, 5)
    freeze(at(2026, 11, 23, 10, 50))
    await client.post(url, json={"body": "Found it."}, headers=agent_key)
    current = (await client.get(f"/v1/tickets/{ticket['id']}", headers=ADMIN)).json()
    assert due(current, "next_update") == at(2026, 11, 23, 11, 50)


async def test_resolved_ticket_stops_its_clocks_and_never_fires(client, app, tenant):
    freeze(at(2026, 11, 23, 10, 0))
    ticket = await make_ticket(client, tenant.contact_key, priority="critical")
    await transition(client, ticket, "open")
    resolved = await transition(client, ticket, "resolved")
    assert resolved["sla"]["resolution"]["state"] == "met"
    freeze(at(2026, 11, 24, 10, 0))
    async with unit_of_work(app.state.sessions) as session:
        assert await firing.fire_due(session, now=timesource.now()) == 0
    events = (await client.get(f"/v1/tickets/{ticket['id']}/events", headers=ADMIN)).json()
    assert "ticket.sla_breached" not in [event["type"] for event in events["data"]]


async def test_imported_ticket_starts_its_clocks_at_created_at(client, app, tenant):
    freeze(at(2026, 11, 23, 10, 0))
    created = at(2026, 11, 23, 5, 0).astimezone(UTC).isoformat()
    ticket = await make_ticket(
        client, requester=tenant.contact, priority="critical", created_at=created
    )
    assert ticket["created_at"].startswith("2026-11-23T10:00")
    assert ticket["sla"]["first_response"]["state"] == "breached"
    async with unit_of_work(app.state.sessions) as session:
        fired = await firing.fire_due(session, now=timesource.now())
    assert fired == 2  # first response and resolution both breached
    async with unit_of_work(app.state.sessions) as session:
        assert await firing.fire_due(session, now=timesource.now()) == 0
    events = (await client.get(f"/v1/tickets/{ticket['id']}/events", headers=ADMIN)).json()
    breaches = [e["data"]["metric"] for e in events["data"] if e["type"] == "ticket.sla_breached"]
    assert sorted(breaches) == ["first_response", "resolution"]


async def test_at_risk_fires_before_breach(client, app, tenant):
    freeze(at(2026, 11, 23, 10, 0))
    ticket = await make_ticket(client, tenant.contact_key, priority="medium")
    freeze(at(2026, 11, 23, 13, 20))  # 200 of 240 business minutes: past 80 %
    listed = await client.get("/v1/tickets", params={"sla": "at_risk"}, headers=ADMIN)
    assert [t["id"] for t in listed.json()["data"]] == [ticket["id"]]
    async with unit_of_work(app.state.sessions) as session:
        assert await firing.fire_due(session, now=timesource.now()) == 1
    freeze(at(2026, 11, 23, 14, 1))
    async with unit_of_work(app.state.sessions) as session:
        assert await firing.fire_due(session, now=timesource.now()) == 1
    events = (await client.get(f"/v1/tickets/{ticket['id']}/events", headers=ADMIN)).json()
    kinds = [(e["type"], e["data"].get("metric")) for e in events["data"] if "sla" in e["type"]]
    assert kinds == [
        ("ticket.sla_at_risk", "first_response"),
        ("ticket.sla_breached", "first_response"),
    ]
    breached = await client.get("/v1/tickets", params={"sla": "breached"}, headers=ADMIN)
    assert [t["id"] for t in breached.json()["data"]] == [ticket["id"]]
    on_track = await client.get("/v1/tickets", params={"sla": "on_track"}, headers=ADMIN)
    assert on_track.json()["data"] == []


async def test_calendar_change_recomputes_open_tickets(client, app):
    freeze(at(2026, 11, 23, 10, 0))
    calendar = (
        await client.post(
            "/v1/calendars",
            json={"name": "NY", "timezone": "America/New_York", "holiday_country": "US"},
            headers=ADMIN,
        )
    ).json()
    tenant = await make_tenant(client, calendar_id=calendar["id"])
    ticket = await make_ticket(client, tenant.contact_key, priority="medium")
    assert due(ticket, "first_response") == at(2026, 11, 23, 14, 0)
    hours = {day: [["08:00", "12:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}
    response = await client.patch(
        f"/v1/calendars/{calendar['id']}", json={"weekly_hours": hours}, headers=ADMIN
    )
    assert response.status_code == 200, response.text
    async with unit_of_work(app.state.sessions) as session:
        assert await recompute.run_batch(session)
    current = (await client.get(f"/v1/tickets/{ticket['id']}", headers=ADMIN)).json()
    # 2 h left on Monday (10-12), 2 h on Tuesday morning
    assert due(current, "first_response") == at(2026, 11, 24, 10, 0)


async def test_priority_change_retargets_the_clocks(client, tenant):
    freeze(at(2026, 11, 23, 10, 0))
    ticket = await make_ticket(client, tenant.contact_key, priority="low")
    response = await client.patch(
        f"/v1/tickets/{ticket['id']}", json={"priority": "critical"}, headers=ADMIN
    )
    assert due(response.json(), "first_response") == at(2026, 11, 23, 10, 15)


async def test_policy_table_round_trips_and_rejects_gaps(client):
    table = (await client.get("/v1/sla-policies", headers=ADMIN)).json()
    assert len(table["targets"]) >= 16
    without_a_resolution = [
        t
        for t in table["targets"]
        if (t["plan"], t["priority"], t["metric"]) != ("standard", "low", "resolution")
    ]
    incomplete = {"targets": without_a_resolution}
    refused = await client.put("/v1/sla-policies", json=incomplete, headers=ADMIN)
    assert refused.status_code == 422
    assert refused.headers["content-type"] == "application/problem+json"
    assert "standard/low has no resolution target" in refused.text
    negative = {"targets": [{**table["targets"][0], "target_minutes": -5}]}
    assert (await client.put("/v1/sla-policies", json=negative, headers=ADMIN)).status_code == 422
    for target in table["targets"]:
        if (target["plan"], target["priority"], target["metric"]) == (
            "standard",
            "medium",
            "first_response",
        ):
            target["target_minutes"] = 120
    saved = await client.put("/v1/sla-policies", json={"targets": table["targets"]}, headers=ADMIN)
    assert saved.status_code == 200, saved.text


async def test_policy_change_recomputes_open_tickets(client, app, tenant):
    freeze(at(2026, 11, 23, 10, 0))
    ticket = await make_ticket(client, tenant.contact_key, priority="medium")
    table = (await client.get("/v1/sla-policies", headers=ADMIN)).json()["targets"]
    for target in table:
        if (target["plan"], target["priority"], target["metric"]) == (
            "standard",
            "medium",
            "first_response",
        ):
            target["target_minutes"] = 60
    await client.put("/v1/sla-policies", json={"targets": table}, headers=ADMIN)
    async with unit_of_work(app.state.sessions) as session:
        await recompute.run_batch(session)
    current = (await client.get(f"/v1/tickets/{ticket['id']}", headers=ADMIN)).json()
    assert due(current, "first_response") == at(2026, 11, 23, 11, 0)
    assert current["sla"]["first_response"]["target_minutes"] == 60


async def test_contacts_see_the_sla_report(client, tenant, other_tenant):
    ticket = await make_ticket(client, tenant.contact_key)
    own = await client.get(f"/v1/tickets/{ticket['id']}/sla", headers=tenant.contact_key)
    assert own.status_code == 200
    assert {c["metric"] for c in own.json()["data"]} == {"first_response", "resolution"}
    other = await client.get(f"/v1/tickets/{ticket['id']}/sla", headers=other_tenant.contact_key)
    assert other.status_code == 404

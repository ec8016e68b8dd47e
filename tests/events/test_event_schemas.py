"""Every event the API produces is exactly what the spec says: each type's data schema, the
`Event` union in the change feed, the timeline and the stream, and the webhook payloads,
for staff and for clients alike. No event is validated on the way out (that would cost the
feed and the stream a model per event), so these tests are what keeps the spec exact: a
field added to an event without its schema fails here."""

import uuid
from datetime import timedelta
from typing import Any, get_args

import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from pydantic import TypeAdapter
from standardwebhooks.webhooks import Webhook

from app import timesource
from app.assignment.schemas import Assignment
from app.db import unit_of_work
from app.events import data as event_data
from app.events.audience import CLIENT_DATA
from app.events.models import Event as StoredEvent
from app.events.models import EventType, EventVisibility
from app.events.schemas import EVENT_MODELS, TEST_TYPE, WEBHOOK_MODELS, Event
from app.events.stream import PresenceChange, StreamMessage
from app.sla import firing
from app.stream import presence
from app.stream.subscription import render
from app.webhooks import spec as webhooks_spec
from app.webhooks.service import TEST_EVENT_TYPE
from tests.api.test_attachments import uploaded
from tests.chat.test_chat import say, start_chat
from tests.events.conformance import violations
from tests.factories import (
    ADMIN,
    make_agent,
    make_contact,
    make_key,
    make_organization,
    make_ticket,
)
from tests.intake.test_email_intake import mail, send
from tests.intake.widget_helpers import (
    browser_client,
    make_widget_key,
    widget_headers,
    widget_request,
)
from tests.stream.test_availability import ALWAYS, tenant_on
from tests.webhooks.helpers import create_endpoint, eventually, whole_feed
from tests.webhooks.receiver import Received, Reply
from tests.webhooks.test_client_view import away

EVENT = TypeAdapter(Event)
WEBHOOK = {kind: TypeAdapter(model) for kind, model in WEBHOOK_MODELS.items()}
STREAM_MESSAGE = TypeAdapter(StreamMessage)


def members() -> list[Any]:
    """The models of the `Event` union."""
    annotated = Event.__value__
    return list(get_args(get_args(annotated)[0]))


def type_of(model: Any) -> str:
    [value] = get_args(model.model_fields["type"].annotation)
    return value


def test_every_event_type_has_exactly_one_schema_in_the_union():
    types = [type_of(model) for model in members()]
    assert sorted(types) == sorted(kind.value for kind in EventType)
    assert set(EVENT_MODELS) == set(WEBHOOK_MODELS) - {TEST_TYPE} == set(types)
    assert TEST_TYPE == TEST_EVENT_TYPE  # the ping's type, as the sender writes it


# Client-facing data keys that only some events of their type carry.
SOMETIMES = {
    (EventType.ticket_assigned, "previous"),  # staff chose the assignee (not routing)
    (EventType.ticket_status_changed, "reason"),
    (EventType.organization_pm_assigned, "reason"),
    (EventType.organization_pm_changed, "reason"),
    (EventType.intake_refused, "name"),  # the widget's sender gave one
}


def test_staff_only_fields_are_exactly_those_clients_do_not_see():
    for kind, model in EVENT_MODELS.items():
        data = model.model_fields["data"].annotation
        variants = get_args(get_args(data)[0]) if kind == EventType.intake_refused else (data,)
        for variant in variants:
            for name, field in variant.model_fields.items():
                key = field.alias or name
                staff_only = (field.description or "").startswith(event_data.STAFF_ONLY)
                assert staff_only == (key not in CLIENT_DATA[kind]), (kind, key)
                if staff_only or key not in variant.model_json_schema()["properties"]:
                    continue
                # What both views carry is always there, but for what only some events have.
                assert field.is_required() == ((kind, key) not in SOMETIMES), (kind, key)


def test_the_spec_shows_the_union_in_the_feed_timeline_and_stream_and_each_webhook():
    app = FastAPI()
    webhooks_spec.register(app)
    spec = app.openapi()
    assert set(spec["webhooks"]) == {kind.value for kind in EventType} | {TEST_TYPE}
    for kind, entry in spec["webhooks"].items():
        operation = entry["post"]
        assert operation["operationId"] == kind.replace(".", "_") + "_webhook"
        schema = operation["requestBody"]["content"]["application/json"]["schema"]
        assert schema["$ref"].endswith("/" + WEBHOOK_MODELS[kind].__name__)
        headers = {p["name"] for p in operation["parameters"] if p["in"] == "header"}
        assert {"webhook-id", "webhook-timestamp", "webhook-signature"} <= headers
    components = spec["components"]["schemas"]
    assert not [name for name in components if name.endswith(("-Input", "-Output"))]

    from app.main import create_app

    served = create_app().openapi()
    schemas = served["components"]["schemas"]
    mapping = schemas["Event"]["discriminator"]["mapping"]
    assert set(mapping) == {kind.value for kind in EventType}
    ref = "#/components/schemas/"
    for page in ("FeedPage", "EventList"):
        assert schemas[page]["properties"]["data"]["items"] == {"$ref": ref + "Event"}
    stream = served["paths"]["/v1/stream"]["get"]["responses"]["200"]["content"]
    assert stream["text/event-stream"]["schema"] == {"$ref": ref + "StreamMessage"}


# --- producing every event type through the API --------------------------------------------


async def ok(response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json() if response.content else None


async def move(client, ticket: dict[str, Any], *steps: str, reason: str | None = None) -> None:
    for step in steps:
        body = {"to": step, **({"reason": reason} if reason else {})}
        url = f"/v1/tickets/{ticket['id']}/transitions"
        await ok(await client.post(url, json=body, headers=ADMIN))


async def produce_every_event(client, app, tenant) -> dict[str, Any]:
    """Drives the API (and the jobs it leaves) through every event type; returns the keys."""
    contact, contact_key = tenant.contact, tenant.contact_key
    organization_id = tenant.organization["id"]

    # Emergencies route at once: first nobody can (refusals), then a senior (the breakdown).
    on_leave = await make_agent(client, role="support_tier3", capacity=5)
    await away(client, on_leave)
    await make_agent(client, role="senior_pm", capacity=0)
    shot = await uploaded(client, contact_key)
    emergency = {"subject": "Site down", "description": "502 everywhere", "emergency": True}
    waiting = await ok(
        await client.post(
            "/v1/tickets", json={**emergency, "attachment_ids": [shot["id"]]}, headers=contact_key
        ),
        201,
    )
    senior = await make_agent(client, role="support_tier3", capacity=5)
    await ok(await client.post("/v1/tickets", json=emergency, headers=contact_key), 201)
    senior_key = await make_key(client, "agent", agent_id=senior["id"])
    url = f"/v1/tickets/{waiting['id']}"
    await ok(await client.patch(url, json={"assignee_id": senior["id"]}, headers=senior_key))

    # Updates, by the client and by reordering its queue.
    ticket = await make_ticket(client, contact_key, context={"browser": "Firefox 128"})
    other = await make_ticket(client, contact_key, subject="Invoices", description="Wrong VAT")
    changes = {"subject": "Checkout fails on Safari", "context": {"browser": "Safari 17"}}
    await ok(await client.patch(f"/v1/tickets/{ticket['id']}", json=changes, headers=contact_key))
    queue = f"/v1/organizations/{organization_id}/queue"
    order = {"ticket_ids": [other["id"], ticket["id"]]}
    await ok(await client.put(queue, json=order, headers=contact_key))

    # Comments: public, internal, then a problem's broadcast to a linked incident.
    comments = f"/v1/tickets/{ticket['id']}/comments"
    await ok(await client.post(comments, json={"body": "Any news?"}, headers=contact_key), 201)
    note = {"body": "Looks like the CDN", "visibility": "internal"}
    await ok(await client.post(comments, json=note, headers=senior_key), 201)
    problem = await make_ticket(
        client, requester=contact, subject="CDN outage", description="Edge 502s"
    )
    link = f"/v1/tickets/{ticket['id']}/link"
    await ok(await client.post(link, json={"problem_id": problem["id"]}, headers=ADMIN))
    broadcast = {"body": "The CDN is back.", "broadcast": True}
    url = f"/v1/tickets/{problem['id']}/comments"
    await ok(await client.post(url, json=broadcast, headers=senior_key), 201)
    await ok(await client.delete(link, headers=ADMIN))

    # Split, merge, escalate, resolve and rate.
    parts = {"parts": [{"subject": "Part one", "description": "First issue"}]}
    url = f"/v1/tickets/{other['id']}/split"
    await ok(await client.post(url, json=parts, headers=ADMIN), 201)
    duplicate = await make_ticket(client, contact_key, subject="Checkout again")
    url = f"/v1/tickets/{duplicate['id']}/merge"
    await ok(await client.post(url, json={"into": ticket["id"]}, headers=ADMIN))
    url = f"/v1/tickets/{other['id']}/escalations"
    await ok(await client.post(url, json={"reason": "No answer"}, headers=contact_key), 201)
    await move(client, ticket, "resolved", reason="CDN fixed")  # open since the staff reply
    rating = {"score": 4, "comment": "Quick fix"}
    url = f"/v1/tickets/{ticket['id']}/satisfaction"
    await ok(await client.post(url, json=rating, headers=contact_key), 201)

    # SLA clocks: imported tickets whose first response is at risk, and breached.
    for minutes in (13, 300):
        created_at = (timesource.now() - timedelta(minutes=minutes)).isoformat()
        await make_ticket(client, requester=contact, priority="critical", created_at=created_at)
    async with unit_of_work(app.state.sessions) as session:
        assert await firing.fire_due(session, now=timesource.now()) >= 3

    # A live chat, said in and ended by staff.
    chat_agent = await make_agent(client, working_hours=ALWAYS, timezone="UTC")
    chat_key = await make_key(client, "agent", agent_id=chat_agent["id"])
    widget = (await make_widget_key(client, tenant.organization))["key"]
    receipt = await start_chat(app, tenant, widget)
    await say(client, receipt, chat_key, "Which browser?")
    url = f"/v1/tickets/{receipt['id']}/chat/end"
    await ok(await client.post(url, headers=chat_key), 204)

    # PMs: none free (refusals), one chosen (the breakdown), one set by an admin (explicit).
    pm_on_leave = await make_agent(client, role="pm", capacity=5)
    await away(client, pm_on_leave)
    assign = f"/v1/organizations/{organization_id}/pm/assign"
    assert (await ok(await client.post(assign, json={}, headers=ADMIN)))["state"] == "waiting"
    free = await make_agent(client, role="pm", capacity=5)
    await ok(await client.post(assign, json={}, headers=ADMIN))
    await ok(await client.post(assign, json={"agent_id": pm_on_leave["id"]}, headers=ADMIN))
    # An admin's choice for an organization without a PM: assigned, with its reason.
    url = f"/v1/organizations/{(await make_organization(client))['id']}/pm/assign"
    await ok(await client.post(url, json={"agent_id": free["id"]}, headers=ADMIN))

    # Intake refusals: a stranger at the widget, and by mail.
    body = widget_request("stranger@client.example", name="Stranger")
    async with browser_client(app) as browser:
        refused = await browser.post("/v1/intake/widget", json=body, headers=widget_headers(widget))
    assert refused.status_code == 422, refused.text
    undesignated = await make_contact(client, tenant.organization, designated=False)
    refused = await send(client, tenant, mail(undesignated["email"], "Please help"))
    assert refused.status_code == 422, refused.text
    return {"senior_key": senior_key, "chat_key": chat_key}


async def test_every_event_matches_its_schema_in_every_view(client, app, receiver, pumps):
    tenant = await tenant_on(client, ALWAYS)
    receiver.reply = lambda r: Reply(410) if r.path == "/gone" else Reply(204)
    operator = await create_endpoint(client, receiver.url.replace("/hooks", "/operator"))
    await create_endpoint(client, receiver.url.replace("/hooks", "/org"), tenant.integration_key)
    await create_endpoint(client, receiver.url.replace("/hooks", "/gone"), tenant.integration_key)
    await pumps(1)
    keys = await produce_every_event(client, app, tenant)
    ping = f"/v1/webhook-endpoints/{operator['id']}/test"
    await ok(await client.post(ping, headers=ADMIN))

    async def disabled() -> list[dict[str, Any]]:
        return await whole_feed(client, ADMIN, types="webhook_endpoint.disabled")

    await eventually(disabled)
    staff_feed = await whole_feed(client, ADMIN)
    client_feed = await whole_feed(client, tenant.integration_key)
    assert {event["type"] for event in staff_feed} == {kind.value for kind in EventType}
    assert {event["type"] for event in client_feed} == {kind.value for kind in EventType}
    # Every documented key shows up somewhere: the schemas say nothing the API never sends.
    assert unsent(staff_feed) == {}

    problems = []
    for view, events in (("staff feed", staff_feed), ("client feed", client_feed)):
        for event in events:
            problems += [f"{view} {event['type']}: {v}" for v in violations(event, EVENT)]

    ticket_ids = {event["ticket_id"] for event in staff_feed if event["ticket_id"]}
    seen_by_contact = 0
    for ticket_id in sorted(ticket_ids):
        url = f"/v1/tickets/{ticket_id}/events?limit=200"
        for view, headers in (
            ("staff", ADMIN),
            ("agent", keys["senior_key"]),
            ("contact", tenant.contact_key),
        ):
            response = await client.get(url, headers=headers)
            if response.status_code == 404 and view == "contact":
                continue  # another organization's problem ticket
            assert response.status_code == 200, response.text
            timeline = response.json()
            assert timeline["next_cursor"] is None
            seen_by_contact += view == "contact"
            for event in timeline["data"]:
                found = violations(event, EVENT)
                problems += [f"{view} timeline {event['type']}: {v}" for v in found]
    assert seen_by_contact

    problems += await stream_problems(app)
    received = await receiver.wait_for(lambda rs: delivered(rs, staff_feed, client_feed))
    problems += webhook_problems(received, operator["secret"])
    assert problems == []


def data_keys(kind: str) -> set[str]:
    """The data keys the spec documents for a type (every variant's, for a union)."""
    schema = EVENT_MODELS[kind].model_json_schema(mode="serialization")
    data = schema["properties"]["data"]
    refs = [each["$ref"] for each in data.get("oneOf", [data])]
    definitions = schema["$defs"]
    return {key for ref in refs for key in definitions[ref.rsplit("/", 1)[1]]["properties"]}


def unsent(events: list[dict[str, Any]]) -> dict[str, set[str]]:
    """Documented data keys that no event of their type carried."""
    seen: dict[str, set[str]] = {kind: set() for kind in EVENT_MODELS}
    for event in events:
        seen[event["type"]] |= event["data"].keys()
    missing = {kind: data_keys(kind) - keys for kind, keys in seen.items()}
    return {kind: keys for kind, keys in missing.items() if keys}


def delivered(received: list[Received], staff: list[dict], clients: list[dict]) -> bool:
    """Every event of each feed reached its endpoint: the operator's and the organization's."""

    def ids(path: str) -> set[str]:
        return {request.json["id"] for request in received if request.path == path}

    def wanted(events: list[dict]) -> set[str]:
        return {f"evt_{event['id']}" for event in events}

    return wanted(staff) <= ids("/operator") and wanted(clients) <= ids("/org")


def webhook_problems(received: list[Received], operator_secret: str) -> list[str]:
    """Each body against its type's payload schema, and the Standard Webhooks headers."""
    problems = []
    types = set()
    for request in received:
        body = request.json
        types.add(body["type"])
        name = f"{request.path} {body['type']}"
        problems += [f"webhook {name}: {v}" for v in violations(body, WEBHOOK[body["type"]])]
        headers = request.headers
        assert headers["webhook-id"] == body["id"]
        assert headers["webhook-timestamp"].isdigit()
        assert headers["webhook-signature"].startswith("v1,")
        assert headers["user-agent"] == webhooks_spec.USER_AGENT
        assert headers["content-type"] == "application/json"
        if body["type"] == TEST_TYPE:
            assert "x-request-id" not in headers
        if request.path == "/operator":
            Webhook(operator_secret).verify(request.body, headers)
    assert {kind.value for kind in EventType} | {TEST_TYPE} <= types
    return problems


async def stream_problems(app) -> list[str]:
    """What GET /v1/stream writes for each event, to staff and to the organization's clients
    (app/stream/subscription.render makes every frame of it)."""
    async with app.state.sessions() as session:
        rows = (
            await session.execute(sa.select(StoredEvent).where(StoredEvent.position.is_not(None)))
        ).scalars()
        rows = list(rows)
    assert rows
    problems = []
    for row in rows:
        views = [True]
        if row.visibility == EventVisibility.public and row.organization_id is not None:
            views.append(False)
        for staff in views:
            fields = frame_fields(render(row, staff).frame)
            assert fields["id"] == str(row.position) and fields["event"] == str(row.type)
            message = {**fields, "data": TypeAdapter(Any).validate_json(fields["data"])}
            found = violations(message, STREAM_MESSAGE)
            problems += [
                f"stream ({'staff' if staff else 'client'}) {row.type}: {v}" for v in found
            ]
    return problems


def frame_fields(frame: bytes) -> dict[str, str]:
    fields = {}
    for line in frame.decode().splitlines():
        if line and not line.startswith(":"):
            name, _, value = line.partition(":")
            fields[name] = value.removeprefix(" ")
    return fields


async def test_a_presence_change_matches_its_schema(client, app):
    redis = app.state.redis
    ticket_id = uuid.uuid4()
    async with redis.pubsub() as pubsub:
        await pubsub.subscribe(presence.CHANNEL)
        await presence.arrive(
            redis, ticket_id, uuid.uuid4(), "Sam Support", presence.PresenceState.replying
        )

        async def message() -> Any:
            found = await pubsub.get_message(ignore_subscribe_messages=True, timeout=0.5)
            return found

        raw = (await eventually(message))["data"]
    document = TypeAdapter(Any).validate_json(raw)
    assert violations(document, TypeAdapter(PresenceChange)) == []
    frame = {"event": presence.EVENT, "data": document}
    assert violations(frame, STREAM_MESSAGE) == []


async def test_the_pm_view_shows_its_assignment_as_documented(client, tenant):
    organization_id = tenant.organization["id"]
    pm = await make_agent(client, role="pm", capacity=5)
    assign = f"/v1/organizations/{organization_id}/pm/assign"
    view = await ok(await client.post(assign, json={}, headers=ADMIN))
    assert view["assignment"]["agent_id"] == pm["id"]
    explicit = await make_agent(client, role="pm", capacity=5)
    chosen = await ok(await client.post(assign, json={"agent_id": explicit["id"]}, headers=ADMIN))
    shown = await ok(await client.get(f"/v1/organizations/{organization_id}/pm", headers=ADMIN))
    adapter = TypeAdapter(Assignment | None)
    for document in (view, chosen, shown):
        assert violations(document["assignment"], adapter) == []
    assert shown["assignment"] == {"explicit": True, "agent_id": explicit["id"]}


@pytest.mark.parametrize("kind", sorted(EVENT_MODELS))
def test_each_event_model_is_named_for_its_type(kind):
    model = EVENT_MODELS[kind]
    assert type_of(model) == kind
    assert model.__name__.endswith("Event")
    assert WEBHOOK_MODELS[kind].__name__ == model.__name__.removesuffix("Event") + "WebhookPayload"

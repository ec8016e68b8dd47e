"""The generated Python client (clients/python, openapi-python-client) against a real server:
the integrator's walk, async and sync, down to a verified webhook."""

import asyncio
from typing import TypeVar
from uuid import uuid4

from standardwebhooks import Webhook
from supportdesk_client import AuthenticatedClient
from supportdesk_client.api.api_keys import create_api_key
from supportdesk_client.api.contacts import create_contact
from supportdesk_client.api.operations import get_health
from supportdesk_client.api.organizations import create_organization
from supportdesk_client.api.tickets import create_ticket, get_ticket_sla, list_tickets
from supportdesk_client.api.webhooks import create_webhook_endpoint, delete_webhook_endpoint
from supportdesk_client.models import (
    ApiKeyCreate,
    ApiKeyCreated,
    Category,
    ContactCreate,
    ContactOut,
    EventType,
    KeyKind,
    Metric,
    OrganizationCreate,
    OrganizationOut,
    Plan,
    Priority,
    Problem,
    State,
    TicketContext,
    TicketCreate,
    TicketCreatedWebhookPayload,
    TicketList,
    TicketOut,
    TicketSlaReport,
    WebhookEndpointCreate,
    WebhookEndpointWithSecret,
)
from supportdesk_client.types import Response

from tests.conftest import ADMIN_KEY
from tests.webhooks.receiver import Receiver

T = TypeVar("T")


def ok(value: object, kind: type[T]) -> T:
    """The parsed success body (the client returns a Problem, or None, otherwise)."""
    assert isinstance(value, kind), value
    return value


def client(base_url: str, key: str) -> AuthenticatedClient:
    return AuthenticatedClient(base_url=base_url, token=key, raise_on_unexpected_status=True)


async def contact_client(
    base_url: str, admin: AuthenticatedClient, run: str
) -> tuple[str, AuthenticatedClient]:
    """An organization, its designated contact, and a client acting as that contact."""
    organization = ok(
        await create_organization.asyncio(
            client=admin,
            body=OrganizationCreate(name=f"Acme {run}", plan=Plan.ENTERPRISE, industry="retail"),
        ),
        OrganizationOut,
    )
    contact = ok(
        await create_contact.asyncio(
            organization.id,
            client=admin,
            body=ContactCreate(email=f"ana-{run}@acme.example", name="Ana", designated=True),
        ),
        ContactOut,
    )
    key = ok(
        await create_api_key.asyncio(
            client=admin,
            body=ApiKeyCreate(kind=KeyKind.CONTACT, name="Ana's portal", contact_id=contact.id),
        ),
        ApiKeyCreated,
    )
    return str(organization.id), client(base_url, key.key)


async def raise_ticket(
    contact: AuthenticatedClient, subject: str, idempotency_key: str
) -> Response[Problem | TicketOut]:
    body = TicketCreate(
        subject=subject,
        description="Card payments return an error.",
        priority=Priority.HIGH,
        category=Category.TECHNICAL,
        context=TicketContext(url="https://shop.acme.example/checkout", users_affected=3),
    )
    return await create_ticket.asyncio_detailed(
        client=contact, body=body, idempotency_key=idempotency_key
    )


async def all_ticket_ids(contact: AuthenticatedClient) -> list[str]:
    """Every ticket the contact sees, two a page."""
    ids: list[str] = []
    cursor: str | None = None
    while True:
        page = ok(await list_tickets.asyncio(client=contact, limit=2, cursor=cursor), TicketList)
        ids += [str(ticket.id) for ticket in page.data]
        if page.next_cursor is None:
            return ids
        cursor = page.next_cursor


async def test_python_client_walks_the_api_and_verifies_a_webhook(
    live_server: str, receiver: Receiver
):
    run = uuid4().hex[:8]
    admin = client(live_server, ADMIN_KEY)
    # The sync flavour of every call, off the event loop.
    health = await asyncio.to_thread(get_health.sync_detailed, client=admin)
    assert health.status_code == 200
    endpoint = ok(
        await create_webhook_endpoint.asyncio(
            client=admin,
            body=WebhookEndpointCreate(url=receiver.url, event_types=[EventType.TICKET_CREATED]),
        ),
        WebhookEndpointWithSecret,
    )
    try:
        organization_id, contact = await contact_client(live_server, admin, run)

        first = await raise_ticket(contact, "Checkout fails", f"create-{run}")
        retry = await raise_ticket(contact, "Checkout fails", f"create-{run}")
        assert first.status_code == retry.status_code == 201
        ticket, again = ok(first.parsed, TicketOut), ok(retry.parsed, TicketOut)
        assert again.id == ticket.id

        more = [(await raise_ticket(contact, f"More {n}", f"{n}-{run}")).parsed for n in (1, 2)]
        listed = await all_ticket_ids(contact)
        assert sorted(listed) == sorted(str(ok(t, TicketOut).id) for t in [ticket, *more])

        report = ok(await get_ticket_sla.asyncio(ticket.id, client=contact), TicketSlaReport)
        clock = next(c for c in report.data if c.metric == Metric.FIRST_RESPONSE)
        assert clock.state in (State.ON_TRACK, State.AT_RISK)
        assert clock.target_minutes > 0

        received = await receiver.wait_for(
            lambda got: any(str(ticket.id) in r.body.decode() for r in got), within=20
        )
        delivery = next(r for r in received if str(ticket.id) in r.body.decode())
        event = Webhook(endpoint.secret).verify(delivery.body, delivery.headers)
        assert (event["type"], event["organization_id"]) == ("ticket.created", organization_id)
        created = TicketCreatedWebhookPayload.from_dict(event)  # the spec's model of the body
        assert created.data.ticket.number == ok(ticket, TicketOut).number
        assert created.data.ticket.sla.first_response.target_minutes == clock.target_minutes
    finally:
        await delete_webhook_endpoint.asyncio(endpoint.id, client=admin)

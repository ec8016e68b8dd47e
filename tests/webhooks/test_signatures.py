"""Deliveries are signed per Standard Webhooks; a rotated secret signs alongside the new one
for 24 hours, then only the new one signs."""

from datetime import datetime, timedelta

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from tests.factories import ADMIN, make_ticket
from tests.webhooks.helpers import create_endpoint, feed, of_type, signatures, signed_by


def instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


async def test_delivery_headers_and_payload(client, receiver, pumps, tenant):
    endpoint = await create_endpoint(client, receiver.url)
    await pumps(1)
    ticket = await make_ticket(client, requester=tenant.contact, priority="high")
    (request,) = of_type(
        await receiver.wait_for(lambda rs: of_type(rs, "ticket.created")), "ticket.created"
    )

    body = Webhook(endpoint["secret"]).verify(request.body, request.headers)
    event = next(e for e in (await feed(client))["data"] if e["type"] == "ticket.created")
    assert body["id"] == request.headers["webhook-id"] == f"evt_{event['id']}"
    assert body["type"] == "ticket.created"
    assert instant(body["created_at"]) == instant(event["created_at"])
    assert body["created_at"].endswith("Z")
    assert body["data"]["ticket"]["id"] == body["ticket_id"] == ticket["id"]
    assert body["data"]["ticket"]["priority"] == "high"
    assert body["data"] == event["data"]  # the same as the change feed's entry
    assert body["actor"]["type"] == event["actor"]["type"] == "bootstrap"
    assert body["organization_id"] == tenant.organization["id"]
    assert request.headers["content-type"] == "application/json"
    assert request.headers["webhook-timestamp"].isdigit()
    assert len(signatures(request)) == 1 and signatures(request)[0].startswith("v1,")
    assert request.path == "/hooks"


async def test_a_wrong_secret_or_a_tampered_body_does_not_verify(client, receiver, pumps, tenant):
    endpoint = await create_endpoint(client, receiver.url)
    other = await create_endpoint(client, receiver.url)
    await pumps(1)
    await make_ticket(client, requester=tenant.contact)
    received = await receiver.wait_for(lambda rs: len(rs) == 2)
    mine = next(r for r in received if signed_by(r, endpoint["secret"]))
    theirs = next(r for r in received if signed_by(r, other["secret"]))
    assert mine is not theirs
    # The same event, one id for both endpoints, each signed with its own secret.
    assert mine.headers["webhook-id"] == theirs.headers["webhook-id"]
    Webhook(endpoint["secret"]).verify(mine.body, mine.headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(other["secret"]).verify(mine.body, mine.headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(endpoint["secret"]).verify(mine.body.replace(b"Checkout", b"Checkin"), mine.headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(endpoint["secret"]).verify(
            mine.body, {**mine.headers, "webhook-id": "evt_something-else"}
        )


async def test_rotation_signs_with_both_secrets_for_a_day(
    client, receiver, pumps, tenant, movable_clock
):
    endpoint = await create_endpoint(client, receiver.url, event_types=["ticket.created"])
    old = endpoint["secret"]
    await pumps(1)

    await make_ticket(client, requester=tenant.contact)
    before = (await receiver.wait_for(lambda rs: len(rs) == 1))[0]
    Webhook(old).verify(before.body, before.headers)
    assert len(signatures(before)) == 1

    rotated = await client.post(
        f"/v1/webhook-endpoints/{endpoint['id']}/rotate-secret", headers=ADMIN
    )
    assert rotated.status_code == 200, rotated.text
    new = rotated.json()["secret"]
    assert new.startswith("whsec_") and new != old

    await make_ticket(client, requester=tenant.contact)
    during = (await receiver.wait_for(lambda rs: len(rs) == 2))[1]
    assert len(signatures(during)) == 2
    assert Webhook(old).verify(during.body, during.headers)["type"] == "ticket.created"
    assert Webhook(new).verify(during.body, during.headers)["type"] == "ticket.created"

    # Almost a day later both still sign.
    movable_clock.advance(timedelta(hours=23, minutes=50))
    await make_ticket(client, requester=tenant.contact)
    late = (await receiver.wait_for(lambda rs: len(rs) == 3))[2]
    assert signed_by(late, old) and signed_by(late, new)

    # After 24 hours only the new secret signs.
    movable_clock.advance(timedelta(minutes=11))
    await make_ticket(client, requester=tenant.contact)
    after = (await receiver.wait_for(lambda rs: len(rs) == 4))[3]
    assert len(signatures(after)) == 1
    assert signed_by(after, new)
    assert not signed_by(after, old)


async def test_rotating_twice_drops_the_first_secret(client, receiver, pumps, tenant):
    endpoint = await create_endpoint(client, receiver.url, event_types=["ticket.created"])
    path = f"/v1/webhook-endpoints/{endpoint['id']}/rotate-secret"
    second = (await client.post(path, headers=ADMIN)).json()["secret"]
    third = (await client.post(path, headers=ADMIN)).json()["secret"]
    await pumps(1)
    await make_ticket(client, requester=tenant.contact)
    (request,) = await receiver.wait_for(lambda rs: len(rs) == 1)
    Webhook(third).verify(request.body, request.headers)
    Webhook(second).verify(request.body, request.headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(endpoint["secret"]).verify(request.body, request.headers)


async def test_integration_key_rotates_its_own_endpoint(client, receiver, pumps, tenant):
    endpoint = await create_endpoint(
        client, receiver.url, tenant.integration_key, event_types=["ticket.created"]
    )
    rotated = await client.post(
        f"/v1/webhook-endpoints/{endpoint['id']}/rotate-secret", headers=tenant.integration_key
    )
    assert rotated.status_code == 200, rotated.text
    await pumps(1)
    await make_ticket(client, requester=tenant.contact)
    (request,) = await receiver.wait_for(lambda rs: len(rs) == 1)
    Webhook(rotated.json()["secret"]).verify(request.body, request.headers)

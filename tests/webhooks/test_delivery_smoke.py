from standardwebhooks.webhooks import Webhook

from tests.factories import ADMIN, make_tenant, make_ticket


async def test_ticket_created_reaches_endpoint_signed(client, receiver, pumps):
    created = await client.post("/v1/webhook-endpoints", json={"url": receiver.url}, headers=ADMIN)
    assert created.status_code == 201, created.text
    secret = created.json()["secret"]
    await pumps(1)
    tenant = await make_tenant(client)
    ticket = await make_ticket(client, requester=tenant.contact)
    received = await receiver.wait_for(
        lambda rs: any(r.json["type"] == "ticket.created" for r in rs)
    )
    request = next(r for r in received if r.json["type"] == "ticket.created")
    body = Webhook(secret).verify(request.body, request.headers)
    assert body["data"]["ticket"]["id"] == ticket["id"]
    assert request.headers["webhook-id"] == body["id"]

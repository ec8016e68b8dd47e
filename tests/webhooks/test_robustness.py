"""What a hostile or broken receiver cannot do: stop the pump or poison the delivery log."""

from tests.factories import ADMIN, make_ticket
from tests.problems import assert_problem
from tests.webhooks.helpers import create_endpoint, deliveries, eventually
from tests.webhooks.receiver import Reply


async def test_a_response_body_with_nul_bytes_is_logged_and_the_pump_goes_on(
    client, receiver, pumps, tenant
):
    receiver.reply = lambda _: Reply(500, body=b"oops\x00\x00binary")
    endpoint = await create_endpoint(client, receiver.url, event_types=["ticket.created"])
    await pumps(1)
    await make_ticket(client, requester=tenant.contact)

    async def logged():
        rows = await deliveries(client, endpoint["id"])
        return rows and rows[0]["attempts"] and rows[0]

    delivery = await eventually(logged)
    attempt = delivery["attempts"][0]
    assert attempt["status_code"] == 500
    assert "\x00" not in attempt["response_body"]
    assert attempt["response_body"].startswith("oops")
    assert delivery["status"] == "pending" and delivery["next_attempt_at"] is not None

    # The same pump still delivers what comes next.
    receiver.reply = lambda _: Reply(204)
    second = await make_ticket(client, requester=tenant.contact)
    await receiver.wait_for(
        lambda got: any(r.json["data"]["ticket"]["id"] == second["id"] for r in got)
    )


async def test_urls_the_http_client_cannot_parse_are_refused_at_creation(client):
    for url in ("https://8.8.8.010/hook", "http://\u2603.example/hook"):
        response = await client.post(
            "/v1/webhook-endpoints",
            json={"url": url},
            headers=ADMIN,
        )
        assert_problem(response, 422)

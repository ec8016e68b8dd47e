"""The delivery log's filters refuse what PostgreSQL cannot compare: a 422, never a 500."""

from tests.factories import ADMIN
from tests.problems import assert_problem
from tests.webhooks.helpers import create_endpoint


async def test_a_nul_in_the_event_type_filter_is_422(client):
    endpoint = await create_endpoint(client, "http://127.0.0.1:9/hooks")
    path = f"/v1/webhook-endpoints/{endpoint['id']}/deliveries"
    for value in ("\x00", "ticket.created\x00", "ticket.\x00created"):
        response = await client.get(path, params={"event_type": value}, headers=ADMIN)
        problem = assert_problem(response, 422)
        assert [error["field"] for error in problem["errors"]] == ["query.event_type"]


async def test_an_ordinary_event_type_filter_still_works(client):
    endpoint = await create_endpoint(client, "http://127.0.0.1:9/hooks")
    path = f"/v1/webhook-endpoints/{endpoint['id']}/deliveries"
    response = await client.get(path, params={"event_type": "ticket.created"}, headers=ADMIN)
    assert response.status_code == 200, response.text
    assert response.json() == {"data": [], "next_cursor": None}

"""A contact reading a ticket's escalation chain sees who escalated, never a staff key's id."""

from tests.factories import ADMIN, make_ticket


async def test_contacts_see_no_staff_key_id_on_escalations(client, tenant, agent_key):
    ticket = await make_ticket(client, tenant.contact_key)
    url = f"/v1/tickets/{ticket['id']}/escalations"
    response = await client.post(url, json={"reason": "Needs a senior"}, headers=agent_key)
    assert response.status_code == 201, response.text
    staff_view = (await client.get(url, headers=ADMIN)).json()["data"]
    client_view = (await client.get(url, headers=tenant.contact_key)).json()["data"]
    assert staff_view[0]["actor"]["key_id"] is not None
    assert client_view[0]["actor"] == {**staff_view[0]["actor"], "key_id": None}

from tests.factories import ADMIN, make_ticket


async def test_contact_raises_ticket_and_admin_sees_it(client, tenant):
    ticket = await make_ticket(client, tenant.contact_key)
    assert ticket["number"].startswith("SUP-")
    assert ticket["channel"] == "portal"
    response = await client.get(f"/v1/tickets/{ticket['id']}", headers=ADMIN)
    assert response.status_code == 200
    assert response.json()["requester_id"] == tenant.contact["id"]

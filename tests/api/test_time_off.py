"""Agents' out-of-office windows through the API."""

from tests.factories import ADMIN, make_agent, make_key

WINDOW = {
    "starts_at": "2026-12-24T00:00:00Z",
    "ends_at": "2027-01-02T00:00:00Z",
    "reason": "holidays",
}


async def test_admin_records_lists_and_removes_time_off(client):
    agent = await make_agent(client, role="pm")
    url = f"/v1/agents/{agent['id']}/time-off"
    created = await client.post(url, json=WINDOW, headers=ADMIN)
    assert created.status_code == 201, created.text
    window = created.json()
    assert window["agent_id"] == agent["id"]
    assert window["reason"] == "holidays"
    listed = (await client.get(url, headers=ADMIN)).json()["data"]
    assert [w["id"] for w in listed] == [window["id"]]
    past = await client.get(url, params={"ending_after": "2027-02-01T00:00:00Z"}, headers=ADMIN)
    assert past.json()["data"] == []
    assert (await client.delete(f"{url}/{window['id']}", headers=ADMIN)).status_code == 204
    assert (await client.get(url, headers=ADMIN)).json()["data"] == []
    assert (await client.delete(f"{url}/{window['id']}", headers=ADMIN)).status_code == 404


async def test_an_agent_manages_only_their_own_time_off(client):
    me = await make_agent(client)
    colleague = await make_agent(client)
    my_key = await make_key(client, "agent", agent_id=me["id"])
    own = await client.post(f"/v1/agents/{me['id']}/time-off", json=WINDOW, headers=my_key)
    assert own.status_code == 201
    theirs = await client.post(
        f"/v1/agents/{colleague['id']}/time-off", json=WINDOW, headers=my_key
    )
    assert theirs.status_code == 403
    assert theirs.headers["content-type"] == "application/problem+json"


async def test_time_off_must_end_after_it_starts(client):
    agent = await make_agent(client)
    backwards = {**WINDOW, "ends_at": "2026-12-01T00:00:00Z"}
    response = await client.post(
        f"/v1/agents/{agent['id']}/time-off", json=backwards, headers=ADMIN
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.ends_at"
    naive = {**WINDOW, "starts_at": "2026-12-24T00:00:00"}
    response = await client.post(f"/v1/agents/{agent['id']}/time-off", json=naive, headers=ADMIN)
    assert response.status_code == 422


async def test_clients_cannot_see_time_off(client, tenant):
    agent = await make_agent(client)
    response = await client.get(f"/v1/agents/{agent['id']}/time-off", headers=tenant.contact_key)
    assert response.status_code == 403


async def test_unknown_agent_is_404(client):
    response = await client.post(
        "/v1/agents/00000000-0000-4000-8000-00000000abcd/time-off", json=WINDOW, headers=ADMIN
    )
    assert response.status_code == 404

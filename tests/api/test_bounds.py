"""Every string, list and integer the API takes or gives is bounded: over-long input is a 422
problem and stores nothing, and the spec states each bound (the OWASP API rules)."""

import uuid
from collections.abc import Iterator
from typing import Any

from app.spec_bounds import bound_formats
from tests.factories import ADMIN, make_agent
from tests.problems import assert_problem

NOT_SCHEMAS = frozenset({"examples", "example", "default", "const", "enum"})
# Lists as long as the data (a ticket's files, a clock's pauses, a report's groups): capping
# them would hide data, paging them is the fix. .spectral.yaml names the same three.
UNCAPPED = frozenset(
    {
        "/components/schemas/AttachmentList/properties/data",
        "/components/schemas/ClockReport/properties/segments",
        "/components/schemas/SlaReport/properties/data",
    }
)


def unbounded(node: Any, path: str = "") -> Iterator[str]:
    """The JSON pointers of string, array and integer schemas that state no bound."""
    if isinstance(node, list):
        for index, item in enumerate(node):
            yield from unbounded(item, f"{path}/{index}")
        return
    if not isinstance(node, dict):
        return
    kind = node.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    bounded_text = {"maxLength", "enum", "const"} & node.keys() or node.get("format") == "binary"
    if "string" in kinds and not bounded_text:
        yield path
    if "array" in kinds and "maxItems" not in node:
        yield path
    if "integer" in kinds:
        low = {"minimum", "exclusiveMinimum"} & node.keys()
        high = {"maximum", "exclusiveMaximum"} & node.keys()
        if not (low and high and node.get("format") in ("int32", "int64")):
            yield path
    for key, value in node.items():
        if key not in NOT_SCHEMAS:
            yield from unbounded(value, f"{path}/{key.replace('~', '~0').replace('/', '~1')}")


async def test_every_string_list_and_integer_of_the_spec_is_bounded(client):
    spec = (await client.get("/openapi.json")).json()
    bound_formats(spec)
    assert set(unbounded(spec)) - UNCAPPED == set()


def test_formats_get_their_longest_length_and_integers_their_width():
    spec = {
        "a": {"type": "string", "format": "uuid"},
        "b": {"type": ["string", "null"], "format": "date-time"},
        "c": {"type": "string", "format": "email", "maxLength": 100},
        "d": {"type": "integer", "minimum": 0, "maximum": 2**31 - 1},
        "e": {"type": "integer", "minimum": 0, "maximum": 2**53 - 1},
        "f": {"type": "integer"},
        "examples": [{"type": "string", "format": "uuid"}],
    }
    bound_formats(spec)
    assert spec["a"]["maxLength"] == 36
    assert spec["b"]["maxLength"] == 32
    assert spec["c"]["maxLength"] == 100
    assert (spec["d"]["format"], spec["e"]["format"]) == ("int32", "int64")
    assert "format" not in spec["f"]
    assert "maxLength" not in spec["examples"][0]


async def test_an_instant_longer_than_any_the_api_writes_is_refused_and_nothing_stored(client):
    agent = await make_agent(client)
    url = f"/v1/agents/{agent['id']}/time-off"
    nanoseconds = {
        "starts_at": "2031-01-06T09:00:00.123456789+01:00",
        "ends_at": "2031-01-07T09:00:00Z",
    }
    problem = assert_problem(await client.post(url, json=nanoseconds, headers=ADMIN), 422)
    assert problem["errors"][0]["field"] == "body.starts_at"
    assert (await client.get(url, headers=ADMIN)).json()["data"] == []
    longest = {"starts_at": "2031-01-06T09:00:00.123456+01:00", "ends_at": "2031-01-07T09:00:00Z"}
    assert (await client.post(url, json=longest, headers=ADMIN)).status_code == 201


async def test_an_overlong_instant_in_a_query_is_a_problem(client):
    response = await client.get(
        "/v1/tickets", params={"created_after": "2031-01-06T09:00:00.1234567890123Z"}, headers=ADMIN
    )
    problem = assert_problem(response, 422)
    assert problem["errors"][0]["field"] == "query.created_after"


async def test_a_mailed_attachment_size_beyond_a_json_number_is_refused(client, tenant):
    body = {
        "from": tenant.contact["email"],
        "subject": "Logs attached",
        "text": "See the file.",
        "message_id": "<bounds-1@client.example>",
        "attachments": [{"filename": "huge.log", "size": 2**53}],
    }
    response = await client.post("/v1/intake/email", json=body, headers=tenant.integration_key)
    problem = assert_problem(response, 422)
    assert problem["errors"][0]["field"] == "body.attachments.0.size"
    assert (await client.get("/v1/tickets", headers=ADMIN)).json()["data"] == []


async def test_filters_and_headers_longer_than_any_value_they_match_are_refused(client):
    somewhere = uuid.uuid4()
    deliveries = f"/v1/webhook-endpoints/{somewhere}/deliveries"
    assert_problem(
        await client.get(deliveries, params={"event_type": "x" * 41}, headers=ADMIN), 422
    )
    assert_problem(await client.get("/v1/events", params={"types": "," * 1001}, headers=ADMIN), 422)
    content = f"/v1/attachments/{somewhere}/content"
    ranged = {**ADMIN, "Range": "bytes=0-" + "9" * 200}
    assert_problem(await client.get(content, headers=ranged), 422)


async def test_a_problem_cuts_a_field_name_the_caller_made_up(client):
    made_up = "x" * 5000
    response = await client.post(
        "/v1/organizations", json={"name": "Acme", made_up: 1}, headers=ADMIN
    )
    problem = assert_problem(response, 422)
    assert len(problem["errors"][0]["field"]) == 500
    assert len(problem["detail"]) <= 2000
    assert (await client.get("/v1/organizations", headers=ADMIN)).json()["data"] == []


async def test_a_problem_lists_the_first_hundred_invalid_fields(client):
    organization = uuid.uuid4()
    response = await client.put(
        f"/v1/organizations/{organization}/queue",
        json={"ticket_ids": ["not-an-id"] * 300},
        headers=ADMIN,
    )
    problem = assert_problem(response, 422)
    assert len(problem["errors"]) == 100

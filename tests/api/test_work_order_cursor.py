"""A `sort=urgency` cursor the API did not issue is a 422, whatever is inside it, never a 500."""

import base64
import json
import uuid
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.errors import ValidationFailed
from app.schemas import EARLIEST
from app.tickets.listing import FAR_FUTURE, LAST_PLACE, decode_work_cursor, encode_work_cursor
from tests.factories import ADMIN, make_ticket
from tests.problems import assert_problem

ID = "00000000-0000-4000-8000-000000000000"
DUE = "2026-03-02T09:00:00+00:00"
CREATED = "2026-03-01T09:00:00+00:00"


def forged(payload: Any) -> str:
    """A cursor in this API's encoding around any JSON text."""
    text = payload if isinstance(payload, str) else json.dumps(payload)
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


CRAFTED = {
    # Datetimes that parse but fall outside what PostgreSQL (or Python in UTC) can hold.
    "due-year-0": forged(["0001-01-01T00:00:00+14:00", 0, CREATED, ID]),
    "due-year-10000": forged(["9999-12-31T23:59:59-14:00", 0, CREATED, ID]),
    "created-year-0": forged([DUE, 0, "0001-01-01T00:00:00+14:00", ID]),
    "created-year-10000": forged([DUE, 0, "9999-12-31T23:59:59-14:00", ID]),
    "due-before-1970": forged(["0001-01-02T00:00:00+00:00", 0, CREATED, ID]),
    "due-naive": forged(["2026-03-02T09:00:00", 0, CREATED, ID]),
    "due-year-five-digits": forged(["10000-01-01T00:00:00+00:00", 0, CREATED, ID]),
    # Queue positions that are not an int32.
    "position-huge": forged([DUE, 10**400, CREATED, ID]),
    "position-2**31": forged([DUE, 2**31, CREATED, ID]),
    "position-negative": forged([DUE, -1, CREATED, ID]),
    "position-infinity": forged(f'["{DUE}", Infinity, "{CREATED}", "{ID}"]'),
    "position-nan": forged(f'["{DUE}", NaN, "{CREATED}", "{ID}"]'),
    "position-1e999": forged(f'["{DUE}", 1e999, "{CREATED}", "{ID}"]'),
    "position-float": forged([DUE, 1.5, CREATED, ID]),
    "position-string": forged([DUE, "5", CREATED, ID]),
    "position-bool": forged([DUE, True, CREATED, ID]),
    "position-null": forged([DUE, None, CREATED, ID]),
    # Wrong types and shapes.
    "id-int": forged([DUE, 0, CREATED, 123]),
    "id-list": forged([DUE, 0, CREATED, ["a"]]),
    "id-not-a-uuid": forged([DUE, 0, CREATED, "not-a-uuid"]),
    "due-int": forged([10**20, 0, CREATED, ID]),
    "due-object": forged([{"year": 2026}, 0, CREATED, ID]),
    "four-keys-object": forged({"a": 1, "b": 2, "c": 3, "d": 4}),
    "four-char-string": forged("abcd"),
    "three-items": forged([DUE, 0, CREATED]),
    "five-items": forged([DUE, 0, CREATED, ID, 1]),
    "null": forged(None),
    "created-at-cursor": forged([CREATED, ID]),
    "deep-nesting": forged("[" * 300 + "]" * 300),
    "not-json": forged("{"),
    "not-utf8": base64.urlsafe_b64encode(b"\xff\xfe\x00").decode(),
    "not-base64": "%%%",
}


@pytest.mark.parametrize("cursor", CRAFTED.values(), ids=CRAFTED.keys())
async def test_a_crafted_urgency_cursor_is_a_422(client, tenant, cursor):
    await make_ticket(client, tenant.contact_key)
    response = await client.get(
        "/v1/tickets", params={"sort": "urgency", "cursor": cursor}, headers=ADMIN
    )
    problem = assert_problem(response, 422)
    assert [error["field"] for error in problem["errors"]] == ["query.cursor"]


async def test_the_edge_values_an_issued_cursor_can_hold_are_accepted(client, tenant):
    # A ticket with no running clock sorts at FAR_FUTURE, one with no queue place at LAST_PLACE.
    await make_ticket(client, tenant.contact_key)
    cursor = encode_work_cursor(FAR_FUTURE, LAST_PLACE, EARLIEST, uuid.UUID(int=0))
    response = await client.get(
        "/v1/tickets", params={"sort": "urgency", "cursor": cursor}, headers=ADMIN
    )
    assert response.status_code == 200, response.text
    assert response.json()["next_cursor"] is None


def test_every_issued_cursor_decodes_to_what_was_encoded():
    due = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    created = datetime(2026, 3, 1, 9, 0, 0, 123456, tzinfo=UTC)
    row_id = uuid.uuid4()
    for key in [(due, 7, created, row_id), (FAR_FUTURE, LAST_PLACE, created, row_id)]:
        assert decode_work_cursor(encode_work_cursor(*key)) == key


# --- crafted payloads, many at a time ------------------------------------------------------------

offsets = st.integers(min_value=-(24 * 60 - 1), max_value=24 * 60 - 1).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
instants = st.builds(
    lambda moment, zone: moment.replace(tzinfo=zone).isoformat(),
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59, 59)),
    st.none() | offsets,
)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats()
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=8,
)
positions = st.integers(min_value=-(2**40), max_value=2**40) | json_values
row_ids = st.uuids().map(str) | json_values
payloads = (
    st.tuples(instants | json_values, positions, instants | json_values, row_ids).map(list)
    | json_values
)


@given(payloads)
def test_any_payload_decodes_in_range_or_is_a_422(payload):
    try:
        due, position, created, row_id = decode_work_cursor(forged(json.dumps(payload)))
    except ValidationFailed as error:
        assert error.status == 422
        return
    for moment in (due, created):
        assert moment.tzinfo is not None
        assert EARLIEST <= moment <= FAR_FUTURE
    assert type(position) is int and 0 <= position <= LAST_PLACE
    assert isinstance(row_id, uuid.UUID)

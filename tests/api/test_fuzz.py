"""Property-based fuzzing of every operation in the served OpenAPI spec (schemathesis).

Runs in-process against its own application instance, whose lifespan schemathesis runs on its
own event loop thread, so it does not share the pytest event loop or the session `app`.
"""

import os
import uuid
from typing import Any

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.python import asgi
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app.main import create_app
from app.spec_examples import RAW_MAIL
from tests.conftest import ADMIN_KEY

ADMIN = {"Authorization": f"Bearer {ADMIN_KEY}"}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

# A raw inbound mail: the spec's own example, or arbitrary bytes (which must be refused cleanly).
schemathesis.openapi.media_type(
    "message/rfc822", st.one_of(st.just(RAW_MAIL.encode()), st.binary(max_size=2000))
)

fuzz_app = create_app()
schema = schemathesis.openapi.from_asgi(
    "/openapi.json",
    fuzz_app,
    config=schemathesis.Config.from_dict(
        {
            "headers": ADMIN,
            "generation": {"mode": "all", "database": "none"},
            "phases": {"stateful": {"enabled": False}},
        }
    ),
)

# An event stream answers a valid request with a response that never ends; its refusals are
# tested in tests/stream/test_stream.py against a real server.
schema = schema.exclude(operation_id="open_stream")

# Ids of real rows, so operations on one resource get past the 404 some of the time.
seeded: dict[str, str] = {}


@schema.hook
def map_path_parameters(context: Any, path_parameters: dict[str, Any] | None) -> Any:
    """Swaps about two thirds of the generated UUIDs for seeded ones (chosen by the UUID)."""
    if not path_parameters:
        return path_parameters
    mapped = dict(path_parameters)
    for name, value in path_parameters.items():
        try:
            chosen = uuid.UUID(str(value)).int % 3 != 0
        except ValueError:
            continue
        if chosen and name in seeded:
            mapped[name] = seeded[name]
    return mapped


def _created(response: Any) -> dict[str, Any]:
    assert response.status_code == 201, response.text
    return response.json()


@pytest.fixture(scope="module", autouse=True)
def seed() -> None:
    """One of each resource, made through the fuzzed application itself."""
    with asgi.get_client(fuzz_app) as http:
        http.headers.update(ADMIN)
        organization = _created(http.post("/v1/organizations", json={"name": "Fuzz Org"}))
        org_id = organization["id"]
        contact = _created(
            http.post(
                f"/v1/organizations/{org_id}/contacts",
                json={"email": "fuzz@client.example", "name": "Fuzz", "designated": True},
            )
        )
        agent = _created(
            http.post(
                "/v1/agents",
                json={"name": "Fuzz Agent", "email": "fuzz@desk.example", "role": "support_tier1"},
            )
        )
        calendar = _created(
            http.post("/v1/calendars", json={"name": "Fuzz", "timezone": "Europe/Paris"})
        )
        ticket = _created(
            http.post(
                "/v1/tickets",
                json={"subject": "Fuzz", "description": "Seeded", "requester_id": contact["id"]},
            )
        )
        key = _created(http.post("/v1/api-keys", json={"kind": "admin", "name": "Fuzz key"}))
    seeded.update(
        organization_id=org_id,
        contact_id=contact["id"],
        agent_id=agent["id"],
        calendar_id=calendar["id"],
        ticket_id=ticket["id"],
        key_id=key["id"],
    )


@schema.parametrize()
@hypothesis.settings(
    # SUPPORTDESK_FUZZ_EXAMPLES raises the budget for a deeper run than CI's.
    max_examples=int(os.environ.get("SUPPORTDESK_FUZZ_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    print_blob=True,
    database=None,
)
def test_api_conforms_to_its_spec_and_never_fails_on_input(case):
    case.call_and_validate(headers=ADMIN, checks=CHECKS)

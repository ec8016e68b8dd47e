"""What a team generating a client from the spec relies on: every request body has a valid
example, every operation a unique id and a described tag, every error is problem+json, and the
bearer keys are declared. (Responses are held to the spec by every test: tests/conftest.py.)"""

from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from app.errors import PROBLEM_MEDIA_TYPE
from app.events.models import EventType


@pytest.fixture(scope="module")
def spec(app) -> dict[str, Any]:
    return app.openapi()


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, operations in spec["paths"].items()
        for method, operation in operations.items()
    ]


def test_every_request_body_has_an_example_its_schema_accepts(spec):
    checked = 0
    for method, path, operation in _operations(spec):
        for media_type, content in operation.get("requestBody", {}).get("content", {}).items():
            assert "example" in content, f"{method} {path} ({media_type}) has no example"
            schema = {"components": spec["components"], **content["schema"]}
            validator = Draft202012Validator(schema, format_checker=FormatChecker())
            errors = [error.message for error in validator.iter_errors(content["example"])]
            assert not errors, f"{method} {path} ({media_type}): {errors}"
            checked += 1
    assert checked >= 30


def test_every_operation_has_a_unique_id_and_a_described_tag(spec):
    described = {tag["name"] for tag in spec["tags"] if tag.get("description")}
    ids = [operation["operationId"] for _, _, operation in _operations(spec)]
    assert len(ids) == len(set(ids))
    for method, path, operation in _operations(spec):
        assert operation["tags"], f"{method} {path} has no tag"
        assert set(operation["tags"]) <= described, f"{method} {path}: {operation['tags']}"


def test_every_v1_error_is_a_problem_document_and_401_429_500_503_are_declared(spec):
    # (/readyz's 503 is its readiness document, naming the dependency that is down.)
    for method, path, operation in _operations(spec):
        responses = operation["responses"]
        assert "500" in responses, (method, path)
        if not path.startswith("/v1/"):
            continue
        for status, response in responses.items():
            if status.startswith(("4", "5")) and "content" in response:
                assert list(response["content"]) == [PROBLEM_MEDIA_TYPE], (method, path, status)
        assert {"401", "429", "503"} <= set(responses), (method, path)
        assert "Retry-After" in responses["429"]["headers"], (method, path)
        assert "Retry-After" in responses["503"]["headers"], (method, path)


def test_bearer_keys_are_declared_on_every_v1_operation(spec):
    schemes = spec["components"]["securitySchemes"]
    assert schemes["HTTPBearer"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schemes["HTTPBearer"]["description"],
    }
    for method, path, operation in _operations(spec):
        if path.startswith("/v1/"):
            assert {"HTTPBearer": []} in operation["security"], (method, path)


async def test_the_served_spec_is_the_one_built(client, spec):
    served = await client.get("/openapi.json")
    assert served.status_code == 200
    assert served.json() == spec


def test_webhook_payload_is_one_union_of_every_webhook_body(spec):
    union = spec["components"]["schemas"]["WebhookPayload"]
    assert union["discriminator"]["propertyName"] == "type"
    bodies = {
        kind: entry["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        for kind, entry in spec["webhooks"].items()
    }
    assert union["discriminator"]["mapping"] == bodies
    assert set(bodies) == {kind.value for kind in EventType} | {"webhook.test"}

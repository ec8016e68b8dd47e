"""The committed OpenAPI contract matches the served one and follows the API conventions."""

import json
from pathlib import Path
from typing import Any

import pytest

COMMITTED = Path(__file__).resolve().parents[2] / "openapi" / "openapi.json"
METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


@pytest.fixture
async def spec(client) -> dict[str, Any]:
    response = await client.get("/openapi.json")
    assert response.status_code == 200
    return response.json()


def operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        _, *parts = node["$ref"].split("/")
        node = spec
        for part in parts:
            node = node[part]
    return node


def pointer(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def differences(old: Any, new: Any, at: str = "") -> list[str]:
    """JSON pointers where two documents differ."""
    if isinstance(old, dict) and isinstance(new, dict):
        return [
            found
            for key in sorted(old.keys() | new.keys())
            for found in (
                differences(old[key], new[key], f"{at}/{pointer(key)}")
                if key in old and key in new
                else [f"{at}/{pointer(key)}"]
            )
        ]
    return [] if old == new else [at or "/"]


async def test_committed_spec_matches_the_served_spec(spec):
    assert COMMITTED.exists(), "openapi/openapi.json is missing: run `supportdesk openapi`"
    changed = differences(json.loads(COMMITTED.read_text()), spec)
    assert not changed, (
        "openapi/openapi.json differs from the spec the app serves: run `supportdesk openapi` "
        "and commit the result. Differences at:\n" + "\n".join(changed[:20])
    )


async def test_every_operation_has_a_unique_operation_id(spec):
    ids = [operation.get("operationId") for _, _, operation in operations(spec)]
    missing = [f"{m} {p}" for m, p, op in operations(spec) if not op.get("operationId")]
    assert not missing, f"operations without an operationId: {missing}"
    assert len(ids) == len(set(ids)), "operationIds must be unique"


async def test_v1_error_responses_are_problem_documents(spec):
    wrong = []
    for method, path, operation in operations(spec):
        if not path.startswith("/v1/"):
            continue
        for status, response in operation["responses"].items():
            if status.startswith("4"):
                content = resolve(spec, response).get("content", {})
                if set(content) != {"application/problem+json"}:
                    wrong.append(f"{method} {path} {status}: {sorted(content)}")
    assert not wrong, "4xx responses not declared as application/problem+json:\n" + "\n".join(wrong)


async def test_v1_operations_declare_the_missing_key_response(spec):
    missing = [
        f"{method} {path}"
        for method, path, operation in operations(spec)
        if path.startswith("/v1/") and "401" not in operation["responses"]
    ]
    assert not missing, f"operations not declaring 401: {missing}"


# Read as they stream, so no body is held to compare a retry with; a repeated upload is a
# second unbound file that expires (binding it is the idempotent step, on the ticket create).
STREAMED_UPLOADS = {"/v1/attachments", "/v1/intake/widget/attachments"}


async def test_every_post_declares_the_idempotency_key_header(spec):
    missing = []
    for method, path, operation in operations(spec):
        if method != "POST" or path in STREAMED_UPLOADS:
            continue
        parameters = [resolve(spec, parameter) for parameter in operation.get("parameters", [])]
        if not any(
            parameter["in"] == "header" and parameter["name"].lower() == "idempotency-key"
            for parameter in parameters
        ):
            missing.append(f"{method} {path}")
    assert not missing, f"POST operations without an Idempotency-Key header: {missing}"


async def test_problem_schema_has_the_rfc_9457_members(spec):
    problem = spec["components"]["schemas"]["Problem"]
    assert {"type", "title", "status", "detail"} <= set(problem["required"])
    assert "errors" in problem["properties"]

"""Every answer the suite gets through the `client` fixture is held to the served spec: its
status must be declared for the operation, its media type too, and a JSON body must validate
against the declared schema (required fields present, types, enums, formats). A field the spec
marks required that some response leaves out, or a status a route can give that the spec does
not name, fails the test that met it: the generated clients rely on both."""

import re
from dataclasses import dataclass
from typing import Any

import httpx
from jsonschema import Draft202012Validator, FormatChecker


@dataclass(frozen=True)
class Operation:
    method: str
    pattern: re.Pattern[str]
    responses: dict[str, Any]
    name: str


class SpecConformance:
    """Checks responses against one spec (an app's `openapi()`)."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self._components = {"components": spec["components"]}
        # Literal paths first: /v1/tickets/x must not be taken for /v1/tickets/{ticket_id}.
        paths = sorted(spec["paths"].items(), key=lambda item: item[0].count("{"))
        self._operations = [
            Operation(
                method.upper(), _pattern(path), operation["responses"], operation["operationId"]
            )
            for path, operations in paths
            for method, operation in operations.items()
        ]
        self._validators: dict[int, Draft202012Validator] = {}

    async def __call__(self, response: httpx.Response) -> None:
        """An httpx response hook: raises AssertionError on an answer the spec does not allow."""
        operation = self._operation(response.request)
        if operation is None:
            return
        await response.aread()
        declared = operation.responses.get(str(response.status_code))
        if declared is None:
            raise AssertionError(
                f"{operation.name} answered {response.status_code}, which its spec does not "
                f"declare: {response.text[:300]}"
            )
        self._check_body(operation, response, declared.get("content") or {})

    def _operation(self, request: httpx.Request) -> Operation | None:
        path = request.url.path
        for operation in self._operations:
            if operation.method == request.method and operation.pattern.fullmatch(path):
                return operation
        return None

    def _check_body(
        self, operation: Operation, response: httpx.Response, content: dict[str, Any]
    ) -> None:
        if not response.content or not content:
            return
        answered = response.headers.get("content-type", "").split(";")[0].strip()
        media_type = _declared(answered, content)
        if media_type is None:
            raise AssertionError(
                f"{operation.name} answered {response.status_code} as {answered!r}; "
                f"the spec declares {sorted(content)}"
            )
        schema = content[media_type].get("schema")
        if schema is None or not media_type.endswith("json"):
            return
        errors = sorted(self._validator(schema).iter_errors(response.json()), key=str)
        if errors:
            where = "/".join(str(part) for part in errors[0].absolute_path)
            raise AssertionError(
                f"{operation.name} answered {response.status_code} with a body its spec does "
                f"not allow, at '{where}': {errors[0].message}"
            )

    def _validator(self, schema: dict[str, Any]) -> Draft202012Validator:
        key = id(schema)
        if key not in self._validators:
            self._validators[key] = Draft202012Validator(
                {**self._components, **schema}, format_checker=FormatChecker()
            )
        return self._validators[key]


def _declared(media_type: str, content: dict[str, Any]) -> str | None:
    """The declared media type (or range: `image/*`, `*/*`) an answer's type falls under."""
    major = media_type.split("/")[0]
    for candidate in (media_type, f"{major}/*", "*/*"):
        if candidate in content:
            return candidate
    return None


def _pattern(path: str) -> re.Pattern[str]:
    return re.compile(re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(path)))

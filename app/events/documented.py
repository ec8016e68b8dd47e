"""A field whose JSON Schema is an exact type while its value passes through as it is.

Events and assignment explanations are stored as JSON and served as stored: validating every
one against its exact schema on the way out would cost each feed page, timeline and stream
frame a model per event. The spec still shows the exact schema; the tests (tests/events/)
hold every event the API produces to it, so the two cannot drift apart unnoticed.
"""

from dataclasses import dataclass, field
from typing import Any

from pydantic import GetJsonSchemaHandler, TypeAdapter
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema


@dataclass(frozen=True)
class DocumentedAs:
    """`Annotated[dict[str, Any], DocumentedAs(Exact)]`: validated and written as a dict,
    shown in the JSON Schema (and so the OpenAPI document) as `Exact`."""

    shown: Any
    adapter: TypeAdapter[Any] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "adapter", TypeAdapter(self.shown))

    def __get_pydantic_json_schema__(
        self, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return handler(self.adapter.core_schema)

"""Bounds that follow from a schema's format, added to the OpenAPI document in one walk rather
than field by field: the longest text each string format can be, and the width of integers."""

from typing import Any

from app.schemas import INSTANT_LENGTH, INT32_MAX, INT64_MAX

# The longest value of each format the service emits or accepts. A uuid is written in its
# hyphenated form; a date is YYYY-MM-DD (years 1-9999); an email is the project's Email type.
# `binary` is a body of bytes, not a text length: its limit is the route's to document.
FORMAT_LENGTHS = {
    "uuid": 36,
    "date-time": INSTANT_LENGTH,
    "date": 10,
    "email": 320,
}
# Example values and defaults are data, not schemas: a walk must not rewrite them.
DATA_KEYWORDS = frozenset({"examples", "example", "default", "const", "enum"})


def bound_formats(spec: dict[str, Any]) -> None:
    """Adds maxLength to formatted strings and an int32/int64 format to bounded integers."""
    _walk(spec)


def _walk(node: Any) -> None:
    if isinstance(node, list):
        for item in node:
            _walk(item)
        return
    if not isinstance(node, dict):
        return
    types = node.get("type")
    types = types if isinstance(types, list) else [types]
    if "string" in types:
        _bound_string(node)
    if "integer" in types:
        _integer_format(node)
    for key, value in node.items():
        if key not in DATA_KEYWORDS:
            _walk(value)


def _bound_string(schema: dict[str, Any]) -> None:
    length = FORMAT_LENGTHS.get(schema.get("format", ""))
    if length is not None and not {"maxLength", "enum", "const"} & schema.keys():
        schema["maxLength"] = length


def _integer_format(schema: dict[str, Any]) -> None:
    """int32 or int64, as the declared range needs: only where both ends are declared."""
    low = schema.get("minimum", schema.get("exclusiveMinimum"))
    high = schema.get("maximum", schema.get("exclusiveMaximum"))
    if "format" in schema or low is None or high is None:
        return
    if low >= -INT32_MAX - 1 and high <= INT32_MAX:
        schema["format"] = "int32"
    elif low >= -INT64_MAX - 1 and high <= INT64_MAX:
        schema["format"] = "int64"

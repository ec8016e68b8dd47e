"""Holding a JSON document to a documented model, strictly: it must validate, carry no key its
schema does not list, and carry every key the schema marks required."""

from collections.abc import Iterator
from functools import cache
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError


@cache
def documented(model: type[BaseModel]) -> tuple[frozenset[str], frozenset[str]]:
    """The properties and the required keys the spec shows for the model (as responses)."""
    schema = model.model_json_schema(mode="serialization")
    return frozenset(schema.get("properties", {})), frozenset(schema.get("required", ()))


def violations(raw: Any, adapter: TypeAdapter[Any]) -> list[str]:
    """Everything in `raw` its documented type does not say, as readable paths."""
    try:
        value = adapter.validate_python(raw)
    except ValidationError as error:
        return [f"invalid: {error}"]
    return list(_walk(raw, value, "$"))


def _walk(raw: Any, value: Any, path: str) -> Iterator[str]:
    if isinstance(value, BaseModel):
        model = type(value)
        properties, required = documented(model)
        for key in sorted(raw.keys() - properties):
            yield f"{path}.{key}: not documented in {model.__name__}"
        for key in sorted(required - raw.keys()):
            yield f"{path}.{key}: required in {model.__name__} but missing"
        for name, field in model.model_fields.items():
            key = field.alias or name
            if key in raw and key in properties:
                yield from _walk(raw[key], getattr(value, name), f"{path}.{key}")
    elif isinstance(value, list):
        for index, (raw_item, item) in enumerate(zip(raw, value, strict=True)):
            yield from _walk(raw_item, item, f"{path}[{index}]")
    elif isinstance(value, dict):
        by_key = {str(key): item for key, item in value.items()}
        for key, raw_item in raw.items():
            yield from _walk(raw_item, by_key[key], f"{path}.{key}")

"""Validate stage, schema part: the JSON Schemas of the source format, with positioned errors."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

import jsonschema
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource

from fleetpkg.errors import Problem
from fleetpkg.yamlloader import Document

SCHEMA_FILES = (
    "common.schema.json",
    "manifest.schema.json",
    "changelog.schema.json",
    "data_stream.schema.json",
    "fields.schema.json",
    "pipeline.schema.json",
)


def _read(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(resources.files(__name__).joinpath(name).read_text("utf-8"))
    return data


@cache
def _registry() -> Registry[Any]:
    pairs = [(name, Resource.from_contents(_read(name))) for name in SCHEMA_FILES]
    return Registry().with_resources(pairs)


@cache
def validator(name: str) -> jsonschema.Draft202012Validator:
    """A validator for one of SCHEMA_FILES, resolving references between them."""
    return jsonschema.Draft202012Validator(_read(name), registry=_registry())


def _extra_keys(err: ValidationError) -> list[str]:
    instance: Any = err.instance
    schema: Any = err.schema
    return sorted(set(instance) - set(schema.get("properties", {})))


def _message(err: ValidationError) -> str:
    instance: Any = err.instance
    value: Any = err.validator_value
    if err.validator == "additionalProperties":
        return "unknown key " + ", ".join(repr(k) for k in _extra_keys(err))
    if _is_name_error(err):
        return f"unknown processor {instance!r}"
    if err.validator in ("enum", "const"):
        allowed = value if err.validator == "enum" else [value]
        return f"{instance!r} is not one of " + ", ".join(repr(a) for a in allowed)
    if err.validator == "pattern":
        schema: Any = err.schema
        if "description" in schema:
            return f"{instance!r} is not {schema['description']}"
        return f"{instance!r} does not match {value!r}"
    if err.validator == "type":
        return f"{_short(err.instance)} is not of type {err.validator_value!r}"
    return err.message


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _location_parts(err: ValidationError) -> tuple[str | int, ...]:
    parts: tuple[str | int, ...] = tuple(err.absolute_path)
    if err.validator == "additionalProperties":
        extra = _extra_keys(err)
        return (*parts, extra[0]) if extra else parts
    if _is_name_error(err):
        return (*parts, str(err.instance))
    return parts


def check(doc: Document, schema: str) -> list[Problem]:
    """Every schema violation of doc, each at the node it concerns."""
    problems = []
    for err in validator(schema).iter_errors(doc.value):
        for leaf in _leaves(err):
            parts = _location_parts(leaf)
            loc = doc.key_at(*parts) if _names_key(leaf) else doc.at(*parts)
            problems.append(Problem(loc, _message(leaf)))
    return problems


def _names_key(err: ValidationError) -> bool:
    return err.validator == "additionalProperties" or _is_name_error(err)


def _is_name_error(err: ValidationError) -> bool:
    """A property name rejected by `propertyNames` (only processor types use it)."""
    return "propertyNames" in err.relative_schema_path


def _leaves(err: ValidationError) -> list[ValidationError]:
    """Errors of anyOf/oneOf are reported by their most relevant sub-error."""
    if err.context:
        best = jsonschema.exceptions.best_match(err.context)
        return [best] if best is not None else [err]
    return [err]

"""Render stage, fields part: derive fields/*.yml entries and README rows from declared fields."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fleetpkg.derive import IMPLIED_ECS
from fleetpkg.ecs import Ecs
from fleetpkg.model import DataStream, Field

ECS_KEYS = ("object_type", "pattern", "index", "doc_values", "multi_fields")
BASE = (
    ("@timestamp", "date", "Event timestamp.", None),
    ("data_stream.type", "constant_keyword", "Data stream type.", None),
    ("data_stream.dataset", "constant_keyword", "Data stream dataset.", None),
    ("data_stream.namespace", "constant_keyword", "Data stream namespace.", None),
    ("event.module", "constant_keyword", "Event module.", "{package}"),
    ("event.dataset", "constant_keyword", "Event dataset.", "{package}.{ds}"),
)


@dataclass(frozen=True, slots=True)
class FieldDoc:
    """One row of a README fields table."""

    name: str
    description: str
    type: str
    unit: str | None = None
    metric_type: str | None = None


def _entry(name: str, type_: str, description: str, **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"name": name, "type": type_, "description": description.strip()}
    out.update({k: v for k, v in extra.items() if v is not None})
    return out


def base_fields(package: str, ds: DataStream) -> list[dict[str, Any]]:
    """data_stream.*, event.module/dataset and @timestamp, unless the source declares them."""
    declared = {f.name for f in ds.fields}
    out = []
    for name, type_, description, value in BASE:
        if name in declared:
            continue
        const = value.format(package=package, ds=ds.name) if value else None
        out.append(_entry(name, type_, description, value=const))
    return out


def _ecs_names(ds: DataStream) -> list[str]:
    declared = {f.name for f in ds.fields}
    implied = {f.ecs for f in ds.fields if f.ecs} | set(IMPLIED_ECS)
    names = {f.name for f in ds.fields if f.external == "ecs"}
    return sorted(names | (implied - declared))


def ecs_fields(ds: DataStream, ecs: Ecs) -> list[dict[str, Any]]:
    """Every ECS field of the data stream, resolved from the pinned ECS release."""
    by_name = {f.name: f for f in ds.fields}
    out = []
    for name in _ecs_names(ds):
        spec = ecs.lookup(name)
        assert spec is not None, name  # the validate stage checked every name
        field = by_name.get(name)
        extra = {k: spec.get(k) for k in ECS_KEYS}
        if field is not None:
            extra |= dict(field.extra)
        description = field.description if field and field.description else spec.description
        type_ = field.type if field and field.type else spec.type
        out.append(_entry(name, type_, description, **extra))
    return out


def _leaf(field: Field) -> dict[str, Any]:
    assert field.type is not None
    assert field.description is not None
    extra = {"unit": field.unit, "metric_type": field.metric_type, "example": field.example}
    extra |= dict(field.extra)
    return _entry(field.name.rsplit(".", 1)[-1], field.type, field.description, **extra)


def package_fields(ds: DataStream) -> list[dict[str, Any]]:
    """The data stream's own (non-ECS) fields, nested into groups, sorted by name."""
    tree: dict[str, Any] = {}
    for field in ds.fields:
        if field.external == "ecs":
            continue
        node = tree
        for part in field.name.split(".")[:-1]:
            node = node.setdefault(part, {})
        node[field.name.rsplit(".", 1)[-1]] = field
    return _groups(tree)


def _groups(tree: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for name in sorted(tree):
        node = tree[name]
        if isinstance(node, Field):
            out.append(_leaf(node))
        else:
            out.append({"name": name, "type": "group", "fields": _groups(node)})
    return out


def field_docs(package: str, ds: DataStream, ecs: Ecs) -> list[FieldDoc]:
    """README rows: every leaf field of the data stream, sorted by full name."""
    rows = []
    for entry in base_fields(package, ds) + ecs_fields(ds, ecs):
        rows.append(FieldDoc(entry["name"], entry["description"], entry["type"]))
        for multi in entry.get("multi_fields", ()):
            text = f"Multi-field of `{entry['name']}`."
            rows.append(FieldDoc(f"{entry['name']}.{multi['name']}", text, multi["type"]))
    for field in ds.fields:
        if field.external != "ecs":
            assert field.type is not None
            description = field.description or ""
            rows.append(
                FieldDoc(field.name, description, field.type, field.unit, field.metric_type)
            )
    return sorted(rows, key=lambda r: r.name)

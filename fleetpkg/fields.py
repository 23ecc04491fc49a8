"""Render stage, fields part: derive fields/*.yml entries and README rows from declared fields."""

from __future__ import annotations

import json
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


def _runtime(entry: dict[str, Any]) -> bool:
    """elastic-package's Runtime.IsEnabled: `runtime: true` or a non-empty script."""
    value = entry.get("runtime")
    return value is True or (isinstance(value, str) and value != "")


def _go_quote(name: str) -> str:
    """Go's %#q: a backquoted string when the text allows it, else a double-quoted one."""
    if all(c == "\t" or (c >= " " and c not in "`\x7f\ufeff") for c in name):
        return f"`{name}`"
    return json.dumps(name, ensure_ascii=False)


def _visit(prefix: str, entry: dict[str, Any], rows: list[FieldDoc]) -> None:
    name = f"{prefix}.{entry['name']}" if prefix else str(entry["name"])
    children = entry.get("fields") or []
    if (not children and entry.get("type") != "group") or entry.get("external"):
        type_ = str(entry.get("type") or "")
        if _runtime(entry):
            type_ += " (runtime)"
        description = str(entry.get("description") or "")
        rows.append(FieldDoc(name, description, type_, entry.get("unit"), entry.get("metric_type")))
        for multi in entry.get("multi_fields") or ():
            text = f"Multi-field of {_go_quote(name)}."
            rows.append(FieldDoc(f"{name}.{multi['name']}", text, str(multi.get("type") or "")))
        return
    for child in children:
        _visit(name, child, rows)


def field_docs(package: str, ds: DataStream, ecs: Ecs) -> list[FieldDoc]:
    """README rows as elastic-package's `{{fields "ds"}}` builds them (internal/docs,
    exported_fields.go): every leaf of the fields/*.yml entries the build writes for the data
    stream (in file order: base-fields, ecs, fields), groups without children skipped, one row
    per multi-field, sorted by full name (byte order), the first of equal names kept."""
    rows: list[FieldDoc] = []
    for entry in base_fields(package, ds) + ecs_fields(ds, ecs) + package_fields(ds):
        _visit("", entry, rows)
    unique: dict[str, FieldDoc] = {}
    for row in sorted(rows, key=lambda r: r.name.encode("utf-8")):
        unique.setdefault(row.name, row)
    return list(unique.values())

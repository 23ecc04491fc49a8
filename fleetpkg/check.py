"""Check stage: package-spec rules for the parts fleetpkg generates, applied to built files."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from fleetpkg.derive import ON_FAILURE_MESSAGE
from fleetpkg.errors import FleetpkgError, Location, Problem
from fleetpkg.model import NUMERIC_TYPES
from fleetpkg.resolve import MARKER, SECRET_NAME, semver_key
from fleetpkg.yamlloader import Document, parse

KNOWN_FORMATS = ("3.6.6",)
REQUIRED = ("format_version", "name", "title", "description", "version", "type", "owner")
SEMVER = re.compile(r"^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$")
INGEST_META = re.findall(r"_ingest\.[a-z_]+", ON_FAILURE_MESSAGE)
UNITS = ("byte", "percent", "d", "h", "m", "s", "ms", "micros", "nanos")
METRICS = ("counter", "gauge")
LEAF_TYPES = NUMERIC_TYPES | {
    "keyword", "constant_keyword", "wildcard", "text", "match_only_text", "date", "date_nanos",
    "boolean", "ip", "geo_point", "flattened", "object", "version", "binary", "alias",
}  # fmt: skip
BASE_TYPES = {
    "data_stream.type": "constant_keyword",
    "data_stream.dataset": "constant_keyword",
    "data_stream.namespace": "constant_keyword",
    "@timestamp": "date",
}


class _Checker:
    def __init__(self, files: dict[str, bytes], shown: str) -> None:
        self.files = files
        self.shown = shown
        self.problems: list[Problem] = []

    def error(self, rel: str, message: str, line: int = 0, col: int = 0) -> None:
        self.problems.append(Problem(Location(f"{self.shown}/{rel}", line, col), message))

    def at(self, doc: Document, message: str, *parts: str | int) -> None:
        loc = doc.at(*parts)
        self.problems.append(
            Problem(Location(f"{self.shown}/{loc.path}", loc.line, loc.col), message)
        )

    def yaml(self, rel: str) -> Document | None:
        if rel not in self.files:
            self.error(rel, "file is missing")
            return None
        try:
            return parse(self.files[rel].decode("utf-8"), rel)
        except FleetpkgError as err:
            for p in err.problems:
                self.error(rel, p.message, p.location.line, p.location.col)
            return None


def _manifest(c: _Checker) -> dict[str, Any]:
    doc = c.yaml("manifest.yml")
    if doc is None or not isinstance(doc.value, dict):
        return {}
    m: dict[str, Any] = doc.value
    for key in REQUIRED:
        if key not in m:
            c.at(doc, f"missing required key {key!r}")
    if m.get("format_version") not in KNOWN_FORMATS:
        c.at(doc, f"format_version must be one of {KNOWN_FORMATS}", "format_version")
    if not SEMVER.match(str(m.get("version", ""))):
        c.at(doc, "version must be semver", "version")
    if not isinstance(m.get("conditions", {}).get("kibana", {}).get("version"), str):
        c.at(doc, "conditions.kibana.version is missing")
    for n, icon in enumerate(m.get("icons", [])):
        if str(icon.get("src", "")).lstrip("/") not in c.files:
            c.at(doc, f"icon {icon.get('src')!r} is not in the package", "icons", n)
    for n, pt in enumerate(m.get("policy_templates", [])):
        for ds in pt.get("data_streams", []):
            if f"data_stream/{ds}/manifest.yml" not in c.files:
                c.at(doc, f"unknown data stream {ds!r}", "policy_templates", n)
        for i, inp in enumerate(pt.get("inputs", [])):
            _vars(c, doc, inp.get("vars", []), "policy_templates", n, "inputs", i, "vars")
    _vars(c, doc, m.get("vars", []), "vars")
    return m


def _vars(c: _Checker, doc: Document, items: list[dict[str, Any]], *at: str | int) -> None:
    for n, var in enumerate(items):
        name = str(var.get("name", ""))
        secretish = var.get("type") == "password" or (
            SECRET_NAME.search(name) and not name.endswith(("_file", "_url"))
        )
        if secretish and "secret" not in var:
            c.at(doc, f"var {name!r} must set 'secret' explicitly", *at, n)
        if (var.get("type") == "select") != ("options" in var):
            c.at(doc, f"var {name!r}: options go with type 'select' only", *at, n)


def _changelog(c: _Checker, version: str) -> None:
    doc = c.yaml("changelog.yml")
    if doc is None or not isinstance(doc.value, list) or not doc.value:
        return
    versions = [str(e.get("version", "")) for e in doc.value]
    if version and versions[0] != version:
        c.at(doc, f"first changelog version {versions[0]} is not the package version", 0)
    for n in range(1, len(versions)):
        if semver_key(versions[n]) >= semver_key(versions[n - 1]):
            c.at(doc, "changelog versions must strictly decrease", n, "version")


def _leaves(fields: list[dict[str, Any]], prefix: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    for f in fields:
        name = prefix + str(f.get("name", ""))
        if f.get("type") in ("group", "nested") or "fields" in f:
            yield from _leaves(f.get("fields", []), name + ".")
        else:
            yield name, f


def _fields(c: _Checker, base: str) -> None:
    paths = sorted(p for p in c.files if p.startswith(f"{base}/fields/") and p.endswith(".yml"))
    if not paths:
        c.error(f"{base}/fields", "a data stream needs at least one fields file")
    seen: dict[str, str] = {}
    for rel in paths:
        doc = c.yaml(rel)
        if doc is None:
            continue
        for name, spec in _leaves(doc.value or []):
            if name in seen:
                c.error(rel, f"field {name!r} is also defined in {seen[name]}")
            seen.setdefault(name, rel)
            if "external" in spec:
                c.error(rel, f"field {name!r}: 'external' must be resolved in a built package")
            if "type" not in spec:
                c.error(rel, f"field {name!r} has no type")
            base_type = BASE_TYPES.get(name)
            if base_type and spec.get("type") != base_type:
                c.error(rel, f"field {name!r} must have type {base_type!r}")
            _field_attributes(c, rel, name, spec)
    for name in BASE_TYPES:
        if name not in seen:
            c.error(f"{base}/fields", f"field {name!r} is not defined")


def _field_attributes(c: _Checker, rel: str, name: str, spec: dict[str, Any]) -> None:
    type_ = spec.get("type")
    if type_ is not None and type_ not in LEAF_TYPES:
        c.error(rel, f"field {name!r} has unknown type {type_!r}")
    if "unit" in spec and spec["unit"] not in UNITS:
        c.error(rel, f"field {name!r} has unknown unit {spec['unit']!r}")
    if "metric_type" in spec and (type_ not in NUMERIC_TYPES or spec["metric_type"] not in METRICS):
        c.error(rel, f"field {name!r}: metric_type needs a numeric field and counter or gauge")
    if type_ == "object" and "object_type" not in spec:
        c.error(rel, f"field {name!r} of type 'object' needs object_type")


def _tags(c: _Checker, doc: Document, procs: Any, seen: set[str], *at: str | int) -> None:
    for n, item in enumerate(procs if isinstance(procs, list) else []):
        if not isinstance(item, dict) or len(item) != 1:
            c.at(doc, "a processor is a mapping with exactly one key", *at, n)
            continue
        ((ptype, config),) = item.items()
        tag = config.get("tag") if isinstance(config, dict) else None
        if not isinstance(tag, str) or not tag:
            c.at(doc, f"{ptype} processor has no tag", *at, n)
        elif tag in seen:
            c.at(doc, f"{ptype} processor has duplicate tag {tag!r}", *at, n)
        seen.add(str(tag))
        if isinstance(config, dict):
            _tags(c, doc, config.get("on_failure"), seen, *at, n, ptype, "on_failure")


def _pipeline(c: _Checker, rel: str) -> None:
    if not c.files[rel].startswith(b"---"):
        c.error(rel, "a YAML pipeline must start with '---'", 1, 1)
    doc = c.yaml(rel)
    if doc is None or not isinstance(doc.value, dict):
        return
    seen: set[str] = set()
    _tags(c, doc, doc.value.get("processors"), seen, "processors")
    _tags(c, doc, doc.value.get("on_failure"), seen, "on_failure")
    handlers = [next(iter(p.items())) for p in doc.value.get("on_failure") or [] if p]
    kinds = [a for t, a in handlers if t == "set" and a.get("field") == "event.kind"]
    if not any(a.get("value") == "pipeline_error" for a in kinds):
        c.at(doc, "on_failure must set event.kind to 'pipeline_error'", "on_failure")
    messages = [
        a for t, a in handlers if t in ("set", "append") and a.get("field") == "error.message"
    ]
    text = str(messages[0].get("value", "")) if messages else ""
    for meta in INGEST_META:
        if meta not in text:
            c.at(doc, f"on_failure error.message must include {meta}", "on_failure")


def _data_stream(c: _Checker, base: str) -> None:
    doc = c.yaml(f"{base}/manifest.yml")
    if doc is not None and isinstance(doc.value, dict):
        if "title" not in doc.value:
            c.at(doc, "missing required key 'title'")
        for n, stream in enumerate(doc.value.get("streams", [])):
            template = f"{base}/agent/stream/{stream.get('template_path', 'stream.yml.hbs')}"
            if template not in c.files:
                c.at(doc, f"template {template!r} is missing", "streams", n)
            _vars(c, doc, stream.get("vars", []), "streams", n, "vars")
    _fields(c, base)
    for rel in c.files:
        if rel.startswith(f"{base}/elasticsearch/ingest_pipeline/") and rel.endswith(".yml"):
            _pipeline(c, rel)
    sample = f"{base}/sample_event.json"
    if sample in c.files:
        try:
            json.loads(c.files[sample])
        except ValueError as err:
            c.error(sample, f"invalid JSON: {err}")


def _docs(c: _Checker) -> None:
    readme = c.files.get("docs/README.md", b"")
    if not readme.strip():
        c.error("docs/README.md", "docs/README.md is missing or empty")
    for match in MARKER.finditer(readme.decode("utf-8")):
        c.error("docs/README.md", f"unexpanded marker {match.group(0)}")


def check_built(files: dict[str, bytes], shown: str = "package") -> list[Problem]:
    """Problems of a built package given as {path: bytes}; paths are shown under `shown`."""
    c = _Checker(files, shown)
    manifest = _manifest(c)
    _changelog(c, str(manifest.get("version", "")))
    _docs(c)
    streams = sorted({p.split("/")[1] for p in files if p.startswith("data_stream/")})
    for name in streams:
        _data_stream(c, f"data_stream/{name}")
    return sorted(set(c.problems))

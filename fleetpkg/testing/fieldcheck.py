"""Pipeline test outputs checked against the package's field definitions.

Rules and message shapes follow elastic-package's fields validator for pipeline tests.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from fleetpkg.ingest.errors import IngestError
from fleetpkg.ingest.mustache import compile_template

from .compare import get_path
from .fielddefs import FieldDef, FieldSet

SKIPPED_FAMILIES = frozenset({"agent", "elastic_agent", "cloud", "event", "host", "metricset"})
STRING_TYPES = frozenset({"keyword", "constant_keyword", "wildcard", "text", "match_only_text"})
INTEGER_TYPES = frozenset({"long", "integer", "short", "byte", "unsigned_long"})
FLOAT_TYPES = frozenset({"double", "float", "half_float", "scaled_float"})
OPAQUE_TYPES = frozenset(
    {"geo_point", "flattened", "histogram", "aggregate_metric_double", "array"}
)
GEOIP_DOC = "https://github.com/elastic/elastic-package/blob/main/docs/howto/ingest_geoip.md"
_TEST_NETS = (
    "192.0.2.0/24",
    "198.51.100.0/24",
    "203.0.113.0/24",
    "233.252.0.0/24",
    "2001:db8::/32",
    "3fff::/20",
)
DATASET_FIELDS = ("event.dataset", "data_stream.dataset")


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """One validation failure of one event."""

    event: int
    field: str
    message: str
    declared: str | None

    def __str__(self) -> str:
        where = f" (declared at {self.declared})" if self.declared else ""
        return f"event #{self.event}: {self.message}{where}"


@dataclass(frozen=True, slots=True)
class Options:
    """Per-case validation options."""

    datasets: tuple[str, ...]
    numeric_keyword_fields: frozenset[str] = frozenset()
    string_number_fields: frozenset[str] = frozenset()
    allowed_networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = ()
    spec_2: bool = True  # format_version >= 2.0.0: dataset and normalization checks apply


def go_type(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "float64"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "[]interface {}"
    if isinstance(value, dict):
        return "map[string]interface {}"
    return "<nil>"


def go_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    if isinstance(value, list):
        return "[" + " ".join(go_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{go_value(v)}" for k, v in sorted(value.items())) + "]"
    return "<nil>" if value is None else str(value)


def _is_ip_allowed(
    address: ipaddress.IPv4Address | ipaddress.IPv6Address, options: Options
) -> bool:
    if (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_unspecified
        or str(address) == "255.255.255.255"
    ):
        return True
    return any(address in net for net in _nets() + options.allowed_networks)


def _nets() -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(n) for n in _TEST_NETS)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _numeric_string(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        float(value)
    except ValueError:
        return False
    return True


class Validator:
    """Walks one event and yields problems."""

    def __init__(self, fields: FieldSet, options: Options) -> None:
        self.fields = fields
        self.options = options
        self.doc: dict[str, Any] = {}  # the event being validated (categorization looks across)

    def validate(self, event: int, doc: dict[str, Any]) -> list[FieldProblem]:
        self.doc = doc
        problems = list(self._datasets(event, doc)) if self.options.spec_2 else []
        problems.extend(self._walk(event, doc, ""))
        seen: set[tuple[str, str]] = set()
        unique = []
        for problem in problems:
            if (problem.field, problem.message) not in seen:
                seen.add((problem.field, problem.message))
                unique.append(problem)
        return unique

    def _datasets(self, event: int, doc: dict[str, Any]) -> Iterator[FieldProblem]:
        datasets = [_render_dataset(d, doc) for d in self.options.datasets]
        for name in DATASET_FIELDS:
            value = _get(doc, name)
            if value is None or value in datasets:
                continue
            wanted = " ".join(f'"{d}"' for d in self.options.datasets)
            message = f'field "{name}" should have value in [{wanted}], it has "{go_value(value)}"'
            declared = self.fields.lookup(name)
            yield FieldProblem(event, name, message, declared.where if declared else None)

    def _walk(self, event: int, obj: dict[str, Any], prefix: str) -> Iterator[FieldProblem]:
        for key, value in obj.items():
            name = prefix + key
            definition = self.fields.lookup(name)
            if value is None or (definition is not None and not definition.enabled):
                continue
            if definition is not None and (definition.type in OPAQUE_TYPES):
                yield from self._check(event, name, definition, value)
                continue
            if isinstance(value, dict):
                if (
                    definition is not None
                    and not definition.is_container
                    and definition.type
                    and not definition.dynamic
                ):
                    yield self._type_error(event, name, definition, value)
                    continue
                yield from self._walk(event, value, name + ".")
            elif isinstance(value, list) and any(isinstance(v, dict) for v in value):
                yield from self._objects(event, name, definition, value)
            elif definition is None:
                yield from self._undefined(event, name)
            else:
                yield from self._check(event, name, definition, value)

    def _objects(
        self, event: int, name: str, definition: FieldDef | None, values: list[Any]
    ) -> Iterator[FieldProblem]:
        if definition is None or not definition.is_container:
            if name.split(".")[0] in SKIPPED_FAMILIES:
                return
            message = (
                f'field "{name}" is used as array of objects, expected explicit definition '
                "with type group or nested"
            )
            yield FieldProblem(event, name, message, definition.where if definition else None)
            return
        for item in values:
            if isinstance(item, dict):
                yield from self._walk(event, item, name + ".")

    def _undefined(self, event: int, name: str) -> Iterator[FieldProblem]:
        if name.split(".")[0] in SKIPPED_FAMILIES:
            return
        parent = self.fields.lookup(name.rpartition(".")[0]) if "." in name else None
        if name in self.fields.multi_fields or (
            parent is not None and parent.type and not parent.is_container
        ):
            message = f'field "{name}" is undefined, could be a multifield'
        else:
            message = f'field "{name}" is undefined'
        yield FieldProblem(event, name, message, None)

    def _type_error(self, event: int, name: str, definition: FieldDef, value: Any) -> FieldProblem:
        if definition.is_container:
            message = (
                f'field "{name}" is a group of fields of type {definition.type}, '
                "it cannot store values"
            )
        else:
            message = (
                f'field "{name}"\'s Go type, {go_type(value)}, does not match the expected '
                f"field type: {definition.type} (field value: {go_value(value)})"
            )
        return FieldProblem(event, name, message, definition.where)

    def _check(
        self, event: int, name: str, definition: FieldDef, value: Any
    ) -> Iterator[FieldProblem]:
        if self.options.spec_2 and "array" in definition.normalize and not isinstance(value, list):
            message = (
                f'field "{name}" is not normalized as expected: expected array, '
                f'found "{go_value(value)}" ({go_type(value)})'
            )
            yield FieldProblem(event, name, message, definition.where)
            return
        if definition.type == "geo_point" and _is_geo_point(value):
            return
        if definition.type == "flattened":
            if not (isinstance(value, dict) or (isinstance(value, list) and value)):
                yield self._type_error(event, name, definition, value)
            return
        for item in value if isinstance(value, list) else [value]:
            if item is None:
                continue
            problem = self._scalar(name, definition, item)
            if problem is not None:
                yield FieldProblem(event, name, problem, definition.where)
                return
        if self.options.spec_2 and definition.event_types and definition.type in STRING_TYPES:
            problem = _event_type_problem(name, definition, value, self.doc)
            if problem is not None:
                yield FieldProblem(event, name, problem, definition.where)

    def _scalar(self, name: str, d: FieldDef, value: Any) -> str | None:
        kind = d.type
        if d.is_container:
            if d.type == "object" and d.object_type:
                return self._scalar(name, FieldDef(name, d.object_type, d.where), value)
            if d.type == "object":
                return None  # legacy ambiguous mapping: elastic-package ignores it
            return self._type_error(0, name, d, value).message
        if kind in STRING_TYPES:
            return self._string(name, d, value)
        if kind in INTEGER_TYPES or kind in FLOAT_TYPES:
            if _is_number(value):
                return None
            if name in self.options.string_number_fields and _numeric_string(value):
                return None
            return self._type_error(0, name, d, value).message
        if kind == "boolean":
            ok = isinstance(value, bool) or value in ("true", "false", "")
            return None if ok else self._type_error(0, name, d, value).message
        if kind == "date":
            return self._date(name, d, value)
        if kind == "ip":
            return self._ip(name, d, value)
        if kind == "geo_point":
            return None if _is_geo_point(value) else self._type_error(0, name, d, value).message
        return None

    def _string(self, name: str, d: FieldDef, raw: Any) -> str | None:
        if isinstance(raw, str):
            value = raw
        elif name in self.options.numeric_keyword_fields and (
            _is_number(raw) or isinstance(raw, bool)
        ):
            value = go_value(raw)
        else:
            return self._type_error(0, name, d, raw).message
        if d.type == "constant_keyword" and d.value is not None and value != str(d.value):
            return (
                f'field "{name}"\'s value "{value}" does not match the declared '
                f'constant_keyword value "{d.value}"'
            )
        if d.pattern and not re.search(d.pattern, value):
            return _pattern_message(name, d, value)
        if d.allowed_values and value not in d.allowed_values:
            listed = ", ".join(d.allowed_values)
            return f'field "{name}"\'s value "{value}" is not one of the allowed values ({listed})'
        if d.expected_values and value not in d.expected_values:
            listed = ", ".join(str(v) for v in d.expected_values)
            return f'field "{name}"\'s value "{value}" is not one of the expected values ({listed})'
        return None

    def _date(self, name: str, d: FieldDef, value: Any) -> str | None:
        if isinstance(value, str):
            return _pattern_message(name, d, value) if d.pattern else None
        if _is_number(value):
            return f'numeric date in field "{name}", but pattern defined' if d.pattern else None
        return self._type_error(0, name, d, value).message

    def _ip(self, name: str, d: FieldDef, value: Any) -> str | None:
        if not isinstance(value, str):
            return self._type_error(0, name, d, value).message
        try:
            address = ipaddress.ip_address(value)
        except ValueError:
            return f'field "{name}" value "{value}" is not a valid IP address'
        if d.pattern and not re.search(d.pattern, value):
            return _pattern_message(name, d, value)
        if not _is_ip_allowed(address, self.options):
            return f'the IP "{value}" is not one of the allowed test IPs (see: {GEOIP_DOC})'
        return None


def _strings(value: Any) -> list[str]:
    if value is None:
        return []
    return [go_value(v) for v in value] if isinstance(value, list) else [go_value(value)]


def _event_type_problem(name: str, d: FieldDef, value: Any, doc: dict[str, Any]) -> str | None:
    """ECS categorization: every ``event.type`` must be expected for the field's values."""
    values = _strings(value)
    expected: list[str] = []
    for item in values:
        expected.extend(t for t in d.expected_event_types(item) if t not in expected)
    if not expected:
        return None
    for event_type in _strings(_get(doc, "event.type")):
        if event_type not in expected:
            return (
                f'field "event.type" value "{event_type}" is not one of the expected values '
                f'({", ".join(expected)}) for any of the values of "{name}" ({", ".join(values)})'
            )
    return None


def _pattern_message(name: str, d: FieldDef, value: str) -> str | None:
    if d.pattern and not re.search(d.pattern, value):
        return f'field "{name}"\'s value, {value}, does not match the expected pattern: {d.pattern}'
    return None


def _is_geo_point(value: Any) -> bool:
    if isinstance(value, dict):
        return _is_number(value.get("lat")) and _is_number(value.get("lon"))
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list):
        return len(value) in (2, 3) and all(_is_number(v) for v in value)
    return False


def _render_dataset(dataset: str, doc: dict[str, Any]) -> str:
    """An expected dataset may be a mustache template (reroute ``{{field}}`` datasets)."""
    try:
        return compile_template(dataset).render(doc)
    except IngestError:
        return dataset


def _get(doc: dict[str, Any], name: str) -> Any:
    return get_path(doc, name)[1]

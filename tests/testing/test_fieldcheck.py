"""Fields validation rules (elastic-package's validator) on hand-built field sets."""

from __future__ import annotations

import ipaddress
from typing import Any

import pytest

from fleetpkg.ecs import load_ecs
from fleetpkg.testing.fieldcheck import Options, Validator
from fleetpkg.testing.fielddefs import FieldDef, FieldSet


def _defs(*defs: FieldDef) -> FieldSet:
    import re

    wild = tuple(
        (re.compile(re.escape(d.name).replace(r"\*", r"[^.]+")), d) for d in defs if "*" in d.name
    )
    return FieldSet({d.name: d for d in defs if "*" not in d.name}, wild)


def _messages(fields: FieldSet, doc: dict[str, Any], **options: Any) -> list[str]:
    opts = Options(datasets=("p.ds",), **options)
    return [p.message for p in Validator(fields, opts).validate(0, doc)]


F = FieldDef


@pytest.mark.parametrize(
    ("kind", "good", "bad"),
    [
        ("keyword", "x", 1),
        ("wildcard", "x", True),
        ("match_only_text", "x", 1.5),
        ("text", "x", 2),
        ("long", 1, "1"),
        ("integer", 2.0, "x"),
        ("unsigned_long", 3, True),
        ("double", 1.5, "1.5"),
        ("scaled_float", 2, "2"),
        ("boolean", True, "maybe"),
        ("date", "2024-01-01T00:00:00Z", True),
        ("ip", "2001:db8::1", "no-ip"),
        ("ip", "10.0.0.1", "8.8.8.8"),
        ("geo_point", {"lat": 1.5, "lon": 2}, 12),
        ("geo_point", "41.12,-71.34", {"lat": "x"}),
    ],
)
def test_types(kind: str, good: Any, bad: Any) -> None:
    fields = _defs(F("f", kind, "fields.yml:1"))
    assert _messages(fields, {"f": good}) == []
    assert _messages(fields, {"f": [good, good]}) == []
    assert len(_messages(fields, {"f": bad})) == 1


def test_type_error_message_shape() -> None:
    fields = _defs(F("n", "long", "fields.yml:3"))
    problems = Validator(fields, Options(datasets=())).validate(4, {"n": "12"})
    assert len(problems) == 1
    problem = problems[0]
    assert problem.message == (
        'field "n"\'s Go type, string, does not match the expected field type: long '
        "(field value: 12)"
    )
    assert (problem.event, problem.field, problem.declared) == (4, "n", "fields.yml:3")


def test_exemptions() -> None:
    fields = _defs(F("k", "keyword", "a:1"), F("n", "long", "a:2"))
    doc = {"k": 12, "n": "34"}
    assert len(_messages(fields, doc)) == 2
    assert _messages(fields, doc, numeric_keyword_fields=frozenset({"k"})) == [
        'field "n"\'s Go type, string, does not match the expected field type: long '
        "(field value: 34)"
    ]
    assert (
        _messages(
            fields,
            doc,
            numeric_keyword_fields=frozenset({"k"}),
            string_number_fields=frozenset({"n"}),
        )
        == []
    )
    assert _messages(fields, {"n": "abc"}, string_number_fields=frozenset({"n"}))


def test_undefined_fields_and_skipped_families() -> None:
    fields = _defs(F("a", "keyword", "x:1"))
    doc = {"a": "x", "b": 1, "host": {"name": "h"}, "event": {"x": 1}, "cloud": {"y": 2}}
    assert _messages(fields, doc) == ['field "b" is undefined']


def test_multifield_hint_and_array_of_objects() -> None:
    fields = _defs(F("a", "keyword", "x:1"), F("g", "group", "x:2"), F("g.v", "long", "x:3"))
    assert _messages(fields, {"a.raw": "x"}) == [
        'field "a.raw" is undefined, could be a multifield'
    ]
    assert _messages(fields, {"g": [{"v": 1}, {"v": 2}]}) == []
    assert _messages(fields, {"list": [{"v": 1}]}) == [
        'field "list" is used as array of objects, expected explicit definition with type '
        "group or nested"
    ]


def test_group_cannot_store_values() -> None:
    fields = _defs(F("g", "group", "x:1"))
    assert _messages(fields, {"g": "v"}) == [
        'field "g" is a group of fields of type group, it cannot store values'
    ]


def test_wildcards_object_type_flattened_and_disabled() -> None:
    fields = _defs(
        F("w.*.n", "long", "x:1"),
        F("labels", "object", "x:2", object_type="keyword"),
        F("flat", "flattened", "x:3"),
        F("off", "object", "x:4", enabled=False),
    )
    doc = {
        "w": {"a": {"n": 1}, "b": {"n": 2}},
        "labels": {"env": "prod"},
        "flat": {"any": {"thing": [1, "x"]}},
        "off": {"whatever": {"x": 1}},
    }
    assert _messages(fields, doc) == []
    assert len(_messages(fields, {"labels": {"env": 1}})) == 1
    assert len(_messages(fields, {"w": {"a": {"n": "x"}}})) == 1


def test_constant_pattern_allowed_and_expected_values() -> None:
    fields = _defs(
        F("c", "constant_keyword", "x:1", value="v"),
        F("p", "keyword", "x:2", pattern="^[a-z]+$"),
        F("a", "keyword", "x:3", allowed_values=("one", "two")),
        F("e", "keyword", "x:4", expected_values=("yes",)),
    )
    assert _messages(fields, {"c": "v", "p": "abc", "a": "one", "e": "yes"}) == []
    messages = _messages(fields, {"c": "w", "p": "A1", "a": "three", "e": "no"})
    assert messages == [
        'field "c"\'s value "w" does not match the declared constant_keyword value "v"',
        'field "p"\'s value, A1, does not match the expected pattern: ^[a-z]+$',
        'field "a"\'s value "three" is not one of the allowed values (one, two)',
        'field "e"\'s value "no" is not one of the expected values (yes)',
    ]


def test_numeric_keywords_are_checked_as_strings() -> None:
    fields = _defs(F("k", "keyword", "x:1", pattern="^[0-9]+$"))
    opts = {"numeric_keyword_fields": frozenset({"k"})}
    assert _messages(fields, {"k": 12}, **opts) == []
    assert _messages(fields, {"k": 1.5}, **opts) == [
        'field "k"\'s value, 1.5, does not match the expected pattern: ^[0-9]+$'
    ]


def test_numeric_date_with_pattern_and_legacy_object() -> None:
    fields = _defs(F("d", "date", "x:1", pattern="^2"), F("o", "object", "x:2"))
    assert _messages(fields, {"d": 1, "o": "scalar"}) == [
        'numeric date in field "d", but pattern defined'
    ]


def test_normalize_array() -> None:
    fields = _defs(F("tags", "keyword", "x:1", normalize=("array",)))
    assert _messages(fields, {"tags": ["a"]}) == []
    assert _messages(fields, {"tags": "a"}) == [
        'field "tags" is not normalized as expected: expected array, found "a" (string)'
    ]


def test_dataset_fields_must_match() -> None:
    fields = _defs(F("data_stream.dataset", "constant_keyword", "x:1"))
    assert _messages(fields, {"data_stream": {"dataset": "p.ds"}}) == []
    assert _messages(fields, {"data_stream": {"dataset": "p.other"}}) == [
        'field "data_stream.dataset" should have value in ["p.ds"], it has "p.other"'
    ]


def test_dates_with_pattern_reject_numbers() -> None:
    fields = _defs(F("d", "date", "x:1"), F("dp", "date", "x:2", pattern="^\\d{4}"))
    assert _messages(fields, {"d": 1700000000000}) == []
    assert len(_messages(fields, {"dp": 1700000000000})) == 1
    assert _messages(fields, {"dp": "2024-01-01"}) == []


def test_allowed_networks_extend_test_ips() -> None:
    fields = _defs(F("ip", "ip", "x:1"))
    assert len(_messages(fields, {"ip": "81.2.69.142"})) == 1
    nets = (ipaddress.ip_network("81.2.69.0/24"),)
    assert _messages(fields, {"ip": "81.2.69.142"}, allowed_networks=nets) == []


def test_ecs_fallback_accepts_undeclared_ecs_fields() -> None:
    fields = FieldSet({}, (), load_ecs())
    assert _messages(fields, {"process": {"pid": 12}}) == []
    assert len(_messages(fields, {"process": {"pid": "x"}})) == 1
    assert _messages(fields, {"nope": 1}) == ['field "nope" is undefined']


def test_old_format_versions_skip_dataset_and_normalization_checks() -> None:
    fields = _defs(
        F("tags", "keyword", "x:1", normalize=("array",)),
        F("event.dataset", "keyword", "x:2"),
    )
    doc = {"tags": "a", "event": {"dataset": "other"}}
    assert len(_messages(fields, doc)) == 2
    assert _messages(fields, doc, spec_2=False) == []


def test_legacy_array_type_accepts_anything() -> None:
    fields = _defs(F("a", "array", "x:1"))
    assert _messages(fields, {"a": [{"x": 1}, "y", 2]}) == []


def test_object_type_applies_to_deeper_descendants() -> None:
    fields = _defs(F("labels", "object", "x:1", object_type="keyword"))
    assert _messages(fields, {"labels": {"a": {"b": "c"}}}) == []
    assert len(_messages(fields, {"labels": {"a": {"b": 1}}})) == 1


def test_expected_datasets_are_mustache_templates() -> None:
    fields = _defs(
        F("data_stream.dataset", "constant_keyword", "x:1"), F("labels.ds", "keyword", "x:2")
    )
    opts = Options(datasets=("{{labels.ds}}", "p.static"))
    validator = Validator(fields, opts)
    assert validator.validate(0, {"data_stream": {"dataset": "p.static"}, "labels": {}}) == []
    doc = {"data_stream": {"dataset": "from.label"}, "labels": {"ds": "from.label"}}
    assert validator.validate(0, doc) == []
    (problem,) = validator.validate(0, {"data_stream": {"dataset": "x"}})
    assert problem.message == (
        'field "data_stream.dataset" should have value in ["{{labels.ds}}" "p.static"], it has "x"'
    )


def test_ecs_categorization_expected_event_types() -> None:
    category = F(
        "event.category",
        "keyword",
        "x:1",
        allowed_values=("network", "web"),
        event_types=(("network", ("connection", "start")), ("web", ("access", "error"))),
    )
    fields = _defs(category, F("event.type", "keyword", "x:2"))
    ok = {"event": {"category": ["network"], "type": ["start", "connection"]}}
    assert _messages(fields, ok) == []
    assert _messages(fields, {"event": {"category": ["network", "web"], "type": "error"}}) == []
    bad = {"event": {"category": ["network"], "type": ["change"]}}
    assert _messages(fields, bad) == [
        'field "event.type" value "change" is not one of the expected values (connection, start) '
        'for any of the values of "event.category" (network)'
    ]

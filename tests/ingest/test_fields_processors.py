"""set, append, remove, rename, convert, dot_expander."""

from __future__ import annotations

import pytest
from ingest_helpers import run_one

from fleetpkg.ingest import IngestError, simulate
from fleetpkg.ingest.values import JLong


def test_set_value_template_and_types() -> None:
    out = run_one(
        [
            {"set": {"field": "a", "value": "{{x}}-{{{y}}}"}},
            {"set": {"field": "n", "value": 5}},
            {"set": {"field": "m", "value": {"k": ["{{x}}", 1]}}},
        ],
        {"x": 'q"', "y": 'r"'},
    )
    assert out["a"] == 'q\\"-r"'
    assert out["n"] == 5
    assert out["m"] == {"k": ['q\\"', 1]}


def test_set_override_false_and_ignore_empty() -> None:
    out = run_one(
        [
            {"set": {"field": "a", "value": "new", "override": False}},
            {"set": {"field": "b", "value": "new", "override": False}},
            {"set": {"field": "c", "value": "{{missing}}", "ignore_empty_value": True}},
        ],
        {"a": "old", "b": None},
    )
    assert out == {"a": "old", "b": "new"}


def test_set_copy_from_is_a_deep_copy() -> None:
    out = run_one(
        [{"set": {"field": "b", "copy_from": "a"}}, {"set": {"field": "a.x", "value": 2}}],
        {"a": {"x": 1}},
    )
    assert out == {"a": {"x": 2}, "b": {"x": 1}}


def test_set_requires_value_or_copy_from() -> None:
    with pytest.raises(IngestError) as e:
        simulate({"pipeline": {"processors": [{"set": {"field": "a"}}]}, "docs": [{"_source": {}}]})
    assert e.value.type == "parse_exception"
    assert e.value.reason == "[value] required property is missing"
    assert e.value.metadata == {"processor_type": "set", "property_name": "value"}


def test_unknown_option_is_rejected() -> None:
    with pytest.raises(IngestError) as e:
        simulate(
            {
                "pipeline": {"processors": [{"set": {"field": "a", "value": 1, "bogus": 2}}]},
                "docs": [{"_source": {}}],
            }
        )
    assert e.value.reason == (
        "processor [set] doesn't support one or more provided configuration parameters [bogus]"
    )


def test_append_ignore_empty_values() -> None:
    out = run_one(
        [{"append": {"field": "t", "value": ["", "a", None, "b"], "ignore_empty_values": True}}],
        {"t": "x"},
    )
    assert out["t"] == ["x", "a", "b"]


def test_remove_list_keep_and_missing() -> None:
    assert run_one([{"remove": {"field": ["a", "b.c"]}}], {"a": 1, "b": {"c": 2, "d": 3}}) == {
        "b": {"d": 3}
    }
    assert run_one([{"remove": {"keep": ["b.c"]}}], {"a": 1, "b": {"c": 2}}) == {"b": {"c": 2}}
    err = run_one([{"remove": {"field": "zz"}}], {"a": 1})
    assert err["reason"] == "field [zz] not present as part of path [zz]"
    assert run_one([{"remove": {"field": "zz", "ignore_missing": True}}], {"a": 1}) == {"a": 1}


def test_rename_rules() -> None:
    assert run_one([{"rename": {"field": "a", "target_field": "b.c"}}], {"a": 1}) == {"b": {"c": 1}}
    err = run_one([{"rename": {"field": "a", "target_field": "b"}}], {"a": 1, "b": 2})
    assert err["reason"] == "field [b] already exists"
    err = run_one([{"rename": {"field": "x", "target_field": "b"}}], {"a": 1})
    assert err["reason"] == "field [x] doesn't exist"
    out = run_one(
        [{"rename": {"field": "a", "target_field": "b", "override": True}}], {"a": 1, "b": 2}
    )
    assert out == {"b": 1}


@pytest.mark.parametrize(
    ("type_", "value", "expected"),
    [
        ("integer", "42", 42),
        ("integer", "0x1F", 31),
        ("long", "9223372036854775807", JLong(9223372036854775807)),
        ("long", "7", JLong(7)),
        ("float", "123.42", 123.42),
        ("double", "1e3", 1000.0),
        ("double", " 2.5 ", 2.5),
        ("boolean", "TRUE", True),
        ("string", 1.0, "1.0"),
        ("string", True, "true"),
        ("ip", "::1", "::1"),
        ("auto", "12", 12),
        ("auto", "1.5", 1.5),
        ("auto", "false", False),
        ("auto", "abc", "abc"),
        ("integer", ["1", "2"], [1, 2]),
    ],
)
def test_convert(type_: str, value: object, expected: object) -> None:
    out = run_one([{"convert": {"field": "v", "type": type_}}], {"v": value})
    assert out["v"] == expected
    assert type(out["v"]) is type(expected)


@pytest.mark.parametrize(
    ("type_", "value", "reason"),
    [
        ("integer", "bar", "unable to convert [bar] to integer"),
        ("integer", "2147483648", "unable to convert [2147483648] to integer"),
        ("integer", 5.0, "unable to convert [5.0] to integer"),
        ("boolean", "yes", "[yes] is not a boolean value, cannot convert to boolean"),
        ("ip", "1.2.3", "'1.2.3' is not an IP string literal."),
    ],
)
def test_convert_errors(type_: str, value: object, reason: str) -> None:
    err = run_one([{"convert": {"field": "v", "type": type_}}], {"v": value})
    assert err["type"] == "illegal_argument_exception"
    assert err["reason"] == reason


def test_convert_bad_type_is_config_error() -> None:
    with pytest.raises(IngestError) as e:
        simulate(
            {
                "pipeline": {"processors": [{"convert": {"field": "a", "type": "nope"}}]},
                "docs": [{"_source": {}}],
            }
        )
    assert e.value.reason == "[type] type [nope] not supported, cannot convert field."


def test_dot_expander() -> None:
    out = run_one([{"dot_expander": {"field": "*"}}], {"a.b": 1, "a.c": 2, "x": 3})
    assert out == {"a": {"b": 1, "c": 2}, "x": 3}
    out = run_one([{"dot_expander": {"field": "a.b"}}], {"a.b": 1, "a": {"b": 0}})
    assert out == {"a": {"b": [0, 1]}}
    err = run_one([{"dot_expander": {"field": "a.b"}}], {"a.b": 1, "a": "s"})
    assert "is not an object field, but a value field" in err["reason"]

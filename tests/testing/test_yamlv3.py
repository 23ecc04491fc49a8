"""YAML read like Go's yaml.v3: only true/false are booleans, timestamps stay strings."""

from __future__ import annotations

import math

import pytest

from fleetpkg.packagedir.yamlv3 import YamlError, parse_yaml, resolve_plain


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("true", True),
        ("False", False),
        ("TRUE", True),
        ("yes", "yes"),
        ("no", "no"),
        ("on", "on"),
        ("off", "off"),
        ("y", "y"),
        ("~", None),
        ("null", None),
        ("", None),
        ("2024-01-02", "2024-01-02"),
        ("2024-01-02T03:04:05Z", "2024-01-02T03:04:05Z"),
        ("12", 12),
        ("-7", -7),
        ("0x1F", 31),
        ("0o17", 15),
        ("017", 15),
        ("0b101", 5),
        ("1_000", 1000),
        ("1.5", 1.5),
        ("1e3", 1000.0),
        (".5", 0.5),
        ("1.2.3", "1.2.3"),
        ("0.1.0", "0.1.0"),
        ("9.4.0", "9.4.0"),
        ("08", 8.0),  # invalid octal falls through to ParseFloat, as in yaml.v3
    ],
)
def test_plain_scalars_resolve_like_yaml_v3(text: str, value: object) -> None:
    got = resolve_plain(text)
    assert got == value
    assert type(got) is type(value)


def test_special_floats() -> None:
    assert resolve_plain(".inf") == math.inf
    assert resolve_plain("-.Inf") == -math.inf
    assert math.isnan(resolve_plain(".nan"))


def test_quoted_and_tagged_scalars_stay_strings() -> None:
    loaded = parse_yaml("a: 'true'\nb: \"12\"\nc: !!str 12\nd: |\n  yes\n")
    assert loaded.value == {"a": "true", "b": "12", "c": "12", "d": "yes\n"}


def test_explicit_int_tag() -> None:
    assert parse_yaml("a: !!int '12'").value == {"a": 12}


def test_lines_are_recorded_per_pointer() -> None:
    text = "processors:\n  - set:\n      field: a\n  - remove:\n      field: b\n"
    loaded = parse_yaml(text)
    assert loaded.line("processors", 0) == 2
    assert loaded.line("processors", 1) == 4
    assert loaded.line("processors", 1, "remove", "field") == 5
    assert loaded.line("processors", 9) == 2  # nearest known ancestor (the sequence)


def test_merge_keys_and_anchors() -> None:
    loaded = parse_yaml("base: &b {x: 1}\nother:\n  <<: *b\n  y: on\n")
    assert loaded.value["other"] == {"x": 1, "y": "on"}


def test_duplicate_keys_are_errors_with_line() -> None:
    with pytest.raises(YamlError) as info:
        parse_yaml("a: 1\nb: 2\na: 3\n")
    assert info.value.line == 3
    assert "already defined" in info.value.message


def test_invalid_yaml_reports_line() -> None:
    with pytest.raises(YamlError) as info:
        parse_yaml("a: [1, 2\nb: 3\n")
    assert info.value.line >= 2


def test_empty_document() -> None:
    assert parse_yaml("").value is None

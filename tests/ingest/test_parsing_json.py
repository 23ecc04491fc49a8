"""The json processor."""

from __future__ import annotations

from typing import Any

import pytest
from ingest_helpers import run_one

from fleetpkg.ingest import IngestError


def json_proc(src: dict[str, Any], **cfg: Any) -> Any:
    return run_one([{"json": {"field": "f", **cfg}}], src)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"hello": "world"}', {"hello": "world"}),
        ("[1, 2, 3]", [1, 2, 3]),
        ('"bla bla"', "bla bla"),
        ("true", True),
        ("null", None),
        ("1.5", 1.5),
        ("1e2", 100.0),
        ("12345678901234", 12345678901234),
        ("", None),
        ("  ", None),
    ],
)
def test_values(text: str, expected: Any) -> None:
    out = json_proc({"f": text})
    assert out["f"] == expected
    assert type(out["f"]) is type(expected)


def test_non_string_sources_use_their_string_form() -> None:
    assert json_proc({"f": 3})["f"] == 3
    assert json_proc({"f": None})["f"] is None


def test_target_field() -> None:
    assert json_proc({"f": '{"a": 1}'}, target_field="t.u") == {
        "f": '{"a": 1}',
        "t": {"u": {"a": 1}},
    }


def test_add_to_root_replace_and_merge() -> None:
    src = {"f": '{"foo": {"bar": "baz"}, "n": 1}', "foo": {"bar": "old", "qux": "q"}}
    assert json_proc(dict(src), add_to_root=True)["foo"] == {"bar": "baz"}
    merged = json_proc(dict(src), add_to_root=True, add_to_root_conflict_strategy="merge")
    assert merged["foo"] == {"bar": "baz", "qux": "q"}
    assert merged["n"] == 1
    err = json_proc({"f": "[1]"}, add_to_root=True)
    assert err["reason"] == "cannot add non-map fields to root of document"


def test_duplicate_keys() -> None:
    assert (
        json_proc({"f": '{"d": 1, "d": 2}'}, add_to_root=True, allow_duplicate_keys=True)["d"] == 2
    )
    err = json_proc({"f": '{"d": 1, "d": 2}'})
    assert err["type"] == "x_content_parse_exception"
    assert "Duplicate field 'd'" in err["reason"]


def test_strictness() -> None:
    assert json_proc({"f": "123 foo"}, strict_json_parsing=False)["f"] == 123
    err = json_proc({"f": "123 foo"})
    assert err["type"] == "illegal_argument_exception"
    assert err["reason"] == (
        "The input 123 foo is not valid JSON and the strict_json_parsing parameter is true"
    )


def test_invalid_json() -> None:
    err = json_proc({"f": "blah blah"})
    assert err["type"] == "x_content_parse_exception"
    assert err["reason"].startswith(
        "[1:5] Unrecognized token 'blah': was expecting (JSON String, Number, Array, Object or "
        "token 'null', 'true' or 'false')"
    )
    assert json_proc({"f": '{"a": 1'})["reason"] == "[1:8] Unexpected end of file"
    assert json_proc({"f": "NaN"})["type"] == "x_content_parse_exception"
    assert json_proc({})["reason"] == "field [f] not present as part of path [f]"


@pytest.mark.parametrize(
    ("cfg", "reason"),
    [
        (
            {"add_to_root": True, "target_field": "t"},
            "[target_field] Cannot set a target field while also setting `add_to_root` to true",
        ),
        (
            {"add_to_root_conflict_strategy": "merge"},
            "[add_to_root_conflict_strategy] Cannot set `add_to_root_conflict_strategy` if "
            "`add_to_root` is false",
        ),
        (
            {"add_to_root": True, "add_to_root_conflict_strategy": "x"},
            "[add_to_root_conflict_strategy] conflict strategy [x] not supported, cannot convert "
            "field.",
        ),
    ],
)
def test_config_errors(cfg: dict[str, Any], reason: str) -> None:
    with pytest.raises(IngestError) as err:
        json_proc({}, **cfg)
    assert err.value.reason == reason


def test_duplicate_keys_first_repeat_and_order() -> None:
    err = json_proc({"f": '{"a": {"x": 1, "y": 2, "x": 3}, "b": 1, "b": 2}'})
    assert err["reason"] == (
        "[1:48] Duplicate field 'x'\n at [Source: REDACTED "
        "(`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: 48]"
    )
    err = json_proc({"f": '{"b": 1, "c": 0, "c": 1, "b": 2}'})
    assert "Duplicate field 'c'" in err["reason"]
    out = json_proc({"f": '{"k": 1, "j": 0, "k": 2}'}, target_field="t", allow_duplicate_keys=True)
    assert out["t"] == {"k": 2, "j": 0}
    assert list(out["t"]) == ["k", "j"]
    assert json_proc({"f": '{"e": {}, "l": [{"z": null}]}'})["f"] == {"e": {}, "l": [{"z": None}]}

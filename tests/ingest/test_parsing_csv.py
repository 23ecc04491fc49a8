"""The csv processor."""

from __future__ import annotations

from typing import Any

import pytest
from ingest_helpers import run_one

from fleetpkg.ingest import IngestError


def csv(value: str, targets: list[str], **cfg: Any) -> Any:
    return run_one([{"csv": {"field": "v", "target_fields": targets, **cfg}}], {"v": value})


def test_defaults_values_stay_strings() -> None:
    assert csv("aa,1,cc", ["a", "b", "c"]) == {"v": "aa,1,cc", "a": "aa", "b": "1", "c": "cc"}


def test_quote_and_separator() -> None:
    out = csv("'aa';'b;b';'cc';d,d;'ee''ee'", ["a", "b", "c", "d", "e"], quote="'", separator=";")
    assert [out[k] for k in "abcde"] == ["aa", "b;b", "cc", "d,d", "ee'ee"]


def test_trim() -> None:
    out = csv("    aa,  bb  ,    'cc'", ["a", "b", "c"], trim=True, quote="'")
    assert (out["a"], out["b"], out["c"]) == ("aa", "bb", "cc")
    out = csv(" aa , bb", ["a", "b"])
    assert (out["a"], out["b"]) == (" aa ", " bb")


def test_empty_values() -> None:
    assert csv("1,,3", ["a", "b", "c"]) == {"v": "1,,3", "a": "1", "c": "3"}
    assert csv("1,,3", ["a", "b", "c"], empty_value="E")["b"] == "E"
    assert csv('"",x', ["a", "b"], empty_value=0)["a"] == 0


def test_fewer_targets_than_columns_and_dotted_targets() -> None:
    assert csv("1,2,3", ["a"]) == {"v": "1,2,3", "a": "1"}
    assert csv("1,2", ["x.y", "x.z"])["x"] == {"y": "1", "z": "2"}


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ('"ab', "Unmatched quote"),
        ('a"b', "Illegal character inside unquoted field at 1"),
        ('"ab"c', "character 'c' after quoted field at 4"),
    ],
)
def test_malformed_lines(value: str, reason: str) -> None:
    err = csv(value, ["a", "b"])
    assert err["type"] == "illegal_argument_exception"
    assert err["reason"] == reason


def test_missing_field() -> None:
    cfg = [{"csv": {"field": "v", "target_fields": ["a"]}}]
    assert run_one(cfg, {})["reason"] == "field [v] not present as part of path [v]"
    quiet = [{"csv": {"field": "v", "target_fields": ["a"], "ignore_missing": True}}]
    assert run_one(quiet, {}) == {}


@pytest.mark.parametrize(
    ("cfg", "reason"),
    [
        ({"quote": "''"}, "[quote] quote has to be single character like \" or '"),
        ({"separator": ""}, "[separator] separator has to be single character like , or ;"),
        ({"target_fields": []}, "[target_fields] target fields list can't be empty"),
        ({"empty_value": None}, "[empty_value] required property is missing"),
    ],
)
def test_config_errors(cfg: dict[str, Any], reason: str) -> None:
    with pytest.raises(IngestError) as err:
        run_one([{"csv": {"field": "v", "target_fields": ["a"], **cfg}}], {})
    assert err.value.reason == reason

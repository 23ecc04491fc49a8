"""The kv processor."""

from __future__ import annotations

from typing import Any

import pytest
from ingest_helpers import run_one

from fleetpkg.ingest import IngestError
from fleetpkg.ingest.processors.javaregex import compile_java_regex
from fleetpkg.ingest.processors.parsing_kv import java_split


def kv(**cfg: Any) -> list[dict[str, Any]]:
    return [{"kv": {"field_split": " ", "value_split": "=", **cfg}}]


def test_basic_pairs() -> None:
    out = run_one(kv(field="foo"), {"foo": "goodbye=everybody hello=world"})
    assert out["goodbye"] == "everybody"
    assert out["hello"] == "world"


def test_templated_field_and_target() -> None:
    src = {"origin": "f", "f": "a=1", "target": "bar"}
    out = run_one(kv(field="{{origin}}", target_field="{{target}}"), src)
    assert out["bar"] == {"a": "1"}
    assert run_one(kv(field="{{nope}}", ignore_missing=True), {"x": 1}) == {"x": 1}


def test_repeated_keys_become_a_list() -> None:
    out = run_one(kv(field="m"), {"m": "a=1 a=2 a=3"})
    assert out["a"] == ["1", "2", "3"]


def test_include_exclude_prefix() -> None:
    out = run_one(
        kv(field="m", include_keys=["a", "b"], exclude_keys=["b"], prefix="p_"),
        {"m": "a=1 b=2 c=3"},
    )
    assert out == {"m": "a=1 b=2 c=3", "p_a": "1"}


def test_trim_and_strip_brackets() -> None:
    out = run_one(
        kv(field="m", field_split="&", trim_key=" ", trim_value=" ", strip_brackets=True),
        {"m": " a = (1)& b=<2>&c='3'"},
    )
    assert out["a"] == "(1"  # brackets are stripped before trimming, as ES does
    assert out["b"] == "2"
    assert out["c"] == "3"


def test_regex_splitters() -> None:
    out = run_one(kv(field="m", field_split=r"\s+", value_split=":+"), {"m": "a::1   b:x:y"})
    assert out["a"] == "1"
    assert out["b"] == "x:y"


def test_errors() -> None:
    assert run_one(kv(field="m"), {"m": "a=1 b"})["reason"] == (
        "field [m] does not contain value_split [=]"
    )
    assert run_one(kv(field="m"), {})["reason"] == "field [m] doesn't exist"
    assert run_one(kv(field="m"), {"m": None})["reason"] == (
        "field [m] is null, cannot extract key-value pairs. "
    )
    assert run_one(kv(field="m", ignore_missing=True), {"m": None}) == {"m": None}
    err = run_one(kv(field="m", field_split="["), {"m": "a=1"})
    assert err["type"] == "pattern_syntax_exception"


def test_config_errors() -> None:
    with pytest.raises(IngestError) as err:
        run_one([{"kv": {"field": "m", "value_split": "="}}], {})
    assert err.value.reason == "[field_split] required property is missing"


def test_java_split_limits() -> None:
    space = compile_java_regex(" ")
    assert java_split(space, "a b  ", 0) == ["a", "b"]
    assert java_split(space, " a", 0) == ["", "a"]
    assert java_split(compile_java_regex("="), "a=b=c", 2) == ["a", "b=c"]
    assert java_split(compile_java_regex("="), "a=", 2) == ["a", ""]
    assert java_split(compile_java_regex("="), "abc", 2) == ["abc"]

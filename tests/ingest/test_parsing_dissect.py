"""The dissect processor and its parser."""

from __future__ import annotations

from typing import Any

import pytest
from ingest_helpers import run_one

from fleetpkg.ingest import IngestError
from fleetpkg.ingest.processors.parsing_dissect import DissectError, DissectParser


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        ("%{a} %{b} %{c}", "foo bar baz", {"a": "foo", "b": "bar", "c": "baz"}),
        ("%{a->} %{b} %{c}", "foo         bar baz", {"a": "foo", "b": "bar", "c": "baz"}),
        ("%{a} %{+a} %{+a}", "foo bar baz", {"a": "foobarbaz"}),
        ("%{a} %{+a/2} %{+a/1}", "foo bar baz", {"a": "foobazbar"}),
        ("%{*a} %{b} %{&a}", "foo bar baz", {"foo": "baz", "b": "bar"}),
        ("%{a} %{?skipme} %{c}", "foo bar baz", {"a": "foo", "c": "baz"}),
        ("%{a} %{} %{c}", "foo bar baz", {"a": "foo", "c": "baz"}),
        ("%{a},%{b},%{c},%{d}", "foo,,,", {"a": "foo", "b": "", "c": "", "d": ""}),
        ("[%{ts}] %{msg}", "[2020] hello world", {"ts": "2020", "msg": "hello world"}),
        ("%{a}:%{b}", "x:y:z", {"a": "x", "b": "y:z"}),
        ("%{a} %{b}", "ünï cødé", {"a": "ünï", "b": "cødé"}),
    ],
)
def test_parse(pattern: str, text: str, expected: dict[str, str]) -> None:
    assert DissectParser(pattern).parse(text) == expected


def test_append_separator() -> None:
    assert DissectParser("%{a} %{+a} %{+a}", "-").parse("x y z") == {"a": "x-y-z"}


def test_mismatch_messages() -> None:
    with pytest.raises(IngestError) as err:
        DissectParser("%{a},%{b},%{c}").parse("foo bar baz")
    assert err.value.reason == (
        "Unable to find match for dissect pattern: %{a},%{b},%{c} against source: foo bar baz"
    )
    with pytest.raises(IngestError):
        DissectParser("<%{a}>").parse("a>")  # leading delimiter must match


@pytest.mark.parametrize(
    ("pattern", "kind", "message"),
    [
        (
            "bad pattern",
            "pattern_parse",
            "Unable to parse pattern: bad pattern Reason: Unable to find any keys or delimiters.",
        ),
        (
            "%{?a} %{}",
            "pattern_parse",
            "Unable to parse pattern: %{?a} %{} Reason: Unable to find any keys or delimiters.",
        ),
        (
            "%{*a} %{b}",
            "pattern_parse",
            "Unable to parse pattern: %{*a} %{b} Reason: Found invalid "
            "key/reference associations: 'a' Please ensure each '*<key>' is matched with a "
            "matching '&<key>",
        ),
        (
            "%{+?a}",
            "key_parse",
            "Unable to parse key: +?a Reason: multiple modifiers are not allowed.",
        ),
        (
            "%{+}",
            "key_parse",
            "Unable to parse key: + Reason: The key name could not be determined",
        ),
    ],
)
def test_pattern_errors(pattern: str, kind: str, message: str) -> None:
    with pytest.raises(DissectError) as err:
        DissectParser(pattern)
    assert err.value.type == kind
    assert str(err.value) == message


def dissect(**cfg: Any) -> list[dict[str, Any]]:
    return [{"dissect": cfg}]


def test_processor_sets_fields() -> None:
    out = run_one(dissect(field="m", pattern="%{a.b} %{c}"), {"m": "x y"})
    assert out == {"m": "x y", "a": {"b": "x"}, "c": "y"}


def test_processor_failure_and_missing() -> None:
    err = run_one(dissect(field="m", pattern="%{a},%{b}"), {"m": "x y"})
    assert err["type"] == "find_match"
    assert "Unable to find match for dissect pattern" in err["reason"]
    assert run_one(dissect(field="m", pattern="%{a}"), {})["reason"] == (
        "field [m] not present as part of path [m]"
    )
    assert run_one(dissect(field="m", pattern="%{a}"), {"m": None})["reason"] == (
        "field [m] is null, cannot process it."
    )
    assert run_one(dissect(field="m", pattern="%{a}", ignore_missing=True), {}) == {}


def test_processor_bad_pattern_fails_request() -> None:
    with pytest.raises(IngestError) as err:
        run_one([{"dissect": {"field": "m", "pattern": "bad pattern", "tag": "d1"}}], {})
    assert err.value.type == "exception"
    assert err.value.reason == (
        "org.elasticsearch.dissect.DissectException$PatternParse: Unable to parse pattern: "
        "bad pattern Reason: Unable to find any keys or delimiters."
    )
    assert err.value.processor_type == "dissect"
    assert err.value.processor_tag == "d1"
    assert err.value.caused_by is not None
    assert err.value.caused_by.type == "pattern_parse"

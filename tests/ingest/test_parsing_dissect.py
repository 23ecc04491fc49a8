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


# ---- delimiters and leading text (ES: a delimiter runs up to the next "%{") ----------------


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        ("%{a}%2F%{p}", "projects/x%2Fdata_access", {"a": "projects/x", "p": "data_access"}),
        ("100% %{a}", "100% done", {"a": "done"}),
        ("%{a} 50%", "half 50%", {"a": "half"}),
        ("%%{a}%", "%x%", {"a": "x"}),
        # a different delimiter right after the previous one gives an empty value
        ("%{a}:%{b}-%{c}", "x:-y", {"a": "x", "b": "", "c": "y"}),
        # without text between two keys, the second key is part of the first one's delimiter
        ("%{a}%{b}", "x%{b}", {"a": "x"}),
        # Java's "." in the leading-text regex stops at a newline: no leading text then
        ("x\ny %{a} %{b}", "x\ny 1 2", {"a": "x\ny", "b": "1 2"}),
        # the walk starts at the leading text's UTF-16 length, in bytes (ES's quirk)
        ("é:%{a} %{b}", "é:x y", {"a": ":x", "b": "y"}),
        ("%{a}→%{b}", "x→y", {"a": "x", "b": "y"}),
    ],
)
def test_delimiters_as_es_reads_them(pattern: str, text: str, expected: dict[str, str]) -> None:
    assert DissectParser(pattern).parse(text) == expected


def test_key_after_a_literal_key_pair_never_matches() -> None:
    with pytest.raises(IngestError):
        DissectParser("%{a}%{b}").parse("xy")


def test_leading_text_must_be_shorter_than_the_input() -> None:
    with pytest.raises(IngestError):
        DissectParser("abc%{a}").parse("abc")
    assert DissectParser("abc%{a}").parse("abcd") == {"a": "d"}


# ---- key grammar ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        # a plain key sharing an append key's name joins the append (implicit order first)
        ("%{a} %{+a/1} %{+a}", "x y z", {"a": "xzy"}),
        ("%{+a/2} %{+a/1} %{+a/3}", "x y z", {"a": "yxz"}),
        ("%{+a/01} %{+a/002}", "x y", {"a": "xy"}),
        ("%{*k} %{&k} %{*j} %{&j}", "one 1 two 2", {"one": "1", "two": "2"}),
        ("%{&k} %{*k}", "value name", {"name": "value"}),
        ("%{?skip->} %{a}", "x     y", {"a": "y"}),
        ("%{a->},%{b}", "x,,,,y", {"a": "x", "b": "y"}),
        ("%{a},%{b},%{c}", "x,,y", {"a": "x", "b": "", "c": "y"}),
        ("%{} %{a} %{}", "x y z", {"a": "y"}),
        ("%{?} %{a}", "x y", {"a": "y"}),
        # the modifier may follow other characters: "x+a" is the key "+a"
        ("%{a} %{x+a}", "p q", {"a": "pq"}),
        ("%{+a->} %{b}", "x   y", {"a": "x", "b": "y"}),
    ],
)
def test_key_grammar(pattern: str, text: str, expected: dict[str, str]) -> None:
    assert DissectParser(pattern).parse(text) == expected


def test_reference_colliding_with_a_key_does_not_match() -> None:
    with pytest.raises(IngestError):
        DissectParser("%{*k} %{&k} %{b}").parse("b 1 2")


def test_append_separator_with_order() -> None:
    assert DissectParser("%{+a/2} %{+a/1}", ", ").parse("x y") == {"a": "y, x"}


@pytest.mark.parametrize(
    ("pattern", "kind", "message"),
    [
        (
            "%{a/1}",
            "key_parse",
            "Unable to parse key: a/1 Reason: The key name could not be determined",
        ),
        (
            "%{+a/b}",
            "key_parse",
            "Unable to parse key: +a/b Reason: The key name could not be determined",
        ),
        (
            "%{+a/1/2}",
            "key_parse",
            "Unable to parse key: +a/1/2 Reason: multiple modifiers are not allowed.",
        ),
        (
            "%{/1+a}",
            "key_parse",
            "Unable to parse key: /1+a Reason: multiple modifiers are not allowed.",
        ),
        (
            "%{*}",
            "key_parse",
            "Unable to parse key: * Reason: The key name could not be determined",
        ),
        (
            "%{&->}",
            "key_parse",
            "Unable to parse key: &-> Reason: The key name could not be determined",
        ),
        (
            "%{&a} %{b}",
            "pattern_parse",
            "Unable to parse pattern: %{&a} %{b} Reason: Found invalid key/reference associations:"
            " 'a' Please ensure each '*<key>' is matched with a matching '&<key>",
        ),
        (
            "%{*a} %{&a} %{&a}",
            "pattern_parse",
            "Unable to parse pattern: %{*a} %{&a} %{&a} Reason: Found invalid key/reference "
            "associations: 'a,a,a' Please ensure each '*<key>' is matched with a matching '&<key>",
        ),
        (
            "%{?a}",
            "pattern_parse",
            "Unable to parse pattern: %{?a} Reason: Unable to find any keys or delimiters.",
        ),
        ("%{+a/32768}", "number_format_exception", 'Value out of range. Value:"32768" Radix:10'),
        ("%{+a/99999999999}", "number_format_exception", 'For input string: "99999999999"'),
    ],
)
def test_more_pattern_errors(pattern: str, kind: str, message: str) -> None:
    with pytest.raises(DissectError) as err:
        DissectParser(pattern)
    assert (err.value.type, str(err.value)) == (kind, message)


def test_largest_append_position_is_a_java_short() -> None:
    assert DissectParser("%{+a/32767} %{+a/1}").parse("x y") == {"a": "yx"}


def test_number_format_error_fails_the_request_like_es() -> None:
    with pytest.raises(IngestError) as err:
        run_one([{"dissect": {"field": "m", "pattern": "%{+a/40000}"}}], {})
    assert err.value.type == "exception"
    assert err.value.reason == (
        'java.lang.NumberFormatException: Value out of range. Value:"40000" Radix:10'
    )
    assert err.value.caused_by is not None
    assert err.value.caused_by.type == "number_format_exception"


def test_processor_with_percent_delimiter() -> None:
    out = run_one(dissect(field="m", pattern="%{a}%2F%{p}"), {"m": "projects/x%2Fdata_access"})
    assert out == {"m": "projects/x%2Fdata_access", "a": "projects/x", "p": "data_access"}


def test_empty_value_between_two_different_delimiters() -> None:
    # elastic/elasticsearch#65080 (fixed in 7.11): "[]" gives an empty value
    parser = DissectParser("(%{r})[%{u}] - %{m}")
    assert parser.parse("(foo)[] - baz") == {"r": "foo", "u": "", "m": "baz"}


def test_repeated_delimiter_is_consumed_greedily() -> None:
    # elastic/elasticsearch#119264 (still open): ES keeps the text after the repetition
    assert DissectParser("%{}|%{}|foo=%{field}").parse("||foo=bar") == {"field": "foo=bar"}

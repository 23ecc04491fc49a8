"""The grok engine: pattern banks, expansion, Oniguruma translation, typed captures."""

from __future__ import annotations

import math

import pytest

from fleetpkg.ingest.errors import IngestError
from fleetpkg.ingest.grok import GrokError, builtin_patterns, compile_grok, iter_matches
from fleetpkg.ingest.grok.library import parse_pattern_file
from fleetpkg.ingest.grok.onig import OnigError, translate

APACHE = (
    '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326 '
    '"http://www.example.com/start.html" "Mozilla/4.08 [en] (Win98; I ;Nav)"'
)


def test_banks_load_and_every_builtin_compiles() -> None:
    for mode in ("disabled", "v1"):
        bank = builtin_patterns(mode)
        assert len(bank) > 300
        for name in bank:
            compile_grok([f"%{{{name}:x}}"], None, mode)


def test_bank_contents_differ_between_modes() -> None:
    legacy, ecs = builtin_patterns("disabled"), builtin_patterns("v1")
    assert legacy["SYSLOGPROG"] == r"%{PROG:program}(?:\[%{POSINT:pid}\])?"
    assert ecs["SYSLOGPROG"] == r"%{PROG:process.name}(?:\[%{POSINT:process.pid:int}\])?"
    assert "ISO8601_HOUR" in legacy
    assert "ISO8601_HOUR" not in ecs
    assert "ZEEK_HTTP" in ecs
    assert "ZEEK_HTTP" not in legacy
    with pytest.raises(ValueError, match="unsupported ECS compatibility mode"):
        builtin_patterns("v2")


def test_pattern_file_parsing() -> None:
    text = "# comment\n\n  A  x y\nB\nC %{A}\n"
    assert parse_pattern_file(text) == {"A": "x y", "C": "%{A}"}


def test_legacy_apache_log() -> None:
    got = compile_grok(["%{COMBINEDAPACHELOG}"]).captures(APACHE)
    assert got is not None
    assert got["clientip"] == "127.0.0.1"
    assert got["verb"] == "GET"
    assert got["response"] == "200"
    assert got["referrer"] == '"http://www.example.com/start.html"'


def test_ecs_apache_log_types_and_dotted_names() -> None:
    got = compile_grok(["%{COMBINEDAPACHELOG}"], None, "v1").captures(APACHE)
    assert got is not None
    assert got["source.address"] == "127.0.0.1"
    assert got["http.response.status_code"] == 200
    assert got["http.response.body.bytes"] == 2326
    assert got["user_agent.original"] == "Mozilla/4.08 [en] (Win98; I ;Nav)"
    assert "apache.access.user.identity" not in got  # "-" matched the literal branch


def test_type_conversions() -> None:
    g = compile_grok(
        [
            "%{NUMBER:f:float} %{NUMBER:d:double} %{INT:i:int} %{INT:l:long} "
            "%{WORD:b:boolean} %{WORD:s:unknown}"
        ]
    )
    got = g.captures("1.1 1.1 -7 9999999999 TRUE word")
    assert got == {"f": 1.1, "d": 1.1, "i": -7, "l": 9999999999, "b": True, "s": "word"}
    assert isinstance(got["f"], float)
    assert isinstance(got["i"], int)
    assert compile_grok(["%{NUMBER:f:float}"]).captures("0.1")["f"] == 0.1  # type: ignore[index]


def test_float32_rounding() -> None:
    got = compile_grok(["%{NUMBER:f:float}"]).captures("3.14159265358979")
    assert got == {"f": 3.1415927}


def test_int_overflow_is_number_format_exception() -> None:
    g = compile_grok(["%{INT:i:int}"])
    with pytest.raises(IngestError) as err:
        g.captures("99999999999")
    assert err.value.type == "number_format_exception"
    assert err.value.reason == 'For input string: "99999999999"'


def test_double_accepts_java_literals() -> None:
    g = compile_grok(["(?<d>.*):double"])
    got = g.captures("1e3:double")
    assert got == {"d": "1e3"}  # a raw named group is a string capture
    g = compile_grok(["%{DATA:d:double}$"])
    assert g.captures("2.5d") == {"d": 2.5}
    assert g.captures("Infinity") == {"d": math.inf}


def test_custom_definitions_shadow_builtins() -> None:
    g = compile_grok(["<%{NUMBER:msg}>"], {"NUMBER": "foo"})
    assert g.captures("<foo>") == {"msg": "foo"}
    assert g.captures("<1>") is None


def test_nested_custom_definitions() -> None:
    g = compile_grok(["%{GITHUB:u}"], {"GITHUB": "@%{USERNAME}"})
    assert g.captures("hi @elastic-dm!") == {"u": "@elastic-dm"}


def test_unnamed_references_do_not_capture() -> None:
    assert compile_grok(["%{WORD} %{WORD:b}"]).captures("a b") == {"b": "b"}


def test_repeated_group_name_collects_a_list() -> None:
    g = compile_grok(["%{WORD:a} %{WORD:a}"])
    assert g.captures("x y") == {"a": ["x", "y"]}
    g = compile_grok(["%{WORD:a}(?: %{WORD:a})?"])
    assert g.captures("x") == {"a": "x"}  # one matched value is flattened


def test_unmatched_optional_groups_are_absent() -> None:
    g = compile_grok(["(-|%{DATA:user})$"])
    assert g.captures("-") == {}
    assert g.captures("bob") == {"user": "bob"}


def test_multiple_patterns_are_one_alternation_leftmost_wins() -> None:
    g = compile_grok(["x%{WORD:x}", "%{INT:n}"])
    assert g.captures("7 xabc") == {"n": "7"}


def test_trace_match_groups() -> None:
    g = compile_grok(["%{ONE:one}", "%{TWO:two}"], {"ONE": "1", "TWO": "2"}, trace_match=True)
    assert g.captures("abc2xyz") == {"_ingest._grok_match_index.1": "2", "two": "2"}


def test_bracket_field_names_stay_literal() -> None:
    assert compile_grok(["%{WORD:[a][b]}"]).captures("x") == {"[a][b]": "x"}


@pytest.mark.parametrize(
    ("patterns", "definitions", "message"),
    [
        (["%{NOPE:x}"], None, "Unable to find pattern [NOPE] in Grok's pattern dictionary"),
        (["["], None, "premature end of char-class"),
        (["(a"], None, "end pattern with unmatched parenthesis"),
        (["a)"], None, "unmatched close parenthesis"),
        (["*"], None, "target of repeat operator is not specified"),
        (["x"], {"A": "%{B}", "B": "%{A}"}, "circular reference detected: A->B->A"),
        (["x"], {"A": "%{A}"}, "circular reference detected: A->A"),
        (["x"], {"A": "%{NOPE}"}, "pattern [A] is referencing a non-existent pattern [NOPE]"),
        (["x"], {"IPV4": "%{IP}"}, "circular reference detected: IPV4->IP->IPV4"),
    ],
)
def test_compile_errors(
    patterns: list[str], definitions: dict[str, str] | None, message: str
) -> None:
    with pytest.raises(GrokError) as err:
        compile_grok(patterns, definitions)
    assert str(err.value) == message


def test_empty_pattern_list() -> None:
    with pytest.raises(GrokError, match="must not be empty"):
        compile_grok([])


def test_ruby_syntax_translation() -> None:
    source, names = translate(r"(?<a:b>\h+)(?m).\z")
    assert names == ["a:b"]
    assert source == r"(?P<g0>[0-9a-fA-F]+)(?s:.\Z)"
    g = compile_grok([r"^(?<x>b)$"])
    assert g.captures("a\nb\nc") == {"x": "b"}  # Ruby anchors are line anchors
    g = compile_grok([r"(?<x>a(?i)b|c)"])
    assert g.captures("aB") == {"x": "aB"}
    assert g.captures("C") is None  # the isolated option scopes to its group
    g = compile_grok([r"(?<x>[[:alpha:][0-9]]+)"])
    assert g.captures("ab12-") == {"x": "ab12"}
    g = compile_grok([r"(?<x>\x{41}+)(?>b)c++"])
    assert g.captures("AAbcc") == {"x": "AA"}
    g = compile_grok([r"(?<w>\w)\k<w>"])
    assert g.captures("xaab") == {"w": "a"}


def test_translation_errors() -> None:
    with pytest.raises(OnigError, match="undefined name"):
        translate(r"\k<nope>")
    with pytest.raises(OnigError, match="end pattern at escape"):
        translate("a\\")
    with pytest.raises(OnigError, match="group name is empty"):
        translate("(?<>a)")
    with pytest.raises(OnigError, match="undefined group option"):
        translate("(?s)a")


def test_iter_matches_steps_over_empty_matches() -> None:
    g = compile_grok(["%{INT:n}"])
    assert list(iter_matches(g, "1 22 333")) == [(0, 1), (2, 4), (5, 8)]
    assert list(iter_matches(compile_grok(["x*"]), "ab")) == [(0, 0), (1, 1)]

"""Pipelines Elasticsearch would refuse to store: `check` and `build` compile every script,
condition, mustache template and pattern with the embedded engine and print each error at its
place in pipeline.yml (a script's error at the script's own line and column in the YAML)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from fleetpkg.compilecheck import at, processor_problems
from fleetpkg.errors import Location

PIPELINE = "data_stream/events/pipeline.yml"
HEAD = "after:\n  - lowercase:\n      tag: lowercase_user_name\n      field: user.name\n"
TAIL = "      ignore_missing: true\n"
BAD = "invalid sequence of tokens near [';']."
SCRIPT = f"script processor: script does not compile: {BAD}"

# (case id, processors added after the fixture's lowercase processor, exact problems in order)
CASES = [
    (
        "literal-block",
        "  - script:\n"
        "      tag: s\n"
        "      source: |\n"
        "        ctx.a = 1;\n"
        "        if (ctx.a == 1) {\n"
        "          ctx.b = ;\n"
        "        }\n",
        [f"{PIPELINE}:11:19: {SCRIPT}"],
    ),
    (
        "literal-block-strip-and-indent-indicator",
        "  - script:\n      tag: s\n      source: |2-\n          ctx.a = 1;\n          ctx.b = ;\n",
        [f"{PIPELINE}:10:19: {SCRIPT}"],
    ),
    (
        "folded-block",
        "  - script:\n"
        "      tag: s\n"
        "      source: >\n"
        "        ctx.a = 1;\n"
        "        ctx.b =\n"
        "        ;\n",
        [f"{PIPELINE}:11:9: {SCRIPT}"],
    ),
    (
        "double-quoted-with-escapes",
        '  - script:\n      tag: s\n      source: "ctx.a = \\"x\\";\\n  ctx.b = ;"\n',
        [f"{PIPELINE}:8:42: {SCRIPT}"],
    ),
    (
        "double-quoted-over-lines",
        '  - script:\n      tag: s\n      source: "ctx.a = 1;\n        ctx.b = ;"\n',
        [f"{PIPELINE}:9:17: {SCRIPT}"],
    ),
    (
        "single-quoted",
        "  - script:\n      tag: s\n      source: 'ctx.a = ''x''; ctx.b = ;'\n",
        [f"{PIPELINE}:8:39: {SCRIPT}"],
    ),
    (
        "plain-over-lines",
        "  - script:\n      tag: s\n      source: ctx.a = 1;\n        ctx.b = ;\n",
        [f"{PIPELINE}:9:17: {SCRIPT}"],
    ),
    (
        "type-error",
        "  - script:\n      tag: s\n      source: |\n        int x = 'a';\n",
        [
            f"{PIPELINE}:9:17: script processor: script does not compile:"
            " Cannot cast from [String] to [int]."
        ],
    ),
    (
        "condition-and-template",
        "  - set:\n"
        "      tag: s\n"
        "      field: sample.events.user\n"
        '      value: "{{#x}}"\n'
        '      if: "ctx.user?.name == "\n',
        [
            f"{PIPELINE}:9:14: set processor: Failed to compile inline script [{{{{#x}}}}]",
            f"{PIPELINE}:10:29: set processor: condition does not compile:"
            " unexpected end of script.",
        ],
    ),
    (
        "condition-not-a-script",
        "  - set:\n      tag: s\n      field: a\n      value: 1\n      if: 12\n",
        [f"{PIPELINE}:10:11: set processor: [if] property isn't a string or a map"],
    ),
    (
        "nested-on-failure-and-foreach",
        "  - foreach:\n"
        "      tag: f\n"
        "      field: tags\n"
        "      processor:\n"
        "        script:\n"
        "          source: ctx.b = ;\n"
        "      on_failure:\n"
        "        - script:\n"
        "            tag: h\n"
        "            source: |\n"
        "              ctx.c = ;\n",
        [f"{PIPELINE}:11:27: {SCRIPT}", f"{PIPELINE}:16:23: {SCRIPT}"],
    ),
    (
        "unknown-grok-pattern",
        "  - grok:\n"
        "      tag: g\n"
        "      field: message\n"
        "      patterns:\n"
        "        - '%{WORD:sample.events.user}'\n"
        "        - '%{NOTAPATTERN:sample.events.user}'\n",
        [
            f"{PIPELINE}:11:11: grok processor: [patterns] Invalid regex pattern found in:"
            " [%{NOTAPATTERN:sample.events.user}]. Unable to find pattern [NOTAPATTERN] in"
            " Grok's pattern dictionary"
        ],
    ),
    (
        "unbalanced-grok-parenthesis",
        "  - grok:\n"
        "      tag: g\n"
        "      field: message\n"
        "      patterns: ['(%{WORD:sample.events.user}']\n",
        [
            f"{PIPELINE}:9:18: grok processor: [patterns] Invalid regex pattern found in:"
            " [(%{WORD:sample.events.user}]. end pattern with unmatched parenthesis"
        ],
    ),
    (
        "grok-pattern-definition",
        "  - grok:\n"
        "      tag: g\n"
        "      field: message\n"
        "      patterns: ['%{MINE:sample.events.user}']\n"
        "      pattern_definitions:\n"
        "        MINE: '[a-z'\n",
        [
            f"{PIPELINE}:9:18: grok processor: [patterns] Invalid regex pattern found in:"
            " [%{MINE:sample.events.user}]. premature end of char-class"
        ],
    ),
    (
        "bad-regex",
        "  - gsub:\n"
        "      tag: g\n"
        "      field: message\n"
        "      pattern: '(a'\n"
        "      replacement: ''\n",
        [
            f"{PIPELINE}:9:16: gsub processor: [pattern] Invalid regex pattern."
            " missing ) at position 2"
        ],
    ),
    (
        "bad-dissect-pattern",
        "  - dissect:\n      tag: d\n      field: message\n      pattern: '%{a'\n",
        [
            f"{PIPELINE}:9:16: dissect processor: org.elasticsearch.dissect.DissectException"
            "$PatternParse: Unable to parse pattern: %{a Reason: Unable to find any keys or"
            " delimiters."
        ],
    ),
]


@pytest.fixture
def in_pkg(pkg: Path) -> Iterator[Path]:
    cwd = os.getcwd()
    os.chdir(pkg)
    yield pkg
    os.chdir(cwd)


def _write(pkg: Path, processors: str) -> None:
    """The fixture's pipeline plus processors; the scripts' fields a, b, c are declared."""
    (pkg / PIPELINE).write_text(HEAD + TAIL + processors, encoding="utf-8")
    fields = pkg / "data_stream/events/fields.yml"
    declared = "".join(f"- name: {n}\n  type: long\n  description: {n}.\n" for n in "abc")
    fields.write_text(fields.read_text(encoding="utf-8") + declared, encoding="utf-8")


@pytest.mark.parametrize(
    ("processors", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_compile_error(in_pkg: Path, cli, processors: str, expected: list[str]) -> None:
    _write(in_pkg, processors)
    code, out, err = cli("check")
    assert (code, out) == (1, "")
    assert err.splitlines() == [*expected, f"{len(expected)} problem(s)"]


def test_the_cases_are_exactly_the_fixture_and_the_processors(in_pkg: Path) -> None:
    assert (in_pkg / PIPELINE).read_text(encoding="utf-8") == HEAD + TAIL


def test_a_valid_script_in_every_style_passes(in_pkg: Path, cli) -> None:
    styles = [
        "      source: |\n        ctx.a = 1;\n",
        "      source: >\n        ctx.a =\n        1;\n",
        '      source: "ctx.a = \\"x\\";"\n',
        "      source: 'ctx.a = ''x'';'\n",
        "      source: ctx.a = 1;\n",
    ]
    _write(in_pkg, "".join(f"  - script:\n      tag: s{n}\n{s}" for n, s in enumerate(styles)))
    assert cli("check") == (0, ".: ok\n", "")


def test_build_refuses_a_broken_script_without_sample_event(in_pkg: Path, cli) -> None:
    _write(in_pkg, "  - script:\n      tag: s\n      source: ctx.b = ;\n")
    code, out, err = cli("build")
    assert (code, out) == (1, "")
    assert err == f"{PIPELINE}:8:23: {SCRIPT}\n1 problem(s)\n"
    assert not (in_pkg / "package").exists()


def test_build_with_sample_event_reports_the_location_not_an_internal_error(
    in_pkg: Path, cli
) -> None:
    (in_pkg / "data_stream/events/sample_event.json").unlink()
    case = in_pkg / "data_stream/events/_dev/test/pipeline/test-a.json"
    case.parent.mkdir(parents=True)
    case.write_text('{"events": [{"message": "{}"}]}', encoding="utf-8")
    _write(
        in_pkg,
        "  - script:\n      tag: s\n      source: ctx.b = ;\nsample_event:\n  case: test-a.json\n",
    )
    code, _, err = cli("build")
    assert code == 1
    assert "internal error" not in err
    assert err == f"{PIPELINE}:8:23: {SCRIPT}\n1 problem(s)\n"


def test_a_processor_the_engine_lacks_is_not_a_compile_error(in_pkg: Path, cli) -> None:
    _write(in_pkg, "  - inference:\n      tag: i\n      model_id: m\n")
    assert cli("check") == (0, ".: ok\n", "")


def test_derived_processors_are_compiled_at_their_place() -> None:
    where = Location("data_stream/x/fields.yml", 3, 9)
    good = {"field": "a", "target_field": "b", "ignore_missing": True}
    assert processor_problems("rename", good, (), at(where)) == []
    bad = {"field": "a", "value": "x", "if": "ctx.a =="}
    [problem] = processor_problems("set", bad, (), at(where))
    assert str(problem) == (
        "data_stream/x/fields.yml:3:9: set processor: condition does not compile:"
        " unexpected end of script."
    )

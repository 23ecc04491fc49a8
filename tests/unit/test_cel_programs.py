"""The CEL program of a `cel` stream must parse: `check` (and `build`) print a syntax error at
its line and column in the `.yml.hbs` template (Handlebars around YAML)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from fleetpkg.celparse import CelSyntaxError, parse
from fleetpkg.policy.celcheck import CelError, check_program, compile_program

TEMPLATE = "data_stream/events/agent/stream/log.yml.hbs"
HEAD = "interval: {{interval}}\nresource.url: {{url}}\n"
NOT_PARSED = "CEL program does not parse"

# (case id, template text after HEAD, exact problems)
CASES = [
    (
        "literal-block",
        'program: |\n  state.with({\n    "events": [],\n    "want_more": false)\n  })\n',
        [f"{TEMPLATE}:6:23: {NOT_PARSED}: unexpected ')'"],
    ),
    (
        "literal-block-under-handlebars-blocks",
        '{{#contains "v1" api_version}}\n'
        "# a comment\n"
        "program: |-\n"
        "  state.with(\n"
        '    {"events": [] ++ []}\n'
        "  )\n"
        "{{/contains}}\n"
        "state:\n"
        "  token: {{token}}\n",
        [f"{TEMPLATE}:7:20: {NOT_PARSED}: unexpected '+'"],
    ),
    (
        "folded-block",
        'program: >-\n  state.with(\n  {"a": 1 2})\n',
        [f"{TEMPLATE}:5:11: {NOT_PARSED}: unexpected '2'"],
    ),
    (
        "double-quoted",
        'program: "state.with({\\"a\\": 1,, })"\n',
        [f"{TEMPLATE}:3:32: {NOT_PARSED}: unexpected ','"],
    ),
    (
        "single-quoted-unterminated-cel-string",
        "program: 'state.url + ''abc'\n",
        [f'{TEMPLATE}:3:23: {NOT_PARSED}: unexpected character "\'"'],
    ),
    (
        "plain",
        "program: state.with([1] @ 2)\n",
        [f"{TEMPLATE}:3:25: {NOT_PARSED}: unexpected character '@'"],
    ),
    (
        "end-of-program",
        'program: |\n  state.with(\n    {"a": 1}\n',
        [f"{TEMPLATE}:5:12: {NOT_PARSED}: unexpected end of program"],
    ),
    (
        "handlebars-expressions-keep-positions",
        'program: |\n  state.with({"url": "{{url}}", "n": {{per_page}} +})\n',
        [f"{TEMPLATE}:4:52: {NOT_PARSED}: unexpected '}}'"],
    ),
    (
        "indented-program-key",
        "config:\n  program: |\n    1 + * 2\n  other: x\n",
        [f"{TEMPLATE}:5:9: {NOT_PARSED}: unexpected '*'"],
    ),
]


@pytest.fixture
def cel_pkg(pkg: Path) -> Iterator[Path]:
    """The minimal fixture with its stream on the `cel` input, as working directory."""
    for rel, old, new in [
        ("manifest.yml", "- type: logfile", "- type: cel"),
        ("data_stream/events/manifest.yml", "input: logfile", "input: cel"),
    ]:
        path = pkg / rel
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    cwd = os.getcwd()
    os.chdir(pkg)
    yield pkg
    os.chdir(cwd)


def _write(pkg: Path, text: str) -> None:
    (pkg / TEMPLATE).write_text(HEAD + text, encoding="utf-8")


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_cel_syntax_error(cel_pkg: Path, cli, text: str, expected: list[str]) -> None:
    _write(cel_pkg, text)
    code, out, err = cli("check")
    assert (code, out) == (1, "")
    assert err.splitlines() == [*expected, f"{len(expected)} problem(s)"]


def test_build_refuses_it_too(cel_pkg: Path, cli) -> None:
    _write(cel_pkg, "program: state.with(\n")
    code, _, err = cli("build")
    assert code == 1
    assert err == f"{TEMPLATE}:3:20: {NOT_PARSED}: unexpected end of program\n1 problem(s)\n"
    assert not (cel_pkg / "package").exists()


def test_valid_programs_pass(cel_pkg: Path, cli) -> None:
    _write(
        cel_pkg,
        '{{#if a}}\nprogram: |\n  state.with({"url": "{{url}}", "n": {{per_page}} })\n{{/if}}\n'
        "{{#unless a}}\nprogram: 'state.with({\"events\": []})'\n{{/unless}}\n",
    )
    assert cli("check") == (0, ".: ok\n", "")


def test_a_program_with_handlebars_blocks_inside_is_left_to_the_policy_tests(
    cel_pkg: Path, cli
) -> None:
    _write(cel_pkg, "program: |\n  state.with(\n  {{#if a}}\n    {\n  {{else}}\n  {{/if}}\n  )\n")
    assert cli("check") == (0, ".: ok\n", "")


def test_only_cel_streams_have_programs(pkg: Path, cli) -> None:
    (pkg / TEMPLATE).write_text("paths: [a]\nprogram: not cel (\n", encoding="utf-8")
    cwd = os.getcwd()
    os.chdir(pkg)
    try:
        assert cli("check") == (0, ".: ok\n", "")
    finally:
        os.chdir(cwd)


def test_parse_errors_carry_their_position() -> None:
    with pytest.raises(CelSyntaxError) as exc:
        parse("a.b(\n  c,\n  d e)")
    assert (exc.value.reason, exc.value.line, exc.value.column) == ("unexpected 'e'", 3, 5)
    with pytest.raises(CelError) as cel:
        compile_program("1 +\n  )")
    assert (cel.value.line, cel.value.column) == (2, 3)
    assert check_program("1 +")[0].startswith(NOT_PARSED)


def test_reported_with_the_problems_of_other_files(cel_pkg: Path, cli) -> None:
    _write(cel_pkg, "program: state.with(\n")
    (cel_pkg / "changelog.yml").unlink()
    code, _, err = cli("check")
    assert code == 1
    assert err.splitlines() == [
        "changelog.yml: file is missing",
        f"{TEMPLATE}:3:20: {NOT_PARSED}: unexpected end of program",
        "2 problem(s)",
    ]


@pytest.mark.parametrize(
    "program",
    ['["a", "b",]', '{"k": "v",\n}', '{"k": [1, 2,],}', "state.?cursor.orValue(0)"],
)
def test_what_cel_go_accepts_passes(program: str) -> None:
    from fleetpkg.celparse import parse

    assert parse(program) is not None  # cel-go (the Agent's engine) parses these


def test_a_double_comma_is_still_an_error() -> None:
    from fleetpkg.celparse import CelSyntaxError, parse

    with pytest.raises(CelSyntaxError) as info:
        parse('{"a": 1,, }')
    assert info.value.reason == "unexpected ','"

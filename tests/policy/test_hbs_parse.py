"""fleetpkg.hbscheck rejects exactly what Handlebars.js rejects, at Handlebars.js's line:col.

CORPUS holds good and bad templates with the verdict Handlebars.js 4.7 gave (None, or where it
stopped; (0, 0) when it gives no position). Without Node.js the Python parser is checked against
the recorded verdicts; with it, Handlebars.js is asked again (so the record cannot drift) and a
seeded random corpus of template fragments is judged by both.
"""

from __future__ import annotations

import random
from pathlib import Path

import hbsjudge
import pytest

from fleetpkg.errors import Location, Problem
from fleetpkg.hbscheck import HbsError, built_template_problems, parse, template_problems

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(ROOT.glob("data_stream/*/agent/stream/*.yml.hbs"))

CORPUS: list[tuple[str, tuple[int, int] | None]] = [
    ("plain text\n", None),
    ("", None),
    ("a: {{a}}\n", None),
    ("{{#if a}}\nx: 1\n{{/if}}\n", None),
    ("{{#if a}}A{{else if b}}B{{else}}C{{/if}}", None),
    ("{{#each xs as |x|}}\n  - {{x}}\n{{/each}}\n", None),
    ("{{#each xs as |x i|}}{{i}}{{/each}}", None),
    ("{{#unless a}}u{{else}}v{{/unless}}", None),
    ("{{^a}}not a{{/a}}", None),
    ("{{#if a}}x{{^}}y{{/if}}", None),
    ("{{~#if a~}} x {{~/if~}}", None),
    ("{{! comment }}", None),
    ("{{!-- {{if}} --}}", None),
    ("\\{{not a mustache}}", None),
    ("\\\\{{a}}", None),
    ("{{{raw}}}", None),
    ("{{&raw}}", None),
    ('{{contains "a" b}}', None),
    ('{{#contains "a" b}}x{{/contains}}', None),
    ("{{escape_string (to_json a)}}", None),
    ('{{x key="v" other=1}}', None),
    ("{{../a}}", None),
    ("{{this.a}}", None),
    ("{{@root.a}}", None),
    ("{{a.[b c]}}", None),
    ("{{[a]}}", None),
    ("{{{{raw}}}} {{x}} {{{{/raw}}}}", None),
    ("{{#> layout}}x{{/layout}}", None),
    ("{{> partial a=1}}", None),
    ('{{#*inline "p"}}x{{/inline}}', None),
    ("{{a 1 -2 3.5 true false null undefined}}", None),
    ("{{a 'single'}}", None),
    ('{{lookup a "b"}}', None),
    ("{{#if foo}}unclosed", (1, 12)),
    ("a\n{{#if a}}\n{{#each b}}\n{{/if}}\n{{/each}}\n", (3, 4)),
    ("{{#if a}}x{{/each}}", (1, 4)),
    ("{{/if}}", (1, 1)),
    ("{{else}}", (1, 1)),
    ("{{#if a}}{{else}}{{else}}{{/if}}", (1, 10)),
    ("{{^a}}x{{else if b}}y{{/a}}", (1, 7)),
    ("{{a", (1, 1)),
    ("{{a}", (1, 3)),
    ("{{{a}}", (1, 4)),
    ("{{a}}}", (1, 3)),
    ("{{ }}", (1, 1)),
    ("{{!}", (1, 1)),
    ("{{!-- open", (1, 1)),
    ("{{a.this}}", (1, 3)),
    ("{{a/../b}}", (1, 3)),
    ("{{#each xs as |x|}}{{/each}}{{#each xs as ||}}{{/each}}", (1, 40)),
    ("{{x =1}}", (1, 3)),
    ("{{x a=}}", (1, 6)),
    ("{{x a=1 b}}", (1, 9)),
    ("{{(a)}}", (1, 1)),
    ("{{a (b}}", (1, 6)),
    ("{{a b)}}", (1, 5)),
    ('{{#"s"}}x{{/s}}', None),
    ("{{{{raw}}}} x {{{{/other}}}}", (1, 5)),
    ("{{@}}", (1, 3)),
    ("{{a..b}}", None),
    ("{{a.}}", None),
    ("{{#}}", (1, 1)),
    ("{{#if a}}\n  {{#if b}}\n{{/if}}\n", (3, 8)),
    ('{{#*inline "p"}}x{{else}}y{{/inline}}', (0, 0)),
    ("{{a\x00}}", None),
    ("x\x00y", (1, 2)),
]

FRAGMENTS = [
    "{{", "}}", "{{#if a}}", "{{/if}}", "{{else}}", "{{else if b}}", "{{^}}", "{{#each xs as |x|}}",
    "{{/each}}", "{{x}}", "{{{y}}}", "{{~", "~}}", "{{!c}}", "{{!-- c --}}", "\n", "  ", "text",
    "{{#with a}}", "{{/with}}", "{{^a}}", "{{/a}}", "{{foo.bar}}", "{{../z}}", "{{foo.this}}",
    "{{this.foo}}", "{{@index}}", "{{ x y=1 }}", '{{ f (g 1) "s" }}', "\\{{x}}", "\\\\{{x}}",
    "{{{{raw}}}}", "{{{{/raw}}}}", "{{> p}}", "{{#> p}}", "{{/p}}", "{{&x}}", "{{[a b]}}", "'", '"',
    "{{x y=}}", "{{x =}}", '{{#*inline "p"}}', "{{/inline}}", "{", "}", "{{@}}", "{{1}}",
    "{{true}}", "{{x.[y]}}", "{{x/y}}", "{{#if}}", "=", "|", "{{#each a as |x y|}}", "{{ else }}",
    "{{~else~}}", "{{~/if~}}", "{{~#if a~}}", "{{contains", ")", "(", "{{escape_string v}}",
]  # fmt: skip


def verdict(template: str) -> tuple[int, int] | None:
    try:
        parse(template)
    except HbsError as err:
        return (err.line, err.col)
    return None


@pytest.mark.parametrize(("template", "expected"), CORPUS)
def test_python_parser_agrees_with_recorded_handlebars_js(
    template: str, expected: tuple[int, int] | None
) -> None:
    assert verdict(template) == expected


def test_recorded_verdicts_are_handlebars_js() -> None:
    why = hbsjudge.reason()
    if why:
        pytest.skip(why)
    results = hbsjudge.run([{"template": t, "parse_only": True} for t, _ in CORPUS])
    for (template, expected), result in zip(CORPUS, results, strict=True):
        error = result.get("error")
        got = (error["line"], error["column"]) if error else None
        assert got == expected, (template, error)


def test_random_templates_judged_by_handlebars_js() -> None:
    why = hbsjudge.reason()
    if why:
        pytest.skip(why)
    rng = random.Random(13)
    templates = [
        "".join(rng.choice(FRAGMENTS) for _ in range(rng.randint(1, 8))) for _ in range(3000)
    ]
    results = hbsjudge.run([{"template": t, "parse_only": True} for t in templates])
    wrong = []
    for template, result in zip(templates, results, strict=True):
        error = result.get("error")
        expected = (error["line"], error["column"]) if error else None
        mine = verdict(template)
        if (mine is None) != (expected is None) or (expected and expected[0] and mine != expected):
            wrong.append((template, mine, error))
    assert wrong == [], f"{len(wrong)} of {len(templates)} differ; first: {wrong[:3]}"


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.parent.parent.parent.name)
def test_the_package_templates_parse(path: Path) -> None:
    assert template_problems(str(path), path.read_text(encoding="utf-8")) == []


def test_an_unclosed_block_is_reported_at_path_line_col() -> None:
    text = TEMPLATES[0].read_text(encoding="utf-8")
    bad = text + "{{#if foo}}unclosed"
    line = bad.count("\n") + 1
    [problem] = template_problems("data_stream/audit/agent/stream/cel.yml.hbs", bad)
    assert problem.location == Location("data_stream/audit/agent/stream/cel.yml.hbs", line, 12)
    assert f"{{{{#if}}}} at {line}:1 is never closed" in problem.message


def test_problems_of_mismatched_and_bad_mustaches() -> None:
    [mismatch] = template_problems("t.hbs", "a\n{{#if a}}\n{{#each b}}\n{{/if}}\n{{/each}}\n")
    assert mismatch == Problem(Location("t.hbs", 3, 4), "Handlebars: each doesn't match if")
    [path] = template_problems("t.hbs", "x: {{a.this}}")
    assert path == Problem(Location("t.hbs", 1, 6), "Handlebars: Invalid path: a.this")
    [mustache] = template_problems("t.hbs", "x: {{a}")
    assert mustache.location == Location("t.hbs", 1, 6)


def test_built_package_templates_are_checked_under_the_shown_folder() -> None:
    good = TEMPLATES[0].read_text(encoding="utf-8").encode()
    files = {
        "manifest.yml": b"{{#if not a template}}",
        "data_stream/audit/agent/stream/cel.yml.hbs": good,
        "data_stream/logpull/agent/stream/cel.yml.hbs": b"a: 1\n{{#if foo}}unclosed",
    }
    [problem] = built_template_problems(files, "package")
    assert problem.location == Location(
        "package/data_stream/logpull/agent/stream/cel.yml.hbs", 2, 12
    )
    assert (
        built_template_problems({**files, "data_stream/logpull/agent/stream/cel.yml.hbs": good})
        == []
    )

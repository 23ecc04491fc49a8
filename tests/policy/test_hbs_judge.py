"""fleetpkg's Handlebars (pybars3 + fleetpkg.policy.hbs) renders what Handlebars.js renders.

Every policy test case of the package is rendered with both, as Fleet would (its vars, the yaml
placeholders, `_meta`), and the texts must be identical; so must a corpus of templates that
exercise what pybars3 and Handlebars.js differed on (whitespace control, `else if`, standalone
lines, escaping, JavaScript truthiness and number printing, Fleet's helpers on unusual values),
with the text Handlebars.js 4.7.8 rendered (None: it threw). The recorded texts are checked
without Node.js; with it (make test installs tools/hbs), Handlebars.js is asked again.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import hbsjudge
import pytest
import yaml

from fleetpkg.errors import FleetpkgError
from fleetpkg.hbscheck import HbsError, parse
from fleetpkg.policy import render as render_module
from fleetpkg.policy.hbs import render_text, template_context
from fleetpkg.policy.spec import load_stream
from fleetpkg.policy.varcheck import PolicyVars

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "package"
CASES = sorted(ROOT.glob("data_stream/*/_dev/test/policy/test-*.yml"))


@pytest.fixture
def _needs_handlebars_js() -> None:
    why = hbsjudge.reason()
    if why:
        pytest.skip(why)


def fleet_scope(case: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, dict[str, Any]]:
    """The template and the scope fleetpkg's policy renderer gives Handlebars for `case`."""
    seen: dict[str, Any] = {}
    real = render_module.compile_template

    def spy(template: str, variables: dict[str, Any], yaml_vars: set[str], meta: Any) -> Any:
        seen["template"] = template
        seen["scope"] = template_context(variables, yaml_vars, meta)[0]
        return real(template, variables, yaml_vars, meta)

    monkeypatch.setattr(render_module, "compile_template", spy)
    data_stream = case.parents[3].name
    spec = load_stream(PACKAGE, data_stream, source=ROOT)
    given = PolicyVars.from_config(yaml.safe_load(case.read_text(encoding="utf-8")))
    render_module.render(spec, given, source=str(case), name=case.stem)
    return seen["template"], seen["scope"]


def both(template: str, scope: dict[str, Any]) -> tuple[str | None, str | None]:
    """(fleetpkg's text or None on error, Handlebars.js's text or None on error)."""
    [result] = hbsjudge.run([{"template": template, "vars": scope}])
    try:
        mine: str | None = render_text(template, scope)
    except FleetpkgError:
        mine = None
    return mine, result.get("text")


@pytest.mark.usefixtures("_needs_handlebars_js")
@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parents[3].name}/{p.stem}")
def test_policy_case_renders_as_handlebars_js(case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    template, scope = fleet_scope(case, monkeypatch)
    mine, theirs = both(template, scope)
    assert theirs is not None
    assert mine == theirs


EDGES: list[tuple[str, dict[str, Any], str | None]] = [
    # whitespace control and standalone lines
    ("a: 1\n{{~#if x}}\nb: 2\n{{/if~}}\nc: 3\n", {"x": True}, "a: 1b: 2\nc: 3\n"),
    ("a:  {{~ x ~}}  :b", {"x": "v"}, "a:v:b"),
    ("{{#if x}}  {{#if y}}\nz\n{{/if}}{{/if}}\n", {"x": True, "y": True}, "  \nz\n\n"),
    (
        "list:\n  {{#each xs}}\n  - {{this}}\n  {{/each}}\nend: 1\n",
        {"xs": [1, 2]},
        "list:\n  - 1\n  - 2\nend: 1\n",
    ),
    ("x: {{! note }}1\n  {{! alone }}\ny: 2\n", {}, "x: 1\ny: 2\n"),
    ("{{#if a}}\nA\n{{else}}\nB\n{{/if}}\n", {"a": False}, "B\n"),
    ("{{#if a}} A {{~else~}} B {{/if}}", {"a": False}, "B "),
    ("  {{#if a}}\n  x\n  {{/if}}", {"a": True}, "  x\n"),
    # else if chains
    ("{{#if a}}\nA\n{{else if b}}\nB\n{{else}}\nC\n{{/if}}\n", {"a": False, "b": True}, "B\n"),
    ("{{#if a}}A{{else if b}}B{{else if c}}C{{else}}D{{/if}}", {"c": 1}, "C"),
    ("{{#unless a}}U{{else}}V{{/unless}}", {"a": True}, "V"),
    ("{{^a}}none{{else}}some{{/a}}", {"a": [1]}, "some"),
    # values: noEscape, booleans, numbers, lists, objects
    ("v: {{v}}", {"v": "<a href='x'>&amp;</a>"}, "v: <a href='x'>&amp;</a>"),
    (
        "b: {{t}} {{f}} {{z}} {{fl}} {{big}}",
        {"t": True, "f": False, "z": 0, "fl": 1.5, "big": 10},
        "b: true false 0 1.5 10",
    ),
    (
        "l: {{l}} o: {{o}} e: {{e}}",
        {"l": [1, "a", None, True], "o": {"k": 1}, "e": []},
        "l: 1,a,,true o: [object Object] e: ",
    ),
    ("{{#each o}}{{@key}}={{this}};{{/each}}", {"o": {"a": 1, "b": 2}}, "a=1;b=2;"),
    (
        "{{#each xs}}{{@index}}{{#if @first}}F{{/if}}{{#if @last}}L{{/if}},{{/each}}",
        {"xs": [7, 8]},
        "0F,1L,",
    ),
    ("{{#each s}}x{{else}}not a list{{/each}}", {"s": "abc"}, "not a list"),
    ("{{#with o}}{{k}}{{/with}}", {"o": {"k": "in"}}, "in"),
    ("{{lookup o 'k'}}", {"o": {"k": "v"}}, "v"),
    # Fleet's helpers
    (
        "{{escape_string s}}|{{escape_string m}}|{{escape_string e}}",
        {"s": "it's", "m": "a\nb"},
        "'it''s'|\"a\\nb\"|",
    ),
    ("{{escape_multiline_string m}}", {"m": "l1\n l2 'q'\nl3"}, "l1\\nl2 ''q''\\nl3"),
    (
        "{{to_json o}}|{{to_json s}}|{{to_json n}}|{{to_json missing}}",
        {"o": {"a": [1, "é"]}},
        '{"a":[1,"é"]}|||',
    ),
    ("{{to_json f}}", {"f": [1.0, 2.5, True, None]}, "[1,2.5,true,null]"),
    (
        "{{url_encode s}}|{{url_encode missing}}|{{url_encode n}}",
        {"s": "a b/ç!'()*~", "n": 3},
        "a%20b%2F%C3%A7%21%27%28%29%2A~|undefined|3",
    ),
    ("{{#contains 'b' l}}yes{{/contains}}{{#contains 'x' s}}sub{{/contains}}", {"l": ["b"]}, "yes"),
    ("{{contains 'b' l}}|{{contains 'z' l}}", {"l": ["b"]}, "true|"),
    ("{{#contains 1 l}}num{{/contains}}", {"l": ["1"]}, ""),
    ("{{escape_string n}}", {"n": 5}, None),
    # JavaScript truthiness and numbers
    (
        "{{#if o}}obj{{/if}}{{#if e}}list{{/if}}{{#if z}}zero{{/if}}{{#if s}}str{{/if}}",
        {"o": {}, "e": [], "z": 0, "s": "0"},
        "objstr",
    ),
    (
        "{{#a}}[{{this}}]{{else}}none{{/a}}|{{#b}}[{{this}}]{{/b}}|{{#c}}[{{this}}]{{/c}}",
        {"a": 0, "b": "", "c": {"k": 1}},
        "[0]|[]|[[object Object]]",
    ),
    ("{{#with e}}x{{else}}empty{{/with}}", {"e": []}, "empty"),
    (
        "{{a}} {{b}} {{c}} {{d}} {{e}}",
        {"a": 1e-07, "b": 1e21, "c": 0.1, "d": 123456789012.5, "e": -0.000001},
        "1e-7 1e+21 0.1 123456789012.5 -0.000001",
    ),
    (
        "{{to_json n}}",
        {"n": {"x": 1e-07, "y": 100.0, "z": '\u001f"q"'}},
        '{"x":1e-7,"y":100,"z":"\\u001f\\"q\\""}',
    ),
    (
        "{{#contains true l}}bool{{/contains}}{{#contains 1 m}}one{{/contains}}",
        {"l": [1], "m": [1.0]},
        "one",
    ),
    (
        "{{#each xs as |x|}}{{#each @root.ys as |y|}}{{x}}{{y}};{{/each}}{{/each}}",
        {"xs": ["a", "b"], "ys": [1, 2]},
        "a1;a2;b1;b2;",
    ),
    (
        "{{#each xs as |x|}}{{#with ../o}}{{x}}{{k}}{{/with}}{{/each}}",
        {"xs": ["a"], "o": {"k": "K"}},
        "aK",
    ),
    (
        "{{#each xs as |x|}}{{#if x.on}}{{x.name}}{{/if}}{{/each}}",
        {"xs": [{"on": True, "name": "n1"}, {"on": False, "name": "n2"}]},
        "n1",
    ),
    ("\\\\{{x}}", {"x": 1}, "\\1"),
    ("{{escape_string (to_json o)}}", {"o": {"k": "it's"}}, "'{\"k\":\"it''s\"}'"),
    ("a: {{escape_multiline_string n}}", {"n": 5}, None),
    # lookups as in JavaScript: arrays, missing keys, no Python attributes, ../ above the root
    (
        "{{o.k}}|{{xs.length}}|{{xs.[0]}}|{{xs.[9]}}|{{o.keys}}|{{s.upper}}",
        {"o": [1], "xs": ["a", "b"], "s": "t"},
        "|2|a|||",
    ),
    ("x{{../a}}|{{#each xs}}{{../a}}{{../../a}}{{/each}}", {"a": "A", "xs": [1]}, "x|A"),
    (
        "{{lookup o 'k'}}|{{lookup xs 1}}|{{lookup n 'k'}}",
        {"o": False, "xs": ["a", "b"], "n": 0},
        "false|b|0",
    ),
    ("{{#o}}{{k}}{{../a}}{{/o}}", {"o": {"k": "K"}, "a": "A"}, "KA"),
    # outputs are joined as strings (Kibana's compileAST), @key of an array item is its index
    ("{{n}}{{n}}|{{t}}{{t}}", {"n": 1, "t": True}, "11|truetrue"),
    ("{{#each xs}}{{@key}}:{{this}} {{/each}}", {"xs": ["a", "b"]}, "0:a 1:b "),
    # block parameters (item and index or key), sub-expressions of Fleet's helpers
    (
        "{{#each o as |v k|}}{{k}}={{v}};{{/each}}|{{#each xs as |x i|}}{{i}}{{x}}{{/each}}",
        {"o": {"a": 1}, "xs": ["p", "q"]},
        "a=1;|0p1q",
    ),
    (
        '{{#if (contains "b" l)}}in{{else}}out{{/if}}|{{escape_string (to_json o)}}',
        {"l": ["b"], "o": {"k": "it's"}},
        "in|'{\"k\":\"it''s\"}'",
    ),
    (
        "{{#each xs as |x|}}{{#each ../ys as |y|}}{{x}}{{y}} {{/each}}{{/each}}",
        {"xs": [1, 2], "ys": ["a"]},
        "1a 2a ",
    ),
    ("{{k:}}|{{[a b]}}|{{o.[x y]}}", {"k:": "K", "a b": "AB", "o": {"x y": "XY"}}, "K|AB|XY"),
    # helpers called without their argument, missing helpers and partials (None: an error)
    ("{{#if}}x{{/if}}", {"a": "A"}, None),
    ("{{#unless}}x{{/unless}}", {"a": "A"}, None),
    ("{{#each}}x{{/each}}", {"a": "A"}, None),
    ("{{#with}}x{{/with}}", {"a": "A"}, None),
    ("{{#foo bar}}x{{/foo}}", {"a": "A"}, None),
    ("{{#foo}}x{{/foo}}|{{foo}}", {"a": "A"}, "|"),
    ("{{lookup}}", {"a": "A"}, None),
    ("{{url_encode}}", {"a": "A"}, "%5Bobject%20Object%5D"),
    ("{{contains}}|{{#contains}}x{{/contains}}", {"a": "A"}, "|"),
    ("{{log a}}", {"a": "A"}, ""),
    ("{{> p}}", {"a": "A"}, None),
    # escapes of mustaches
    ("\\{{literal}} {{x}}", {"x": 1}, "{{literal}} 1"),
    ("{{{{raw}}}}{{not}}{{{{/raw}}}}", {}, ""),
]


@pytest.mark.parametrize(
    ("template", "scope", "expected"), EDGES, ids=[repr(e[0])[:40] for e in EDGES]
)
def test_edge_renders_as_recorded(
    template: str, scope: dict[str, Any], expected: str | None
) -> None:
    """Without Node.js too: fleetpkg renders what Handlebars.js rendered (None: it failed)."""
    try:
        mine: str | None = render_text(template, scope)
    except FleetpkgError:
        mine = None
    assert mine == expected


@pytest.mark.usefixtures("_needs_handlebars_js")
def test_recorded_edges_are_handlebars_js() -> None:
    results = hbsjudge.run([{"template": t, "vars": v} for t, v, _ in EDGES])
    assert [r.get("text") for r in results] == [e for _, _, e in EDGES]


FRAGMENTS = [
    "{{#if a}}", "{{/if}}", "{{else}}", "{{else if b}}", "{{#unless b}}", "{{/unless}}",
    "{{#each xs}}", "{{/each}}", "{{#each xs as |x|}}", "{{x}}", "{{this}}", "{{@index}}",
    "{{@key}}", "{{@first}}", "{{a}}", "{{b}}", "{{{s}}}", "{{~", "~}}", "{{~a~}}", "{{!c}}", "\n",
    "  ", "\t", "k: ", "- ", "{{#with o}}", "{{/with}}", "{{o.k}}", "{{../a}}",
    "{{escape_string s}}", "{{to_json o}}", "{{url_encode s}}", '{{#contains "x" s}}',
    "{{/contains}}", '{{lookup o "k"}}',
    "{{^}}", "{{#if a}}\n", "{{/if}}\n", "{{else}}\n", "  {{#each xs}}\n", "  {{/each}}\n",
    "{{@root.a}}", "{{n}}", "{{escape_multiline_string m}}", "\\{{a}}", "{{#xs}}", "{{/xs}}",
    "{{^a}}", "{{/a}}", "{{#each o as |v k|}}", "{{#each xs as |x i|}}", "{{k}}", "{{v}}", "{{i}}",
    '{{#if (contains "x" s)}}', "{{escape_string (to_json o)}}", "{{#if a}}{{else}}", "{{x.k}}",
]  # fmt: skip
VALUES: list[Any] = [
    None, True, False, 0, 1, 2.5, "", "s", "x'y", "a\nb", [], [1, "two"], {}, {"k": "v"},
    [{"k": 1}],
]  # fmt: skip


@pytest.mark.usefixtures("_needs_handlebars_js")
def test_random_templates_render_as_handlebars_js() -> None:
    """Random templates and values, rendered by both."""
    rng = random.Random(13)
    jobs: list[dict[str, Any]] = []
    while len(jobs) < 2000:
        template = "".join(rng.choice(FRAGMENTS) for _ in range(rng.randint(1, 10)))
        try:
            parse(template)
        except HbsError:
            continue
        names = ("a", "b", "s", "xs", "o", "n", "m")
        scope = {k: rng.choice(VALUES) for k in names if rng.random() < 0.8}
        jobs.append(
            {"template": template, "vars": {k: v for k, v in scope.items() if v is not None}}
        )
    wrong = []
    for job, result in zip(jobs, hbsjudge.run(jobs), strict=True):
        try:
            mine: str | None = render_text(job["template"], job["vars"])
        except FleetpkgError:
            mine = None
        if mine != result.get("text"):
            wrong.append((job, mine, result))
    assert wrong == [], f"{len(wrong)} of {len(jobs)} differ; first: {wrong[:3]}"

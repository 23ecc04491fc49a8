"""Fleet's Handlebars behaviour: helpers, block parameters, noEscape, yaml vars, duplicate keys."""

from __future__ import annotations

import pytest
import yaml

from fleetpkg.errors import FleetpkgError
from fleetpkg.policy.hbs import block_params, compile_template


def render(template: str, yaml_vars: frozenset[str] = frozenset(), **variables: object) -> object:
    parsed, _ = compile_template(template, dict(variables), set(yaml_vars))
    return parsed


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("plain", "plain"),
        ("it's", "it's"),
        ('a "quoted" \\ key', 'a "quoted" \\ key'),
        ("two\nlines", "two\nlines"),
        ("<&>", "<&>"),
    ],
)
def test_escape_string_round_trips_through_yaml(value: str, expected: str) -> None:
    assert render("key: {{escape_string v}}", v=value) == {"key": expected}


def test_escape_string_quotes_like_fleet() -> None:
    _, text = compile_template("k: {{escape_string v}}", {"v": "it's"}, set())
    assert text == "k: 'it''s'"
    _, empty = compile_template("k: {{escape_string v}}", {"v": ""}, set())
    assert empty == "k: "


def test_no_html_escaping() -> None:
    _, text = compile_template("k: {{v}}", {"v": "a<b>&'\""}, set())
    assert text == "k: a<b>&'\""


def test_to_json_and_url_encode() -> None:
    assert render("k: {{to_json v}}", v={"a": [1, True]}) == {"k": {"a": [1, True]}}
    assert render("k: {{to_json v}}", v='"already json"') == {"k": "already json"}
    assert render('k: "{{url_encode v}}"', v="a b/c!'()*~") == {"k": "a%20b%2Fc%21%27%28%29%2A~"}


def test_contains_on_lists_and_strings_without_else() -> None:
    template = '{{#contains "forwarded" tags}}f: 1{{/contains}}\nx: 0'
    assert render(template, tags=["a", "forwarded"]) == {"f": 1, "x": 0}
    assert render(template, tags=["a"]) == {"x": 0}
    assert render('{{#contains "v2" v}}v: two{{/contains}}', v="v2") == {"v": "two"}


def test_each_with_block_parameters_and_first() -> None:
    assert block_params("{{#each xs as |x|}}{{x}}{{/each}}") == "{{#each xs}}{{{this}}}{{/each}}"
    nested = "{{#each a as |x|}}{{#each b as |y|}}{{x}}{{y.n}}{{/each}}{{/each}}"
    assert (
        block_params(nested) == "{{#each a}}{{#each b}}{{{../this}}}{{{this.n}}}{{/each}}{{/each}}"
    )
    template = "tags:\n{{#each tags as |tag|}}\n  - {{tag}}\n{{/each}}\n"
    assert render(template, tags=["a", "b"]) == {"tags": ["a", "b"]}
    joined = 'f: "{{#each f}}{{#unless @first}},{{/unless}}{{this}}{{/each}}"'
    assert render(joined, f=["A", "B", "C"]) == {"f": "A,B,C"}


def test_yaml_vars_at_root_and_nested() -> None:
    template = "ssl: {{ssl}}\nprocessors:\n{{processors}}\n"
    processors = "- add_fields:\n    target: x\n    fields: {a: 1}\n"
    parsed = render(
        template,
        yaml_vars=frozenset({"ssl", "processors"}),
        ssl="verification_mode: none",
        processors=processors,
    )
    assert parsed == {
        "ssl": {"verification_mode": "none"},
        "processors": yaml.safe_load(processors),
    }


def test_dotted_var_names_are_nested() -> None:
    assert render("k: {{a.b}}", **{"a.b": "v"}) == {"k": "v"}


def test_duplicate_keys_are_rejected() -> None:
    with pytest.raises(FleetpkgError, match="Duplicated key"):
        render("a: 1\na: 2\n")


def test_meta_is_in_scope() -> None:
    meta = {"package": {"name": "cloudflare"}, "stream": {"data_stream": {"dataset": "c.a"}}}
    parsed, _ = compile_template(
        "p: {{_meta.package.name}}\nd: {{_meta.stream.data_stream.dataset}}", {}, set(), meta
    )
    assert parsed == {"p": "cloudflare", "d": "c.a"}

"""fleetpkg.policy.hbs follows Fleet beyond the Handlebars text: it refuses what Handlebars.js
cannot parse, fails where Fleet's helpers throw, and folds line breaks in double-quoted strings
before parsing the YAML (Kibana's compileTemplate)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fleetpkg.errors import FleetpkgError, Location
from fleetpkg.policy.hbs import compile_template, fold_quoted_newlines, js_number, render_text

ROOT = Path(__file__).resolve().parents[2]
CEL = ROOT / "data_stream" / "audit" / "agent" / "stream" / "cel.yml.hbs"


def test_a_template_handlebars_js_rejects_is_not_rendered() -> None:
    text = CEL.read_text(encoding="utf-8") + "{{#if foo}}unclosed"
    line = text.count("\n") + 1
    with pytest.raises(FleetpkgError) as caught:
        compile_template(text, {}, set())
    [problem] = caught.value.problems
    assert problem.location == Location("template", line, 12)
    assert "is never closed" in problem.message


def test_helpers_throw_where_fleet_throws() -> None:
    with pytest.raises(FleetpkgError, match=r"str\.includes is not a function"):
        render_text("p: {{escape_string port}}", {"port": 8080})
    with pytest.raises(FleetpkgError, match=r"str\.replace is not a function"):
        render_text("p: {{escape_multiline_string port}}", {"port": 8080})
    with pytest.raises(FleetpkgError, match="no partials"):
        render_text("{{> common}}", {})


def test_line_breaks_in_double_quoted_strings_fold_as_in_fleet() -> None:
    assert fold_quoted_newlines('a: "x\ny\n\nz"\nb: "q\\""\n') == 'a: "xy\\nz"\nb: "q\\""\n'
    parsed, _ = compile_template('k: "{{v}}"\n', {"v": "one\n\ntwo"}, set())
    assert parsed == {"k": "one\ntwo"}


@pytest.mark.parametrize(
    ("value", "text"),
    [(1.0, "1"), (0.1, "0.1"), (1e-7, "1e-7"), (1e21, "1e+21"), (-1.5e-6, "-0.0000015")],
)
def test_numbers_print_as_javascript(value: float, text: str) -> None:
    assert js_number(value) == text


def test_empty_yaml_lists_and_maps_are_kept_as_fleet_keeps_them() -> None:
    template = "processors:\n{{processors}}\nssl:\n{{ssl}}\n"
    parsed, text = compile_template(
        template, {"processors": "[]", "ssl": "{}"}, {"processors", "ssl"}
    )
    assert parsed == {"processors": [], "ssl": {}}
    assert text == "processors: []\nssl: {}"  # the pattern takes the last line break too
    scalar, _ = compile_template("v:\n  {{v}}\n", {"v": "just text"}, {"v"})
    assert scalar == {"v": "just text"}

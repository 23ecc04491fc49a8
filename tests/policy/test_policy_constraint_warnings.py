"""`one_of_default: warn`: an item outside the default is accepted with a warning, not refused."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fleetpkg.errors import FleetpkgError
from fleetpkg.load import load_package
from fleetpkg.policy.render import render
from fleetpkg.policy.spec import load_stream
from fleetpkg.policy.varcheck import PolicyVars, problems, warnings
from fleetpkg.render import render as render_package
from fleetpkg.resolve import validate
from fleetpkg.writer import write

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "constrained"
STREAM_MANIFEST = Path("data_stream/events/manifest.yml")
STRICT = "one_of_default: true"


def _build(tmp: Path, mode: str) -> Path:
    source = tmp / "src"
    shutil.copytree(FIXTURE, source)
    path = source / STREAM_MANIFEST
    text = path.read_text(encoding="utf-8")
    assert STRICT in text
    path.write_text(text.replace(STRICT, f"one_of_default: {mode}"), encoding="utf-8")
    write(render_package(validate(load_package(source))), source / "package")
    return source / "package"


@pytest.fixture(scope="module")
def warn(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("warn"), "warn")


@pytest.fixture(scope="module")
def strict(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("strict"), "true")


def _check(package: Path, columns: list[object]) -> tuple[list[str], list[str]]:
    spec = load_stream(package, "events")
    given = PolicyVars({}, {"columns": columns})
    return problems(spec, given), warnings(spec, given)


def test_warn_accepts_an_unknown_item_and_says_so(warn: Path) -> None:
    assert _check(warn, ["alpha", "zeta"]) == (
        [],
        ["data_stream.vars.columns: 'zeta' is not one of the default values of 'Columns'"],
    )


def test_warn_keeps_the_hints(warn: Path) -> None:
    assert _check(warn, ["xenon"])[1] == [
        "data_stream.vars.columns: 'xenon' is not one of the default values of 'Columns'"
        " (ask for x columns with enable_x)"
    ]


def test_warn_renders_the_unknown_item(warn: Path) -> None:
    spec = load_stream(warn, "events")
    rendered = render(spec, PolicyVars({}, {"columns": ["alpha", "zeta"]}))
    assert "zeta" in str(rendered.stream)


def test_warn_leaves_the_other_rules_and_the_defaults_alone(warn: Path) -> None:
    assert _check(warn, ["alpha", "beta"]) == ([], [])
    assert _check(warn, ["alpha", "alpha"]) == (
        ["data_stream.vars.columns: 'alpha' is listed more than once"],
        [],
    )
    found, warned = _check(warn, ["zeta", 3])
    assert found == ["data_stream.vars.columns: item 2: must be a string, not 3"]
    assert warned == [
        "data_stream.vars.columns: 'zeta' is not one of the default values of 'Columns'"
    ]


def test_true_still_refuses_and_does_not_warn(strict: Path) -> None:
    assert _check(strict, ["alpha", "zeta"]) == (
        ["data_stream.vars.columns: 'zeta' is not one of the default values of 'Columns'"],
        [],
    )


def test_the_schema_refuses_other_modes(tmp_path: Path) -> None:
    with pytest.raises(FleetpkgError, match="'sometimes' is not one of True, False, 'warn'"):
        _build(tmp_path, "sometimes")

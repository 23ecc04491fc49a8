"""Var constraints: declared in the source, never built, applied by `fleetpkg policy`.

The fixture tests/fixtures/constrained uses every kind of constraint at every var level.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fleetpkg.errors import FleetpkgError
from fleetpkg.load import load_package
from fleetpkg.policy.render import render, request_body
from fleetpkg.policy.spec import load_stream
from fleetpkg.policy.varcheck import PolicyVars, problems
from fleetpkg.render import render as render_package
from fleetpkg.resolve import validate
from fleetpkg.writer import write

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "constrained"
STREAM_MANIFEST = Path("data_stream/events/manifest.yml")
PAGE_SIZE = "constraints: {min: 1, max: 500}"
RATIO = "constraints: {exclusive_min: 0, max: 1}"


def build(source: Path) -> Path:
    """Build the source into source/package (the build's default layout)."""
    write(render_package(validate(load_package(source))), source / "package")
    return source / "package"


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("constrained") / "src"
    shutil.copytree(FIXTURE, source)
    return build(source)


def found(package: Path, source: Path | None = None, **stream_vars: object) -> list[str]:
    given = {k: v for k, v in stream_vars.items() if k not in ("region", "timeout")}
    top = {k: v for k, v in stream_vars.items() if k in ("region", "timeout")}
    return problems(load_stream(package, "events", source=source), PolicyVars(top, given))


def test_constraints_stay_in_the_source(package: Path) -> None:
    for built in (package, ROOT / "package"):
        for manifest in [built / "manifest.yml", *built.glob("data_stream/*/manifest.yml")]:
            assert "constraints" not in manifest.read_text(encoding="utf-8"), manifest
    assert "constraints" in (FIXTURE / STREAM_MANIFEST).read_text(encoding="utf-8")


def test_defaults_meet_the_constraints(package: Path) -> None:
    spec = load_stream(package, "events")
    assert {key for key, _ in spec.constraints} == {
        ("package", "region"),
        ("input", "timeout"),
        ("stream", "page_size"),
        ("stream", "ratio"),
        ("stream", "columns"),
        ("stream", "api_token"),
    }
    assert found(package) == []


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ({"region": "eu-west-1"}, []),
        (
            {"region": "EU"},
            ["vars.region: 'EU' does not match ^[a-z]{2}-[a-z]+-[0-9]$ (like eu-west-1)"],
        ),
        ({"timeout": 299}, []),
        ({"timeout": 0}, ["vars.timeout: 0 must be above 0 and below 300"]),
        ({"timeout": 300}, ["vars.timeout: 300 must be above 0 and below 300"]),
        ({"page_size": 1}, []),
        ({"page_size": 500}, []),
        ({"page_size": 0}, ["data_stream.vars.page_size: 0 must be at least 1 and at most 500"]),
        (
            {"page_size": 501},
            ["data_stream.vars.page_size: 501 must be at least 1 and at most 500"],
        ),
        ({"page_size": "7"}, ["data_stream.vars.page_size: must be an integer, not '7'"]),
        ({"ratio": "1"}, []),
        ({"ratio": "0.25"}, []),
        ({"ratio": "0"}, ["data_stream.vars.ratio: '0' must be above 0 and at most 1"]),
        ({"ratio": "1.5"}, ["data_stream.vars.ratio: '1.5' must be above 0 and at most 1"]),
        ({"ratio": "half"}, ["data_stream.vars.ratio: 'half' is not a number"]),
        ({"columns": ["beta", "alpha"]}, []),
        (
            {"columns": ["alpha", "beta", "alpha", "alpha"]},
            ["data_stream.vars.columns: 'alpha' is listed more than once"],
        ),
        (
            {"columns": ["alpha", "zeta"]},
            ["data_stream.vars.columns: 'zeta' is not one of the default values of 'Columns'"],
        ),
        (
            {"columns": ["xenon", "xlong"]},
            [
                "data_stream.vars.columns: 'xenon' is not one of the default values of 'Columns'"
                " (ask for x columns with enable_x)",
                "data_stream.vars.columns: 'xlong' is not one of the default values of 'Columns'"
                " (ask for xl columns with enable_xl)",
            ],
        ),
        (
            {"columns": ["alpha", 3]},
            ["data_stream.vars.columns: item 2: must be a string, not 3"],
        ),
        ({"api_token": "tok-123"}, []),
        (
            {"api_token": "secret-abc"},
            ["data_stream.vars.api_token: the value does not match ^tok- (tokens start with tok-)"],
        ),
    ],
)
def test_each_kind_of_constraint(
    package: Path, given: dict[str, object], expected: list[str]
) -> None:
    assert found(package, **given) == expected


def test_an_explicit_source_and_no_source(package: Path, tmp_path: Path) -> None:
    alone = tmp_path / "alone"
    shutil.copytree(package, alone)  # no source beside it: no constraints
    assert load_stream(alone, "events").constraints == ()
    assert found(alone, page_size=0) == []
    assert found(alone, package.parent, page_size=0) != []
    other = tmp_path / "other"
    shutil.copytree(FIXTURE, other)
    manifest = other / "manifest.yml"
    manifest.write_text(manifest.read_text().replace("name: constrained", "name: other"))
    assert found(alone, other, page_size=0) == []  # the source of another package is not used


def test_a_broken_source_is_reported_with_positions(package: Path, tmp_path: Path) -> None:
    source = tmp_path / "src"
    shutil.copytree(FIXTURE, source)
    path = source / STREAM_MANIFEST
    path.write_text(path.read_text().replace(PAGE_SIZE, "constraints: {minimum: 1}"))
    with pytest.raises(FleetpkgError) as err:
        load_stream(package, "events", source=source)
    (problem,) = err.value.problems
    assert str(problem) == f"{source}/{STREAM_MANIFEST}:15:23: unknown key 'minimum'"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (PAGE_SIZE, "constraints: {min: 5, max: 1}", "no value is at least 5 and at most 1"),
        (RATIO, "constraints: {exclusive_min: 1, max: 1}", "no value is above 1 and at most 1"),
        (RATIO, "constraints: {pattern: '('}", "pattern '(' is not a regular expression"),
        (PAGE_SIZE, "constraints: {pattern: ^1}", "pattern needs a var with string values"),
        (PAGE_SIZE, "constraints: {hints: {a: b}}", "hints needs a var with string values"),
        (
            "pattern: ^tok-",
            "pattern: ^tok-\n          min: 1",
            "min needs a var of type 'integer' or 'text', not 'password'",
        ),
        (RATIO, "constraints: {one_of_default: true}", "one_of_default needs a multi var"),
        (RATIO, "constraints: {unique: true}", "unique needs a multi var"),
        (RATIO, "constraints: {pattern_message: digits}", "'pattern' is a dependency"),
        (RATIO, "constraints: {min: '1'}", "'1' is not of type 'number'"),
        (
            PAGE_SIZE,
            "constraints: {max: 50}",
            "the default does not meet its constraints: 100 must be at most",
        ),
        (
            "default: [alpha, beta, xray, xlarge_x]",
            "default: [alpha, beta, alpha]",
            "the default does not meet its constraints: 'alpha' is listed more than once",
        ),
        (RATIO, "constraints: {}", "should be non-empty"),
    ],
)
def test_constraints_that_cannot_hold_fail_the_build(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    source = tmp_path / "src"
    shutil.copytree(FIXTURE, source)
    path = source / STREAM_MANIFEST
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(FleetpkgError) as err:
        load_package(source)
    messages = [str(p) for p in err.value.problems]
    assert len(messages) == 1
    assert messages[0].startswith(f"{STREAM_MANIFEST}:")
    assert message in messages[0]


def test_the_default_policy_name_is_the_package_name(package: Path) -> None:
    spec = load_stream(package, "events")
    given = PolicyVars({}, {})
    assert render(spec, given).policy["inputs"][0]["name"] == "constrained-1"
    assert request_body(spec, given)["name"] == "constrained-1"
    assert request_body(spec, given, name="mine")["name"] == "mine"

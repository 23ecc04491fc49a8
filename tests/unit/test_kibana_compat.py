"""fleetpkg.kibana_compat: Kibana range vs format_version, and the features that force it up."""

from __future__ import annotations

from pathlib import Path

import pytest

from fleetpkg import kibana_compat as kc
from fleetpkg.load import load_package
from fleetpkg.render import render
from fleetpkg.resolve import validate


@pytest.fixture
def files(pkg: Path) -> dict[str, bytes]:
    return render(validate(load_package(pkg)))


def with_manifest(files: dict[str, bytes], fmt: str, kibana: str | None) -> dict[str, bytes]:
    text = files["manifest.yml"].decode()
    lines = []
    skip = False
    for line in text.splitlines():
        if line.startswith("format_version:"):
            line = f"format_version: {fmt}"
        if line.startswith("conditions:"):
            skip = True
            if kibana is not None:
                lines += ["conditions:", "  kibana:", f"    version: {kibana!r}"]
            continue
        if skip and line.startswith(" "):
            continue
        skip = False
        lines.append(line)
    return {**files, "manifest.yml": ("\n".join(lines) + "\n").encode()}


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("^8.19.0 || ^9.1.0", ">=8.19.0 <9.0.0 || >=9.1.0 <10.0.0"),
        ("^9.4.0", ">=9.4.0 <10.0.0"),
        (">=8.16.0", ">=8.16.0"),
        (">= 8.16.0 < 9.0.0 || 9.x", ">=8.16.0 <10.0.0"),
        ("~8.19.2", ">=8.19.2 <8.20.0"),
        ("8.15 - 8.17", ">=8.15.0 <8.18.0"),
        (">8.19.0 <=9.1", ">=8.19.1 <9.2.0"),
        ("9.1.2", ">=9.1.2 <9.1.3"),
        ("^0.2.3", ">=0.2.3 <0.3.0"),
        ("*", ">=0.0.0"),
        ("<8.0.0", "<8.0.0"),
        ("^8.0.0 ^9.0.0", "none"),
    ],
)
def test_parse_range(text: str, shown: str) -> None:
    assert kc.describe(kc.parse_range(text)) == shown


def test_parse_range_rejects_garbage() -> None:
    with pytest.raises(ValueError, match="not a version"):
        kc.parse_range("not-a-range")


@pytest.mark.parametrize(
    ("fmt", "shown"),
    [
        ((3, 0, 4), ">=0.0.0"),
        ((3, 3, 2), ">=8.16.0"),
        ((3, 4, 1), ">=8.19.0 <9.0.0 || >=9.1.0"),
        ((3, 5, 8), ">=9.2.0"),
        ((3, 6, 6), ">=9.4.0"),
        ((2, 2, 0), "<9.0.0"),
    ],
)
def test_support_table(fmt: kc.Version, shown: str) -> None:
    ranges = kc.support(fmt)
    assert ranges is not None
    assert kc.describe(ranges) == shown


def test_cloudflare_range_is_too_wide_for_3_6(files: dict[str, bytes]) -> None:
    """The issue's example: 3.6.x with ^8.19.0 || ^9.1.0 — Kibana 8.19–9.3 would refuse it."""
    found = kc.problems(with_manifest(files, "3.6.6", "^8.19.0 || ^9.1.0"))
    assert len(found) == 1
    problem = found[0]
    assert problem.location.path == "manifest.yml"
    assert problem.location.line > 0
    assert "admits Kibana >=8.19.0 <9.0.0 || >=9.1.0 <9.4.0" in problem.message
    assert "cannot install format_version 3.6.6" in problem.message
    # the fixture uses nothing above 3.0: it could say 3.0.x and keep its range
    assert "need format_version 3.0.0" in problem.message


@pytest.mark.parametrize(
    ("fmt", "kibana"),
    [("3.6.6", "^9.4.0"), ("3.4.1", "^8.19.0 || ^9.1.0"), ("3.0.4", "^8.0.0"), ("3.5.0", ">=9.2")],
)
def test_ranges_inside_support_pass(files: dict[str, bytes], fmt: str, kibana: str) -> None:
    assert kc.problems(with_manifest(files, fmt, kibana)) == []


def test_3_4_excludes_9_0(files: dict[str, bytes]) -> None:
    (problem,) = kc.problems(with_manifest(files, "3.4.2", "^8.19.0 || ^9.0.0"))
    assert "admits Kibana >=9.0.0 <9.1.0" in problem.message


def test_no_kibana_condition_admits_everything(files: dict[str, bytes]) -> None:
    (problem,) = kc.problems(with_manifest(files, "3.6.6", None))
    assert "(none: every version) admits Kibana <9.4.0" in problem.message
    assert problem.location.path == "manifest.yml"


def test_bad_range_is_reported(files: dict[str, bytes]) -> None:
    (problem,) = kc.problems(with_manifest(files, "3.6.6", "nine"))
    assert "conditions.kibana.version 'nine'" in problem.message


def test_duration_var_forces_3_5(files: dict[str, bytes]) -> None:
    rel = "data_stream/events/manifest.yml"
    text = files[rel].decode()
    changed = dict(files)
    changed[rel] = text.replace(
        "    vars:\n",
        "    vars:\n      - name: every\n        type: duration\n"
        "        title: Every\n        min_duration: 1s\n",
        1,
    ).encode()
    assert changed[rel] != files[rel], "the fixture's stream has vars"
    needed, forcing = kc.required_format_version(changed)
    assert needed == (3, 5, 0)
    whats = [f.what for f in forcing]
    assert "var type duration (var every)" in whats
    assert "min_duration (var every)" in whats
    assert all(f.location.path == rel and f.location.line > 0 for f in forcing)
    found = [str(p) for p in kc.problems(with_manifest(changed, "3.4.2", "^9.0.0"))]
    assert any("var type duration (var every) needs format_version 3.5.0" in p for p in found)
    (kibana,) = [p for p in found if "conditions.kibana.version" in p]
    assert "need format_version 3.5.0" in kibana
    assert "which Kibana >=9.2.0 supports" in kibana


def test_feature_tables_cite_changelog_versions(repo_root: Path) -> None:
    """Every version the tables name is a released version of package-spec's changelog."""
    changelog = repo_root.parent / "shared" / "package-spec" / "spec" / "changelog.yml"
    if not changelog.is_file():
        pytest.skip("../shared/package-spec not present")
    import yaml

    released = {str(v["version"]) for v in yaml.safe_load(changelog.read_text())}
    versions = [v for _, v, _ in kc.MANIFEST_KEYS + kc.STREAM_KEYS + kc.FILES]
    versions += [v for v, _ in kc.VAR_KEYS.values()]
    versions += [*kc.VAR_TYPES.values(), *kc.FIELD_TYPES.values(), *kc.CATEGORIES.values()]
    versions += [*kc.FIELD_KEYS.values(), *kc.PROCESSORS.values()]
    missing = sorted({kc.show(v) for v in versions} - released)
    assert missing == []


def test_repository_package(repo_root: Path) -> None:
    """The Cloudflare package needs 3.5 (duration vars); today's 3.6.6 with ^8.19.0 || ^9.1.0
    is reported, and a matching pair would pass."""
    built = render(validate(load_package(repo_root)))
    needed, forcing = kc.required_format_version(built)
    assert needed == (3, 5, 0)
    assert any(f.what.startswith("var type duration") for f in forcing)
    assert kc.problems(with_manifest(built, "3.5.8", "^9.2.0")) == []
    assert kc.problems(with_manifest(built, "3.6.6", "^9.4.0")) == []
    assert kc.problems(with_manifest(built, "3.6.6", "^8.19.0 || ^9.1.0")) != []

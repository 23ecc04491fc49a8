"""fleetpkg against elastic-package (docs/fleetpkg/elastic-package.md).

- docs rendering: docs/README.md is byte for byte what elastic-package renders from
  `_dev/build/docs/README.md` (internal/docs: exported_fields.go, sample_event.go, readme.go);
- disagreements of `fleetpkg check` with `elastic-package lint`, each a small package and the
  problem elastic-package reports: an xfail (strict) marks a rule fleetpkg/check.py lacks, so
  the test turns red the day the rule lands and the mark must go;
- with the pinned binary in .cache/bin (scripts/elastic_package_check.sh installs it), the same
  packages go through the real `elastic-package lint`.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from fleetpkg.check import check_built
from fleetpkg.ecs import load_ecs
from fleetpkg.fields import FieldDoc, field_docs
from fleetpkg.load import load_package
from fleetpkg.model import Package
from fleetpkg.render import markdown_cell, render, render_docs
from fleetpkg.resolve import validate

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".cache" / "bin" / "elastic-package"
GO_MOD = ROOT / "scripts" / "elastic-package" / "go.mod"


@pytest.fixture
def source(pkg: Path) -> Package:
    return validate(load_package(pkg))


# --- docs rendering, the rules of elastic-package's internal/docs -----------------------------


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        ("a | b", "a | b"),  # `|` is not escaped by elastic-package
        ("*bold* {x} <y>", "\\*bold\\* \\{x\\} \\<y\\>"),
        ("one\ntwo", "one two"),
        ("ends.  Next\n\nand  more", "ends.  Next  and  more"),  # inner spaces stay
        ("  padded \n", "padded"),
    ],
)
def test_markdown_cell(text: str, cell: str) -> None:
    assert markdown_cell(text) == cell


def test_fields_snippet_ends_with_a_newline(source: Package) -> None:
    rendered = render_docs(source, 'A\n{{fields "events"}}\nB\n', load_ecs()).decode()
    _table, after = rendered.split("|\n\nB")
    assert after == "\n"
    assert rendered.startswith("A\n**Exported fields**\n\n| Field | Description | Type |")


def test_event_snippet_ends_with_the_fence(source: Package) -> None:
    rendered = render_docs(source, '{{event "events"}}\nB', load_ecs()).decode()
    assert rendered.startswith("An example event for `events` looks as following:\n\n```json\n{")
    assert rendered.endswith("}\n```\nB")  # no newline added at the end either


def test_text_around_markers_is_kept(source: Package) -> None:
    assert render_docs(source, "# T\n\n\n", load_ecs()) == b"# T\n\n\n"


def test_event_title_strips_folder_suffixes() -> None:
    from fleetpkg.render import _data_stream_title

    assert _data_stream_title("cpu_metrics") == "cpu"
    assert _data_stream_title("audit_logs") == "audit"


def test_rows_sorted_and_unique(source: Package) -> None:
    rows = field_docs(source.manifest.name, source.data_streams[0], load_ecs())
    names = [r.name for r in rows]
    assert names == sorted(set(names), key=lambda n: n.encode())
    assert all(isinstance(r, FieldDoc) for r in rows)


def test_multi_field_rows_quote_like_go() -> None:
    from fleetpkg.fields import _go_quote

    assert _go_quote("user.name") == "`user.name`"
    assert _go_quote("odd`name") == '"odd`name"'


def test_with_dev_build_has_the_docs_template(source: Package) -> None:
    files = render(source, dev=True)
    assert files["_dev/build/docs/README.md"] == dict(source.docs)["README.md"].encode()
    assert "_dev/build/docs/README.md" not in render(source)


# --- disagreements: the source, where `fleetpkg check` accepts what elastic-package rejects ---

# (id, file of tests/fixtures/minimal, old, new, elastic-package's message, fix fleetpkg needs)
SOURCE_DISAGREEMENTS = [
    (
        "unknown-category",
        "manifest.yml",
        "  - custom\n",
        "  - nonsense\n",
        r"field categories\.0: categories\.0 must be one of the following",
        "check: categories (package and policy templates) must be in package-spec's list "
        "(integration/manifest.spec.yml, categories enum)",
    ),
]


@pytest.mark.parametrize(
    ("rel", "old", "new"),
    [
        pytest.param(rel, old, new, id=case, marks=pytest.mark.xfail(strict=True, reason=fix))
        for case, rel, old, new, _, fix in SOURCE_DISAGREEMENTS
    ],
)
def test_source_check_agrees_with_elastic_package(
    pkg: Path,
    edit: Callable[[str, str, str], None],
    cli: Callable[..., tuple[int, str, str]],
    rel: str,
    old: str,
    new: str,
) -> None:
    edit(rel, old, new)
    code, out, _ = cli("check", "--source", str(pkg))
    assert code == 1
    assert rel in out


@pytest.mark.parametrize(
    ("case", "rel", "old", "new", "message"), [d[:5] for d in SOURCE_DISAGREEMENTS]
)
def test_elastic_package_rejects_the_source(
    pkg: Path,
    edit: Callable[[str, str, str], None],
    tmp_path: Path,
    case: str,
    rel: str,
    old: str,
    new: str,
    message: str,
) -> None:
    edit(rel, old, new)
    result = _lint(render(validate(load_package(pkg)), dev=True), tmp_path)
    assert result.returncode != 0, case
    assert re.search(message, result.stdout + result.stderr), result.stdout + result.stderr


# --- disagreements: the built package, mutated as elastic-package would reject it -------------
# The source validation of `fleetpkg check` rejects the source that would produce each of these;
# check_built (its rules on the rendered package) does not, so a render bug would go unseen.

# (id, file, old, new, elastic-package's message (regex), fix needed in fleetpkg/check.py)
DISAGREEMENTS = [
    (
        "owner-type-required",
        "manifest.yml",
        "  type: community\n",
        "",
        r"field owner: type is required",
        "check_built: owner.type is required from format 3.0.0 (spec: integration/manifest)",
    ),
    (
        "unknown-processor",
        "data_stream/events/elasticsearch/ingest_pipeline/default.yml",
        "  - set:",
        "  - sett:",
        r"field processors\.0: Additional property sett is not allowed",
        "check_built: a processor of the built pipeline must be one package-spec knows",
    ),
    (
        "data-stream-type",
        "data_stream/events/manifest.yml",
        "type: logs",
        "type: logz",
        r'field type: type must be one of the following: "metrics", "logs"',
        "check_built: data stream type in metrics, logs, synthetics, traces, profiles",
    ),
    (
        "handlebars-unclosed-block",
        "data_stream/events/agent/stream/log.yml.hbs",
        "\n",
        "\n{{#if foo}}\n",
        r"invalid handlebars template: .*log\.yml\.hbs",
        "check_built: parse every agent/stream/*.hbs with Handlebars' grammar (issue 13 part 3)",
    ),
]


def _mutate(files: dict[str, bytes], rel: str, old: str, new: str) -> dict[str, bytes]:
    text = files[rel].decode()
    assert old in text, f"{old!r} not in {rel}"
    return {**files, rel: text.replace(old, new, 1).encode()}


def _cases() -> list[object]:
    return [
        pytest.param(
            rel, old, new, msg, id=case, marks=pytest.mark.xfail(strict=True, reason=f"{fix}")
        )
        for case, rel, old, new, msg, fix in DISAGREEMENTS
    ]


@pytest.mark.parametrize(("rel", "old", "new", "message"), _cases())
def test_check_agrees_with_elastic_package(
    source: Package, rel: str, old: str, new: str, message: str
) -> None:
    files = _mutate(render(source), rel, old, new)
    found = [str(p) for p in check_built(files)]
    assert any(rel in p for p in found), found


def test_check_accepts_the_unmutated_fixture(source: Package) -> None:
    assert check_built(render(source)) == []


# --- the real elastic-package, when scripts/elastic_package_check.sh has installed it -------


def _pinned() -> str:
    match = re.search(r"github\.com/elastic/elastic-package (v\S+)", GO_MOD.read_text())
    assert match, "scripts/elastic-package/go.mod pins elastic-package"
    return match[1]


def _binary_version() -> str | None:
    if not BIN.is_file() or shutil.which("go") is None:
        return None
    out = subprocess.run(
        ["go", "version", "-m", str(BIN)], capture_output=True, text=True, check=False
    ).stdout
    match = re.search(r"^\s*mod\s+github\.com/elastic/elastic-package\s+(\S+)", out, re.M)
    return match[1] if match else None


def _lint(files: dict[str, bytes], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    if _binary_version() != _pinned():
        pytest.skip("elastic-package not installed in .cache/bin (make elastic-package-judge)")
    repo = tmp_path / "repo"
    for rel, data in files.items():
        target = repo / "package" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    home = ROOT / ".cache" / "elastic-package-home"
    env = dict(
        os.environ,
        HOME=str(home),
        ELASTIC_PACKAGE_DATA_HOME=str(home / ".elastic-package"),
        ELASTIC_PACKAGE_CHECK_UPDATE_DISABLED="true",
    )
    return subprocess.run(
        [str(BIN), "lint"],
        cwd=repo / "package",
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_elastic_package_lints_the_fixture(source: Package, tmp_path: Path) -> None:
    result = _lint(render(source, dev=True), tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_elastic_package_sees_a_docs_difference(source: Package, tmp_path: Path) -> None:
    files = render(source, dev=True)
    files["docs/README.md"] += b"\n"
    result = _lint(files, tmp_path)
    assert result.returncode != 0
    assert "files do not match" in result.stdout + result.stderr


@pytest.mark.parametrize(("case", "rel", "old", "new", "message"), [d[:5] for d in DISAGREEMENTS])
def test_elastic_package_rejects(
    source: Package, tmp_path: Path, case: str, rel: str, old: str, new: str, message: str
) -> None:
    result = _lint(_mutate(render(source, dev=True), rel, old, new), tmp_path)
    assert result.returncode != 0, case
    assert re.search(message, result.stdout + result.stderr), result.stdout + result.stderr


def _with_format(files: dict[str, bytes], version: str) -> dict[str, bytes]:
    text = re.sub(
        r"(?m)^format_version: .*$", f"format_version: {version}", files["manifest.yml"].decode()
    )
    return {**files, "manifest.yml": text.encode()}


def test_lowest_format_version_agrees_with_elastic_package(tmp_path: Path) -> None:
    """kibana_compat's lowest format version for the Cloudflare package lints; the minor below
    it does not, with one error per feature kibana_compat names."""
    from fleetpkg import kibana_compat

    files = render(validate(load_package(ROOT)), dev=True)
    needed, _ = kibana_compat.required_format_version(files)
    ok = _lint(_with_format(files, kibana_compat.show(needed)), tmp_path / "ok")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert needed[1] > 0, needed
    below = (needed[0], needed[1] - 1, 0)
    bad = _lint(_with_format(files, kibana_compat.show(below)), tmp_path / "below")
    assert bad.returncode != 0
    match = re.search(r"found (\d+) validation errors", bad.stdout + bad.stderr)
    assert match, bad.stdout + bad.stderr
    assert int(match[1]) == len([f for f in kibana_compat.features(files) if f.version > below])

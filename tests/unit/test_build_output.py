"""Building: layout, reproducibility, the zip, --check, and the package-spec checker."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

CHECKER = Path(__file__).resolve().parents[3] / "shared" / "package-spec" / "pkgspec_check.py"


def build(cli, pkg: Path, out: Path) -> None:
    code, _, err = cli(
        "build", "--source", str(pkg), "--out", str(out), "--zip-dir", str(out.parent / "zips")
    )
    assert (code, err) == (0, "")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_layout(pkg: Path, tmp_path: Path, cli) -> None:
    out = tmp_path / "out"
    build(cli, pkg, out)
    assert sorted(snapshot(out)) == [
        "changelog.yml",
        "data_stream/events/agent/stream/log.yml.hbs",
        "data_stream/events/elasticsearch/ingest_pipeline/default.yml",
        "data_stream/events/fields/base-fields.yml",
        "data_stream/events/fields/ecs.yml",
        "data_stream/events/fields/fields.yml",
        "data_stream/events/manifest.yml",
        "data_stream/events/sample_event.json",
        "docs/README.md",
        "img/logo.svg",
        "manifest.yml",
    ]


def test_second_build_changes_no_byte(pkg: Path, tmp_path: Path, cli) -> None:
    first, second = tmp_path / "a" / "out", tmp_path / "b" / "out"
    build(cli, pkg, first)
    build(cli, pkg, second)
    assert snapshot(first) == snapshot(second)
    zip_a = (tmp_path / "a" / "zips" / "sample-1.2.0.zip").read_bytes()
    zip_b = (tmp_path / "b" / "zips" / "sample-1.2.0.zip").read_bytes()
    assert zip_a == zip_b
    code, out, _ = cli("build", "--source", str(pkg), "--out", str(first), "--no-zip")
    assert code == 0
    assert "0 changed" in out


def test_zip_layout_for_kibana(pkg: Path, tmp_path: Path, cli) -> None:
    build(cli, pkg, tmp_path / "out")
    with zipfile.ZipFile(tmp_path / "zips" / "sample-1.2.0.zip") as archive:
        names = archive.namelist()
        infos = archive.infolist()
        manifest = archive.read("sample-1.2.0/manifest.yml")
    assert names[0] == "sample-1.2.0/"
    assert all(n.startswith("sample-1.2.0/") for n in names)
    assert "sample-1.2.0/data_stream/events/" in names
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert manifest == (tmp_path / "out" / "manifest.yml").read_bytes()


def test_check_names_stale_files(pkg: Path, tmp_path: Path, cli) -> None:
    out = tmp_path / "out"
    build(cli, pkg, out)
    assert cli("build", "--source", str(pkg), "--out", str(out), "--check")[0] == 0
    (out / "docs" / "README.md").write_text("edited by hand\n")
    (out / "extra.txt").write_text("not generated\n")
    (pkg / "data_stream/events/fields.yml").write_text(
        (pkg / "data_stream/events/fields.yml").read_text().replace("Who did it.", "Who.")
    )
    code, _, err = cli("build", "--source", str(pkg), "--out", str(out), "--check")
    assert code == 1
    stale = [line.split(":")[0] for line in err.splitlines()[:-1]]
    assert [Path(s).relative_to(out).as_posix() for s in stale] == [
        "data_stream/events/fields/fields.yml",
        "docs/README.md",
        "extra.txt",
    ]
    assert err.splitlines()[-1].startswith("3 stale file(s) in ")


def test_build_removes_files_no_longer_generated(pkg: Path, tmp_path: Path, cli) -> None:
    out = tmp_path / "out"
    build(cli, pkg, out)
    (out / "old" / "dir").mkdir(parents=True)
    (out / "old" / "dir" / "x.yml").write_text("x: 1\n")
    build(cli, pkg, out)
    assert not (out / "old").exists()


def test_out_must_differ_from_source(pkg: Path, cli) -> None:
    code, _, err = cli("build", "--source", str(pkg), "--out", str(pkg))
    assert code == 1
    assert "--out must not be the source directory" in err


@pytest.mark.skipif(
    not CHECKER.is_file(),
    reason=f"the shared package-spec checker is not beside this clone ({CHECKER}); "
    ".ci/run runs it when ../shared exists",
)
def test_built_fixture_passes_package_spec(pkg: Path, tmp_path: Path, cli) -> None:
    out = tmp_path / "out"
    build(cli, pkg, out)
    result = subprocess.run(
        [sys.executable, str(CHECKER), str(out), "--mode", "build"], capture_output=True, text=True
    )
    assert result.stdout.strip() == "0 problems", result.stdout + result.stderr


def test_manifest_rendering(pkg: Path, tmp_path: Path, cli) -> None:
    out = tmp_path / "out"
    build(cli, pkg, out)
    manifest = yaml.safe_load((out / "manifest.yml").read_text())
    assert manifest["format_version"] == "3.6.6"
    assert manifest["conditions"] == {"kibana": {"version": "^8.19.0 || ^9.1.0"}}
    assert manifest["icons"] == [
        {"src": "/img/logo.svg", "title": "Sample logo", "size": "32x32", "type": "image/svg+xml"}
    ]
    assert manifest["policy_templates"][0]["data_streams"] == ["events"]
    assert manifest["owner"] == {"github": "fleetpkg/tests", "type": "community"}


def test_docs_markers_expanded(pkg: Path, tmp_path: Path, cli) -> None:
    out = tmp_path / "out"
    build(cli, pkg, out)
    readme = (out / "docs" / "README.md").read_text()
    assert '{{fields "events"}}' not in readme
    assert "| Field | Description | Type | Unit | Metric Type |\n|---|---|---|---|---|\n" in readme
    assert "| sample.events.size | Size of the thing. | long | byte | gauge |\n" in readme
    assert "| user.name.text | Multi-field of `user.name`. | match_only_text |  |  |\n" in readme
    assert "An example event for `events` looks as following:\n\n```json\n{\n    " in readme


def test_secrets_are_not_rendered_into_docs(pkg: Path, tmp_path: Path, cli) -> None:
    out = tmp_path / "out"
    build(cli, pkg, out)
    assert "api_token" not in (out / "docs" / "README.md").read_text()


def test_bad_argument_is_a_usage_error(cli) -> None:
    with pytest.raises(SystemExit) as exc:
        cli("build", "--nope")
    assert exc.value.code == 2


def test_repository_package_is_up_to_date(repo_root: Path, cli) -> None:
    code, _, err = cli("build", "--source", str(repo_root), "--check")
    assert (code, err) == (0, "")

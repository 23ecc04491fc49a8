"""The build side of the pipeline tests: _dev copied only on request, kept out of package/ and
the zip, and sample events produced by running a test event through the built pipeline."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import yaml

from fleetpkg.cli import main
from fleetpkg.load import load_package
from fleetpkg.render import render
from fleetpkg.resolve import validate

ROOT = Path(__file__).resolve().parents[2]


def test_dev_only_with_the_option(built: Path, tmp_path: Path) -> None:
    package = validate(load_package(ROOT))
    plain = render(package)
    with_dev = render(package, None, True)
    dev = sorted(set(with_dev) - set(plain))
    assert dev, "the test build has the _dev files"
    assert all(
        rel.startswith(("_dev/deploy/", "_dev/build/docs/"))
        or (rel.startswith("data_stream/") and rel.split("/")[2] == "_dev")
        for rel in dev
    )
    assert "_dev/deploy/docker/docker-compose.yml" in dev
    # the docs template elastic-package renders (docs/fleetpkg/elastic-package.md)
    assert with_dev["_dev/build/docs/README.md"] == (ROOT / "docs" / "README.md").read_bytes()
    assert any("/_dev/test/pipeline/" in rel for rel in dev)
    assert not any("_dev" in rel for rel in plain)
    source = ROOT / "data_stream" / "audit" / "_dev" / "test" / "pipeline" / "test-audit-v1.log"
    rel = "data_stream/audit/_dev/test/pipeline/test-audit-v1.log"
    assert with_dev[rel] == source.read_bytes() == (built / rel).read_bytes()
    assert not (ROOT / "package" / "data_stream" / "audit" / "_dev").exists()


def test_zip_leaves_out_dev(tmp_path: Path) -> None:
    out, zips = tmp_path / "out", tmp_path / "zips"
    code = main(
        ["build", "--source", str(ROOT), "--out", str(out), "--zip-dir", str(zips), "--with-dev"]
    )
    assert code == 0
    assert (out / "data_stream" / "logpull" / "_dev" / "test" / "pipeline").is_dir()
    (archive,) = zips.glob("*.zip")
    names = zipfile.ZipFile(archive).namelist()
    assert any(n.endswith("/data_stream/logpull/sample_event.json") for n in names)
    assert not [n for n in names if "/_dev/" in n]


def test_sample_events_are_pipeline_output_of_the_named_test_event() -> None:
    for ds in ("audit", "logpull"):
        config = yaml.safe_load((ROOT / "data_stream" / ds / "pipeline.yml").read_text())
        case, number = config["sample_event"]["case"], config["sample_event"].get("event", 1)
        folder = ROOT / "data_stream" / ds / "_dev" / "test" / "pipeline"
        golden = json.loads((folder / f"{case}-expected.json").read_text())["expected"]
        sample = json.loads(
            (ROOT / "package" / "data_stream" / ds / "sample_event.json").read_text()
        )
        assert sample == golden[number - 1]
        assert not (ROOT / "data_stream" / ds / "sample_event.json").exists()
        readme = (ROOT / "package" / "docs" / "README.md").read_text(encoding="utf-8")
        block = json.dumps(sample, indent=4, sort_keys=True, ensure_ascii=False)
        assert f"An example event for `{ds}` looks as following:\n\n```json\n{block}\n```" in readme

"""The ``fleetpkg test pipeline`` command, through the command line."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from fleetpkg.cli import main


def _run(*argv: str) -> int:
    return main(list(argv))


def test_passing_package_exits_zero(fixtures: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run("test", "pipeline", "--package", str(fixtures / "good")) == 0
    out = capsys.readouterr().out
    assert "OK: 5 test case(s): 4 pass, 1 skip" in out


def test_failing_package_exits_one(fixtures: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = _run(
        "test", "pipeline", "--package", str(fixtures / "broken"), "--data-stream", "gap,failing"
    )
    assert code == 1
    assert "FAILED: 3 test case(s): 1 pass, 1 fail, 1 unsupported" in capsys.readouterr().out


def test_json_report_to_file(fixtures: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    args = ["test", "pipeline", "--package", str(fixtures / "good"), "--report-format", "json"]
    code = _run(*args, "--coverage", "--jobs", "2", "--report-output", str(out))
    assert code == 0
    data = json.loads(out.read_text())
    assert data["coverage"]["processors_covered"] == 22


def test_xunit_to_stdout(fixtures: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--package", str(fixtures / "good"), "--data-stream", "metrics"]
    assert _run("test", "pipeline", *args, "--report-format", "xunit") == 0
    assert '<testcase name="pipeline test: test-metrics.json"' in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv",
    [
        ["test"],
        ["test", "pipeline", "--report-format", "yaml"],
        ["test", "pipeline", "--jobs", "0"],
        ["test", "pipeline", "--jobs", "x"],
        ["test", "pipeline", "--bogus"],
    ],
)
def test_bad_arguments_exit_two(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        _run(*argv)
    assert info.value.code == 2
    assert "usage:" in capsys.readouterr().err


def test_package_errors_are_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run("test", "pipeline", "--package", str(tmp_path)) == 1
    assert "not a package" in capsys.readouterr().err


def test_generate_flag(copy_package, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    root = copy_package("good")
    target = root / "data_stream/metrics/_dev/test/pipeline/test-metrics.json-expected.json"
    golden = target.read_text()
    target.unlink()
    assert _run("test", "pipeline", "--package", str(root), "-g", "--data-stream", "metrics") == 0
    assert target.read_text() == golden
    assert "pass (generated)" in capsys.readouterr().out


def test_case_filter(fixtures: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--package", str(fixtures / "good"), "--case", "test-multi*", "--case", "*.json"]
    assert _run("test", "pipeline", *args) == 0
    out = capsys.readouterr().out
    assert "OK: 3 test case(s): 3 pass" in out
    assert "test-access.log" not in out


def test_cobertura_coverage_file(fixtures: Path, tmp_path: Path) -> None:
    out = tmp_path / "cov.xml"
    args = ["--package", str(fixtures / "broken"), "--data-stream", "web"]
    _run("test", "pipeline", *args, "--coverage-format", "cobertura", "--coverage-output", str(out))
    text = out.read_text()
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE coverage SYSTEM')
    root = ET.fromstring(text.split("\n", 2)[2])
    package = root.find("packages/package")
    assert package is not None
    assert package.attrib["name"] == "broken.web"
    (klass,) = package.findall("classes/class")
    assert klass.attrib["filename"] == "data_stream/web/elasticsearch/ingest_pipeline/default.yml"
    never = klass.find("methods/method[@name='set:never_runs']/lines/line")
    assert never is not None
    assert never.attrib == {"number": "35", "hits": "0"}
    assert int(root.attrib["lines-covered"]) == int(root.attrib["lines-valid"]) - 1


def test_generic_coverage_file(fixtures: Path, tmp_path: Path) -> None:
    out = tmp_path / "generic.xml"
    args = ["--package", str(fixtures / "good"), "--data-stream", "metrics"]
    assert (
        _run(
            "test", "pipeline", *args, "--coverage-format", "generic", "--coverage-output", str(out)
        )
        == 0
    )
    root = ET.fromstring(out.read_text().split("\n", 1)[1])
    (file,) = root.findall("file")
    assert file.attrib["path"] == "data_stream/metrics/elasticsearch/ingest_pipeline/default.json"
    lines = [(e.attrib["lineNumber"], e.attrib["covered"]) for e in file.findall("lineToCover")]
    assert lines == [(str(n), "true") for n in range(4, 10)]


def test_runner_takes_another_backend(fixtures: Path) -> None:
    from fleetpkg.testing import CoverageData, SimulateRequest
    from fleetpkg.testing.report import render
    from fleetpkg.testing.runner import run_package

    class Fake:
        def simulate(self, request: SimulateRequest, pipelines: object) -> dict[str, object]:
            return {"docs": [None for _ in request.docs]}

        def coverage(self) -> CoverageData | None:
            return None

    result = run_package(fixtures / "good", None, Fake)
    assert not result.ok  # every document "dropped" by the fake backend
    assert "Expected results are different" in render(result, "human")
    assert run_package(fixtures / "good").ok


def test_fail_on_missing(fixtures: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run("test", "pipeline", "--package", str(fixtures / "good")) == 0
    out = capsys.readouterr().out
    assert "data streams with ingest pipelines but no pipeline tests: untested" in out
    assert _run("test", "pipeline", "--package", str(fixtures / "good"), "--fail-on-missing") == 1
    out = capsys.readouterr().out
    assert "no pipeline test cases in data_stream/untested/_dev/test/pipeline" in out

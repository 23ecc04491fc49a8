"""Human, JSON and xUnit reports."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

from fleetpkg.testing import RunOptions, run_package
from fleetpkg.testing.report import as_json, human, render, summary, xunit


def test_human_report_has_table_details_and_summary(fixtures: Path) -> None:
    result = run_package(fixtures / "broken", RunOptions(data_streams=("web", "gap")))
    text = human(result)
    lines = text.splitlines()
    assert lines[0] == "--- pipeline tests for package broken ---"
    assert lines[1].split() == ["data", "stream", "test", "case", "events", "status", "time"]
    assert any(line.split()[:4] == ["gap", "test-gap.json", "1", "unsupported"] for line in lines)
    assert "  Expected results are different from actual ones" in lines
    streams = [line.split() for line in lines if line.startswith(("gap ", "web "))]
    assert ["gap", "1", "0", "0", "1", "0", "0"] in [row[:7] for row in streams]
    assert ["web", "6", "0", "6", "0", "0", "0"] in [row[:7] for row in streams]
    assert "    --- want" in lines
    assert lines[-1] == summary(result)
    assert summary(result) == "FAILED: 7 test case(s): 6 fail, 1 unsupported"


def test_human_report_with_coverage(fixtures: Path) -> None:
    text = human(run_package(fixtures / "good", RunOptions(coverage=True)))
    assert "coverage:" in text
    assert "total: 22/22 processors (100.0%)" in text
    assert text.rstrip().endswith("OK: 5 test case(s): 4 pass, 1 skip")


def test_json_report(fixtures: Path) -> None:
    result = run_package(fixtures / "good", RunOptions(coverage=True))
    data = json.loads(render(result, "json"))
    assert data == json.loads(json.dumps(as_json(result)))
    assert data["ok"] is True
    assert data["summary"] == {"pass": 4, "fail": 0, "unsupported": 0, "error": 0, "skip": 1}
    access = data["data_streams"][0]
    assert access["name"] == "access"
    assert [c["status"] for c in access["cases"]] == ["pass", "pass", "pass", "skip"]
    assert access["cases"][3]["skip"]["link"] == "https://github.com/elastic/integrations/issues/1"
    cov = data["coverage"]
    assert cov["percent"] == 100.0
    first = cov["pipelines"][0]["processors"][0]
    assert first["type"] == "drop"
    assert first["line"] == 4
    assert first["if"]["true"] == 1
    assert first["if"]["false"] >= 1


def test_json_report_failures(fixtures: Path) -> None:
    data = as_json(run_package(fixtures / "broken", RunOptions(data_streams=("web",))))
    assert data["ok"] is False
    cases = {c["name"]: c for c in data["data_streams"][0]["cases"]}
    assert cases["test-diff.log"]["diff"].startswith("--- want")
    assert cases["test-error.json"]["details"] == [
        "test-error.json[0]: unexpected pipeline error: asked to fail"
    ]


def test_xunit_report(fixtures: Path) -> None:
    result = run_package(fixtures / "broken", RunOptions(data_streams=("web", "gap")))
    text = xunit(result)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    root = ET.fromstring(text.split("\n", 1)[1])
    suite = root.find("testsuite")
    assert suite is not None
    assert suite.attrib["name"] == "pipeline"
    assert (suite.attrib["tests"], suite.attrib["failures"], suite.attrib["errors"]) == (
        "7",
        "6",
        "1",
    )
    by_name = {c.attrib["name"]: c for c in suite.findall("testcase")}
    gap = by_name["pipeline test: test-gap.json"]
    assert gap.attrib["classname"] == "broken.gap"
    error = gap.find("error")
    assert error is not None
    assert error.attrib["type"] == "unsupported"
    failure = by_name["pipeline test: test-diff.log"].find("failure")
    assert failure is not None
    assert failure.attrib["message"] == "Expected results are different from actual ones"
    assert failure.text is not None
    assert "--- want" in failure.text


def test_xunit_skipped(fixtures: Path) -> None:
    root = ET.fromstring(xunit(run_package(fixtures / "good")).split("\n", 1)[1])
    skipped = root.findall(".//skipped")
    assert len(skipped) == 1
    assert skipped[0].attrib["message"].startswith("shows that skip works")


def test_warnings_in_all_formats(fixtures: Path) -> None:
    result = run_package(fixtures / "broken", RunOptions(data_streams=("failing",)))
    root = ET.fromstring(xunit(result).split("\n", 1)[1])
    out = root.find(".//testcase[@name='pipeline test: test-fail-null.json']/system-out")
    assert out is not None
    assert out.text is not None
    assert "recorded as null" in out.text
    cases = {c["name"]: c for c in as_json(result)["data_streams"][0]["cases"]}
    assert cases["test-fail-null.json"]["status"] == "pass"
    assert len(cases["test-fail-null.json"]["warnings"]) == 1
    assert "  warning: test-fail-null.json[0]: pipeline error" in human(result)


def test_processor_coverage_table(fixtures: Path) -> None:
    result = run_package(fixtures / "broken", RunOptions(data_streams=("web",), coverage=True))
    assert result.coverage is not None
    rows = [line.split() for line in result.coverage.processor_table().splitlines()[2:]]
    never = next(r for r in rows if "never_runs" in r)
    assert never == [
        "data_stream/web/elasticsearch/ingest_pipeline/default.yml:35",
        "set",
        "never_runs",
        "processor",
        "0",
        "0",
        "7",
    ]
    assert result.coverage.processor_table() in human(result)

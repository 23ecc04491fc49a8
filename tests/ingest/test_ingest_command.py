"""``fleetpkg simulate`` and ``fleetpkg benchmark pipeline`` from the command line."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from fleetpkg.cli import main

REPO = Path(__file__).resolve().parents[2]


def _simulate(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], stdin: str, *args: str
) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    rc = main(["simulate", *args])
    out, err = capsys.readouterr()
    return rc, out, err


def test_simulate_prints_es_response(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    body = {
        "pipeline": {"processors": [{"set": {"field": "a", "value": "{{b}}"}}]},
        "docs": [{"_source": {"b": "x"}}],
    }
    rc, out, _ = _simulate(monkeypatch, capsys, json.dumps(body))
    assert rc == 0
    assert json.loads(out)["docs"][0]["doc"]["_source"] == {"b": "x", "a": "x"}


def test_simulate_verbose_and_named_pipelines(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    pipelines = tmp_path / "p.yml"
    pipelines.write_text("inner:\n  processors:\n    - set: {field: in, value: 1}\n")
    body = {
        "pipeline": {"processors": [{"pipeline": {"name": "inner"}}]},
        "docs": [{"_source": {}}],
    }
    rc, out, _ = _simulate(
        monkeypatch, capsys, json.dumps(body), "--verbose", "--pipelines", str(pipelines)
    )
    assert rc == 0
    results = json.loads(out)["docs"][0]["processor_results"]
    assert [r["processor_type"] for r in results] == ["pipeline", "set"]


def test_simulate_request_error_is_es_shaped(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    rc, out, _ = _simulate(monkeypatch, capsys, json.dumps({"docs": [{"_source": {}}]}))
    assert rc == 1
    error = json.loads(out)
    assert error["status"] == 400
    assert error["error"]["type"] == "parse_exception"
    assert error["error"]["reason"] == "[pipeline] required property is missing"


def test_simulate_bad_json_names_position(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    rc, out, err = _simulate(monkeypatch, capsys, '{"pipeline": ')
    assert rc == 1
    assert out == ""
    assert err.startswith("<stdin>:1:14: invalid JSON: Expecting value\n1 problem(s)")


def test_bad_argument_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as e:
        main(["simulate", "--nope"])
    assert e.value.code == 2
    assert "usage:" in capsys.readouterr().err


def test_benchmark_reports_figures(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    pipeline = tmp_path / "p.yml"
    pipeline.write_text(
        "processors:\n  - json: {field: message, target_field: m}\n"
        "  - rename: {field: m.a, target_field: b, ignore_missing: true}\n"
    )
    events = tmp_path / "e.ndjson"
    events.write_text("\n".join(json.dumps({"message": json.dumps({"a": i})}) for i in range(20)))
    rc = main(
        ["benchmark", "pipeline", str(pipeline), "--events", str(events), "--repeat", "3", "--json"]
    )
    report = json.loads(capsys.readouterr().out)
    assert rc == 0
    assert report["events"] == 60
    assert report["processors"] == 2
    assert report["failed_events"] == 0
    assert report["events_per_second_per_core"] > 0
    assert report["ratio_to_floor"] > 0
    assert {s["processor"] for s in report["processor_shares"]} == {"json", "rename"}
    assert abs(sum(s["share"] for s in report["processor_shares"]) - 1.0) < 0.01


def test_benchmark_human_table_and_bad_events(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    pipeline = tmp_path / "p.yml"
    pipeline.write_text("processors:\n  - set: {field: x, value: 1}\n")
    events = tmp_path / "e.log"
    events.write_text("line one\nline two\n")
    assert (
        main(["benchmark", "pipeline", str(pipeline), "--events", str(events), "--repeat", "1"])
        == 0
    )
    out = capsys.readouterr().out
    assert "events/s per core" in out
    assert "ratio to floor" in out
    bad = tmp_path / "bad.ndjson"
    bad.write_text('{"a": 1}\n{oops\n')
    assert main(["benchmark", "pipeline", str(pipeline), "--events", str(bad)]) == 1
    assert f"{bad}:2:2: invalid JSON" in capsys.readouterr().err

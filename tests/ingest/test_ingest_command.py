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


def _error(out: str) -> dict[str, object]:
    body = json.loads(out)
    assert body["status"] == 400
    error: dict[str, object] = body["error"]
    return error


def test_simulate_empty_body_is_es_parse_exception(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    rc, out, _ = _simulate(monkeypatch, capsys, "")
    assert rc == 1
    reason = "request body or source parameter is required"
    assert _error(out) == {
        "root_cause": [{"type": "parse_exception", "reason": reason}],
        "type": "parse_exception",
        "reason": reason,
    }


@pytest.mark.parametrize("body", ["  \n", "[1,2]", '"hello"', "null", "{}"])
def test_simulate_body_that_is_no_object_reads_as_empty_map(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], body: str
) -> None:
    rc, out, _ = _simulate(monkeypatch, capsys, body)
    assert rc == 1
    error = _error(out)
    assert error["type"] == "parse_exception"
    assert error["reason"] == "[pipeline] required property is missing"
    assert error["property_name"] == "pipeline"


def test_simulate_truncated_json_is_end_of_file(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    rc, out, err = _simulate(monkeypatch, capsys, '{"pipeline": ')
    assert (rc, err) == (1, "")
    error = _error(out)
    assert error["root_cause"] == [
        {"type": "x_content_e_o_f_exception", "reason": "[1:14] Unexpected end of file"}
    ]
    assert error["type"] == "x_content_e_o_f_exception"
    cause = error["caused_by"]
    assert isinstance(cause, dict)
    assert cause["type"] == "json_e_o_f_exception"
    assert cause["reason"].endswith("line: 1, column: 14]")


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (
            '{\n  "a": }',
            "[2:9] Unexpected character ('}' (code 125)): expected a valid value (JSON String, "
            "Number, Array, Object or token 'null', 'true' or 'false')",
        ),
        (
            "{a: 1}",
            "[1:3] Unexpected character ('a' (code 97)): was expecting double-quote to start "
            "field name",
        ),
        (
            "hello",
            "[1:6] Unrecognized token 'hello': was expecting (JSON String, Number, Array, "
            "Object or token 'null', 'true' or 'false')",
        ),
        (
            '{"a": NaN}',
            "[1:10] Non-standard token 'NaN': enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` "
            "to allow",
        ),
    ],
)
def test_simulate_malformed_json_is_x_content_parse_exception(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], body: str, reason: str
) -> None:
    rc, out, _ = _simulate(monkeypatch, capsys, body)
    assert rc == 1
    error = _error(out)
    assert error["type"] == "x_content_parse_exception"
    assert isinstance(error["reason"], str)
    head, _, location = error["reason"].partition("\n")
    assert head == reason
    assert location.startswith(" at [Source: REDACTED")
    cause = error["caused_by"]
    assert isinstance(cause, dict)
    assert cause["type"] == "json_parse_exception"
    assert error["root_cause"] == [{"type": "x_content_parse_exception", "reason": error["reason"]}]


def test_simulate_ignores_unknown_keys_and_trailing_text(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    body = {"pipeline": {"processors": []}, "docs": [{"_source": {"a": 1}}], "verbose": "x"}
    rc, out, _ = _simulate(monkeypatch, capsys, json.dumps(body) + " trailing")
    assert rc == 0
    assert json.loads(out)["docs"][0]["doc"]["_source"] == {"a": 1}


@pytest.mark.parametrize(
    ("body", "type_", "reason"),
    [
        (
            {"pipeline": "p", "docs": []},
            "parse_exception",
            "[pipeline] property isn't a map, but of type [java.lang.String]",
        ),
        ({"pipeline": {}}, "parse_exception", "[docs] required property is missing"),
        (
            {"pipeline": {}, "docs": {"_source": {}}},
            "parse_exception",
            "[docs] property isn't a list, but of type [java.util.HashMap]",
        ),
        (
            {"pipeline": {}, "docs": []},
            "illegal_argument_exception",
            "must specify at least one document in [docs]",
        ),
        (
            {"pipeline": {}, "docs": [1]},
            "illegal_argument_exception",
            "malformed [docs] section, should include an inner object",
        ),
        (
            {"pipeline": {}, "docs": [{"_source": []}]},
            "parse_exception",
            "[_source] property isn't a map, but of type [java.util.ArrayList]",
        ),
    ],
)
def test_simulate_request_shape_errors(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    body: dict[str, object],
    type_: str,
    reason: str,
) -> None:
    rc, out, _ = _simulate(monkeypatch, capsys, json.dumps(body))
    assert rc == 1
    error = _error(out)
    assert (error["type"], error["reason"]) == (type_, reason)


def test_simulate_reads_a_request_file(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    request = tmp_path / "request.json"
    body = {
        "pipeline": {"processors": [{"set": {"field": "f", "value": 1}}]},
        "docs": [{"_source": {}}],
    }
    request.write_text(json.dumps(body), encoding="utf-8")
    rc, out, _ = _simulate(monkeypatch, capsys, "not read", str(request))
    assert rc == 0
    assert json.loads(out)["docs"][0]["doc"]["_source"] == {"f": 1}


def test_simulate_missing_request_file_fails(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    missing = tmp_path / "nope.json"
    rc, out, err = _simulate(monkeypatch, capsys, "", str(missing))
    assert rc != 0
    assert out == ""
    assert err.startswith(f"{missing}: cannot read the request: No such file or directory")


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

"""``test pipeline --es``: the Elasticsearch backend and the fidelity report on the fake cluster."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fakestack import API_KEY, FakeStack

from fleetpkg.live.auth import Connection, Credentials
from fleetpkg.live.backend import ElasticsearchBackend, renamed
from fleetpkg.live.errors import LiveError
from fleetpkg.live.es import ElasticsearchClient
from fleetpkg.live.fidelity import first_difference, run_fidelity
from fleetpkg.live.retry import RetryPolicy
from fleetpkg.testing.backend import BackendError, SimulateRequest

GOOD = Path(__file__).resolve().parents[1] / "fixtures" / "pipeline_packages" / "good"
KEY = Credentials(api_key=API_KEY)
FAST = RetryPolicy(attempts=3, base_delay=0.01)
PIPELINES: dict[str, dict[str, Any]] = {
    "default": {
        "processors": [
            {"set": {"field": "event.kind", "value": "event"}},
            {"pipeline": {"name": "inner"}},
        ]
    },
    "inner": {"processors": [{"uppercase": {"field": "message"}}]},
}


def _backend(stack: FakeStack, **kw: Any) -> ElasticsearchBackend:
    return ElasticsearchBackend(ElasticsearchClient(Connection(stack.url, KEY, retry=FAST, **kw)))


def test_simulate_installs_renamed_pipelines_and_cleans_up(stack: FakeStack) -> None:
    backend = _backend(stack)
    request = SimulateRequest(
        "default", ({"_index": "logs-x-default", "_source": {"message": "hi"}},)
    )
    response = backend.simulate(request, PIPELINES)
    assert response == {"docs": [{"doc": response["docs"][0]["doc"]}]}
    assert response["docs"][0]["doc"]["_source"] == {"message": "HI", "event": {"kind": "event"}}
    puts = stack.seen("PUT", "/_ingest/pipeline/")
    assert [p.path.rsplit("/", 1)[1].rsplit("-", 1)[0] for p in puts] == ["default", "inner"]
    outer = puts[0].json()
    inner_name = puts[1].path.rsplit("/", 1)[1]
    assert outer["processors"][1] == {"pipeline": {"name": inner_name}}
    [sim] = stack.seen("POST", "/_ingest/pipeline/")
    assert sim.path == f"{puts[0].path}/_simulate"
    assert sim.json() == {"docs": [{"_index": "logs-x-default", "_source": {"message": "hi"}}]}
    assert sim.headers["accept"].startswith("application/vnd.elasticsearch+json")
    assert sim.headers["authorization"] == f"ApiKey {API_KEY}"
    assert len(stack.seen("DELETE", "/_ingest/pipeline/")) == 2
    assert stack.state.pipelines == {}


def test_invalid_pipeline_is_a_backend_error_with_es_error(stack: FakeStack) -> None:
    broken = {"default": {"processors": [{"set": {"value": 1}}]}}
    request = SimulateRequest("default", ({"_source": {}},))
    with pytest.raises(BackendError) as err:
        _backend(stack).simulate(request, broken)
    assert err.value.error["type"] == "parse_exception"
    assert "[field] required property is missing" in err.value.error["reason"]
    assert stack.state.pipelines == {}


def test_per_document_errors_and_drops(stack: FakeStack) -> None:
    pipelines = {
        "default": {
            "processors": [
                {"drop": {"if": "ctx.skip == true"}},
                {"convert": {"field": "n", "type": "integer"}},
            ]
        }
    }
    docs = ({"_source": {"skip": True}}, {"_source": {"n": "x"}}, {"_source": {"n": "3"}})
    response = _backend(stack).simulate(SimulateRequest("default", docs), pipelines)
    dropped, failed, ok = response["docs"]
    assert dropped is None
    assert failed["error"]["type"] == "illegal_argument_exception"
    assert ok["doc"]["_source"] == {"n": 3}


def test_server_error_on_put_is_retried(stack: FakeStack) -> None:
    stack.fail("PUT", "/_ingest/pipeline/default-", 503, times=2)
    response = _backend(stack).simulate(
        SimulateRequest("default", ({"_source": {"message": "a"}},)), PIPELINES
    )
    assert response["docs"][0]["doc"]["_source"]["message"] == "A"
    assert len(stack.seen("PUT", "/_ingest/pipeline/default-")) == 3


def test_es_errors_are_one_line_and_scrubbed(stack: FakeStack, closed_port: int) -> None:
    request = SimulateRequest("default", ({"_source": {}},))
    wrong = Connection(stack.url, Credentials(api_key="wrong-key-abcdef123"), retry=FAST)
    with pytest.raises(LiveError, match=r"rejected the credentials \(401 Unauthorized\)") as err:
        ElasticsearchBackend(ElasticsearchClient(wrong)).simulate(request, PIPELINES)
    assert "wrong-key-abcdef123" not in str(err.value)
    refused = Connection(f"http://127.0.0.1:{closed_port}", KEY, retry=FAST)
    with pytest.raises(LiveError, match="connection refused"):
        ElasticsearchBackend(ElasticsearchClient(refused)).simulate(request, PIPELINES)
    tls = Connection(stack.url.replace("http:", "https:"), KEY, retry=FAST)
    with pytest.raises(LiveError, match="TLS handshake"):
        ElasticsearchBackend(ElasticsearchClient(tls)).simulate(request, PIPELINES)
    stack.fail("PUT", "/_ingest/pipeline/", 0, delay=1.0)
    slow = Connection(stack.url, KEY, timeout=0.2, retry=RetryPolicy(attempts=1))
    with pytest.raises(LiveError, match=r"did not answer within 0.2 s \(timeout\)"):
        ElasticsearchBackend(ElasticsearchClient(slow)).simulate(request, PIPELINES)


def test_renamed_only_touches_known_pipeline_calls() -> None:
    definition = {"processors": [{"pipeline": {"name": "a"}}, {"pipeline": {"name": "other"}}]}
    out = renamed(definition, {"a": "a-1"})
    assert out["processors"] == [{"pipeline": {"name": "a-1"}}, {"pipeline": {"name": "other"}}]
    assert definition["processors"][0] == {"pipeline": {"name": "a"}}


def test_first_difference() -> None:
    assert first_difference({"a": {"b": 1}}, {"a": {"b": 1.0}}) is None
    assert first_difference({"a": {"b": 1, "c": 2}}, {"a": {"b": 1, "c": 3}}) == ("a.c", 2, 3)
    assert first_difference({"a": [1, 2]}, {"a": [1]}) == ("a", [1, 2], [1])
    assert first_difference({"x": 1}, {"x": 1, "y": 2}) == ("y", None, 2)


def test_fidelity_all_agree_on_the_fixture_package(stack: FakeStack) -> None:
    report = run_fidelity(GOOD, stack.url, KEY)
    assert report.ok
    assert report.tests.count("pass") == 4
    assert len(report.events) == 9
    assert all(e.agree for e in report.events)
    assert stack.state.pipelines == {}
    # the recorded cluster responses are reused: one simulate per test case file
    assert len(stack.seen("POST", "/_ingest/pipeline/")) == 4


def test_fidelity_names_the_first_differing_field(stack: FakeStack) -> None:
    def diverge(source: dict[str, Any]) -> None:
        if "good" in source:
            source["good"]["access"]["flag"] = "cluster-only"

    stack.diverge = diverge
    report = run_fidelity(GOOD, stack.url, KEY, ["access"])
    assert not report.ok
    differ = [e for e in report.events if not e.agree]
    assert {(e.case, e.field) for e in differ} >= {("test-access.log", "good.access.flag")}
    first = differ[0]
    assert (first.cluster, first.embedded) == ("cluster-only", "yes")
    text = report.human()
    assert 'DIFFER  access/test-access.log#1  good.access.flag: cluster "cluster-only"' in text
    assert "Expected results are different from actual ones" in text


def test_cli_test_pipeline_es(stack: FakeStack, cli, api_key_env) -> None:
    code, out, err = cli(
        "test", "pipeline", "--package", str(GOOD), "--es", stack.url, *api_key_env
    )
    assert (code, err) == (0, "")
    assert "fidelity: 9 event(s), 9 agree, 0 differ" in out
    assert API_KEY not in out


def test_cli_live_test_pipeline_json(stack: FakeStack, cli, api_key_env, tmp_path: Path) -> None:
    stack.diverge = lambda source: source.update(extra=1)
    target = tmp_path / "report.json"
    code, out, _ = cli(
        "live",
        "test-pipeline",
        "--es",
        stack.url,
        "--package",
        str(GOOD),
        *api_key_env,
        "--data-stream",
        "metrics",
        "--report-format",
        "json",
        "--report-output",
        str(target),
    )
    assert code == 1
    assert out == ""
    report = json.loads(target.read_text())
    assert report["ok"] is False
    assert [e["field"] for e in report["fidelity"]] == ["extra", "extra"]
    assert report["tests"]["data_streams"][0]["name"] == "metrics"


def test_cli_generate_is_refused_with_es(stack: FakeStack, cli, api_key_env) -> None:
    code, _, err = cli(
        "test", "pipeline", "--package", str(GOOD), "--es", stack.url, "--generate", *api_key_env
    )
    assert code == 2
    assert "--generate is not supported with --es" in err


def test_test_pipeline_without_es_is_unchanged(cli) -> None:
    code, out, _ = cli("test", "pipeline", "--package", str(GOOD))
    assert code == 0
    assert "fidelity" not in out


def test_fidelity_notes_engine_gaps_hidden_by_ignore_failure(stack: FakeStack) -> None:
    broken = GOOD.parent / "broken"
    report = run_fidelity(broken, stack.url, KEY, ["gaphidden"])
    [event] = report.events
    assert event.agree  # the fake cluster runs the same engine
    assert "embedded engine gap" in event.note
    assert "embedded engine gap" in report.human()

"""``benchmark pipeline --es``: cluster figures from the node ingest stats, next to the engine's."""

from __future__ import annotations

import json
from pathlib import Path

from fakestack import FakeStack

from fleetpkg.live.auth import Connection, Credentials
from fleetpkg.live.bench import run_es_benchmark
from fleetpkg.live.retry import RetryPolicy

PIPELINE = """\
processors:
  - set: {tag: kind, field: event.kind, value: event}
  - lowercase: {field: message, if: "ctx.message != null"}
  - pipeline: {name: inner}
"""
INNER = {"inner": {"processors": [{"uppercase": {"field": "message"}}]}}


def _files(tmp_path: Path) -> tuple[Path, Path, Path]:
    pipeline = tmp_path / "p.yml"
    pipeline.write_text(PIPELINE)
    named = tmp_path / "named.json"
    named.write_text(json.dumps(INNER))
    events = tmp_path / "events.ndjson"
    events.write_text('{"message": "A"}\n{"message": "B"}\n{"message": "C"}\n')
    return pipeline, named, events


def test_es_benchmark_reads_node_ingest_stats(stack: FakeStack, tmp_path: Path) -> None:
    from fakestack import API_KEY

    pipeline, named, events = _files(tmp_path)
    conn = Connection(stack.url, Credentials(api_key=API_KEY), retry=RetryPolicy(1))
    report = run_es_benchmark(conn, pipeline, events, pipelines_file=named, docs=500)
    assert report["docs"] == 500
    assert report["failed_docs"] == 0
    assert report["pipeline_time_ms"] == 50  # the fake cluster counts 1 ms per 10 docs
    assert report["events_per_second"] == 10000.0
    keys = [(p["key"], p["type"], p["count"]) for p in report["processors"]]
    assert keys == [("set:kind", "set", 500), ("lowercase", "conditional", 500),
                    ("pipeline", "pipeline", 500)]  # fmt: skip
    [sim] = stack.seen("POST", "/_ingest/pipeline/")
    assert len(sim.json()["docs"]) == 500
    assert sim.json()["docs"][3]["_source"] == {"message": "A"}  # events cycled round-robin
    assert len(stack.seen("GET", "/_nodes/stats/ingest")) == 2
    assert stack.state.pipelines == {}


def test_cli_benchmark_with_es(stack: FakeStack, cli, api_key_env, tmp_path: Path) -> None:
    pipeline, named, events = _files(tmp_path)
    code, out, err = cli(
        "benchmark", "pipeline", str(pipeline), "--events", str(events), "--pipelines", str(named),
        "--repeat", "1", "--es", stack.url, "--es-docs", "100", *api_key_env,
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert "cluster (GET _nodes/stats/ingest" in out
    assert "pipeline time       10 ms → 10,000 events/s" in out
    assert "set:kind" in out
    assert "embedded engine" in out
    code, out, _ = cli(
        "benchmark", "pipeline", str(pipeline), "--events", str(events), "--pipelines", str(named),
        "--repeat", "1", "--es", stack.url, "--es-docs", "100", "--json", *api_key_env,
    )  # fmt: skip
    report = json.loads(out)
    assert report["cluster"]["docs"] == 100
    assert report["embedded"]["events"] == 3
    assert sorted(p["index"] for p in report["embedded"]["processor_shares"]) == [0, 1, 2]


def test_cli_benchmark_connection_refused(closed_port: int, cli, api_key_env, tmp_path) -> None:
    pipeline, named, events = _files(tmp_path)
    code, _, err = cli(
        "benchmark", "pipeline", str(pipeline), "--events", str(events), "--pipelines", str(named),
        "--repeat", "1", "--es", f"http://127.0.0.1:{closed_port}", *api_key_env,
    )  # fmt: skip
    assert code == 1
    assert "cannot connect to Elasticsearch" in err
    assert "connection refused" in err


def test_benchmark_without_es_is_unchanged(cli, tmp_path: Path) -> None:
    pipeline, named, events = _files(tmp_path)
    code, out, _ = cli(
        "benchmark", "pipeline", str(pipeline), "--events", str(events), "--pipelines", str(named),
        "--repeat", "1",
    )  # fmt: skip
    assert code == 0
    assert "cluster" not in out
    assert "throughput" in out

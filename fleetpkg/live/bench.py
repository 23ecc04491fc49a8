"""``benchmark pipeline --es``: the same events through a cluster, per-processor figures from the
node ingest stats (``GET _nodes/stats/ingest``), next to the embedded engine's figures."""

from __future__ import annotations

import itertools
import json
import time
from pathlib import Path
from typing import Any

from .auth import Connection
from .backend import renamed, test_names
from .errors import LiveError
from .es import ElasticsearchClient

DEFAULT_DOCS = 1000


def _load(path: Path) -> Any:
    from fleetpkg.ingest.files import load_structured

    try:
        return load_structured(path)
    except (OSError, ValueError) as err:
        raise LiveError(f"{path}: {err}") from None


def _docs(events_file: Path, count: int) -> list[dict[str, Any]]:
    from fleetpkg.ingest.benchmark import BenchmarkError, load_events

    try:
        events = [json.loads(e) for e in load_events(events_file)]
    except BenchmarkError as err:
        raise LiveError(str(err)) from None
    if not events:
        raise LiveError(f"{events_file}: no events")
    cycled = itertools.islice(itertools.cycle(events), count)
    return [{"_index": "test-generic-default", "_source": e} for e in cycled]


def _pipeline_stats(body: Any, name: str) -> dict[str, Any]:
    """``nodes.*.ingest.pipelines.<name>`` summed over the nodes (processors by position)."""
    total: dict[str, Any] = {"count": 0, "time_in_millis": 0, "failed": 0, "processors": []}
    nodes = body.get("nodes") if isinstance(body, dict) else None
    for node in (nodes or {}).values():
        stats = ((node.get("ingest") or {}).get("pipelines") or {}).get(name)
        if not isinstance(stats, dict):
            continue
        for key in ("count", "time_in_millis", "failed"):
            total[key] += int(stats.get(key) or 0)
        for index, entry in enumerate(stats.get("processors") or []):
            ((key, value),) = entry.items()
            if index == len(total["processors"]):
                total["processors"].append(
                    {
                        "key": key,
                        "type": value.get("type"),
                        "count": 0,
                        "time_in_millis": 0,
                        "failed": 0,
                    }
                )
            slot = total["processors"][index]
            for field in ("count", "time_in_millis", "failed"):
                slot[field] += int((value.get("stats") or {}).get(field) or 0)
    return total


def _delta(after: dict[str, Any], before: dict[str, Any]) -> dict[str, Any]:
    out = {k: after[k] - before.get(k, 0) for k in ("count", "time_in_millis", "failed")}
    procs = []
    for index, proc in enumerate(after["processors"]):
        old = before["processors"][index] if index < len(before["processors"]) else {}
        procs.append(
            dict(
                proc, **{k: proc[k] - old.get(k, 0) for k in ("count", "time_in_millis", "failed")}
            )
        )
    out["processors"] = procs
    return out


def run_es_benchmark(
    conn: Connection,
    pipeline_file: Path,
    events_file: Path,
    *,
    pipelines_file: Path | None = None,
    docs: int = DEFAULT_DOCS,
) -> dict[str, Any]:
    """Install the pipeline(s) under test names, simulate ``docs`` events once, read the stats."""
    definition = _load(pipeline_file)
    named = _load(pipelines_file) if pipelines_file else {}
    if not isinstance(definition, dict) or not isinstance(named, dict):
        raise LiveError(f"{pipeline_file}: a pipeline definition must be a map")
    entry = f"fleetpkg-bench-{pipeline_file.stem}"
    pipelines = {**named, entry: definition}
    names = test_names(pipelines, str(time.time_ns()))
    requests = _docs(events_file, docs)
    client = ElasticsearchClient(conn)
    installed: list[str] = []
    try:
        for pid, body in pipelines.items():
            client.put_pipeline(names[pid], renamed(body, names))
            installed.append(names[pid])
        before = client.ingest_stats()
        started = time.perf_counter()
        result = client.simulate(names[entry], requests)
        wall = time.perf_counter() - started
        after = client.ingest_stats()
    finally:
        try:
            for name in installed:
                client.delete_pipeline(name)
        finally:
            client.close()
    measured = _delta(_pipeline_stats(after, names[entry]), _pipeline_stats(before, names[entry]))
    failed = sum(1 for d in result.get("docs") or [] if isinstance(d, dict) and "error" in d)
    millis = measured["time_in_millis"]
    return {
        "docs": len(requests),
        "failed_docs": failed,
        "pipeline_time_ms": millis,
        "events_per_second": round(len(requests) / (millis / 1000), 1) if millis else None,
        "request_seconds": round(wall, 3),
        "processors": [
            dict(
                p,
                us_per_doc=round(p["time_in_millis"] * 1000 / p["count"], 2)
                if p["count"]
                else None,
            )
            for p in measured["processors"]
        ],
    }


def format_comparison(es: dict[str, Any], embedded: dict[str, Any] | None) -> str:
    eps = es["events_per_second"]
    lines = [
        "cluster (GET _nodes/stats/ingest, millisecond resolution)",
        f"docs                {es['docs']} ({es['failed_docs']} failed)",
        f"pipeline time       {es['pipeline_time_ms']} ms"
        + (f" → {eps:,.0f} events/s" if eps else " (below 1 ms: too few docs to measure)"),
        f"request             {es['request_seconds']} s wall clock",
    ]
    if embedded is not None:
        lines.append(
            f"embedded engine     {embedded['events_per_second_per_core']:,.0f} events/s per core "
            f"({embedded['us_per_event']} µs/event)"
        )
    shares = {s["index"]: s for s in (embedded or {}).get("processor_shares") or []}
    lines.append("")
    lines.append(
        f"{'#':>3}  {'processor (cluster key)':<32} {'ms':>6} {'µs/doc':>8} {'embedded µs':>12}"
    )
    for index, proc in enumerate(es["processors"]):
        mine = shares.get(index)
        local = f"{mine['us_per_event']:.2f}" if mine else "-"
        per_doc = "-" if proc["us_per_doc"] is None else f"{proc['us_per_doc']:.2f}"
        key, millis = proc["key"][:32], proc["time_in_millis"]
        lines.append(f"{index:>3}  {key:<32} {millis:>6} {per_doc:>8} {local:>12}")
    return "\n".join(lines)

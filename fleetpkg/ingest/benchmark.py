"""``benchmark pipeline``: throughput, per-processor share and memory of a pipeline."""

from __future__ import annotations

import json
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .document import IngestDocument
from .errors import IngestError
from .pipeline import Compiler, Executor, Pipeline
from .processors.base import DropDocument, Processor

TARGET_SECONDS = 2.0


class BenchmarkError(Exception):
    """A problem with the benchmark's inputs (file missing, not parseable)."""


def load_events(path: Path) -> list[str]:
    """Events as JSON texts: a ``.log`` file gives one ``{"message": line}`` per line."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise BenchmarkError(f"{path}: {e.strerror}") from None
    if path.suffix == ".log":
        return [json.dumps({"message": line}) for line in text.splitlines() if line]
    stripped = text.lstrip()
    if stripped.startswith("{") and '"events"' in stripped[:200]:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            raise BenchmarkError(f"{path}:{e.lineno}:{e.colno}: invalid JSON: {e.msg}") from None
        return [json.dumps(event) for event in data.get("events", [])]
    events = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            json.loads(line)
        except json.JSONDecodeError as e:
            raise BenchmarkError(f"{path}:{number}:{e.colno}: invalid JSON: {e.msg}") from None
        events.append(line)
    if not events:
        raise BenchmarkError(f"{path}: no events")
    return events


def _load_pipeline(
    path: Path, pipelines_file: Path | None, geoip_dir: Path | None = None
) -> tuple[Compiler, Pipeline]:
    from .files import load_structured

    try:
        definition = load_structured(path)
        named = load_structured(pipelines_file) if pipelines_file else {}
    except (OSError, ValueError) as e:
        raise BenchmarkError(f"{path}: {e}") from None
    compiler = Compiler(named or {}, geoip_dir=geoip_dir)
    return compiler, compiler.pipeline(path.stem, definition)


def _stream(events: list[str], repeat: int) -> Iterator[str]:
    for _ in range(repeat):
        yield from events


def _run_engine(executor: Executor, pipeline: Pipeline, events: Iterator[str]) -> tuple[int, int]:
    count = failed = 0
    for text in events:
        doc = IngestDocument(
            json.loads(text),
            {"_index": "bench", "_id": str(count)},
            timestamp="2026-01-01T00:00:00.000Z",
        )
        doc.executor = executor
        try:
            executor.run_pipeline(pipeline, doc)
            json.dumps(doc.source)
        except (IngestError, DropDocument):
            failed += 1
        count += 1
    return count, failed


def _run_floor(events: Iterator[str]) -> int:
    count = 0
    for text in events:
        json.dumps(json.loads(text))
        count += 1
    return count


def _timed(fn: Any, *args: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn(*args)
    return time.perf_counter() - start, result


class _ProfilingExecutor(Executor):
    """Charges time to the top-level processor that is running."""

    def __init__(self, compiler: Compiler, top: tuple[Processor, ...]) -> None:
        super().__init__(compiler)
        self.top = {id(p): i for i, p in enumerate(top)}
        self.spent = [0.0] * len(top)

    def run_processor(self, p: Processor, doc: IngestDocument) -> None:
        index = self.top.get(id(p))
        if index is None:
            super().run_processor(p, doc)
            return
        start = time.perf_counter()
        try:
            super().run_processor(p, doc)
        finally:
            self.spent[index] += time.perf_counter() - start


def _processor_shares(
    compiler: Compiler, pipeline: Pipeline, events: list[str]
) -> list[dict[str, Any]]:
    profiler = _ProfilingExecutor(compiler, pipeline.processors)
    _run_engine(profiler, pipeline, iter(events))
    total = sum(profiler.spent) or 1.0
    shares = []
    for i, p in enumerate(pipeline.processors):
        shares.append(
            {
                "index": i,
                "processor": p.type,
                "tag": p.tag,
                "share": round(profiler.spent[i] / total, 4),
                "us_per_event": round(profiler.spent[i] / len(events) * 1e6, 2),
            }
        )
    return sorted(shares, key=lambda s: -s["share"])


def _peak_memory(executor: Executor, pipeline: Pipeline, events: list[str], repeat: int) -> int:
    tracemalloc.start()
    try:
        _run_engine(executor, pipeline, _stream(events, repeat))
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def run_pipeline_benchmark(
    pipeline_file: Path,
    events_file: Path,
    *,
    pipelines_file: Path | None = None,
    repeat: int = 0,
    geoip_dir: Path | None = None,
) -> dict[str, Any]:
    """``geoip_dir``: the GeoIP databases of geoip processors (None: none)."""
    compiler, pipeline = _load_pipeline(pipeline_file, pipelines_file, geoip_dir)
    events = load_events(events_file)
    executor = Executor(compiler)
    warm, _ = _timed(_run_engine, executor, pipeline, iter(events))
    if repeat <= 0:
        repeat = max(1, int(TARGET_SECONDS / max(warm, 1e-6)))
    elapsed, (count, failed) = _timed(_run_engine, executor, pipeline, _stream(events, repeat))
    floor_elapsed, floor_count = _timed(_run_floor, _stream(events, repeat))
    peak_small = _peak_memory(executor, pipeline, events, 1)
    peak_large = _peak_memory(executor, pipeline, events, 4)
    eps = count / elapsed
    floor_eps = floor_count / floor_elapsed
    return {
        "pipeline": str(pipeline_file),
        "processors": len(pipeline.processors),
        "events": count,
        "distinct_events": len(events),
        "failed_events": failed,
        "seconds": round(elapsed, 3),
        "events_per_second_per_core": round(eps, 1),
        "us_per_event": round(1e6 / eps, 2),
        "floor_events_per_second": round(floor_eps, 1),
        "floor_us_per_event": round(1e6 / floor_eps, 2),
        "ratio_to_floor": round(eps / floor_eps, 4),
        "peak_memory_bytes": {"1x": peak_small, "4x": peak_large},
        "memory_growth_bytes": peak_large - peak_small,
        "processor_shares": _processor_shares(compiler, pipeline, events),
    }


def format_report(report: dict[str, Any]) -> str:
    lines = [
        f"pipeline            {report['pipeline']} ({report['processors']} processors)",
        f"events              {report['events']} ({report['distinct_events']} distinct, "
        f"{report['failed_events']} failed)",
        f"throughput          {report['events_per_second_per_core']:,.0f} events/s per core "
        f"({report['us_per_event']} µs/event)",
        f"floor (json only)   {report['floor_events_per_second']:,.0f} events/s "
        f"({report['floor_us_per_event']} µs/event)",
        f"ratio to floor      {report['ratio_to_floor']:.3f}",
        f"peak memory         {report['peak_memory_bytes']['1x'] / 1024:,.0f} KiB (1x) / "
        f"{report['peak_memory_bytes']['4x'] / 1024:,.0f} KiB (4x events streamed)",
        "",
        f"{'share':>7}  {'µs/event':>9}  processor",
    ]
    for s in report["processor_shares"][:15]:
        label = f"{s['processor']}#{s['index']}" + (f" [{s['tag']}]" if s["tag"] else "")
        lines.append(f"{s['share'] * 100:6.1f}%  {s['us_per_event']:9.2f}  {label}")
    return "\n".join(lines)

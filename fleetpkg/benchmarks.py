"""``fleetpkg benchmark pipeline``: embedded-engine throughput (a live cluster can be added)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from fleetpkg.ingest.benchmark import BenchmarkError, format_report, run_pipeline_benchmark
from fleetpkg.ingest.errors import IngestError


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    bench = subparsers.add_parser("benchmark", help="measure pipeline throughput")
    bench_sub = bench.add_subparsers(dest="benchmark_kind", required=True, metavar="KIND")
    pipe = bench_sub.add_parser(
        "pipeline",
        help="events/s of a pipeline on the embedded engine",
        description="Run events through a pipeline and report throughput and memory.",
    )
    pipe.add_argument("pipeline", type=Path, metavar="FILE", help="pipeline definition (YAML/JSON)")
    pipe.add_argument(
        "--events",
        type=Path,
        required=True,
        metavar="FILE",
        help='events: NDJSON, JSON {"events": [...]}, or a .log file',
    )
    pipe.add_argument(
        "--pipelines", type=Path, metavar="FILE", help="named pipelines the pipeline calls"
    )
    pipe.add_argument(
        "--repeat",
        type=int,
        default=0,
        metavar="N",
        help="stream the events N times (default: enough for ~2 s)",
    )
    pipe.add_argument("--json", action="store_true", help="machine-readable report")
    pipe.set_defaults(func=run_benchmark)
    _add_live_arguments(pipe)


def _add_live_arguments(pipe: argparse.ArgumentParser) -> None:
    """``--es URL`` (and its auth options) when the live package is there; imported lazily."""
    try:
        from fleetpkg.live.auth import add_connection_arguments
    except ImportError:
        return
    live = pipe.add_argument_group("live Elasticsearch (fleetpkg.live)")
    live.add_argument("--es", metavar="URL", help="also run the events through this cluster")
    live.add_argument(
        "--es-docs", type=int, default=1000, metavar="N", help="docs sent to the cluster (1000)"
    )
    add_connection_arguments(pipe)


def run_benchmark(args: argparse.Namespace) -> int:
    try:
        report = run_pipeline_benchmark(
            args.pipeline, args.events, pipelines_file=args.pipelines, repeat=args.repeat
        )
    except BenchmarkError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    except IngestError as e:
        print(f"error: {args.pipeline}: {e.type}: {e.reason}", file=sys.stderr)
        return 1
    if getattr(args, "es", None):
        from fleetpkg.live.command import run_es_benchmark_command

        return run_es_benchmark_command(args, report)
    if args.json:
        print(json.dumps(report, indent=2, sort_keys=True))
    else:
        print(format_report(report))
    return 0

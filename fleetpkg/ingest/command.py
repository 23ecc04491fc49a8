"""Command-line entry points of the ingest engine: ``simulate`` and ``benchmark pipeline``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from .errors import IngestError


def register(subparsers: Any) -> None:
    """Add the engine's subcommands to the ``fleetpkg`` CLI."""
    sim = subparsers.add_parser(
        "simulate",
        help="run a _simulate request body (stdin) on the embedded engine",
        description="Read the body of POST _ingest/pipeline/_simulate on stdin, print ES's answer.",
    )
    sim.add_argument("--verbose", action="store_true", help="per-processor results")
    sim.add_argument(
        "--pipelines", type=Path, metavar="FILE", help="JSON/YAML map of named pipelines"
    )
    sim.set_defaults(func=run_simulate)

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


def load_structured(path: Path) -> Any:
    """JSON or YAML file contents."""
    text = path.read_text(encoding="utf-8")
    if path.suffix in (".yml", ".yaml"):
        import yaml

        return yaml.safe_load(text)
    return json.loads(text)


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 1


def run_simulate(args: argparse.Namespace) -> int:
    from .simulate import simulate

    try:
        request = json.loads(sys.stdin.read())
    except json.JSONDecodeError as e:
        return _fail(f"stdin: line {e.lineno} column {e.colno}: invalid JSON: {e.msg}")
    pipelines = None
    if args.pipelines is not None:
        try:
            pipelines = load_structured(args.pipelines)
        except (OSError, ValueError) as e:
            return _fail(f"{args.pipelines}: {e}")
        if not isinstance(pipelines, dict):
            return _fail(f"{args.pipelines}: expected a map of pipeline name to definition")
    try:
        response = simulate(request, pipelines=pipelines, verbose=args.verbose)
    except IngestError as e:
        print(json.dumps({"error": e.to_es(), "status": 400}, indent=2, ensure_ascii=False))
        return 1
    print(json.dumps(response, indent=2, ensure_ascii=False))
    return 0


def run_benchmark(args: argparse.Namespace) -> int:
    from .benchmark import BenchmarkError, format_report, run_pipeline_benchmark

    try:
        report = run_pipeline_benchmark(
            args.pipeline, args.events, pipelines_file=args.pipelines, repeat=args.repeat
        )
    except BenchmarkError as e:
        return _fail(str(e))
    except IngestError as e:
        return _fail(f"{args.pipeline}: {e.type}: {e.reason}")
    if args.json:
        print(json.dumps(report, indent=2, sort_keys=True))
    else:
        print(format_report(report))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="fleetpkg")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    result: int = args.func(args)
    return result

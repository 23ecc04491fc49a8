"""``fleetpkg benchmark pipeline`` (engine throughput, optionally a cluster's) and
``fleetpkg benchmark startup`` (wall time of the command line's start)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from fleetpkg.argtypes import positive_int
from fleetpkg.errors import fail

from .test_pipeline import add_geoip_dir, chosen_geoip_dir


def configure_pipeline(parser: argparse.ArgumentParser) -> None:
    parser.description = "Run events through a pipeline and report throughput and memory."
    parser.add_argument("pipeline", type=Path, metavar="FILE", help="pipeline (YAML/JSON)")
    parser.add_argument(
        "--events",
        type=Path,
        required=True,
        metavar="FILE",
        help='events: NDJSON, JSON {"events": [...]}, or a .log file',
    )
    parser.add_argument(
        "--pipelines", type=Path, metavar="FILE", help="named pipelines the pipeline calls"
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=0,
        metavar="N",
        help="stream the events N times (default: enough for ~2 s)",
    )
    parser.add_argument("--json", action="store_true", help="machine-readable report")
    add_geoip_dir(parser)
    from .live import add_connection_arguments

    live = parser.add_argument_group("live Elasticsearch")
    live.add_argument("--es", metavar="URL", help="also run the events through this cluster")
    live.add_argument(
        "--es-docs", type=positive_int, default=1000, metavar="N", help="docs sent (1000)"
    )
    add_connection_arguments(parser)


def run_pipeline(args: argparse.Namespace) -> int:
    from fleetpkg.ingest.benchmark import BenchmarkError, format_report, run_pipeline_benchmark
    from fleetpkg.ingest.errors import IngestError

    try:
        report = run_pipeline_benchmark(
            args.pipeline,
            args.events,
            pipelines_file=args.pipelines,
            repeat=args.repeat,
            geoip_dir=chosen_geoip_dir(args),
        )
    except BenchmarkError as e:
        raise fail(str(e)) from None
    except IngestError as e:
        raise fail(f"{e.type}: {e.reason}", str(args.pipeline)) from None
    if args.es:
        from .live import run_es_benchmark

        return run_es_benchmark(args, report)
    if args.json:
        print(json.dumps(report, indent=2, sort_keys=True))
    else:
        print(format_report(report))
    return 0


def configure_startup(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Start `fleetpkg --help` and every command's --help in fresh processes and report "
        "the median wall time of each, next to the floor: a Python interpreter that only "
        "starts (`python -c pass`), and the ratio to it."
    )
    parser.add_argument(
        "--repeat", type=positive_int, default=5, metavar="N", help="runs of each (median)"
    )
    parser.add_argument("--json", action="store_true", help="machine-readable report")


def run_startup(args: argparse.Namespace) -> int:
    from fleetpkg.startup import format_startup, measure_startup

    report = measure_startup(args.repeat)
    print(json.dumps(report, indent=2) if args.json else format_startup(report))
    return 0

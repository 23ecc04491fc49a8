"""``fleetpkg simulate``: the body of ``POST _ingest/pipeline/_simulate`` → ES's answer."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from fleetpkg.errors import fail

from .test_pipeline import add_geoip_dir, chosen_geoip_dir


def configure_simulate(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Read the body of POST _ingest/pipeline/_simulate on stdin and print the response "
        "Elasticsearch would send, computed by the embedded ingest engine."
    )
    parser.add_argument("--verbose", action="store_true", help="per-processor results")
    parser.add_argument(
        "--pipelines", type=Path, metavar="FILE", help="JSON/YAML map of named pipelines"
    )
    add_geoip_dir(parser)


def run_simulate(args: argparse.Namespace) -> int:
    from fleetpkg.ingest import IngestError, simulate
    from fleetpkg.ingest.files import load_structured

    try:
        request = json.loads(sys.stdin.read())
    except json.JSONDecodeError as e:
        raise fail(f"invalid JSON: {e.msg}", "<stdin>", e.lineno, e.colno) from None
    pipelines = None
    if args.pipelines is not None:
        try:
            pipelines = load_structured(args.pipelines)
        except (OSError, ValueError) as e:
            raise fail(str(e), str(args.pipelines)) from None
        if not isinstance(pipelines, dict):
            raise fail("expected a map of pipeline name to definition", str(args.pipelines))
    try:
        response = simulate(
            request, pipelines=pipelines, verbose=args.verbose, geoip_dir=chosen_geoip_dir(args)
        )
    except IngestError as e:
        print(json.dumps({"error": e.to_es(), "status": 400}, indent=2, ensure_ascii=False))
        return 1
    print(json.dumps(response, indent=2, ensure_ascii=False))
    return 0

"""``fleetpkg simulate``: the body of ``POST _ingest/pipeline/_simulate`` → ES's answer."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from fleetpkg.errors import fail

from .test_pipeline import add_geoip_dir, chosen_geoip_dir


def configure_simulate(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Read the body of POST _ingest/pipeline/_simulate (from FILE, else stdin) and print "
        "the response Elasticsearch would send, computed by the embedded ingest engine."
    )
    parser.add_argument(
        "request", nargs="?", type=Path, metavar="FILE", help="the request body (default: stdin)"
    )
    parser.add_argument("--verbose", action="store_true", help="per-processor results")
    parser.add_argument(
        "--pipelines", type=Path, metavar="FILE", help="JSON/YAML map of named pipelines"
    )
    add_geoip_dir(parser)


def run_simulate(args: argparse.Namespace) -> int:
    from fleetpkg.ingest import IngestError, simulate
    from fleetpkg.ingest.rest import error_body, parse_body

    pipelines = _named_pipelines(args.pipelines)
    try:
        request = parse_body(_request_text(args.request))
        response = simulate(
            request, pipelines=pipelines, verbose=args.verbose, geoip_dir=chosen_geoip_dir(args)
        )
    except IngestError as e:
        _print(error_body(e))
        return 1
    _print(response)
    return 0


def _request_text(path: Path | None) -> str:
    if path is None:
        return sys.stdin.read()
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise fail(f"cannot read the request: {_reason(e)}", str(path)) from None


def _reason(e: Exception) -> str:
    return e.strerror if isinstance(e, OSError) and e.strerror else str(e)


def _named_pipelines(path: Path | None) -> dict[str, Any] | None:
    from fleetpkg.ingest.files import load_structured

    if path is None:
        return None
    try:
        pipelines = load_structured(path)
    except (OSError, ValueError) as e:
        raise fail(str(e), str(path)) from None
    if not isinstance(pipelines, dict):
        raise fail("expected a map of pipeline name to definition", str(path))
    return pipelines


def _print(body: dict[str, Any]) -> None:
    print(json.dumps(body, indent=2, ensure_ascii=False))

"""Command-line entry point of the ingest engine: ``simulate`` (stdin → ES response)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from .errors import IngestError


def register(subparsers: Any) -> None:
    """Add ``simulate`` to the ``fleetpkg`` CLI."""
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="fleetpkg")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    result: int = args.func(args)
    return result

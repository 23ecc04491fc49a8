"""Command line: `fleetpkg build` and `fleetpkg check` (load → validate → render → write)."""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from fleetpkg import __version__
from fleetpkg.check import check_built
from fleetpkg.errors import FleetpkgError, LoadError, Location, Problem
from fleetpkg.load import load_package
from fleetpkg.model import DataStream
from fleetpkg.render import render
from fleetpkg.validate import data_stream_problems, validate
from fleetpkg.writer import stale, write, zip_package

INGEST_COMMANDS = "fleetpkg.ingest.command"
# Modules that add their own subcommands: each has ``register(subparsers)``.
PLUGIN_COMMANDS = (
    INGEST_COMMANDS,
    "fleetpkg.benchmarks",
    "fleetpkg.testing.command",
    "fleetpkg.policy.command",
    "fleetpkg.live.command",
    "fleetpkg.system.command",
)


def _rendered(source: Path, dev: bool = False) -> tuple[str, str, dict[str, bytes]]:
    """Load, validate and render; problem paths are shown relative to the working directory."""
    prefix = _shown(source)
    try:
        package = validate(load_package(source))
    except LoadError as err:
        streams = [ds for ds in err.partial if isinstance(ds, DataStream)]
        more = [p for ds in streams for p in data_stream_problems(ds)]
        raise FleetpkgError(p.under(prefix) for p in [*err.problems, *more]) from None
    except FleetpkgError as err:
        raise FleetpkgError(p.under(prefix) for p in err.problems) from None
    return package.manifest.name, package.manifest.version, render(package, None, dev)


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix() or "."
    except ValueError:
        return path.as_posix()


def cmd_build(args: argparse.Namespace) -> int:
    source: Path = args.source
    out: Path = args.out or source / "package"
    if out.resolve() == source.resolve():
        message = "--out must not be the source directory"
        raise FleetpkgError([Problem(Location(_shown(out)), message)])
    name, version, files = _rendered(source, args.with_dev)
    if args.check:
        changed = stale(files, out)
        for rel in changed:
            print(f"{_shown(out / rel)}: stale (rebuild with `fleetpkg build`)", file=sys.stderr)
        if changed:
            print(f"{len(changed)} stale file(s) in {_shown(out)}", file=sys.stderr)
            return 1
        print(f"{_shown(out)} is up to date")
        return 0
    changed = write(files, out)
    print(f"wrote {_shown(out)} ({len(files)} files, {len(changed)} changed)")
    if not args.no_zip:
        zip_dir: Path = args.zip_dir or source / "build"
        print(f"wrote {_shown(zip_package(files, name, version, zip_dir))}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    _, _, files = _rendered(args.source)
    problems = check_built(files, _shown(args.source / "package"))
    if args.json:
        print(json.dumps([p.as_dict() for p in problems], indent=2))
    else:
        _print(problems, sys.stderr)
    if not problems and not args.json:
        print(f"{_shown(args.source)}: ok")
    return 1 if problems else 0


def _print(problems: Sequence[Problem], out: TextIO) -> None:
    for problem in problems:
        print(problem, file=out)
    if problems:
        print(f"{len(problems)} problem(s)", file=out)


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--source", type=Path, default=Path("."), help="package source directory")
    parser.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help="tracebacks"
    )


def build_parser(debug: bool = False) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fleetpkg", description=__doc__)
    parser.add_argument("--version", action="version", version=f"fleetpkg {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    build = sub.add_parser("build", help="render the package (and its zip) from the sources")
    _add_common(build)
    build.add_argument("--out", type=Path, help="package directory (default: SOURCE/package)")
    build.add_argument("--zip-dir", type=Path, help="zip directory (default: SOURCE/build)")
    build.add_argument("--no-zip", action="store_true", help="do not write the zip")
    build.add_argument("--check", action="store_true", help="only report stale files; exit 1")
    build.add_argument(
        "--with-dev",
        action="store_true",
        help="also copy each data stream's _dev/ (pipeline tests) into --out; not for package/",
    )
    build.set_defaults(func=cmd_build)
    check = sub.add_parser("check", help="validate the sources and the package they build")
    _add_common(check)
    check.add_argument("--json", action="store_true", help="print problems as JSON")
    check.set_defaults(func=cmd_check)
    _register_plugins(sub, debug)
    return parser


def _register_plugins(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], debug: bool
) -> None:
    """Let the ingest engine add its commands (simulate, benchmark) once it exists.

    The engine is optional: when it is missing or fails to import, build and check still work.
    """
    for module in PLUGIN_COMMANDS:
        try:
            if _exists(module):
                importlib.import_module(module).register(sub)
        except Exception as err:  # a broken optional plugin must not break build/check
            if debug:
                print(f"fleetpkg: commands of {module} unavailable: {err!r}", file=sys.stderr)


def _exists(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:  # its parent package is not there
        return False


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(debug="--debug" in argv)
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
    except FleetpkgError as err:
        if getattr(args, "json", False):
            print(json.dumps([p.as_dict() for p in err.problems], indent=2))
        _print(err.problems, sys.stderr)
        return 1
    except Exception as err:  # the one place that turns crashes into messages
        if args.debug:
            traceback.print_exc()
        else:
            print(
                f"fleetpkg: internal error: {err} (run with --debug for details)", file=sys.stderr
            )
        return 1
    return code

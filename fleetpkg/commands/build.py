"""``fleetpkg build`` and ``fleetpkg check``: load → validate → render → write or check."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fleetpkg.errors import FleetpkgError, fail

from .options import add_source, shown


def _rendered(source: Path, dev: bool = False) -> tuple[str, str, dict[str, bytes]]:
    """Load, validate and render; problem paths are shown relative to the working directory."""
    from fleetpkg.errors import LoadError, raise_if
    from fleetpkg.hbscheck import built_template_problems
    from fleetpkg.load import load_package
    from fleetpkg.model import DataStream
    from fleetpkg.render import render
    from fleetpkg.resolve import data_stream_problems, validate

    prefix = shown(source)
    try:
        package = validate(load_package(source))
    except LoadError as err:
        streams = [ds for ds in err.partial if isinstance(ds, DataStream)]
        more = [p for ds in streams for p in data_stream_problems(ds)]
        raise FleetpkgError(p.under(prefix) for p in [*err.problems, *more]) from None
    except FleetpkgError as err:
        raise FleetpkgError(p.under(prefix) for p in err.problems) from None
    files = render(package, None, dev)
    # Agent templates are copied as they are: Handlebars.js must be able to parse each one.
    raise_if(built_template_problems(files, prefix))
    return package.manifest.name, package.manifest.version, files


def configure_build(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Load, validate and render the package source into --out (exactly the generated "
        "files) and write the Kibana upload zip. Builds are byte-reproducible."
    )
    add_source(parser)
    parser.add_argument("--out", type=Path, help="package directory (default: SOURCE/package)")
    parser.add_argument("--zip-dir", type=Path, help="zip directory (default: SOURCE/build)")
    parser.add_argument("--no-zip", action="store_true", help="do not write the zip")
    parser.add_argument("--check", action="store_true", help="only report stale files; exit 1")
    parser.add_argument(
        "--with-dev",
        action="store_true",
        help="also copy the _dev/ test assets into --out (for tests); never for package/",
    )


def run_build(args: argparse.Namespace) -> int:
    from fleetpkg.writer import stale, write, zip_package

    source: Path = args.source
    out: Path = args.out or source / "package"
    if out.resolve() == source.resolve():
        raise fail("--out must not be the source directory", shown(out))
    name, version, files = _rendered(source, args.with_dev)
    if args.check:
        changed = stale(files, out)
        for rel in changed:
            print(f"{shown(out / rel)}: stale (rebuild with `fleetpkg build`)", file=sys.stderr)
        if changed:
            print(f"{len(changed)} stale file(s) in {shown(out)}", file=sys.stderr)
            return 1
        print(f"{shown(out)} is up to date")
        return 0
    changed = write(files, out)
    print(f"wrote {shown(out)} ({len(files)} files, {len(changed)} changed)")
    if not args.no_zip:
        zip_dir: Path = args.zip_dir or source / "build"
        print(f"wrote {shown(zip_package(files, name, version, zip_dir))}")
    return 0


def configure_check(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Validate the source, render it in memory and check the result against the "
        "package-spec rules for the parts fleetpkg generates."
    )
    add_source(parser)
    parser.add_argument("--json", action="store_true", help="print problems as JSON")


def run_check(args: argparse.Namespace) -> int:
    from fleetpkg.check import check_built

    _, _, files = _rendered(args.source)
    problems = check_built(files, shown(args.source / "package"))
    if problems:
        raise FleetpkgError(problems)  # printed (and as JSON with --json) by the command line
    print("[]" if args.json else f"{shown(args.source)}: ok")
    return 0

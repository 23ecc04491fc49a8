"""Command line: ``fleetpkg test pipeline`` (wired into the main CLI through ``register``)."""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path
from typing import Any

from fleetpkg.argtypes import positive_int

from .coverage import Coverage
from .coverage_xml import cobertura, generic
from .geoip import resolve_geoip_dir
from .package import PackageError
from .report import render
from .results import RunOptions
from .runner import run_package


def test_kinds(subparsers: Any) -> Any:
    """The subcommands of ``test`` (created once; other modules may add their own kinds)."""
    test = subparsers.choices.get("test")
    if test is None:
        test = subparsers.add_parser(
            "test", help="run package tests", description="Run a package's tests without a stack."
        )
    for action in test._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    return test.add_subparsers(dest="test_kind", required=True, metavar="KIND")


def pipeline_parser(subparsers: Any) -> argparse.ArgumentParser | None:
    """The ``test pipeline`` parser, for modules that add options (e.g. ``--es``).

    Such a module sets ``make_backend`` with ``set_defaults``: a callable taking the parsed
    arguments and returning a BackendFactory, or None to keep the embedded engine.
    """
    test = subparsers.choices.get("test")
    if test is None:
        return None
    found: argparse.ArgumentParser | None = test_kinds(subparsers).choices.get("pipeline")
    return found


def register(subparsers: Any) -> None:
    """Add ``test`` with its ``pipeline`` subcommand to the ``fleetpkg`` CLI."""
    kinds = test_kinds(subparsers)
    pipe = kinds.add_parser(
        "pipeline",
        help="run data_stream/*/_dev/test/pipeline cases on the embedded ingest engine",
        description=(
            "Run elastic-package style pipeline tests (test-*.log, test-*.json, -config.yml, "
            "-expected.json) of a package on the embedded ingest engine, compare results with "
            "the expected files and validate fields. Statuses: pass, fail, skip, error (the case "
            "cannot run) and unsupported (the embedded engine lacks a feature the pipeline uses). "
            "Exit status 1 unless every case passed or was skipped."
        ),
    )
    pipe.add_argument("--package", type=Path, default=Path("."), metavar="DIR", help="package root")
    pipe.add_argument(
        "--data-stream",
        dest="data_streams",
        action="append",
        default=[],
        metavar="NAME",
        help="only this data stream (repeatable; comma-separated lists accepted)",
    )
    pipe.add_argument(
        "--case",
        dest="cases",
        action="append",
        default=[],
        metavar="GLOB",
        help="only test case files matching GLOB, e.g. 'test-access*.log' (repeatable)",
    )
    pipe.add_argument(
        "--fail-on-missing",
        action="store_true",
        help="fail for data streams that have ingest pipelines but no pipeline tests",
    )
    pipe.add_argument("--generate", "-g", action="store_true", help="write -expected.json files")
    pipe.add_argument("--coverage", action="store_true", help="report processor coverage")
    pipe.add_argument(
        "--coverage-format",
        type=str.lower,
        choices=("cobertura", "generic"),
        help="also write a coverage file (implies --coverage)",
    )
    pipe.add_argument(
        "--coverage-output",
        type=Path,
        metavar="FILE",
        help="coverage file (default: build/test-coverage/coverage-<package>-pipeline-report.xml)",
    )
    pipe.add_argument(
        "--report-format",
        type=str.lower,
        choices=("human", "json", "xunit"),
        default="human",
        help="output format (default: human)",
    )
    pipe.add_argument("--report-output", type=Path, metavar="FILE", help="write the report here")
    pipe.add_argument(
        "--jobs", "-j", type=positive_int, default=1, metavar="N", help="data streams in parallel"
    )
    pipe.add_argument(
        "--geoip-dir",
        metavar="DIR",
        help="GeoIP databases (default $FLEETPKG_GEOIP_DIR); MaxMind's GeoLite2-*-Test.mmdb "
        "files are used under the names ES gives them",
    )
    if importlib.util.find_spec("fleetpkg.live") is not None:
        from fleetpkg.live.command import add_es_arguments

        add_es_arguments(pipe)  # --es URL: the same tests on a real cluster
    pipe.set_defaults(func=run_pipeline_tests)
    if importlib.util.find_spec("fleetpkg.system") is not None:
        from fleetpkg.system.command import SYSTEM_TEST_DESCRIPTION, configure_system_test

        configure_system_test(
            kinds.add_parser(
                "system",
                help="run the CEL stream programs against the Cloudflare API simulator",
                description=SYSTEM_TEST_DESCRIPTION,
            )
        )


def run_pipeline_tests(args: argparse.Namespace) -> int:
    if getattr(args, "es", None):
        from fleetpkg.live.command import run_es_tests

        return run_es_tests(args)
    names = tuple(n for item in args.data_streams for n in item.split(",") if n)
    options = RunOptions(
        data_streams=names,
        generate=args.generate,
        coverage=args.coverage or args.coverage_format is not None,
        jobs=args.jobs,
        geoip_dir=resolve_geoip_dir(args.geoip_dir),
        cases=tuple(args.cases),
        fail_on_missing=args.fail_on_missing,
    )
    make_backend = getattr(args, "make_backend", None)
    factory = make_backend(args) if make_backend is not None else None
    try:
        result = run_package(args.package, options, factory)
    except PackageError as err:
        print(f"fleetpkg test pipeline: {err}", file=sys.stderr)
        return 1
    if args.coverage_format is not None and result.coverage is not None:
        _write_coverage(args, result.package, result.coverage)
    text = render(result, args.report_format)
    if args.report_output is not None:
        args.report_output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0 if result.ok else 1


def _write_coverage(args: argparse.Namespace, package: str, coverage: Coverage) -> None:
    default = Path("build", "test-coverage", f"coverage-{package}-pipeline-report.xml")
    path: Path = args.coverage_output or default
    if args.coverage_format == "generic":
        text = generic(coverage)
    else:
        text = cobertura(coverage, package, str(args.package.resolve()))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"coverage report written to {path}", file=sys.stderr)

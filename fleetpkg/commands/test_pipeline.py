"""``fleetpkg test pipeline``: elastic-package pipeline tests on the embedded engine or ``--es``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from fleetpkg.argtypes import positive_int
from fleetpkg.errors import UsageError, fail

if TYPE_CHECKING:
    from fleetpkg.testing.coverage import Coverage

from .options import add_data_streams, add_package_root, add_report_options, data_stream_names

DESCRIPTION = (
    "Run elastic-package style pipeline tests (test-*.log, test-*.json, -config.yml, "
    "-expected.json) of a package on the embedded ingest engine, compare results with the "
    "expected files and validate fields. Statuses: pass, fail, skip, error (the case cannot "
    "run) and unsupported (the embedded engine lacks a feature the pipeline uses). With --es, "
    "the same tests run on a cluster and a fidelity report compares it with the engine. "
    "Exit status 1 unless every case passed or was skipped."
)


def add_geoip_dir(parser: argparse.ArgumentParser) -> None:
    from fleetpkg.geoip_data import geoip_dir_arg

    parser.add_argument(
        "--geoip-dir",
        type=geoip_dir_arg,
        metavar="DIR",
        help="GeoIP databases (GeoLite2-{ASN,City,Country}.mmdb, or MaxMind's -Test names); "
        "default: the shipped test databases, which answer like elastic-package's stack",
    )


def chosen_geoip_dir(args: argparse.Namespace) -> Path:
    """``--geoip-dir``, else the shipped test databases."""
    from fleetpkg.geoip_data import GEOIP_TEST_DIR

    return Path(args.geoip_dir) if args.geoip_dir is not None else GEOIP_TEST_DIR


def configure_pipeline(parser: argparse.ArgumentParser) -> None:
    parser.description = DESCRIPTION
    add_package_root(parser)
    add_data_streams(parser)
    parser.add_argument(
        "--case",
        dest="cases",
        action="append",
        default=[],
        metavar="GLOB",
        help="only test case files matching GLOB, e.g. 'test-access*.log' (repeatable)",
    )
    parser.add_argument(
        "--fail-on-missing",
        action="store_true",
        help="fail for data streams that have ingest pipelines but no pipeline tests",
    )
    parser.add_argument("--generate", "-g", action="store_true", help="write -expected.json files")
    parser.add_argument("--coverage", action="store_true", help="report processor coverage")
    parser.add_argument(
        "--coverage-format",
        type=str.lower,
        choices=("cobertura", "generic"),
        help="also write a coverage file (implies --coverage)",
    )
    parser.add_argument(
        "--coverage-output",
        type=Path,
        metavar="FILE",
        help="coverage file (default: build/test-coverage/coverage-<package>-pipeline-report.xml)",
    )
    add_report_options(parser, ("human", "json", "xunit"))
    parser.add_argument(
        "--jobs", "-j", type=positive_int, default=1, metavar="N", help="data streams in parallel"
    )
    add_geoip_dir(parser)
    from .live import add_connection_arguments

    group = parser.add_argument_group("live Elasticsearch")
    group.add_argument("--es", metavar="URL", help="run the tests on this cluster and compare")
    add_connection_arguments(parser)


def run_pipeline(args: argparse.Namespace) -> int:
    if args.es:
        from .live import run_es_pipeline_tests

        return run_es_pipeline_tests(args)
    from fleetpkg.packagedir import PackageError
    from fleetpkg.testing.report import render
    from fleetpkg.testing.results import RunOptions
    from fleetpkg.testing.runner import run_package

    options = RunOptions(
        data_streams=data_stream_names(args.data_streams),
        generate=args.generate,
        coverage=args.coverage or args.coverage_format is not None,
        jobs=args.jobs,
        geoip_dir=str(chosen_geoip_dir(args)),
        cases=tuple(args.cases),
        fail_on_missing=args.fail_on_missing,
    )
    try:
        result = run_package(args.package, options)
    except PackageError as err:
        raise fail(err.message, err.path, err.line, err.col) from None
    if args.coverage_format is not None and result.coverage is not None:
        _write_coverage(args, result.package, result.coverage)
    write_report(render(result, args.report_format), args.report_output)
    return 0 if result.ok else 1


def write_report(text: str, output: Path | None) -> None:
    if output is not None:
        output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


def _write_coverage(args: argparse.Namespace, package: str, coverage: Coverage) -> None:
    from fleetpkg.testing.coverage_xml import cobertura, generic

    default = Path("build", "test-coverage", f"coverage-{package}-pipeline-report.xml")
    path: Path = args.coverage_output or default
    if args.coverage_format == "generic":
        text = generic(coverage)
    else:
        text = cobertura(coverage, package, str(args.package.resolve()))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"coverage report written to {path}", file=sys.stderr)


def refuse_with_es(args: argparse.Namespace) -> None:
    for option in ("generate", "coverage"):
        if getattr(args, option, False):
            raise UsageError(f"--{option} is not supported with --es")

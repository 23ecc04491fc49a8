"""Options and path display shared by the command modules."""

from __future__ import annotations

import argparse
from pathlib import Path


def shown(path: Path) -> str:
    """The path as the user sees it: relative to the working directory when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix() or "."
    except ValueError:
        return path.as_posix()


def add_source(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--source", type=Path, default=Path("."), metavar="DIR", help="package source (default .)"
    )


def add_data_streams(parser: argparse.ArgumentParser) -> None:
    """``--data-stream NAME``: repeatable, comma-separated lists accepted (``data_streams``)."""
    parser.add_argument(
        "--data-stream",
        dest="data_streams",
        action="append",
        default=[],
        metavar="NAME",
        help="only this data stream (repeatable; comma-separated lists accepted)",
    )


def data_stream_names(values: list[str]) -> tuple[str, ...]:
    """The names ``--data-stream`` collected."""
    return tuple(n for item in values for n in item.split(",") if n)


def add_package_root(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--package", type=Path, default=Path("."), metavar="DIR", help="package root (default .)"
    )


def add_report_options(parser: argparse.ArgumentParser, formats: tuple[str, ...]) -> None:
    parser.add_argument(
        "--report-format",
        type=str.lower,
        choices=formats,
        default=formats[0],
        help=f"output format (default: {formats[0]})",
    )
    parser.add_argument("--report-output", type=Path, metavar="FILE", help="write the report here")

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

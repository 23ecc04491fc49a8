"""Fixtures for the unit tests: a writable copy of a fixture package and a CLI runner."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from fleetpkg.cli import main

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

Edit = Callable[[str, str, str], None]
Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def pkg(tmp_path: Path) -> Path:
    """A fresh copy of tests/fixtures/minimal."""
    target = tmp_path / "minimal"
    shutil.copytree(FIXTURES / "minimal", target)
    return target


@pytest.fixture
def edit(pkg: Path) -> Edit:
    """Replace the first occurrence of old by new in a file of the copied package."""

    def apply(rel: str, old: str, new: str) -> None:
        path = pkg / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {rel}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return apply


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Run:
    """Run `fleetpkg ARGV…` in-process; return (exit code, stdout, stderr)."""

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run

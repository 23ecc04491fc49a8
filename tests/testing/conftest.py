"""Shared helpers for the pipeline-test runner tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "pipeline_packages"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def copy_package(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Copy a fixture package into tmp_path (for tests that write expected files)."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(FIXTURES / name, target)
        return target

    return copy

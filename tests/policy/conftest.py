"""Policy tests run on the committed built package (package/) of the repository."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "package"


@pytest.fixture
def package_dir() -> Path:
    return PACKAGE

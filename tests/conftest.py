"""Shared by all test folders: where the repository and its test fixtures are."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def geoip_dir() -> Path:
    """The GeoIP test databases fleetpkg ships (GeoLite2-City.mmdb …, as elastic-package's
    stack has them): committed files, nothing is downloaded."""
    from fleetpkg.testing.geoip import DEFAULT_GEOIP_DIR

    return DEFAULT_GEOIP_DIR

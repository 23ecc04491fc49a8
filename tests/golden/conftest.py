"""The Cloudflare package built with its pipeline tests (_dev) into a temporary directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from fleetpkg.geoip_data import GEOIP_TEST_DIR
from fleetpkg.load import load_package
from fleetpkg.render import render
from fleetpkg.resolve import validate
from fleetpkg.writer import write

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def geoip_dir() -> Path:
    """The shipped GeoIP test databases (as elastic-package's stack has them)."""
    return GEOIP_TEST_DIR


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory, geoip_dir: Path) -> Path:
    """`fleetpkg build --with-dev` of the repository's sources."""
    out = tmp_path_factory.mktemp("cloudflare")
    write(render(validate(load_package(ROOT)), None, True), out)
    return out

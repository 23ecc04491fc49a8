"""Shared by all test folders: where the repository and its test fixtures are."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def geoip_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """MaxMind's test databases under their production names (GeoLite2-City.mmdb …).

    Fetched once into .cache/geoip by scripts/fetch_geoip_test_dbs.py; skipped with the reason
    only when the package registry cannot be reached.
    """
    script = ROOT / "scripts" / "fetch_geoip_test_dbs.py"
    spec = importlib.util.spec_from_file_location("fetch_geoip_test_dbs", script)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    try:
        source = module.fetch()
    except RuntimeError as exc:
        pytest.skip(f"cannot download the maxminddb sdist with MaxMind's test databases: {exc}")
    named = tmp_path_factory.mktemp("geoip")
    for kind in ("City", "Country", "ASN"):
        (named / f"GeoLite2-{kind}.mmdb").symlink_to(source / f"GeoLite2-{kind}-Test.mmdb")
    return Path(named)

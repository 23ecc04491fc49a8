"""geoip falls back to MaxMind's ``-Test`` databases under the names ES's test clusters use."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from ingest_helpers import run_one

from fleetpkg.ingest.processors.enrich_geoip import ENV_DIR, find_database

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "fetch_geoip_test_dbs.py"


def test_find_database_prefers_the_exact_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_DIR, str(tmp_path))
    (tmp_path / "GeoLite2-City-Test.mmdb").write_bytes(b"")
    (tmp_path / "GeoLite2-ASN-Test.mmdb").write_bytes(b"")
    (tmp_path / "GeoLite2-ASN.mmdb").write_bytes(b"")
    assert find_database("GeoLite2-City.mmdb") == tmp_path / "GeoLite2-City-Test.mmdb"
    assert find_database("GeoLite2-ASN.mmdb") == tmp_path / "GeoLite2-ASN.mmdb"
    assert find_database("GeoLite2-Country.mmdb") is None
    assert find_database("GeoLite2-City-Test.mmdb") == tmp_path / "GeoLite2-City-Test.mmdb"
    assert find_database("GeoLite2-City-Test-Test.mmdb") is None


def test_pipeline_uses_test_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = importlib.util.spec_from_file_location("fetch_geoip_test_dbs", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    try:
        source = module.fetch()
    except RuntimeError as exc:
        pytest.skip(f"cannot download the maxminddb sdist with MaxMind's test databases: {exc}")
    for kind in ("City", "ASN"):
        name = f"GeoLite2-{kind}-Test.mmdb"
        (tmp_path / name).symlink_to(source / name)
    monkeypatch.setenv(ENV_DIR, str(tmp_path))
    out = run_one(
        [
            {"geoip": {"field": "ip", "properties": ["country_iso_code", "city_name"]}},
            {"geoip": {"field": "ip", "database_file": "GeoLite2-ASN.mmdb", "target_field": "as"}},
            {
                "geoip": {
                    "field": "ip",
                    "database_file": "GeoLite2-Country.mmdb",
                    "target_field": "c",
                }
            },
        ],
        {"ip": "89.160.20.156"},
    )
    assert out["geoip"] == {"country_iso_code": "SE", "city_name": "Linköping"}
    assert out["as"] == {
        "ip": "89.160.20.156",
        "asn": 29518,
        "organization_name": "Bredband2 AB",
        "network": "89.160.0.0/17",
    }
    assert out["tags"] == ["_geoip_database_unavailable_GeoLite2-Country.mmdb"]

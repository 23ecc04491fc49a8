"""geoip falls back to MaxMind's ``-Test`` databases under the names ES's test clusters use."""

from __future__ import annotations

from pathlib import Path

from ingest_helpers import run_one

from fleetpkg.ingest.processors.enrich_geoip import find_database
from fleetpkg.testing.geoip import DEFAULT_GEOIP_DIR


def test_find_database_prefers_the_exact_name(tmp_path: Path) -> None:
    (tmp_path / "GeoLite2-City-Test.mmdb").write_bytes(b"")
    (tmp_path / "GeoLite2-ASN-Test.mmdb").write_bytes(b"")
    (tmp_path / "GeoLite2-ASN.mmdb").write_bytes(b"")
    assert find_database(tmp_path, "GeoLite2-City.mmdb") == tmp_path / "GeoLite2-City-Test.mmdb"
    assert find_database(tmp_path, "GeoLite2-ASN.mmdb") == tmp_path / "GeoLite2-ASN.mmdb"
    assert find_database(tmp_path, "GeoLite2-Country.mmdb") is None
    assert (
        find_database(tmp_path, "GeoLite2-City-Test.mmdb") == tmp_path / "GeoLite2-City-Test.mmdb"
    )
    assert find_database(tmp_path, "GeoLite2-City-Test-Test.mmdb") is None
    assert find_database(tmp_path, "../GeoLite2-ASN.mmdb") is None
    assert find_database(None, "GeoLite2-ASN.mmdb") is None


def test_the_shipped_databases_have_the_production_names() -> None:
    for kind in ("City", "Country", "ASN"):
        name = f"GeoLite2-{kind}.mmdb"
        assert find_database(DEFAULT_GEOIP_DIR, name) == DEFAULT_GEOIP_DIR / name


def test_pipeline_uses_test_database(tmp_path: Path) -> None:
    for kind in ("City", "ASN"):
        (tmp_path / f"GeoLite2-{kind}-Test.mmdb").symlink_to(
            DEFAULT_GEOIP_DIR / f"GeoLite2-{kind}.mmdb"
        )
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
        geoip_dir=tmp_path,
    )
    assert out["geoip"] == {"country_iso_code": "SE", "city_name": "Linköping"}
    assert out["as"] == {
        "ip": "89.160.20.156",
        "asn": 29518,
        "organization_name": "Bredband2 AB",
        "network": "89.160.0.0/17",
    }
    assert out["tags"] == ["_geoip_database_unavailable_GeoLite2-Country.mmdb"]

"""GeoIP directory resolution: env default and MaxMind test files under ES's names."""

from __future__ import annotations

from pathlib import Path

import pytest

from fleetpkg.testing.geoip import es_named_dir, resolve_geoip_dir


def test_test_databases_get_es_names(tmp_path: Path) -> None:
    (tmp_path / "GeoLite2-City-Test.mmdb").write_bytes(b"city")
    (tmp_path / "GeoLite2-ASN-Test.mmdb").write_bytes(b"asn")
    named = es_named_dir(tmp_path)
    assert named == tmp_path / "es"
    assert (named / "GeoLite2-City.mmdb").read_bytes() == b"city"
    assert (named / "GeoLite2-ASN.mmdb").read_bytes() == b"asn"
    (tmp_path / "GeoLite2-City-Test.mmdb").write_bytes(b"city2")
    assert (es_named_dir(tmp_path) / "GeoLite2-City.mmdb").read_bytes() == b"city2"


def test_directory_with_es_names_is_used_as_is(tmp_path: Path) -> None:
    (tmp_path / "GeoLite2-City.mmdb").write_bytes(b"x")
    assert es_named_dir(tmp_path) == tmp_path
    assert not (tmp_path / "es").exists()


def test_default_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "GeoLite2-Country-Test.mmdb").write_bytes(b"c")
    monkeypatch.setenv("FLEETPKG_GEOIP_DIR", str(tmp_path))
    assert resolve_geoip_dir(None) == str(tmp_path / "es")
    monkeypatch.delenv("FLEETPKG_GEOIP_DIR")
    assert resolve_geoip_dir(None) is None
    assert resolve_geoip_dir(str(tmp_path / "missing")) == str(tmp_path / "missing")

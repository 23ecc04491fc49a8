"""GeoIP in pipeline tests: the shipped databases by default, --geoip-dir, the test IPs."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import pytest

from fleetpkg.testing import RunOptions, run_package
from fleetpkg.testing.embedded import EmbeddedBackend
from fleetpkg.testing.geoip import (
    DEFAULT_GEOIP_DIR,
    allowed_networks,
    geoip_networks,
    missing_databases,
)


def test_shipped_databases_are_the_default(fixtures: Path) -> None:
    for name in ("geo", "geoip_stack"):
        result = run_package(fixtures / name)
        assert [(c.status, c.details, c.warnings) for c in result.cases] == [("pass", (), ())]
    assert EmbeddedBackend().geoip_dir == DEFAULT_GEOIP_DIR


def test_geoip_dir_feeds_the_geoip_processor(fixtures: Path, tmp_path: Path) -> None:
    (tmp_path / "GeoLite2-City-Test.mmdb").symlink_to(DEFAULT_GEOIP_DIR / "GeoLite2-City.mmdb")
    result = run_package(fixtures / "geo", RunOptions(geoip_dir=str(tmp_path)))
    assert [c.status for c in result.cases] == ["pass"]


def test_missing_database_is_named_not_blamed_on_the_ip(fixtures: Path, tmp_path: Path) -> None:
    (case,) = run_package(fixtures / "geo", RunOptions(geoip_dir=str(tmp_path))).cases
    assert case.status == "fail"
    assert "_geoip_database_unavailable_GeoLite2-City.mmdb" in case.diff
    assert case.details[0] == (
        f"no GeoIP database for GeoLite2-City.mmdb in {tmp_path} (the geoip processor tagged "
        "the documents _geoip_database_unavailable_GeoLite2-City.mmdb)"
    )
    assert not any("not one of the allowed test IPs" in d for d in case.details)


def test_an_expected_unavailable_tag_passes_with_a_warning(
    copy_package,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    package = copy_package("geo")
    empty = tmp_path / "empty"
    empty.mkdir()
    options = RunOptions(geoip_dir=str(empty))
    run_package(package, RunOptions(geoip_dir=str(empty), generate=True))
    (case,) = run_package(package, options).cases
    assert case.status == "pass"
    assert case.warnings == (
        f"no GeoIP database for GeoLite2-City.mmdb in {empty} (the geoip processor tagged "
        "the documents _geoip_database_unavailable_GeoLite2-City.mmdb)",
    )


def test_ips_outside_the_test_networks_are_still_reported(
    copy_package,  # type: ignore[no-untyped-def]
) -> None:
    package = copy_package("geo")
    log = package / "data_stream" / "conn" / "_dev" / "test" / "pipeline" / "test-geo.log"
    log.write_text("8.8.8.8\n", encoding="utf-8")
    run_package(package, RunOptions(generate=True))
    (case,) = run_package(package).cases
    assert case.status == "fail"
    assert any('the IP "8.8.8.8" is not one of the allowed test IPs' in d for d in case.details)


def test_networks_of_the_test_databases(geoip_dir: Path) -> None:
    networks = geoip_networks(str(geoip_dir))
    for ip in ("89.160.20.156", "192.0.2.100", "2001:db8::1", "3fff::1", "67.43.156.13"):
        assert any(ipaddress.ip_address(ip) in n for n in networks), ip
    assert not any(ipaddress.ip_address("8.8.8.8") in n for n in networks)
    assert geoip_networks(None) == ()
    assert geoip_networks(str(geoip_dir / "missing")) == ()


def test_allowed_networks_always_include_the_shipped_ones(tmp_path: Path) -> None:
    shipped = geoip_networks(DEFAULT_GEOIP_DIR)
    assert allowed_networks(None) == shipped
    assert allowed_networks(str(DEFAULT_GEOIP_DIR)) == shipped
    assert allowed_networks(str(tmp_path)) == shipped
    (tmp_path / "GeoLite2-ASN.mmdb").symlink_to(DEFAULT_GEOIP_DIR / "GeoLite2-ASN.mmdb")
    assert len(allowed_networks(str(tmp_path))) > len(shipped)


def test_missing_databases_lists_each_tagged_database_once(tmp_path: Path) -> None:
    docs = [
        {"tags": ["x", "_geoip_database_unavailable_GeoLite2-ASN.mmdb"]},
        None,
        {"tags": "_geoip_database_unavailable_GeoLite2-City.mmdb"},
        {"tags": ["_geoip_database_unavailable_GeoLite2-ASN.mmdb"]},
        {"message": "no tags"},
    ]
    notes = missing_databases(docs, str(tmp_path))
    assert [n.split(" in ")[0] for n in notes] == [
        "no GeoIP database for GeoLite2-ASN.mmdb",
        "no GeoIP database for GeoLite2-City.mmdb",
    ]
    assert missing_databases([{"tags": ["x"]}], None) == []


def test_the_environment_is_neither_read_nor_changed(
    fixtures: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FLEETPKG_GEOIP_DIR", str(tmp_path))
    (case,) = run_package(fixtures / "geo").cases
    assert case.status == "pass"
    import os

    assert os.environ["FLEETPKG_GEOIP_DIR"] == str(tmp_path)

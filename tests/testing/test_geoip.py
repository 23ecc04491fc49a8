"""--geoip-dir: databases for the geoip processor and the extra allowed test IPs."""

from __future__ import annotations

from pathlib import Path

from fleetpkg.testing import RunOptions, run_package
from fleetpkg.testing.geoip import geoip_networks


def test_geoip_dir_feeds_the_geoip_processor(fixtures: Path, geoip_dir: Path) -> None:
    result = run_package(fixtures / "geo", RunOptions(geoip_dir=str(geoip_dir)))
    assert [c.status for c in result.cases] == ["pass"]


def test_without_databases_results_differ_and_ip_is_not_allowed(fixtures: Path) -> None:
    (case,) = run_package(fixtures / "geo").cases
    assert case.status == "fail"
    assert "_geoip_database_unavailable_GeoLite2-City.mmdb" in case.diff
    assert any(
        'the IP "89.160.20.156" is not one of the allowed test IPs' in d for d in case.details
    )


def test_networks_of_the_test_databases(geoip_dir: Path) -> None:
    networks = geoip_networks(str(geoip_dir))
    assert networks
    import ipaddress

    assert any(ipaddress.ip_address("89.160.20.156") in n for n in networks)
    assert geoip_networks(None) == ()
    assert geoip_networks(str(geoip_dir / "missing")) == ()


def test_environment_is_restored(fixtures: Path, geoip_dir: Path) -> None:
    import os

    before = os.environ.get("FLEETPKG_GEOIP_DIR")
    run_package(fixtures / "geo", RunOptions(geoip_dir=str(geoip_dir)))
    assert os.environ.get("FLEETPKG_GEOIP_DIR") == before

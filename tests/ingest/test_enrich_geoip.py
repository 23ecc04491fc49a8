"""geoip processor against the shipped GeoLite2 test databases (elastic-package's stack data)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ingest_helpers import run_one

from fleetpkg.ingest import IngestError, simulate
from fleetpkg.ingest.processors.enrich_geoip import find_database
from fleetpkg.ingest.processors.enrich_geoip_data import java_network
from fleetpkg.testing.geoip import DEFAULT_GEOIP_DIR

SWEDEN = "89.160.20.156"
LONDON = "81.2.69.142"
NORWAY = "2a02:cf40:add:4002:91f2:a9b2:e09a:6fc6"
LINKOPING = {
    "continent_name": "Europe",
    "country_name": "Sweden",
    "country_iso_code": "SE",
    "region_iso_code": "SE-E",
    "region_name": "Östergötland County",
    "city_name": "Linköping",
    "location": {"lat": 58.4167, "lon": 15.6167},
}


def one(processors: list[dict[str, Any]], source: dict[str, Any]) -> Any:
    return run_one(processors, source, geoip_dir=DEFAULT_GEOIP_DIR)


def geo(ip: Any, **options: Any) -> Any:
    out = one([{"geoip": {"field": "ip", **options}}], {"ip": ip})
    if "reason" in out:
        return out
    return out.get(options.get("target_field", "geoip"))


def test_city_defaults() -> None:
    assert geo(SWEDEN) == LINKOPING
    assert geo(LONDON)["country_iso_code"] == "GB"
    assert geo(NORWAY)["country_iso_code"] == "NO"


def test_city_properties() -> None:
    props = ["ip", "timezone", "continent_code", "accuracy_radius", "country_in_european_union"]
    assert geo(SWEDEN, properties=props) == {
        "ip": SWEDEN,
        "timezone": "Europe/Stockholm",
        "continent_code": "EU",
        "accuracy_radius": 76,
        "country_in_european_union": True,
    }
    registered = ["registered_country_iso_code", "registered_country_name"]
    assert geo(SWEDEN, properties=registered) == {
        "registered_country_iso_code": "DE",
        "registered_country_name": "Germany",
    }


def test_country_database() -> None:
    assert geo(SWEDEN, database_file="GeoLite2-Country.mmdb") == {
        "continent_name": "Europe",
        "country_name": "Sweden",
        "country_iso_code": "SE",
    }


def test_asn_database() -> None:
    assert geo(SWEDEN, database_file="GeoLite2-ASN.mmdb") == {
        "ip": SWEDEN,
        "asn": 29518,
        "organization_name": "Bredband2 AB",
        "network": "89.160.0.0/17",
    }


def test_target_and_unmatched_ip() -> None:
    out = one([{"geoip": {"field": "ip", "target_field": "g.x"}}], {"ip": SWEDEN})
    assert out["g"]["x"] == LINKOPING
    assert one([{"geoip": {"field": "ip"}}], {"ip": "127.0.0.1"}) == {"ip": "127.0.0.1"}


def test_lists_first_only() -> None:
    assert geo(["127.0.0.1", SWEDEN]) == LINKOPING
    assert geo([SWEDEN, 5]) == LINKOPING  # stops at the first match, like ES
    assert geo(["127.0.0.1", SWEDEN], first_only=False) == [None, LINKOPING]
    assert one([{"geoip": {"field": "ip", "first_only": False}}], {"ip": ["127.0.0.1"]}) == {
        "ip": ["127.0.0.1"]
    }


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("nope", "'nope' is not an IP string literal."),
        (5, "field [ip] should contain only string or array of strings"),
        ([5, SWEDEN], "array in field [ip] should only contain strings"),
        (None, "field [ip] is null, cannot extract geoip information."),
    ],
)
def test_runtime_errors(value: Any, reason: str) -> None:
    err = geo(value)
    assert err["type"] == "illegal_argument_exception"
    assert err["reason"] == reason


def test_missing_field() -> None:
    err = one([{"geoip": {"field": "ip"}}], {})
    assert err["reason"] == "field [ip] not present as part of path [ip]"
    assert one([{"geoip": {"field": "ip", "ignore_missing": True}}], {}) == {}
    assert one([{"geoip": {"field": "ip", "ignore_missing": True}}], {"ip": None}) == {"ip": None}


def test_unavailable_database_tags_documents() -> None:
    out = one([{"geoip": {"field": "ip", "database_file": "Missing.mmdb"}}], {"tags": "a"})
    assert out == {"tags": ["a", "_geoip_database_unavailable_Missing.mmdb"]}


def test_no_directory_given() -> None:
    assert find_database(None, "GeoLite2-City.mmdb") is None
    out = run_one([{"geoip": {"field": "ip"}}], {"ip": SWEDEN})
    assert out["tags"] == ["_geoip_database_unavailable_GeoLite2-City.mmdb"]


def test_ignored_options() -> None:
    config = {"field": "ip", "download_database_on_pipeline_creation": False}
    assert one([{"geoip": config}], {"ip": SWEDEN})["geoip"] == LINKOPING


@pytest.mark.parametrize(
    ("config", "reason"),
    [
        (
            {"field": "ip", "database_file": "GeoLite2-ASN.mmdb", "properties": ["city_name"]},
            "[properties] illegal property value [city_name]. valid values are "
            "[IP, ASN, ORGANIZATION_NAME, NETWORK]",
        ),
        (
            {"field": "ip", "database_file": "GeoLite2-Country.mmdb", "properties": ["x"]},
            "[properties] illegal property value [x]. valid values are [IP, "
            "COUNTRY_IN_EUROPEAN_UNION, COUNTRY_ISO_CODE, COUNTRY_NAME, CONTINENT_CODE, "
            "CONTINENT_NAME, REGISTERED_COUNTRY_IN_EUROPEAN_UNION, REGISTERED_COUNTRY_ISO_CODE, "
            "REGISTERED_COUNTRY_NAME]",
        ),
        ({}, "[field] required property is missing"),
    ],
)
def test_config_errors(config: dict[str, Any], reason: str) -> None:
    with pytest.raises(IngestError) as info:
        simulate(
            {"pipeline": {"processors": [{"geoip": config}]}, "docs": []},
            geoip_dir=DEFAULT_GEOIP_DIR,
        )
    assert info.value.type == "parse_exception"
    assert info.value.reason == reason


def test_java_network_format() -> None:
    import ipaddress

    assert java_network(ipaddress.ip_address("2a02:cf40::1"), 32) == "2a02:cf40:0:0:0:0:0:0/32"
    assert java_network(ipaddress.ip_address("10.1.2.3"), 8) == "10.0.0.0/8"


def test_cached_lookups_give_fresh_equal_results() -> None:
    processors: list[dict[str, Any]] = [
        {"geoip": {"field": "ip", "target_field": "geo"}},
        {"set": {"field": "geo.city_name", "value": "changed"}},
        {"geoip": {"field": "ip", "target_field": "again"}},
        {"geoip": {"field": "other", "target_field": "none", "ignore_missing": True}},
    ]
    out = one(processors, {"ip": SWEDEN, "other": "10.1.2.3"})
    assert out["geo"] == {**LINKOPING, "city_name": "changed"}
    assert out["again"] == LINKOPING  # the cached record is read, never shared or changed
    assert "none" not in out
    second = one(processors[:1], {"ip": SWEDEN})
    assert second["geo"] == LINKOPING
    bad = one(processors[:1], {"ip": "not-an-ip"})
    assert bad["reason"] == "'not-an-ip' is not an IP string literal."


LAS_VEGAS = {
    "continent_name": "North America",
    "country_name": "United States",
    "country_iso_code": "US",
    "region_iso_code": "US-NV",
    "region_name": "Nevada",
    "city_name": "Las Vegas",
    "location": {"lat": 36.17497, "lon": -115.13722},
}


@pytest.mark.parametrize(
    ("ip", "country", "city", "asn"),
    [
        ("192.0.2.100", "US", "Las Vegas", 64500),  # RFC 5737
        ("198.51.100.7", "NL", "Amsterdam", 64501),
        ("203.0.113.9", "ES", "Madrid", 64502),
        ("233.252.0.1", "IE", "Galway", 64503),  # RFC 6676
        ("2001:db8::1", "GB", "Greenwich", 65551),  # RFC 3849
        ("3fff::1", "PT", "Lisbon", 65552),  # RFC 9637
    ],
)
def test_documentation_ranges(ip: str, country: str, city: str, asn: int) -> None:
    assert geo(ip)["country_iso_code"] == country
    assert geo(ip)["city_name"] == city
    as_data = geo(ip, database_file="GeoLite2-ASN.mmdb")
    assert as_data["asn"] == asn
    assert as_data["organization_name"] == "Documentation ASN"


def test_documentation_range_records() -> None:
    assert geo("192.0.2.100") == LAS_VEGAS
    assert geo("192.0.2.100", database_file="GeoLite2-ASN.mmdb") == {
        "ip": "192.0.2.100",
        "asn": 64500,
        "organization_name": "Documentation ASN",
        "network": "192.0.2.0/24",
    }
    assert geo("2001:db8::1", database_file="GeoLite2-ASN.mmdb")["network"] == (
        "2001:db8:0:0:0:0:0:0/32"
    )
    assert geo("192.0.2.100", database_file="GeoLite2-Country.mmdb") == {
        "continent_name": "North America",
        "country_name": "United States",
        "country_iso_code": "US",
    }


def test_more_maxmind_test_records() -> None:
    bhutan = geo("67.43.156.13", properties=["country_iso_code", "registered_country_iso_code"])
    assert bhutan == {"country_iso_code": "BT", "registered_country_iso_code": "RO"}
    assert geo("67.43.156.13", database_file="GeoLite2-ASN.mmdb") == {
        "ip": "67.43.156.13",
        "asn": 35908,
        "network": "67.43.152.0/21",  # sibling networks with one record merged, as in ES
    }
    assert geo("216.160.83.56")["region_iso_code"] == "US-WA"
    assert geo("216.160.83.56")["city_name"] == "Milton"
    assert geo("175.16.199.0")["city_name"] == "Changchun"
    assert geo("81.2.69.142")["city_name"] == "London"


def test_ipv4_aliases_and_unknown_addresses() -> None:
    # 6to4 (2002::/16) and Teredo (2001::/32) addresses read the IPv4 tree, as in mmdbwriter's
    # databases; 2002:59a0:149c:: embeds 89.160.20.156
    assert geo("2002:59a0:149c::1", properties=["city_name"]) == {"city_name": "Linköping"}
    assert one([{"geoip": {"field": "ip"}}], {"ip": "8.8.8.8"}) == {"ip": "8.8.8.8"}


def test_directory_is_per_call_not_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FLEETPKG_GEOIP_DIR", str(DEFAULT_GEOIP_DIR))
    assert "tags" in run_one([{"geoip": {"field": "ip"}}], {"ip": SWEDEN})
    assert run_one([{"geoip": {"field": "ip"}}], {"ip": SWEDEN}, geoip_dir=tmp_path) == {
        "ip": SWEDEN,
        "tags": ["_geoip_database_unavailable_GeoLite2-City.mmdb"],
    }
    assert run_one([{"geoip": {"field": "ip"}}], {"ip": SWEDEN}, geoip_dir=str(DEFAULT_GEOIP_DIR))[
        "geoip"
    ] == (LINKOPING)


def test_concurrent_simulations_with_different_directories(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    def lookup(directory: Path) -> Any:
        return run_one([{"geoip": {"field": "ip"}}], {"ip": SWEDEN}, geoip_dir=directory)

    directories = [DEFAULT_GEOIP_DIR, tmp_path] * 20
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lookup, directories))
    for directory, out in zip(directories, results, strict=True):
        if directory == tmp_path:
            assert out["tags"] == ["_geoip_database_unavailable_GeoLite2-City.mmdb"]
        else:
            assert out["geoip"] == LINKOPING

"""network_direction processor: named networks, CIDRs, templated and field-based lists."""

from __future__ import annotations

from typing import Any

import pytest
from ingest_helpers import run_one

from fleetpkg.ingest import IngestError, simulate
from fleetpkg.ingest.processors.network_direction import in_network


def direction(src: Any, dst: Any, **options: Any) -> Any:
    config = {"internal_networks": ["private"], **options}
    out = run_one(
        [{"network_direction": config}], {"source": {"ip": src}, "destination": {"ip": dst}}
    )
    return out.get("network", {}).get("direction") if "reason" not in out else out


@pytest.mark.parametrize(
    ("src", "dst", "expected"),
    [
        ("128.232.110.120", "192.168.1.1", "inbound"),
        ("192.168.1.1", "128.232.110.120", "outbound"),
        ("10.0.0.1", "172.16.4.4", "internal"),
        ("8.8.8.8", "1.1.1.1", "external"),
        ("fd12::1", "2001:db8::1", "outbound"),
    ],
)
def test_private(src: str, dst: str, expected: str) -> None:
    assert direction(src, dst) == expected


@pytest.mark.parametrize(
    ("ip", "network", "expected"),
    [
        ("127.0.0.1", "loopback", True),
        ("::1", "loopback", True),
        ("8.8.8.8", "unicast", True),
        ("8.8.8.8", "global_unicast", True),
        ("255.255.255.255", "unicast", False),
        ("224.0.0.1", "multicast", True),
        ("ff02::1", "multicast", True),
        ("224.0.0.251", "link_local_multicast", True),
        ("ff02::1", "link_local_multicast", True),
        ("ff01::1", "interface_local_multicast", True),
        ("169.254.1.1", "link_local_unicast", True),
        ("fe80::1", "link_local_unicast", True),
        ("0.0.0.0", "unspecified", True),
        ("::", "unspecified", True),
        ("8.8.8.8", "public", True),
        ("10.1.1.1", "public", False),
        ("127.0.0.1", "public", False),
        ("10.1.1.1", "10.0.0.0/8", True),
        ("11.1.1.1", "10.0.0.0/8", False),
        ("2001:db8::5", "2001:db8::/32", True),
        ("10.1.1.1", "2001:db8::/32", False),
        ("10.1.1.1", "10.1.1.1", True),
    ],
)
def test_named_and_cidr_networks(ip: str, network: str, expected: bool) -> None:
    assert in_network(ip, network) is expected


def test_templated_networks_and_target() -> None:
    out = run_one(
        [
            {
                "network_direction": {
                    "internal_networks": ["{{nets}}"],
                    "source_ip": "s",
                    "destination_ip": "d",
                    "target_field": "dir",
                }
            }
        ],
        {"nets": "10.0.0.0/8", "s": "10.2.3.4", "d": "8.8.8.8"},
    )
    assert out["dir"] == "outbound"


def test_internal_networks_field() -> None:
    config = {"internal_networks_field": "nets"}
    source = {"nets": ["loopback", "10.0.0.0/8"], "source": {"ip": "8.8.8.8"}}
    source["destination"] = {"ip": "127.0.0.1"}
    assert run_one([{"network_direction": config}], source)["network"]["direction"] == "inbound"
    no_field = {"source": {"ip": "8.8.8.8"}, "destination": {"ip": "127.0.0.1"}}
    assert run_one([{"network_direction": config}], no_field) == no_field
    err = run_one([{"network_direction": {**config, "ignore_missing": False}}], no_field)
    assert err["reason"] == "field [nets] not present as part of path [nets]"


def test_missing_ips() -> None:
    cfg = {"internal_networks": ["private"]}
    assert run_one([{"network_direction": cfg}], {"a": 1}) == {"a": 1}
    err = run_one([{"network_direction": {**cfg, "ignore_missing": False}}], {"a": 1})
    assert err["reason"] == "field [source] not present as part of path [source.ip]"


def test_invalid_ip() -> None:
    assert direction("nope", "8.8.8.8")["reason"] == "'nope' is not an IP string literal."


@pytest.mark.parametrize(
    ("config", "reason"),
    [
        ({}, "[internal_networks] or [internal_networks_field] must be specified"),
        (
            {"internal_networks": ["private"], "internal_networks_field": "x"},
            "[internal_networks] and [internal_networks_field] cannot both be used in the same "
            "processor",
        ),
    ],
)
def test_config_errors(config: dict[str, Any], reason: str) -> None:
    with pytest.raises(IngestError) as info:
        simulate({"pipeline": {"processors": [{"network_direction": config}]}, "docs": []})
    assert info.value.type == "parse_exception"
    assert info.value.reason == reason

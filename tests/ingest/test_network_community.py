"""community_id processor and the communityId helper: ES's own test vectors."""

from __future__ import annotations

from typing import Any

import pytest
from ingest_helpers import run_one

from fleetpkg.ingest import IngestError, simulate
from fleetpkg.ingest.functions import community_id, community_id_es

BASE_HASH = "1:LQU9qZlK+B5F3KDmev6m5PMibrg="


def flow(**changes: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "source": {"ip": "128.232.110.120", "port": 34855},
        "destination": {"ip": "66.35.250.204", "port": 80},
        "network": {"transport": "TCP"},
    }
    for path, value in changes.items():
        section, key = path.split("__")
        if value is None:
            doc.setdefault(section, {}).pop(key, None)
        else:
            doc.setdefault(section, {})[key] = value
    return doc


def cid(source: dict[str, Any], **options: Any) -> Any:
    out = run_one([{"community_id": options}], source)
    if "network" in out and isinstance(out["network"], dict):
        return out["network"].get("community_id")
    return out


def test_docs_example() -> None:
    source = {
        "source": {"ip": "123.124.125.126", "port": 12345},
        "destination": {"ip": "55.56.57.58", "port": 80},
        "network": {"transport": "TCP"},
    }
    assert cid(source) == "1:9qr9Z1LViXcNwtLVOHZ3CL8MlyM="


def test_default_and_seed() -> None:
    assert cid(flow()) == BASE_HASH
    assert cid(flow(), seed=123) == "1:hTSGlFQnR58UCk+NfKRZzA32dPg="


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"network__transport": "icmp", "icmp__type": 3, "icmp__code": 3},
            "1:KF3iG9XD24nhlSy4r1TcYIr5mfE=",
        ),
        (
            {"network__transport": "icmp", "icmp__type": "3", "icmp__code": "3"},
            "1:KF3iG9XD24nhlSy4r1TcYIr5mfE=",
        ),
        ({"network__transport": "icmp"}, "1:PAE85ZfR4SbNXl5URZwWYyDehwU="),
        (
            {"network__transport": "icmp", "icmp__type": 10, "icmp__code": 3},
            "1:L8wnzpmRHIESLqLBy+zTqW3Pmqs=",
        ),
        (
            {"network__transport": "igmp", "source__port": None, "destination__port": None},
            "1:D3t8Q1aFA6Ev0A/AO4i9PnU3AeI=",
        ),
        (
            {"network__transport": 2, "source__port": None, "destination__port": None},
            "1:D3t8Q1aFA6Ev0A/AO4i9PnU3AeI=",
        ),
        (
            {"network__transport": "2", "source__port": None, "destination__port": None},
            "1:D3t8Q1aFA6Ev0A/AO4i9PnU3AeI=",
        ),
        ({"network__transport": None, "network__iana_number": 6}, BASE_HASH),
        ({"network__transport": None, "network__iana_number": "6"}, BASE_HASH),
        ({"source__port": "34855", "destination__port": "80"}, BASE_HASH),
        ({"source__port": 34855.0}, BASE_HASH),
        (
            {
                "source__ip": "2001:0db8:85a3:0000:0000:8a2e:0370:7334",
                "destination__ip": "2001:0:9d38:6ab8:1c48:3a1c:a95a:b1c2",
            },
            "1:YC1+javPJ2LpK5xVyw1udfT83Qs=",
        ),
    ],
)
def test_es_vectors(changes: dict[str, Any], expected: str) -> None:
    assert cid(flow(**changes)) == expected


def test_iana_number_other_protocol_has_no_ports() -> None:
    source = flow(network__transport=None, network__iana_number="4")
    source["source"] = {"ip": "192.168.1.2"}
    source["destination"] = {"ip": "10.1.2.3"}
    assert cid(source) == "1:KXQzmk3bdsvD6UXj7dvQ4bM6Zvw="


def test_direction_does_not_matter() -> None:
    reverse = flow()
    reverse["source"], reverse["destination"] = reverse["destination"], reverse["source"]
    assert cid(reverse) == BASE_HASH


def test_custom_fields_and_target() -> None:
    source = {"a": "128.232.110.120", "b": "66.35.250.204", "c": 34855, "d": 80, "t": "tcp"}
    out = run_one(
        [
            {
                "community_id": {
                    "source_ip": "a",
                    "destination_ip": "b",
                    "source_port": "c",
                    "destination_port": "d",
                    "transport": "t",
                    "target_field": "out",
                }
            }
        ],
        source,
    )
    assert out["out"] == BASE_HASH


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"source__port": 0}, "invalid source port [0]"),
        ({"source__port": 65536}, "invalid source port [65536]"),
        ({"destination__port": 0}, "invalid destination port [0]"),
        ({"destination__port": 65536}, "invalid destination port [65536]"),
        ({"destination__port": "x"}, "unable to parse destination port [x]"),
        ({"network__transport": "xyz"}, "could not convert string [xyz] to transport protocol"),
        ({"network__transport": 300}, "invalid transport protocol number [300]"),
        ({"destination__ip": "308.111.1.2.3"}, "'308.111.1.2.3' is not an IP string literal."),
        (
            {"source__ip": 2162716280},
            "field [source.ip] of type [java.lang.Long] cannot be cast to [java.lang.String]",
        ),
        (
            {"network__transport": True},
            "could not convert value of type [java.lang.Boolean] to transport protocol",
        ),
    ],
)
def test_errors(changes: dict[str, Any], reason: str) -> None:
    err = cid(flow(**changes))
    assert err["type"] == "illegal_argument_exception"
    assert err["reason"] == reason


def test_ignore_missing_default_true_and_false() -> None:
    source = flow(network__transport=None)
    assert run_one([{"community_id": {}}], source) == source
    err = run_one([{"community_id": {"ignore_missing": False}}], flow(source__ip=None))
    assert err["reason"] == "field [ip] not present as part of path [source.ip]"
    err = run_one([{"community_id": {"ignore_missing": False}}], flow(network__transport=None))
    assert err["reason"] == "field [transport] not present as part of path [network.transport]"


def test_null_destination_port_is_reported() -> None:
    source = flow()
    source["destination"]["port"] = None
    assert cid(source)["reason"] == "invalid destination port [null]"


@pytest.mark.parametrize("seed", [-1, 65536])
def test_seed_range_is_checked_at_build_time(seed: int) -> None:
    with pytest.raises(IngestError) as info:
        simulate({"pipeline": {"processors": [{"community_id": {"seed": seed}}]}, "docs": []})
    assert info.value.type == "parse_exception"
    assert info.value.reason == "[seed] must be a value between 0 and 65535"


def test_helper_functions() -> None:
    assert community_id("128.232.110.120", "66.35.250.204", 34855, 80, 6) == BASE_HASH
    assert (
        community_id("128.232.110.120", "66.35.250.204", 34855, 80, None, transport="TCP", seed=123)
        == "1:hTSGlFQnR58UCk+NfKRZzA32dPg="
    )
    assert (
        community_id_es("128.232.110.120", "66.35.250.204", None, "icmp", None, None, 3, 3)
        == "1:KF3iG9XD24nhlSy4r1TcYIr5mfE="
    )
    with pytest.raises(IngestError, match="unable to construct flow from document"):
        community_id("128.232.110.120", "66.35.250.204", 1, 2, None)
    with pytest.raises(IngestError) as info:
        community_id("128.232.110.120", "66.35.250.204", 1, 2, 6, seed=70000)
    assert info.value.type == "illegal_state_exception"


def test_ip_is_checked_before_transport_is_read() -> None:
    source = flow(network__transport=None, source__ip="bad")
    err = run_one([{"community_id": {"ignore_missing": False}}], source)
    assert err["reason"] == "'bad' is not an IP string literal."

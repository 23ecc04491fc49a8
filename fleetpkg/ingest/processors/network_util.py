"""Helpers shared by the network/enrich processors: typed field reads, Java-style IP parsing."""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from typing import Any

from ..document import IngestDocument
from ..errors import IngestError, illegal_argument, java_type_name

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def get_string(doc: IngestDocument, field: str, ignore_missing: bool) -> str | None:
    """``getFieldValue(field, String.class, ignoreMissing)``: None when absent and ignored."""
    value = doc.get(field, ignore_missing=ignore_missing)
    if value is None or isinstance(value, str):
        return value
    raise cast_error(field, value, "java.lang.String")


def cast_error(field: str, value: Any, java_class: str) -> IngestError:
    return illegal_argument(
        f"field [{field}] of type [{java_type_name(value)}] cannot be cast to [{java_class}]"
    )


@lru_cache(maxsize=4096)
def parse_ip(text: str) -> IPAddress:
    """``InetAddresses.forString``: IPv4-mapped IPv6 addresses become IPv4, as in Java."""
    try:
        address = ipaddress.ip_address(_strip_scope(text))
    except ValueError:
        raise illegal_argument(f"'{text}' is not an IP string literal.") from None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _strip_scope(text: str) -> str:
    if "%" in text and ":" in text:
        return text.split("%", 1)[0]
    return text


@lru_cache(maxsize=1024)
def parse_cidr(cidr: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    """A CIDR block as ES's ``CIDRUtils`` reads it (a bare address is a /32 or /128)."""
    address, sep, bits = cidr.partition("/")
    ip = parse_ip(address)
    if not sep:
        return ipaddress.ip_network(ip)
    try:
        length = int(bits)
    except ValueError:
        raise illegal_argument(f"Invalid prefix length [{bits}] in [{cidr}]") from None
    try:
        return ipaddress.ip_network(f"{ip}/{length}", strict=False)
    except ValueError:
        raise illegal_argument(f"Illegal prefix length [{length}] in [{cidr}]") from None


def in_cidrs(ip: str, *cidrs: str) -> bool:
    address = parse_ip(ip)
    for cidr in cidrs:
        network = parse_cidr(cidr)
        if network.version == address.version and address in network:
            return True
    return False

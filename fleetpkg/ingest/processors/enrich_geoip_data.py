"""GeoIP database kinds, their valid/default properties and ES's output keys per record."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from typing import Any

from ..values import JLong

# Database.Property in ES's declaration order (error messages list them in this order).
PROPERTY_ORDER = [
    "IP",
    "COUNTRY_CONFIDENCE",
    "COUNTRY_IN_EUROPEAN_UNION",
    "COUNTRY_ISO_CODE",
    "COUNTRY_NAME",
    "CONTINENT_CODE",
    "CONTINENT_NAME",
    "REGION_ISO_CODE",
    "REGION_NAME",
    "CITY_CONFIDENCE",
    "CITY_NAME",
    "TIMEZONE",
    "LOCATION",
    "ASN",
    "ORGANIZATION_NAME",
    "NETWORK",
    "HOSTING_PROVIDER",
    "TOR_EXIT_NODE",
    "ANONYMOUS_VPN",
    "ANONYMOUS",
    "PUBLIC_PROXY",
    "RESIDENTIAL_PROXY",
    "DOMAIN",
    "ISP",
    "ISP_ORGANIZATION_NAME",
    "MOBILE_COUNTRY_CODE",
    "MOBILE_NETWORK_CODE",
    "CONNECTION_TYPE",
    "USER_TYPE",
    "TYPE",
    "POSTAL_CODE",
    "POSTAL_CONFIDENCE",
    "ACCURACY_RADIUS",
    "HOSTING",
    "TOR",
    "PROXY",
    "RELAY",
    "VPN",
    "SERVICE",
    "REGISTERED_COUNTRY_IN_EUROPEAN_UNION",
    "REGISTERED_COUNTRY_ISO_CODE",
    "REGISTERED_COUNTRY_NAME",
]

_COUNTRY = ("CONTINENT_NAME", "COUNTRY_NAME", "COUNTRY_ISO_CODE")
_CITY_DEFAULT = (*_COUNTRY, "REGION_ISO_CODE", "REGION_NAME", "CITY_NAME", "LOCATION")
_REGISTERED = (
    "REGISTERED_COUNTRY_IN_EUROPEAN_UNION",
    "REGISTERED_COUNTRY_ISO_CODE",
    "REGISTERED_COUNTRY_NAME",
)
_ASN = ("IP", "ASN", "ORGANIZATION_NAME", "NETWORK")
_ANON = (
    "HOSTING_PROVIDER",
    "TOR_EXIT_NODE",
    "ANONYMOUS_VPN",
    "ANONYMOUS",
    "PUBLIC_PROXY",
    "RESIDENTIAL_PROXY",
)
_ISP = (*_ASN, "ISP", "ISP_ORGANIZATION_NAME", "MOBILE_COUNTRY_CODE", "MOBILE_NETWORK_CODE")

# kind → (valid properties, default properties)
DATABASES: dict[str, tuple[frozenset[str], tuple[str, ...]]] = {
    "City": (
        frozenset(
            {*_CITY_DEFAULT, "IP", "COUNTRY_IN_EUROPEAN_UNION", "CONTINENT_CODE", "TIMEZONE"}
            | {"POSTAL_CODE", "ACCURACY_RADIUS", *_REGISTERED}
        ),
        _CITY_DEFAULT,
    ),
    "Country": (
        frozenset({*_COUNTRY, "IP", "CONTINENT_CODE", "COUNTRY_IN_EUROPEAN_UNION", *_REGISTERED}),
        _COUNTRY,
    ),
    "Asn": (frozenset(_ASN), _ASN),
    "AnonymousIp": (frozenset({"IP", *_ANON}), _ANON),
    "ConnectionType": (frozenset({"IP", "CONNECTION_TYPE"}), ("CONNECTION_TYPE",)),
    "Domain": (frozenset({"IP", "DOMAIN"}), ("DOMAIN",)),
    "Isp": (frozenset(_ISP), _ISP),
}
_SUFFIXES = (
    ("-City", "City"),
    ("-Country", "Country"),
    ("-ASN", "Asn"),
    ("-Anonymous-IP", "AnonymousIp"),
    ("-Connection-Type", "ConnectionType"),
    ("-Domain", "Domain"),
    ("-ISP", "Isp"),
)


def database_kind(database_type: str) -> str | None:
    """The database kind from the mmdb metadata ``database_type`` (by suffix, like ES)."""
    for suffix, kind in _SUFFIXES:
        if database_type.endswith(suffix):
            return kind
    return None


def java_network(address: ipaddress.IPv4Address | ipaddress.IPv6Address, prefix: int) -> str:
    """``com.maxmind.db.Network.toString()``: Java's uncompressed host address + prefix."""
    network = ipaddress.ip_network(f"{address}/{prefix}", strict=False).network_address
    if network.version == 4:
        return f"{network}/{prefix}"
    groups = network.packed
    text = ":".join(format(int.from_bytes(groups[i : i + 2], "big"), "x") for i in range(0, 16, 2))
    return f"{text}/{prefix}"


def _name(record: Any) -> Any:
    if isinstance(record, dict):
        names = record.get("names")
        if isinstance(names, dict):
            return names.get("en")
    return None


def _long(value: Any) -> Any:
    """MaxMind's ASN is a ``Long`` in ES."""
    return JLong(value) if isinstance(value, int) else value


def _get(record: Any, key: str) -> Any:
    return record.get(key) if isinstance(record, dict) else None


def _location(rec: dict[str, Any]) -> Any:
    loc = rec.get("location") or {}
    lat, lon = loc.get("latitude"), loc.get("longitude")
    if lat is None or lon is None:
        return None
    return {"lat": float(lat), "lon": float(lon)}


def _region_iso(rec: dict[str, Any]) -> Any:
    country = _get(rec.get("country"), "iso_code")
    sub = _get(_subdivision(rec), "iso_code")
    return f"{country}-{sub}" if country is not None and sub is not None else None


def _subdivision(rec: dict[str, Any]) -> Any:
    subs = rec.get("subdivisions") or []
    return subs[-1] if subs else None


def _in_eu(rec: dict[str, Any], key: str) -> Any:
    country = rec.get(key)
    if _get(country, "iso_code") is None:
        return None
    return bool(_get(country, "is_in_european_union"))


Extractor = Callable[[dict[str, Any]], Any]


def _flag(key: str) -> Extractor:
    def get(record: dict[str, Any]) -> Any:
        return bool(record.get(key))

    return get


_EXTRACTORS: dict[str, tuple[str, Extractor]] = {
    "COUNTRY_IN_EUROPEAN_UNION": ("country_in_european_union", lambda r: _in_eu(r, "country")),
    "COUNTRY_ISO_CODE": ("country_iso_code", lambda r: _get(r.get("country"), "iso_code")),
    "COUNTRY_NAME": ("country_name", lambda r: _name(r.get("country"))),
    "CONTINENT_CODE": ("continent_code", lambda r: _get(r.get("continent"), "code")),
    "CONTINENT_NAME": ("continent_name", lambda r: _name(r.get("continent"))),
    "REGION_ISO_CODE": ("region_iso_code", _region_iso),
    "REGION_NAME": ("region_name", lambda r: _name(_subdivision(r))),
    "CITY_NAME": ("city_name", lambda r: _name(r.get("city"))),
    "TIMEZONE": ("timezone", lambda r: _get(r.get("location"), "time_zone")),
    "LOCATION": ("location", _location),
    "ACCURACY_RADIUS": ("accuracy_radius", lambda r: _get(r.get("location"), "accuracy_radius")),
    "POSTAL_CODE": ("postal_code", lambda r: _get(r.get("postal"), "code")),
    "REGISTERED_COUNTRY_IN_EUROPEAN_UNION": (
        "registered_country_in_european_union",
        lambda r: _in_eu(r, "registered_country"),
    ),
    "REGISTERED_COUNTRY_ISO_CODE": (
        "registered_country_iso_code",
        lambda r: _get(r.get("registered_country"), "iso_code"),
    ),
    "REGISTERED_COUNTRY_NAME": (
        "registered_country_name",
        lambda r: _name(r.get("registered_country")),
    ),
    "ASN": ("asn", lambda r: _long(r.get("autonomous_system_number"))),
    "ORGANIZATION_NAME": ("organization_name", lambda r: r.get("autonomous_system_organization")),
    "ISP": ("isp", lambda r: r.get("isp")),
    "ISP_ORGANIZATION_NAME": ("isp_organization_name", lambda r: r.get("organization")),
    "MOBILE_COUNTRY_CODE": ("mobile_country_code", lambda r: r.get("mobile_country_code")),
    "MOBILE_NETWORK_CODE": ("mobile_network_code", lambda r: r.get("mobile_network_code")),
    "CONNECTION_TYPE": ("connection_type", lambda r: r.get("connection_type")),
    "DOMAIN": ("domain", lambda r: r.get("domain")),
    **{p: (p.lower(), _flag("is_" + p.lower())) for p in _ANON},
}


def extract(
    record: dict[str, Any],
    properties: tuple[str, ...],
    ip: ipaddress.IPv4Address | ipaddress.IPv6Address,
    prefix: int,
) -> dict[str, Any]:
    """The geo data map for one lookup result, keys as ES names them."""
    data: dict[str, Any] = {}
    for prop in properties:
        if prop == "IP":
            data["ip"] = str(ip)
        elif prop == "NETWORK":
            data["network"] = java_network(ip, prefix)
        else:
            key, getter = _EXTRACTORS[prop]
            value = getter(record)
            if value is not None:
                data[key] = value
    return data

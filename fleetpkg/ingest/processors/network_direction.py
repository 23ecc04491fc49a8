"""The network_direction processor: inbound/outbound/internal/external from two IPs."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

from ..document import IngestDocument
from ..errors import illegal_argument
from ..mustache import compile_template
from .base import Config, Processor
from .network_util import IPAddress, cast_error, get_string, in_cidrs, parse_ip

_PRIVATE = ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fd00::/8")
_BROADCAST = ipaddress.IPv4Address("255.255.255.255")


def is_loopback(ip: IPAddress) -> bool:
    if ip.version == 4:
        return ip.packed[0] == 127
    return int(ip) == 1


def is_link_local(ip: IPAddress) -> bool:
    b = ip.packed
    if ip.version == 4:
        return b[0] == 169 and b[1] == 254
    return b[0] == 0xFE and (b[1] & 0xC0) == 0x80


def is_multicast(ip: IPAddress) -> bool:
    b = ip.packed
    return (b[0] & 0xF0) == 0xE0 if ip.version == 4 else b[0] == 0xFF


def is_interface_local_multicast(ip: IPAddress) -> bool:
    b = ip.packed
    return ip.version == 6 and b[0] == 0xFF and (b[1] & 0x0F) == 1


def is_link_local_multicast(ip: IPAddress) -> bool:
    b = ip.packed
    if ip.version == 4:
        return b[0] == 224 and b[1] == 0 and b[2] == 0
    return b[0] == 0xFF and (b[1] & 0x0F) == 2


def is_unspecified(ip: IPAddress) -> bool:
    return int(ip) == 0


def is_unicast(ip: IPAddress) -> bool:
    return not (
        ip == _BROADCAST
        or is_unspecified(ip)
        or is_loopback(ip)
        or is_multicast(ip)
        or is_link_local(ip)
    )


def is_private(text: str) -> bool:
    return in_cidrs(text, *_PRIVATE)


def is_public(text: str) -> bool:
    ip = parse_ip(text)
    return not (
        is_private(text)
        or is_loopback(ip)
        or is_unspecified(ip)
        or is_link_local(ip)
        or is_link_local_multicast(ip)
        or is_interface_local_multicast(ip)
        or ip == _BROADCAST
    )


_NAMED: dict[str, Callable[[IPAddress], bool]] = {
    "loopback": is_loopback,
    "global_unicast": is_unicast,
    "unicast": is_unicast,
    "link_local_unicast": is_link_local,
    "interface_local_multicast": is_interface_local_multicast,
    "link_local_multicast": is_link_local_multicast,
    "multicast": is_multicast,
    "unspecified": is_unspecified,
}


def in_network(ip: str, network: str) -> bool:
    """Whether ``ip`` is in a named range (``private``, ``loopback``…) or a CIDR."""
    address = parse_ip(ip)
    named = _NAMED.get(network)
    if named is not None:
        return named(address)
    if network == "private":
        return is_private(ip)
    if network == "public":
        return is_public(ip)
    return in_cidrs(ip, network)


def direction(source: str, destination: str, networks: list[str]) -> str:
    src_internal = any(in_network(source, n) for n in networks)
    dst_internal = any(in_network(destination, n) for n in networks)
    if src_internal and dst_internal:
        return "internal"
    if src_internal:
        return "outbound"
    if dst_internal:
        return "inbound"
    return "external"


class NetworkDirection(Processor):
    type = "network_direction"

    def __init__(self, cfg: Config) -> None:
        self.source_ip = cfg.string("source_ip", "source.ip")
        self.destination_ip = cfg.string("destination_ip", "destination.ip")
        self.target = cfg.string("target_field", "network.direction")
        self.ignore_missing = cfg.boolean("ignore_missing", True)
        networks = cfg.string_list("internal_networks", None)
        self.networks_field = cfg.string("internal_networks_field", None)
        if networks is None and self.networks_field is None:
            raise cfg.error("internal_networks", "or [internal_networks_field] must be specified")
        if networks is not None and self.networks_field is not None:
            raise cfg.error(
                "internal_networks",
                "and [internal_networks_field] cannot both be used in the same processor",
            )
        self.networks = [compile_template(n) for n in networks or ()]

    def run(self, doc: IngestDocument) -> None:
        result = self._direction(doc)
        if result is None:
            if self.ignore_missing:
                return
            raise illegal_argument("unable to calculate network direction from document")
        doc.set(self.target, result)

    def _networks(self, doc: IngestDocument) -> list[str] | None:
        if self.networks_field is None:
            if all(t.is_static for t in self.networks):
                return [t.source for t in self.networks]
            model = doc.render_context()
            return [t.render(model) for t in self.networks]
        value = doc.get(self.networks_field, ignore_missing=self.ignore_missing)
        if value is None:
            return None
        if not isinstance(value, list):
            raise cast_error(self.networks_field, value, "java.util.ArrayList")
        return [str(v) for v in value]

    def _direction(self, doc: IngestDocument) -> str | None:
        networks = self._networks(doc)
        if networks is None:
            return None
        source = get_string(doc, self.source_ip, self.ignore_missing)
        if source is None:
            return None
        destination = get_string(doc, self.destination_ip, self.ignore_missing)
        if destination is None:
            return None
        return direction(source, destination, networks)

"""The community_id processor: Community ID v1 network flow hashes."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from ..document import IngestDocument
from ..errors import illegal_argument, illegal_state
from .base import Config, Processor
from .network_util import get_string, parse_ip

TRANSPORT_NAMES = {
    "icmp": 1,
    "igmp": 2,
    "tcp": 6,
    "udp": 17,
    "gre": 47,
    "ipv6-icmp": 58,
    "icmpv6": 58,
    "eigrp": 88,
    "ospf": 89,
    "pim": 103,
    "sctp": 132,
}
_PORTED = frozenset({6, 17, 132})
_ICMP = frozenset({1, 58})

# ICMP types that have a "reply" counterpart; the flow is then two-way.
_ICMP4_PAIRS = {8: 0, 0: 8, 13: 14, 14: 13, 15: 16, 10: 9, 9: 10, 17: 18, 18: 17}
_ICMP6_PAIRS = {
    128: 129,
    129: 128,
    133: 134,
    134: 133,
    136: 135,
    135: 136,
    130: 131,
    139: 140,
    140: 139,
    144: 145,
    145: 144,
}


def uint16(number: int) -> bytes:
    if number < 0 or number > 65535:
        raise illegal_state(f"number [{number}] must be a value between 0 and 65535")
    return number.to_bytes(2, "big")


def _java_int(value: Any) -> int:
    """``Number.intValue()`` of a JSON number (doubles truncate, longs wrap)."""
    number = int(value)
    return (number + 2**31) % 2**32 - 2**31


def parse_int(value: Any, what: str) -> int:
    """Coerce a port / ICMP value the way ES does: null is 0, strings must be integers."""
    if value is None:
        return 0
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _java_int(value)
    if isinstance(value, str):
        try:
            return _java_parse_int(value)
        except ValueError:
            pass
    from ..values import java_str

    raise illegal_argument(f"unable to parse {what} [{java_str(value)}]")


def _java_parse_int(text: str) -> int:
    """``Integer.parseInt``: optional sign, ASCII digits only, 32-bit range."""
    body = text[1:] if text[:1] in "+-" else text
    if not body or not body.isascii() or not body.isdigit():
        raise ValueError(text)
    number = int(text)
    if not -(2**31) <= number < 2**31:
        raise ValueError(text)
    return number


def transport_number(value: Any) -> int:
    """The IANA protocol number of a transport given as number or name."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _checked_protocol(_java_int(value))
    if isinstance(value, str):
        named = TRANSPORT_NAMES.get(value.lower())
        if named is not None:
            return named
        try:
            return _checked_protocol(_java_parse_int(value))
        except ValueError:
            raise illegal_argument(
                f"could not convert string [{value}] to transport protocol"
            ) from None
    from ..errors import java_type_name

    raise illegal_argument(
        f"could not convert value of type [{java_type_name(value)}] to transport protocol"
    )


def _checked_protocol(number: int) -> int:
    if number < 0 or number >= 255:
        raise illegal_argument(f"invalid transport protocol number [{number}]")
    return number


def flow_hash(
    src: bytes, dst: bytes, protocol: int, src_port: int, dst_port: int, seed: int
) -> str:
    """Hash an already-ordered flow tuple into ``1:<base64 sha1>``."""
    data = uint16(seed) + src + dst + bytes((protocol, 0))
    if protocol in _PORTED or protocol in _ICMP:
        data += uint16(src_port) + uint16(dst_port)
    return "1:" + base64.b64encode(hashlib.sha1(data).digest()).decode("ascii")


def community_id_of(
    src_ip: str,
    dst_ip: str,
    protocol: int,
    ports: tuple[int, int],
    icmp: tuple[int, int],
    seed: int,
) -> str:
    """Community ID of one flow; ``ports`` are used for TCP/UDP/SCTP, ``icmp`` for ICMP."""
    src = parse_ip(src_ip).packed
    dst = parse_ip(dst_ip).packed
    src_port, dst_port = ports
    one_way = False
    if protocol in _ICMP:
        pairs = _ICMP6_PAIRS if protocol == 58 else _ICMP4_PAIRS
        icmp_type, icmp_code = icmp
        counterpart = pairs.get(icmp_type)
        one_way = counterpart is None
        src_port, dst_port = icmp_type, icmp_code if counterpart is None else counterpart
    ordered = _ordered(src, dst, src_port, dst_port)
    if ordered or one_way:
        return flow_hash(src, dst, protocol, src_port, dst_port, seed)
    return flow_hash(dst, src, protocol, dst_port, src_port, seed)


def _ordered(src: bytes, dst: bytes, src_port: int, dst_port: int) -> bool:
    a, b = int.from_bytes(src, "big"), int.from_bytes(dst, "big")
    return a < b or (a == b and src_port < dst_port)


def compute(
    src_ip: str | None,
    dst_ip: str | None,
    iana_number: Any,
    transport: Any,
    ports: tuple[Any, Any],
    icmp: tuple[Any, Any],
    seed: int,
) -> str | None:
    """ES's ``buildFlow`` + hash: None when the flow cannot be built from the inputs."""
    if src_ip is None or dst_ip is None:
        return None
    parse_ip(src_ip)
    parse_ip(dst_ip)
    protocol_value = iana_number if iana_number is not None else transport
    if protocol_value is None:
        return None
    protocol = transport_number(protocol_value)
    port_pair = (0, 0)
    icmp_pair = (0, 0)
    if protocol in _PORTED:
        port_pair = (_port(ports[0], "source"), _port(ports[1], "destination"))
    elif protocol in _ICMP:
        icmp_pair = (parse_int(icmp[0], "icmp type"), parse_int(icmp[1], "icmp code"))
    return community_id_of(src_ip, dst_ip, protocol, port_pair, icmp_pair, seed)


def _port(value: Any, side: str) -> int:
    port = parse_int(value, f"{side} port")
    if port < 1 or port > 65535:
        from ..values import java_str

        raise illegal_argument(f"invalid {side} port [{java_str(value)}]")
    return port


_FIELDS = (
    ("source_ip", "source.ip"),
    ("source_port", "source.port"),
    ("destination_ip", "destination.ip"),
    ("destination_port", "destination.port"),
    ("iana_number", "network.iana_number"),
    ("transport", "network.transport"),
    ("icmp_type", "icmp.type"),
    ("icmp_code", "icmp.code"),
    ("target_field", "network.community_id"),
)


class CommunityId(Processor):
    type = "community_id"

    def __init__(self, cfg: Config) -> None:
        names = {key: cfg.string(key, default) for key, default in _FIELDS}
        self.source_ip = names["source_ip"]
        self.source_port = names["source_port"]
        self.destination_ip = names["destination_ip"]
        self.destination_port = names["destination_port"]
        self.iana_number = names["iana_number"]
        self.transport = names["transport"]
        self.icmp_type = names["icmp_type"]
        self.icmp_code = names["icmp_code"]
        self.target = names["target_field"]
        self.seed = cfg.integer("seed", 0)
        if self.seed < 0 or self.seed > 65535:
            raise cfg.error("seed", "must be a value between 0 and 65535")
        self.ignore_missing = cfg.boolean("ignore_missing", True)

    def run(self, doc: IngestDocument) -> None:
        missing_ok = self.ignore_missing
        src = get_string(doc, self.source_ip, missing_ok)
        dst = get_string(doc, self.destination_ip, missing_ok)
        iana = doc.get(self.iana_number, ignore_missing=True)
        transport = None
        if src is not None and dst is not None:
            parse_ip(src)
            parse_ip(dst)
            if iana is None:
                transport = doc.get(self.transport, ignore_missing=missing_ok)
        ports = self._ports(doc, src, dst, iana, transport)
        icmp = (
            doc.get(self.icmp_type, ignore_missing=True),
            doc.get(self.icmp_code, ignore_missing=True),
        )
        result = compute(src, dst, iana, transport, ports, icmp, self.seed)
        if result is None:
            if missing_ok:
                return
            raise illegal_argument("unable to construct flow from document")
        doc.set(self.target, result)

    def _ports(
        self, doc: IngestDocument, src: Any, dst: Any, iana: Any, transport: Any
    ) -> tuple[Any, Any]:
        """Ports are read only for port-carrying transports (ES reads them lazily)."""
        protocol_value = iana if iana is not None else transport
        if src is None or dst is None or protocol_value is None:
            return (None, None)
        if transport_number(protocol_value) not in _PORTED:
            return (None, None)
        source = doc.get(self.source_port, ignore_missing=self.ignore_missing)
        destination = doc.get(self.destination_port, ignore_missing=self.ignore_missing)
        return (source, destination)

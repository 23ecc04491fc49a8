"""Pure helpers behind Painless's Processors methods: bytes, urlDecode, communityId, uriParts."""

from __future__ import annotations

from typing import Any

from .errors import illegal_argument
from .processors.network_community import compute, uint16
from .processors.network_uri import uri_parts as _uri_parts
from .processors.strings import parse_bytes as _parse_bytes
from .processors.strings import url_decode as _url_decode
from .values import JLong

__all__ = ["bytes_value", "community_id", "community_id_es", "uri_parts", "url_decode"]


def bytes_value(text: str) -> int:
    """``Processors.bytes("1kb")`` → 1024 (a ``long``)."""
    return JLong(_parse_bytes(text))


def url_decode(text: str) -> str:
    """``Processors.urlDecode("foo%20bar")`` → "foo bar"."""
    return _url_decode(text)


def uri_parts(url: str) -> dict[str, Any]:
    """``Processors.uriParts(url)``: scheme/domain/path/port/query/... as uri_parts builds them."""
    return _uri_parts(url)


def community_id(
    src_ip: str | None,
    dst_ip: str | None,
    src_port: Any,
    dst_port: Any,
    iana_number: Any,
    icmp_type: Any = None,
    icmp_code: Any = None,
    seed: int = 0,
    *,
    transport: Any = None,
) -> str:
    """Community ID v1 of one flow; ``iana_number`` may be a number or a transport name."""
    return community_id_es(
        src_ip, dst_ip, iana_number, transport, src_port, dst_port, icmp_type, icmp_code, seed
    )


def community_id_es(
    src_ip: str | None,
    dst_ip: str | None,
    iana_number: Any,
    transport: Any,
    src_port: Any,
    dst_port: Any,
    icmp_type: Any = None,
    icmp_code: Any = None,
    seed: int = 0,
) -> str:
    """``Processors.communityId`` with Java's parameter order (ianaNumber, transport, ports…)."""
    uint16(seed)
    result = compute(
        src_ip, dst_ip, iana_number, transport, (src_port, dst_port), (icmp_type, icmp_code), seed
    )
    if result is None:
        raise illegal_argument("unable to construct flow from document")
    return result

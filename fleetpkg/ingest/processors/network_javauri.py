"""A model of ``java.net.URI`` (RFC 2396) and ``java.net.URL`` parsing for uri_parts."""

from __future__ import annotations

import ipaddress
import re
import string
from dataclasses import dataclass
from urllib.parse import unquote

_ALNUM = string.ascii_letters + string.digits
_UNRESERVED = _ALNUM + "_-!.~'*()"
_PUNCT = ",;:$&+="
_RESERVED = ";/?:@&=+$,[]"
_PCHAR = frozenset(_UNRESERVED + _PUNCT + "@")
_PATH = _PCHAR | {"/", ";"}
_URIC = frozenset(_UNRESERVED + _RESERVED)
_USERINFO = frozenset(_UNRESERVED + ";:&=+$,")
_REGISTRY = frozenset(_UNRESERVED + "$,;:@&=+")
_SERVER = frozenset(_UNRESERVED + _PUNCT + "@[]:")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*")
_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?")
_IPV4 = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")
_URL_PROTOCOLS = frozenset({"http", "https", "ftp", "file", "jar", "mailto", "jrt"})


class URISyntaxError(ValueError):
    """The input is not a valid ``java.net.URI`` (nor ``java.net.URL`` for the fallback)."""


@dataclass
class UriParts:
    scheme: str | None = None
    user_info: str | None = None
    host: str | None = None
    port: int = -1
    path: str | None = None
    query: str | None = None
    fragment: str | None = None


def _is_other(ch: str) -> bool:
    """Java's "other" category: non-ASCII, not a control nor a space character."""
    return ord(ch) > 0x7F and not ch.isspace() and ch.isprintable()


def _check(text: str, allowed: frozenset[str]) -> None:
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "%":
            if not all(c in string.hexdigits for c in text[i + 1 : i + 3]) or i + 3 > len(text):
                raise URISyntaxError("Malformed escape pair")
            i += 3
            continue
        if ch not in allowed and not _is_other(ch):
            raise URISyntaxError("Illegal character")
        i += 1


def _decode(text: str | None) -> str | None:
    if text is None or "%" not in text:
        return text
    return unquote(text, errors="replace")


def parse_uri(text: str) -> UriParts:
    """``new URI(text)``, returning the decoded components ES reads."""
    parts = UriParts()
    rest = text
    fragment_at = rest.find("#")
    if fragment_at >= 0:
        parts.fragment = rest[fragment_at + 1 :]
        _check(parts.fragment, _URIC)
        rest = rest[:fragment_at]
    colon = _scheme_end(rest)
    if colon is not None:
        parts.scheme = rest[:colon]
        rest = rest[colon + 1 :]
        if not rest:
            raise URISyntaxError("Expected scheme-specific part")
        if not rest.startswith("/"):
            _check(rest, _URIC)
            parts.fragment = _decode(parts.fragment)
            return parts
    elif not text:
        parts.path = ""
        return parts
    _hierarchical(rest, parts)
    parts.fragment = _decode(parts.fragment)
    return parts


def _scheme_end(text: str) -> int | None:
    for i, ch in enumerate(text):
        if ch in "/?#":
            return None
        if ch == ":":
            if i == 0 or not _SCHEME.fullmatch(text[:i]):
                raise URISyntaxError("Illegal scheme")
            return i
    return None


def _hierarchical(rest: str, parts: UriParts) -> None:
    query_at = rest.find("?")
    if query_at >= 0:
        parts.query = rest[query_at + 1 :]
        _check(parts.query, _URIC)
        rest = rest[:query_at]
    if rest.startswith("//"):
        end = rest.find("/", 2)
        authority = rest[2:] if end < 0 else rest[2:end]
        rest = "" if end < 0 else rest[end:]
        if authority:
            _authority(authority, parts)
        elif not rest and parts.query is None:
            raise URISyntaxError("Expected authority")
    _check(rest, frozenset(_PATH))
    parts.path = _decode(rest)
    parts.query = _decode(parts.query)


def _authority(authority: str, parts: UriParts) -> None:
    try:
        _server(authority, parts)
        return
    except URISyntaxError:
        parts.user_info, parts.host, parts.port = None, None, -1
    _check(authority, _REGISTRY)


def _server(authority: str, parts: UriParts) -> None:
    at = authority.rfind("@")
    host_port = authority
    if at >= 0:
        user_info = authority[:at]
        _check(user_info, _USERINFO)
        parts.user_info = _decode(user_info)
        host_port = authority[at + 1 :]
    host, port = _split_port(host_port)
    _host(host)
    parts.host = host
    if port:
        if not port.isascii() or not port.isdigit():
            raise URISyntaxError("Illegal character in port number")
        parts.port = int(port)


def _split_port(host_port: str) -> tuple[str, str]:
    if host_port.startswith("["):
        close = host_port.find("]")
        if close < 0:
            raise URISyntaxError("Expected closing bracket")
        tail = host_port[close + 1 :]
        if tail and not tail.startswith(":"):
            raise URISyntaxError("Illegal character")
        return host_port[: close + 1], tail[1:]
    host, _, port = host_port.partition(":")
    return host, port


def _host(host: str) -> None:
    if not host:
        raise URISyntaxError("Expected hostname")
    if host.startswith("["):
        try:
            ipaddress.IPv6Address(host[1:-1].split("%", 1)[0])
        except ValueError:
            raise URISyntaxError("Malformed IPv6 address") from None
        return
    if _IPV4.fullmatch(host):
        if all(int(octet) <= 255 for octet in host.split(".")):
            return
        raise URISyntaxError("Malformed IPv4 address")
    labels = host[:-1].split(".") if host.endswith(".") else host.split(".")
    if not all(_LABEL.fullmatch(label) for label in labels):
        raise URISyntaxError("Illegal character in hostname")
    if not labels[-1][0].isalpha() and len(labels) > 1:
        raise URISyntaxError("Illegal character in hostname")


def parse_url(text: str) -> UriParts:
    """``new URL(text)``: the lenient fallback for strings ``URI`` rejects."""
    colon = text.find(":")
    protocol = text[:colon].lower() if colon > 0 else ""
    if not protocol or not _SCHEME.fullmatch(protocol) or "/" in protocol:
        raise URISyntaxError("no protocol")
    if protocol not in _URL_PROTOCOLS:
        raise URISyntaxError("unknown protocol")
    parts = UriParts(scheme=protocol, host="")
    rest = text[colon + 1 :]
    rest, _, fragment = rest.partition("#")
    parts.fragment = fragment if "#" in text[colon + 1 :] else None
    rest, question, query = rest.partition("?")
    parts.query = query if question else None
    if rest.startswith("//"):
        end = rest.find("/", 2)
        authority = rest[2:] if end < 0 else rest[2:end]
        rest = "" if end < 0 else rest[end:]
        _url_authority(authority, parts)
    parts.path = rest
    return parts


def _url_authority(authority: str, parts: UriParts) -> None:
    host_port = authority
    if "@" in authority:
        if authority.find("@") != authority.rfind("@"):
            parts.host = None
            return
        parts.user_info, _, host_port = authority.partition("@")
    host, port = _split_port(host_port)
    parts.host = host
    if port:
        if not port.isascii() or not port.isdigit():
            raise URISyntaxError("Invalid port number")
        parts.port = int(port)

"""Ingest helpers: StringBuilder, StringTokenizer, Locale, CIDR, Processors, field(), metadata()."""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Callable, MutableMapping
from typing import Any, ClassVar

from ..errors import JavaThrowable, iae, npe
from ..jtypes import JChar, as_long, to_plain, to_string
from .registry import ctor, fields, method, static


class Locale:
    java_class = "java.util.Locale"

    def __init__(self, tag: str) -> None:
        self.tag = tag

    def to_java_string(self) -> str:
        return self.tag


fields(
    "Locale",
    ROOT=Locale(""),
    ENGLISH=Locale("en"),
    US=Locale("en_US"),
    UK=Locale("en_GB"),
    GERMAN=Locale("de"),
    FRENCH=Locale("fr"),
)
static("Locale", "getDefault", 0)(lambda: Locale(""))
static("Locale", "forLanguageTag", 1)(lambda t: Locale(str(t)))
ctor("Locale", 1, 2)(lambda *a: Locale("_".join(str(x) for x in a)))


# ---- StringBuilder -----------------------------------------------------------------------
class StringBuilder:
    java_class = "java.lang.StringBuilder"
    __slots__ = ("text",)

    def __init__(self, init: Any = None) -> None:
        self.text = init if isinstance(init, str) else ""

    def to_java_string(self) -> str:
        return self.text

    def to_plain(self) -> str:
        return self.text


def _sb_append(sb: StringBuilder, v: Any) -> StringBuilder:
    sb.text += to_string(v)
    return sb


def _sb_insert(sb: StringBuilder, i: int, v: Any) -> StringBuilder:
    sb.text = sb.text[:i] + to_string(v) + sb.text[i:]
    return sb


def _sb_set_length(sb: StringBuilder, n: int) -> None:
    sb.text = sb.text[:n] + "\0" * max(0, n - len(sb.text))


def _sb_delete(sb: StringBuilder, a: int, b: int) -> StringBuilder:
    sb.text = sb.text[:a] + sb.text[b:]
    return sb


def _sb_reverse(sb: StringBuilder) -> StringBuilder:
    sb.text = sb.text[::-1]
    return sb


for _cls in ("StringBuilder", "StringBuffer"):
    ctor(_cls, 0, 1)(StringBuilder)
method(StringBuilder, "append", 1)(_sb_append)
method(StringBuilder, "insert", 2)(_sb_insert)
method(StringBuilder, "toString", 0)(lambda sb: sb.text)
method(StringBuilder, "length", 0)(lambda sb: len(sb.text))
method(StringBuilder, "reverse", 0)(_sb_reverse)
method(StringBuilder, "setLength", 1)(_sb_set_length)
method(StringBuilder, "charAt", 1)(lambda sb, i: JChar(sb.text[i]))
method(StringBuilder, "indexOf", 1)(lambda sb, s: sb.text.find(to_string(s)))
method(StringBuilder, "delete", 2)(_sb_delete)
method(StringBuilder, "deleteCharAt", 1)(lambda sb, i: _sb_delete(sb, i, i + 1))
method(StringBuilder, "isEmpty", 0)(lambda sb: not sb.text)


# ---- StringTokenizer ---------------------------------------------------------------------
class StringTokenizer:
    java_class = "java.util.StringTokenizer"
    __slots__ = ("delims", "pos", "ret", "text")

    def __init__(self, text: Any, delims: Any = " \t\n\r\f", ret: bool = False) -> None:
        if text is None:
            raise npe("StringTokenizer input is null")
        self.text, self.delims, self.ret, self.pos = str(text), to_string(delims), ret, 0

    def _skip(self, pos: int) -> int:
        if not self.ret:
            while pos < len(self.text) and self.text[pos] in self.delims:
                pos += 1
        return pos

    def has_more(self) -> bool:
        return self._skip(self.pos) < len(self.text)

    def next_token(self) -> str:
        start = self.pos = self._skip(self.pos)
        if start >= len(self.text):
            raise JavaThrowable("NoSuchElementException", None)
        end = start
        if self.ret and self.text[end] in self.delims:
            end += 1
        else:
            while end < len(self.text) and self.text[end] not in self.delims:
                end += 1
        self.pos = end
        return self.text[start:end]

    def count(self) -> int:
        saved, n = self.pos, 0
        while self.has_more():
            self.next_token()
            n += 1
        self.pos = saved
        return n


ctor("StringTokenizer", 1, 2, 3)(StringTokenizer)
for _name in ("hasMoreTokens", "hasMoreElements"):
    method(StringTokenizer, _name, 0)(StringTokenizer.has_more)
for _name in ("nextToken", "nextElement"):
    method(StringTokenizer, _name, 0)(StringTokenizer.next_token)
method(StringTokenizer, "countTokens", 0)(StringTokenizer.count)


# ---- CIDR --------------------------------------------------------------------------------
class CIDR:
    java_class = "org.elasticsearch.painless.api.CIDR"

    def __init__(self, cidr: Any) -> None:
        try:
            self.net = ipaddress.ip_network(str(cidr), strict=False)
        except ValueError:
            raise iae(f"'{cidr}' is not an IP string literal.") from None

    def contains(self, ip: Any) -> bool:
        if ip is None:
            return False
        try:
            addr = ipaddress.ip_address(str(ip))
        except ValueError:
            raise iae(f"'{ip}' is not an IP string literal.") from None
        return addr.version == self.net.version and addr in self.net


ctor("CIDR", 1)(CIDR)
method(CIDR, "contains", 1)(CIDR.contains)


# ---- Processors --------------------------------------------------------------------------
def _functions(name: str) -> Callable[..., Any]:
    try:
        from ...functions import bytes_value, community_id_es, uri_parts, url_decode
        from .. import __name__ as _pkg  # noqa: F401
    except ImportError as e:
        raise JavaThrowable("RuntimeException", f"Processors.{name} is not available: {e}") from e
    table: dict[str, Callable[..., Any]] = {
        "bytes": bytes_value,
        "urlDecode": url_decode,
        "uriParts": uri_parts,
        "communityId": community_id_es,
    }
    return table[name]


def _call_function(name: str, *args: Any) -> Any:
    fn = _functions(name)
    try:
        return to_plain(fn(*args))
    except JavaThrowable:
        raise
    except Exception as e:
        raise JavaThrowable(_java_name(e), str(getattr(e, "reason", e))) from e


def _java_name(e: Exception) -> str:
    es_type = str(getattr(e, "type", "illegal_argument_exception"))
    return "".join(p.capitalize() for p in es_type.split("_"))


def _json(*args: Any) -> Any:
    if len(args) == 2:
        target, fld = args
        parsed = _json(target.get(fld))
        if not isinstance(parsed, dict):
            raise iae(f"cannot add non-map fields to root of document: [{fld}]")
        target.update(parsed)
        return None
    from ...errors import IngestError
    from ...processors.parsing_json import parse_json

    try:  # JsonProcessor.apply(value, allowDuplicateKeys=false, strictJsonParsing=true)
        return parse_json(args[0], False, True)
    except IngestError as e:
        raise JavaThrowable(_java_name(e), e.reason) from None


static("Processors", "lowercase", 1)(lambda s: None if s is None else str(s).lower())
static("Processors", "uppercase", 1)(lambda s: None if s is None else str(s).upper())
static("Processors", "json", 1, 2)(_json)
static("Processors", "bytes", 1)(lambda s: _call_function("bytes", s))
static("Processors", "urlDecode", 1)(lambda s: _call_function("urlDecode", s))
static("Processors", "uriParts", 1)(lambda s: _call_function("uriParts", s))


@static("Processors", "communityId", 8, 9)
def _community_id(*args: Any) -> Any:
    # (src, dst, ianaNumber, transport, srcPort, dstPort, icmpType, icmpCode[, seed])
    return _call_function("communityId", *args)


# ---- field() / metadata() script functions -----------------------------------------------
class FieldRef:
    java_class = "org.elasticsearch.script.field.WriteField"

    def __init__(self, ctx: MutableMapping[str, Any], path: str) -> None:
        self.ctx, self.path = ctx, path

    def _resolve(self) -> tuple[Any, str] | None:
        """(container, key) for the path; dotted keys may sit at any level (like ES)."""
        cur: Any = self.ctx
        parts = self.path.split(".")
        i = 0
        while isinstance(cur, MutableMapping):
            for j in range(len(parts), i, -1):
                key = ".".join(parts[i:j])
                if key in cur:
                    if j == len(parts):
                        return cur, key
                    cur, i = cur[key], j
                    break
            else:
                return cur, ".".join(parts[i:])
        return None

    def get(self, default: Any = None) -> Any:
        found = self._resolve()
        if found is None or found[1] not in found[0]:
            return default
        value = found[0][found[1]]
        return default if value is None else value

    def exists(self) -> bool:
        found = self._resolve()
        return found is not None and found[1] in found[0]

    def set(self, value: Any) -> FieldRef:
        found = self._resolve()
        if found is None:
            raise iae(f"cannot set [{self.path}]")
        found[0][found[1]] = to_plain(value)
        return self


method(FieldRef, "get", 1)(FieldRef.get)
method(FieldRef, "exists", 0)(FieldRef.exists)
method(FieldRef, "set", 1)(FieldRef.set)
method(FieldRef, "getName", 0)(lambda f: f.path)


class Metadata:
    """``metadata()`` of ingest scripts: org.elasticsearch.script.Metadata as the ingest
    whitelist (org.elasticsearch.script.ingest.txt) exposes it: index, id, routing, version,
    versionType (getters and setters) and now (a getter). Writes go through ``ctx``, whose
    metadata checks are IngestDocMetadata's."""

    java_class = "org.elasticsearch.script.Metadata"
    KEYS: ClassVar[dict[str, str]] = {
        "index": "_index",
        "id": "_id",
        "routing": "_routing",
        "version": "_version",
        "versionType": "_version_type",
    }

    def __init__(self, ctx: MutableMapping[str, Any]) -> None:
        self.ctx = ctx

    def get(self, key: str) -> Any:
        value = self.ctx.get(key)
        if key == "_version":
            return _version(value)
        return None if value is None else to_string(value)

    def set(self, key: str, value: Any) -> None:
        self.ctx[key] = to_plain(value)

    def now(self) -> Any:
        from .javatime import JInstant, _parse

        document = getattr(self.ctx, "document", None)
        stamp = document.ingest.get("timestamp") if document is not None else None
        if not stamp:
            return JInstant(time.time_ns()).zoned(_utc_zone())
        return _parse(stamp, None, None)


def _version(value: Any) -> Any:
    """``getVersion()`` returns a primitive long: a missing version is a NullPointerException."""
    if value is None:
        raise npe(
            'Cannot invoke "java.lang.Number.longValue()" because the return value of '
            '"org.elasticsearch.script.Metadata.getNumber(String)" is null'
        )
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise JavaThrowable(
            "IllegalStateException",
            f"unexpected type for [_version] with value [{to_string(value)}], expected Number, "
            f"got [{type(value).__name__}]",
        )
    return as_long(int(value))


def _utc_zone() -> Any:
    from .javatime import _utc

    return _utc()


for _k, _v in Metadata.KEYS.items():
    _cap = _k[0].upper() + _k[1:]
    method(Metadata, "get" + _cap, 0)(lambda m, key=_v: m.get(key))
    method(Metadata, "set" + _cap, 1)(lambda m, v, key=_v: m.set(key, v))
method(Metadata, "getNow", 0)(Metadata.now)


def _state_ctx(state: Any) -> MutableMapping[str, Any]:
    if state.ctx is None:
        raise npe("ctx is null")
    return state.ctx  # type: ignore[no-any-return]


static("<script>", "field", 1)(lambda state, path: FieldRef(_state_ctx(state), to_string(path)))
static("<script>", "metadata", 0)(lambda state: Metadata(_state_ctx(state)))

"""java.lang.String / Character instance methods and Painless String augmentations."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from ..errors import JavaThrowable, npe
from ..jtypes import JChar, to_string
from ..ops import compare_strings, eq
from .registry import ctor, fields, method, static


def _s(v: Any) -> str:
    if v is None:
        raise npe("Cannot invoke a String method with a null argument")
    return str(v)


def _oob(msg: str) -> JavaThrowable:
    return JavaThrowable("StringIndexOutOfBoundsException", msg)


@method(str, "substring", 1, 2)
def _substring(s: str, begin: int, end: int | None = None) -> str:
    e = len(s) if end is None else end
    if begin < 0 or e > len(s) or begin > e:
        raise _oob(f"begin {begin}, end {e}, length {len(s)}")
    return s[begin:e]


@method(str, "charAt", 1)
def _char_at(s: str, i: int) -> JChar:
    if not 0 <= i < len(s):
        raise _oob(f"Index {i} out of bounds for length {len(s)}")
    return JChar(s[i])


@method(str, "codePointAt", 1)
def _code_point_at(s: str, i: int) -> int:
    if not 0 <= i < len(s):
        raise _oob(f"Index {i} out of bounds for length {len(s)}")
    return ord(s[i])


@method(str, "indexOf", 1, 2)
def _index_of(s: str, sub: Any, start: int = 0) -> int:
    sub = chr(sub) if type(sub) is int else _s(sub)
    return s.find(sub, max(0, start))


@method(str, "lastIndexOf", 1, 2)
def _last_index_of(s: str, sub: Any, start: int | None = None) -> int:
    sub = chr(sub) if type(sub) is int else _s(sub)
    if start is None:
        return s.rfind(sub)
    if start < 0:
        return -1
    return s.rfind(sub, 0, start + len(sub))


def _java_trim(s: str) -> str:
    i, j = 0, len(s)
    while i < j and s[i] <= " ":
        i += 1
    while j > i and s[j - 1] <= " ":
        j -= 1
    return s[i:j]


@method(str, "splitOnToken", 1, 2)
def _split_on_token(s: str, token: Any, limit: int = 0) -> list[str]:
    tok = _s(token)
    if not s or not tok or len(s) < len(tok):
        return [s]
    return s.split(tok, limit - 1) if limit > 0 else s.split(tok)


@method(str, "replace", 2)
def _replace(s: str, old: Any, new: Any) -> str:
    return s.replace(_s(old), _s(new))


@method(str, "toLowerCase", 0, 1)
def _lower(s: str, locale: Any = None) -> str:
    return s.lower()


@method(str, "toUpperCase", 0, 1)
def _upper(s: str, locale: Any = None) -> str:
    return s.upper()


@method(str, "startsWith", 1, 2)
def _starts_with(s: str, prefix: Any, offset: int = 0) -> bool:
    return s.startswith(_s(prefix), offset) if 0 <= offset <= len(s) else False


@method(str, "regionMatches", 4, 5)
def _region_matches(s: str, *a: Any) -> bool:
    ignore = a[0] if len(a) == 5 else False
    off, other, ooff, length = a[-4:]
    x, y = s[off : off + length], _s(other)[ooff : ooff + length]
    if off < 0 or ooff < 0 or len(x) < length or len(y) < length:
        return False
    return x.lower() == y.lower() if ignore else x == y


@method(str, "repeat", 1)
def _repeat(s: str, count: int) -> str:
    if count < 0:
        raise JavaThrowable("IllegalArgumentException", f"count is negative: {count}")
    return s * count


def _strip(s: str, mode: int) -> str:
    if mode < 0:
        return s.lstrip()
    return s.rstrip() if mode > 0 else s.strip()


_SIMPLE = {
    "length": lambda s: len(s),
    "isEmpty": lambda s: len(s) == 0,
    "isBlank": lambda s: s.strip() == "",
    "trim": _java_trim,
    "strip": lambda s: _strip(s, 0),
    "stripLeading": lambda s: _strip(s, -1),
    "stripTrailing": lambda s: _strip(s, 1),
    "toString": lambda s: str(s),
    "hashCode": lambda s: _java_hash(s),
    "toCharArray": lambda s: [JChar(c) for c in s],
    "intern": lambda s: str(s),
}
for _name, _fn in _SIMPLE.items():
    method(str, _name, 0)(_fn)

_ONE_ARG = {
    "contains": lambda s, x: _s(x) in s,
    "endsWith": lambda s, x: s.endswith(_s(x)),
    "equals": lambda s, x: eq(s, x) and isinstance(x, str),
    "equalsIgnoreCase": lambda s, x: x is not None and s.lower() == str(x).lower(),
    "compareTo": lambda s, x: compare_strings(s, _s(x)),
    "compareToIgnoreCase": lambda s, x: compare_strings(s.lower(), _s(x).lower()),
    "concat": lambda s, x: s + _s(x),
    "contentEquals": lambda s, x: s == to_string(x),
}
for _name, _fn1 in _ONE_ARG.items():
    method(str, _name, 1)(_fn1)


def _java_hash(s: str) -> int:
    h = 0
    for c in s:
        h = (31 * h + ord(c)) & 0xFFFFFFFF
    return h - (1 << 32) if h >= 1 << 31 else h


# ---- Character ---------------------------------------------------------------------------
method(JChar, "charValue", 0)(lambda c: c)
method(JChar, "equals", 1)(lambda c, x: type(x) is JChar and str(c) == str(x))
method(JChar, "compareTo", 1)(lambda c, x: ord(c) - ord(x))
method(JChar, "hashCode", 0)(lambda c: ord(c))


# ---- Painless String augmentations: base64 and digests; java.util.Base64 -------------------
_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
_B64_STD = {c: i for i, c in enumerate(_B64 + "+/")}
_B64_URL = {c: i for i, c in enumerate(_B64 + "-_")}


def java_b64decode(src: bytes, url: bool = False) -> bytes:
    """``Base64.getDecoder().decode``: strict alphabet, optional padding, Java's messages."""
    table = _B64_URL if url else _B64_STD
    out = bytearray()
    bits, shift, sp, n = 0, 18, 0, len(src)
    while sp < n:
        b = src[sp]
        sp += 1
        v = table.get(chr(b))
        if v is None:
            if b == 0x3D:  # '='
                if (shift == 6 and (sp == n or src[(sp := sp + 1) - 1] != 0x3D)) or shift == 18:
                    raise _iae("Input byte array has wrong 4-byte ending unit")
                break
            signed = b - 256 if b > 127 else b
            raise _iae(f"Illegal base64 character {_hex(signed)}")
        bits |= v << shift
        shift -= 6
        if shift < 0:
            out += bytes(((bits >> 16) & 0xFF, (bits >> 8) & 0xFF, bits & 0xFF))
            bits, shift = 0, 18
    if shift == 6:
        out.append((bits >> 16) & 0xFF)
    elif shift == 0:
        out += bytes(((bits >> 16) & 0xFF, (bits >> 8) & 0xFF))
    elif shift == 12:
        raise _iae("Last unit does not have enough valid bits")
    if sp < n:
        raise _iae(f"Input byte array has incorrect ending byte at {sp}")
    return bytes(out)


def _hex(v: int) -> str:
    return ("-" if v < 0 else "") + format(abs(v), "x")


def _iae(msg: str) -> JavaThrowable:
    return JavaThrowable("IllegalArgumentException", msg)


def _b64decode(s: str) -> str:
    # new String(Base64.getDecoder().decode(bytes), UTF_8): malformed input becomes U+FFFD
    return java_b64decode(s.encode("utf-8", "surrogatepass")).decode("utf-8", "replace")


method(str, "encodeBase64", 0)(lambda s: base64.b64encode(s.encode("utf-8")).decode("ascii"))
method(str, "decodeBase64", 0)(_b64decode)
for _algo in ("sha1", "sha256", "sha512"):
    method(str, _algo, 0)(lambda s, a=_algo: hashlib.new(a, s.encode("utf-8")).hexdigest())
method(str, "getBytes", 0, 1)(lambda s, cs=None: [b - 256 if b > 127 else b for b in s.encode()])


class Base64Codec:
    java_class = "java.util.Base64$Encoder"
    __slots__ = ("url",)

    def __init__(self, url: bool) -> None:
        self.url = url


def _to_bytes(v: Any) -> bytes:
    if isinstance(v, str):
        return v.encode("utf-8")
    return bytes(b & 0xFF for b in v)


def _b64_decode_bytes(c: Base64Codec, v: Any) -> list[int]:
    raw = java_b64decode(_to_bytes(v), c.url)
    return [b - 256 if b > 127 else b for b in raw]


for _kind in ("Encoder", "Decoder", "UrlEncoder", "UrlDecoder", "MimeEncoder", "MimeDecoder"):
    _url = _kind.startswith("Url")
    static("Base64", "get" + _kind, 0)(lambda u=_url: Base64Codec(u))
method(Base64Codec, "encodeToString", 1)(
    lambda c, v: (base64.urlsafe_b64encode if c.url else base64.b64encode)(_to_bytes(v)).decode()
)
method(Base64Codec, "decode", 1)(_b64_decode_bytes)
fields("StandardCharsets", UTF_8="UTF-8", US_ASCII="US-ASCII", ISO_8859_1="ISO-8859-1")
ctor("String", 2)(lambda b, cs: _to_bytes(b).decode("utf-8", errors="replace"))

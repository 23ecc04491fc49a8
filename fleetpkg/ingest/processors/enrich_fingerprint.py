"""The fingerprint processor: a salted hash over field values, serialised as ES does."""

from __future__ import annotations

import base64
import hashlib
import struct
from collections.abc import Callable
from typing import Any

from ..document import IngestDocument
from ..errors import illegal_argument
from ..fieldpath import FieldPath
from ..values import JLong
from .base import Config, Processor, read_field, write_field
from .enrich_murmur import Murmur3

METHODS = ("MD5", "SHA-1", "SHA-256", "SHA-512", "MurmurHash3")
_DIGESTS: dict[str, Callable[[], Any]] = {
    "MD5": hashlib.md5,
    "SHA-1": hashlib.sha1,
    "SHA-256": hashlib.sha256,
    "SHA-512": hashlib.sha512,
    "MurmurHash3": Murmur3,
}
_DELIMITER = b"\x00"


def java_order(key: str) -> bytes:
    """Sort key giving Java's natural String order (UTF-16 code units)."""
    return key.encode("utf-16-be", "surrogatepass")


def to_bytes(value: Any) -> bytes:
    """The bytes ES feeds the digest for one scalar value."""
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass")
    if value is True:
        return b"\x01"
    if value is False:
        return b"\x02"
    if isinstance(value, int):
        if -(2**31) <= value < 2**31 and type(value) is not JLong:
            return struct.pack("<i", value)
        if -(2**63) <= value < 2**63:
            return struct.pack("<q", value)
        raise illegal_argument("cannot convert object of type [java.math.BigInteger] to bytes")
    if isinstance(value, float):
        return struct.pack("<d", value)
    if value is None:
        return b""
    raise illegal_argument(f"cannot convert object of type [{type(value).__name__}] to bytes")


def feed(hasher: Any, value: Any) -> None:
    """Walk ``value`` depth-first: lists in order, maps by sorted key (key then value)."""
    stack: list[Any] = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            entries = sorted(item.items(), key=lambda kv: java_order(kv[0]))
            stack.extend(_Entry(k, v) for k, v in reversed(entries))
        elif isinstance(item, _Entry):
            hasher.update(_DELIMITER)
            hasher.update(to_bytes(item.key))
            stack.append(item.value)
        else:
            hasher.update(_DELIMITER)
            hasher.update(to_bytes(item))


class _Entry:
    __slots__ = ("key", "value")

    def __init__(self, key: str, value: Any) -> None:
        self.key = key
        self.value = value


def fingerprint(values: list[Any], method: str = "SHA-1", salt: bytes = b"") -> str:
    """Base64 digest of the field values (already in field-name order)."""
    hasher = _DIGESTS[method]()
    hasher.update(salt)
    for value in values:
        feed(hasher, value)
    return base64.b64encode(hasher.digest()).decode("ascii")


class Fingerprint(Processor):
    type = "fingerprint"

    def __init__(self, cfg: Config) -> None:
        fields = cfg.string_list("fields")
        if len(fields) < 1:
            raise cfg.error("fields", "must specify at least one field")
        self.fields = sorted(fields, key=java_order)
        self.target = cfg.string("target_field", "fingerprint")
        salt = cfg.string("salt", "")
        self.salt = salt.encode("utf-8") if salt.strip() else b""
        self.method = cfg.string("method", "SHA-1")
        if self.method not in METHODS:
            raise cfg.error(
                "method",
                f"[{self.method}] must be one of the supported hash methods [{','.join(METHODS)}]",
            )
        self.ignore_missing = cfg.boolean("ignore_missing", False)
        self._paths = [(field, FieldPath.of(field)) for field in self.fields]
        self._target_path = FieldPath.of(self.target)

    def run(self, doc: IngestDocument) -> None:
        values = []
        for field, path in self._paths:
            value = read_field(doc, field, path, ignore_missing=True)
            if value is None:
                if self.ignore_missing:
                    continue
                raise illegal_argument(f"missing field [{field}] when calculating fingerprint")
            values.append(value)
        if values:
            digest = fingerprint(values, self.method, self.salt)
            write_field(doc, self.target, self._target_path, digest)

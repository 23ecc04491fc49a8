"""Crypto extensions: base64 and hex encodings, digests, ``hmac`` and ``uuid``."""

from __future__ import annotations

import base64
import hashlib
import hmac as _hmac
import uuid
from collections.abc import Callable
from typing import Any

from celpy import celtypes

from .values import as_bytes, as_str


def _base64(value: Any) -> Any:
    return celtypes.StringType(base64.b64encode(as_bytes(value)).decode())


def _base64_raw(value: Any) -> Any:
    return celtypes.StringType(base64.b64encode(as_bytes(value)).decode().rstrip("="))


def _base64_decode(value: Any) -> Any:
    return celtypes.BytesType(base64.b64decode(as_str(value), validate=True))


def _base64_raw_decode(value: Any) -> Any:
    text = as_str(value)
    return celtypes.BytesType(base64.b64decode(text + "=" * (-len(text) % 4)))


def _digest(name: str) -> Callable[[Any], Any]:
    def digest(value: Any) -> Any:
        return celtypes.BytesType(hashlib.new(name, as_bytes(value)).digest())

    digest.__name__ = name
    return digest


def _hex(value: Any) -> Any:
    return celtypes.StringType(as_bytes(value).hex())


def _hmac_fn(value: Any, algorithm: Any, key: Any) -> Any:
    name = {"sha1": "sha1", "sha256": "sha256", "sha512": "sha512", "md5": "md5"}[str(algorithm)]
    return celtypes.BytesType(_hmac.new(as_bytes(key), as_bytes(value), name).digest())


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "base64": _base64,
    "base64_raw": _base64_raw,
    "base64_decode": _base64_decode,
    "base64_raw_decode": _base64_raw_decode,
    "hex": _hex,
    "md5": _digest("md5"),
    "sha1": _digest("sha1"),
    "sha256": _digest("sha256"),
    "hmac": _hmac_fn,
    "uuid": lambda: celtypes.StringType(str(uuid.uuid4())),
}

"""fingerprint processor: ES's value serialisation, methods, salt, options and errors."""

from __future__ import annotations

import base64
import hashlib
import struct
from typing import Any

import pytest
from ingest_helpers import run_one

from fleetpkg.ingest import IngestError, simulate
from fleetpkg.ingest.processors.enrich_murmur import Murmur3, murmur3_128

USER = {
    "last_name": "Smith",
    "first_name": "John",
    "date_of_birth": "1980-01-15",
    "is_active": True,
}


def fp(source: dict[str, Any], **options: Any) -> Any:
    out = run_one([{"fingerprint": {"fields": ["a"], **options}}], source)
    return out.get(options.get("target_field", "fingerprint"), out)


def sha1(data: bytes) -> str:
    return base64.b64encode(hashlib.sha1(data).digest()).decode()


def test_docs_example() -> None:
    out = run_one([{"fingerprint": {"fields": ["user"]}}], {"user": USER})
    assert out["fingerprint"] == "WbSUPW4zY1PBPehh2AA/sSxiRjw="


@pytest.mark.parametrize(
    ("value", "payload"),
    [
        ("x", b"\x00x"),
        ("é", b"\x00" + "é".encode()),
        (1, b"\x00" + struct.pack("<i", 1)),
        (2**40, b"\x00" + struct.pack("<q", 2**40)),
        (1.5, b"\x00" + struct.pack("<d", 1.5)),
        (True, b"\x00\x01"),
        (False, b"\x00\x02"),
        (["x", None], b"\x00x\x00"),
        ({"b": 1, "a": "x"}, b"\x00a\x00x\x00b\x00" + struct.pack("<i", 1)),
        ({"k": ["p", {"q": "r"}]}, b"\x00k\x00p\x00q\x00r"),
    ],
)
def test_serialisation(value: Any, payload: bytes) -> None:
    assert fp({"a": value}) == sha1(payload)


def test_fields_are_sorted_and_concatenated() -> None:
    forward = run_one([{"fingerprint": {"fields": ["b", "a"]}}], {"a": "1", "b": "2"})
    assert forward["fingerprint"] == sha1(b"\x001\x002")


def test_salt() -> None:
    assert fp({"a": "x"}, salt="pepper") == sha1(b"pepper\x00x")
    assert fp({"a": "x"}, salt="   ") == sha1(b"\x00x")


@pytest.mark.parametrize(
    ("method", "digest"),
    [
        ("MD5", hashlib.md5(b"\x00x").digest()),
        ("SHA-256", hashlib.sha256(b"\x00x").digest()),
        ("SHA-512", hashlib.sha512(b"\x00x").digest()),
    ],
)
def test_methods(method: str, digest: bytes) -> None:
    assert fp({"a": "x"}, method=method) == base64.b64encode(digest).decode()


def test_murmur3() -> None:
    # Reference vector of MurmurHash3_x64_128 (seed 0).
    h1, h2 = murmur3_128(b"The quick brown fox jumps over the lazy dog")
    assert (h1, h2) == (0xE34BBC7BBC071B6C, 0x7A433CA9C49A9347)
    hasher = Murmur3()
    hasher.update(b"\x00")
    hasher.update(b"x")
    h1, h2 = murmur3_128(b"\x00x")
    expected = base64.b64encode(h1.to_bytes(8, "big") + h2.to_bytes(8, "big")).decode()
    assert fp({"a": "x"}, method="MurmurHash3") == expected
    assert base64.b64encode(hasher.digest()).decode() == expected


def test_target_field() -> None:
    out = run_one([{"fingerprint": {"fields": ["a"], "target_field": "x.y"}}], {"a": "v"})
    assert out == {"a": "v", "x": {"y": sha1(b"\x00v")}}


def test_missing_fields() -> None:
    err = run_one([{"fingerprint": {"fields": ["a", "b"]}}], {"a": "x"})
    assert err["type"] == "illegal_argument_exception"
    assert err["reason"] == "missing field [b] when calculating fingerprint"
    err = run_one([{"fingerprint": {"fields": ["a"]}}], {"a": None})
    assert err["reason"] == "missing field [a] when calculating fingerprint"
    out = run_one([{"fingerprint": {"fields": ["a", "b"], "ignore_missing": True}}], {"a": "x"})
    assert out["fingerprint"] == sha1(b"\x00x")
    assert run_one([{"fingerprint": {"fields": ["z"], "ignore_missing": True}}], {}) == {}


@pytest.mark.parametrize(
    ("config", "reason"),
    [
        ({"fields": []}, "[fields] must specify at least one field"),
        ({}, "[fields] required property is missing"),
        (
            {"fields": ["a"], "method": "SHA-3"},
            "[method] [SHA-3] must be one of the supported hash methods "
            "[MD5,SHA-1,SHA-256,SHA-512,MurmurHash3]",
        ),
    ],
)
def test_config_errors(config: dict[str, Any], reason: str) -> None:
    with pytest.raises(IngestError) as info:
        simulate({"pipeline": {"processors": [{"fingerprint": config}]}, "docs": []})
    assert info.value.type == "parse_exception"
    assert info.value.reason == reason

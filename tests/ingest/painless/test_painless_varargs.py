"""Painless has no varargs: ``def[]`` parameters (Stream.of, String.format) take an array."""

from __future__ import annotations

from typing import Any

import pytest

from fleetpkg.ingest import simulate
from fleetpkg.ingest.painless.errors import from_python


def _script(source: str) -> Any:
    request = {
        "pipeline": {"processors": [{"script": {"source": source}}]},
        "docs": [{"_source": {}}],
    }
    entry = simulate(request)["docs"][0]
    return entry["error"] if "error" in entry else entry["doc"]["_source"]


def test_stream_of_array_spreads() -> None:
    out = _script(
        "ctx.s = Stream.of('a,,b'.splitOnToken(',')).filter(s -> !s.isEmpty())"
        ".collect(Collectors.toList());"
    )
    assert out == {"s": ["a", "b"]}


def test_string_format_with_array_argument() -> None:
    out = _script("def[] arr = new def[]{132}; ctx.s = String.format('%d', arr);")
    assert out == {"s": "132"}
    out = _script("ctx.s = String.format('%s-%05d', new def[]{'a', 42L});")
    assert out == {"s": "a-00042"}


def test_format_errors_are_java_shaped() -> None:
    err = _script("ctx.s = String.format('%d', new def[]{'x'});")
    assert err["caused_by"] == {
        "type": "illegal_format_conversion_exception",
        "reason": "d != java.lang.String",
    }
    err = _script("ctx.s = String.format('%s %s', new def[]{'x'});")
    assert "Format specifier '%s'" in str(err)


def test_python_exception_text_never_leaks() -> None:
    exc = from_python(TypeError("int() argument must be a string, not 'list'"))
    assert exc.jtype == "ClassCastException"
    assert exc.message is None
    assert from_python(ValueError("invalid literal for int()")).message is None


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("'aGV-sbG8='.decodeBase64()", "Illegal base64 character 2d"),
        ("'a'.decodeBase64()", "Last unit does not have enough valid bits"),
        ("'aGVsbA='.decodeBase64()", "Input byte array has wrong 4-byte ending unit"),
        ("'aGVsbG8=x'.decodeBase64()", "Input byte array has incorrect ending byte at 8"),
    ],
)
def test_base64_errors_are_javas(source: str, reason: str) -> None:
    err = _script(f"ctx.s = {source};")
    assert err["caused_by"] == {"type": "illegal_argument_exception", "reason": reason}


def test_base64_decoding_like_java() -> None:
    out = _script(
        "ctx.a = 'aGVsbG8'.decodeBase64(); ctx.b = '/w=='.decodeBase64();"
        " ctx.c = Base64.getUrlDecoder().decode('_w');"
    )
    assert out == {"a": "hello", "b": "\ufffd", "c": [-1]}


def test_processors_json_errors_are_jacksons() -> None:
    err = _script("ctx.s = Processors.json('{\"a\":');")
    assert err["caused_by"] == {
        "type": "x_content_e_o_f_exception",
        "reason": "[1:6] Unexpected end of file",
    }
    assert _script("ctx.s = Processors.json('[1,2]');") == {"s": [1, 2]}

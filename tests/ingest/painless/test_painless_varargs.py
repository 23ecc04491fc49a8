"""Painless has no varargs: ``def[]`` parameters (Stream.of, String.format) take an array."""

from __future__ import annotations

from typing import Any

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

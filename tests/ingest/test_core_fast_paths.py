"""Small fast paths in the core: CtxMap.get, integer convert, mustache lookups, dissect walk."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from ingest_helpers import run, run_one

from fleetpkg.ingest.document import CtxMap, IngestDocument
from fleetpkg.ingest.mustache import compile_template
from fleetpkg.ingest.processors.convert import CONVERTERS


def test_ctx_map_get_matches_mapping_get() -> None:
    doc = IngestDocument({"a": 1, "n": None, "_id": "in-source"}, {"_index": "i"}, timestamp="t")
    ctx = doc.ctx_map()
    keys: list[Any] = ["a", "n", "missing", "_index", "_id", "_routing", "_ingest", 5]
    for key in keys:
        assert ctx.get(key) == Mapping.get(ctx, key), key
        assert ctx.get(key, "d") == Mapping.get(ctx, key, "d"), key
    assert ctx.get("_ingest") == {"timestamp": "t"}
    assert ctx.get("_id", "d") == "d"  # metadata keys read the metadata, not the source
    doc.source["_ingest"] = "shadowed"
    assert ctx.get("_ingest") == "shadowed"
    with pytest.raises(TypeError):
        ctx.get([])  # type: ignore[arg-type]
    assert isinstance(ctx, CtxMap)


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        ("integer", 5, 5),
        ("integer", -(2**31), -(2**31)),
        ("integer", "0012", 12),
        ("integer", "+7", 7),
        ("integer", "0x1F", 31),
        ("long", 2**40, 2**40),
        ("long", "9223372036854775807", 2**63 - 1),
        ("long", -3, -3),
    ],
)
def test_integer_converters(kind: str, value: Any, expected: int) -> None:
    assert CONVERTERS[kind](value) == expected


@pytest.mark.parametrize(
    ("kind", "value", "text"),
    [
        ("integer", 2**31, "2147483648"),
        ("integer", True, "true"),
        ("integer", "١٢", "١٢"),
        ("long", 2**63, "9223372036854775808"),
        ("long", "1_0", "1_0"),
        ("long", 1.5, "1.5"),
    ],
)
def test_integer_converter_errors(kind: str, value: Any, text: str) -> None:
    out = run_one([{"convert": {"field": "f", "type": kind}}], {"f": value})
    assert out["type"] == "illegal_argument_exception"
    assert out["reason"] == f"unable to convert [{text}] to {kind}"


def test_mustache_dotted_lookups() -> None:
    model = {"a": {"b": [{"c": "x"}]}, "d": 1, "_ingest": {"t": "ts"}}
    assert compile_template("{{a.b.0.c}}-{{d}}-{{_ingest.t}}-{{a.z}}").render(model) == "x-1-ts-"
    assert compile_template("{{#a.b}}[{{c}}|{{d}}]{{/a.b}}").render(model) == "[x|1]"
    assert compile_template("{{#a.b}}{{.}}{{/a.b}}").render({"a": {"b": ["p", "q"]}}) == "pq"


def test_dissect_walk_finds_delimiters() -> None:
    out = run(
        [{"dissect": {"field": "m", "pattern": "%{a}::%{b}:%{c}"}}],
        {"m": "1::2:3"},
        {"m": "1:::2:3"},
        {"m": "1::2::3"},
        {"m": "::2:3"},
        {"m": "1:2"},
    )
    assert out[0] == {"m": "1::2:3", "a": "1", "b": "2", "c": "3"}
    # ES ≥ 7.11 re-tests the byte right after a delimiter: the ":" there ends an empty "b"
    assert out[1] == {"m": "1:::2:3", "a": "1", "b": "", "c": "2:3"}
    assert out[2] == {"m": "1::2::3", "a": "1", "b": "2", "c": ""}
    assert out[3] == {"m": "::2:3", "a": "", "b": "2", "c": "3"}
    assert out[4]["reason"] == (
        "Unable to find match for dissect pattern: %{a}::%{b}:%{c} against source: 1:2"
    )
    out = run(
        [{"dissect": {"field": "m", "pattern": "%{a} %{b}"}}],
        {"m": "x  y"},
        {"m": " x y"},
        {"m": "x y z"},
    )
    assert out == [
        {"m": "x  y", "a": "x", "b": ""},
        {"m": " x y", "a": "", "b": "x y"},
        {"m": "x y z", "a": "x", "b": "y z"},
    ]
    out = run_one(
        [{"dissect": {"field": "m", "pattern": "[%{ts}] %{level} %{}"}}], {"m": "[t]  INFO x"}
    )
    assert out == {"m": "[t]  INFO x", "ts": "t", "level": ""}


def test_fingerprint_paths_and_metadata_target() -> None:
    out = run(
        [
            {
                "fingerprint": {
                    "fields": ["a.b", "@timestamp", "l.0"],
                    "target_field": "_id",
                    "ignore_missing": True,
                }
            },
            {"set": {"field": "id", "value": "{{_id}}"}},
        ],
        {"a": {"b": "x"}, "@timestamp": "t", "l": ["q"]},
        {"a": "s"},
        {"l": []},
    )
    assert out[0] == {
        "a": {"b": "x"},
        "@timestamp": "t",
        "l": ["q"],
        "id": "gEjYaNw30ISMl0ttwMS4nuvBv6c=",
    }
    assert out[1] == {"a": "s", "id": "1"}  # nothing found: _id untouched
    assert out[2] == {"l": [], "id": "2"}


def test_dissect_reference_and_append_keys() -> None:
    out = run_one(
        [{"dissect": {"field": "m", "pattern": "%{*k} %{&k} %{+x} %{+x} %{a.b}"}}],
        {"m": "key val p1 p2 deep"},
    )
    assert out == {"m": "key val p1 p2 deep", "key": "val", "x": "p1p2", "a": {"b": "deep"}}


def test_json_through_list_paths() -> None:
    out = run(
        [{"json": {"field": "l.0", "target_field": "t.1"}}],
        {"l": ['{"a":1}'], "t": [0, 0]},
        {"l": {"0": "[1]"}},
        {"l": "s"},
    )
    assert out[0] == {"l": ['{"a":1}'], "t": [0, {"a": 1}]}
    assert out[1] == {"l": {"0": "[1]"}, "t": {"1": [1]}}
    assert out[2]["reason"] == (
        "cannot resolve [0] from object of type [java.lang.String] as part of path [l.0]"
    )

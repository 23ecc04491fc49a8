"""FieldPath (pre-split static paths) must match the IngestDocument methods exactly."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from ingest_helpers import run, run_one

from fleetpkg.ingest import IngestError
from fleetpkg.ingest.document import IngestDocument
from fleetpkg.ingest.fieldpath import FieldPath
from fleetpkg.ingest.mustache import compile_template

SOURCES: list[dict[str, Any]] = [
    {},
    {"a": {"b": {"c": 1}}},
    {"a": {"b": None}},
    {"a": None},
    {"a": "text"},
    {"a": [{"b": {"c": 2}}, {"b": 3}]},
    {"a": {"b": [1, 2, {"c": 4}]}},
    {"a": {"b": {"c": [1]}}, "_index": "src-index"},
    {"a.b": {"c": 5}, "a": {"x": 1}},
]
PATHS = [
    "a",
    "a.b",
    "a.b.c",
    "a.0.b",
    "a.b.2.c",
    "a.b.9",
    "a.x.c",
    "_index",
    "_id",
    "_ingest.timestamp",
    "_ingest.new.key",
    "_source.a.b",
    "_source._index",
]


def _doc(source: dict[str, Any], flexible: bool) -> IngestDocument:
    doc = IngestDocument(copy.deepcopy(source), {"_index": "idx", "_id": "1"}, timestamp="t0")
    doc.flexible = flexible
    return doc


def _outcome(fn: Callable[[], Any]) -> Any:
    try:
        return ("ok", fn())
    except IngestError as e:
        return ("error", e.type, e.reason)


def _state(doc: IngestDocument) -> Any:
    return (doc.source, doc.meta, doc.ingest)


def _same(op: Callable[[Any, IngestDocument], Any], general: Callable[[str, IngestDocument], Any]):
    for flexible in (False, True):
        for source in SOURCES:
            for path in PATHS:
                fast_doc, slow_doc = _doc(source, flexible), _doc(source, flexible)
                fp = FieldPath(path)
                fast = _outcome(lambda: op(fp, fast_doc))  # noqa: B023
                slow = _outcome(lambda: general(path, slow_doc))  # noqa: B023
                assert fast == slow, (path, source, flexible)
                assert _state(fast_doc) == _state(slow_doc), (path, source, flexible)


def test_get_matches_document() -> None:
    _same(lambda fp, d: fp.get(d), lambda p, d: d.get(p))
    _same(lambda fp, d: fp.get(d, ignore_missing=True), lambda p, d: d.get(p, ignore_missing=True))


def test_has_matches_document() -> None:
    _same(lambda fp, d: fp.has(d), lambda p, d: d.has(p))


def test_set_matches_document() -> None:
    _same(lambda fp, d: fp.set(d, "v"), lambda p, d: d.set(p, "v"))


def test_append_matches_document() -> None:
    _same(lambda fp, d: fp.append(d, [1, 1]), lambda p, d: d.append(p, [1, 1]))
    _same(
        lambda fp, d: fp.append(d, 1, allow_duplicates=False),
        lambda p, d: d.append(p, 1, allow_duplicates=False),
    )


def test_remove_matches_document() -> None:
    _same(lambda fp, d: fp.remove(d), lambda p, d: d.remove(p))
    _same(
        lambda fp, d: fp.remove(d, ignore_missing=True),
        lambda p, d: d.remove(p, ignore_missing=True),
    )


def test_set_error_message_is_es_wording() -> None:
    doc = _doc({"a": "text"}, False)
    with pytest.raises(IngestError) as e:
        FieldPath("a.b").set(doc, 1)
    assert (
        e.value.reason
        == "cannot set [b] with parent object of type [java.lang.String] as part of path [a.b]"
    )


def test_of_skips_dynamic_and_invalid_paths() -> None:
    assert FieldPath.of(compile_template("{{x}}.y")) is None
    assert FieldPath.of("a..b") is None
    assert FieldPath.of("_ingest") is None
    assert FieldPath.of("") is None
    assert FieldPath.of(None) is None
    fp = FieldPath.of(compile_template("a.b"))
    assert fp is not None
    assert fp.parts == ("a", "b")
    assert fp.leaf == "b"
    assert FieldPath("_index").meta
    assert not FieldPath("_source._index").meta


def test_rename_fast_path_results() -> None:
    out = run(
        [{"rename": {"field": "a.b", "target_field": "x.y"}}],
        {"a": {"b": 1, "c": 2}},
        {"a": {"b": {"deep": [1]}}, "x": "scalar"},
        {"a": {"b": 1}, "x": {"y": 0}},
        {"a": [{"b": 1}]},
        {"a": {}},
    )
    assert out[0] == {"a": {"c": 2}, "x": {"y": 1}}
    # the target's parent is a string: ES rolls the source back and reports the set error
    assert out[1]["type"] == "illegal_argument_exception"
    assert out[1]["reason"] == (
        "cannot set [y] with parent object of type [java.lang.String] as part of path [x.y]"
    )
    assert out[2]["reason"] == "field [x.y] already exists"
    assert out[3]["reason"] == "field [a.b] doesn't exist"  # has() is false through a list
    assert out[4]["reason"] == "field [a.b] doesn't exist"


def test_rename_rollback_keeps_document_and_order() -> None:
    processors: list[dict[str, Any]] = [
        {"rename": {"field": "a", "target_field": "x.y", "ignore_failure": True}},
    ]
    out = run_one(processors, {"a": 1, "b": 2, "x": "s"})
    assert out == {"b": 2, "x": "s", "a": 1}
    assert list(out) == ["b", "x", "a"]


def test_rename_into_own_subfield_and_metadata() -> None:
    out = run_one([{"rename": {"field": "a", "target_field": "a.b"}}], {"a": "v"})
    assert out == {"a": {"b": "v"}}
    out = run_one([{"rename": {"field": "_index", "target_field": "idx"}}], {"k": 1})
    assert out == {"k": 1, "idx": "idx"}


def test_rename_flexible_access_uses_general_path() -> None:
    out = run(
        [{"rename": {"field": "a.b", "target_field": "c.d"}}],
        {"a.b": 1},
        {"a": {"b": 2}},
        pipeline_options={"field_access_pattern": "flexible"},
    )
    assert out == [{"c.d": 1}, {"a": {}, "c.d": 2}]


def test_set_convert_remove_lowercase_on_lists_and_missing() -> None:
    out = run(
        [
            {"convert": {"field": "a.1", "type": "long"}},
            {"lowercase": {"field": "s.0"}},
            {"set": {"field": "a.0", "value": "z"}},
            {"remove": {"field": "s.1"}},
        ],
        {"a": ["1", "2"], "s": ["X", "Y"]},
        {"a": {"1": "3"}, "s": {"0": "Q", "1": "R"}},
        {"a": None, "s": []},
    )
    assert out[0] == {"a": ["z", 2], "s": ["x"]}
    assert out[1] == {"a": {"1": 3, "0": "z"}, "s": {"0": "q"}}
    assert out[2]["reason"] == "cannot resolve [1] from null as part of path [a.1]"


def test_rename_with_shared_maps_from_a_script() -> None:
    alias = {"script": {"source": "ctx.b = ctx.a"}}
    out = run_one(
        [alias, {"rename": {"field": "a.k", "target_field": "b.k.z"}}], {"a": {"k": {"q": 1}}}
    )
    # the maps are shared: the way to the target was re-walked after the removal
    assert out == {"a": {"k": {"z": {"q": 1}}}, "b": {"k": {"z": {"q": 1}}}}
    out = run_one([alias, {"rename": {"field": "a.k", "target_field": "b.j"}}], {"a": {"k": 1}})
    assert out == {"a": {"j": 1}, "b": {"j": 1}}


def test_rename_onto_itself_and_override_order() -> None:
    out = run(
        [{"rename": {"field": "a.x", "target_field": "a.x", "override": True}}],
        {"a": {"x": 1, "y": 2}},
    )
    assert out == [{"a": {"y": 2, "x": 1}}]
    assert list(out[0]["a"]) == ["y", "x"]
    out = run([{"rename": {"field": "a.x", "target_field": "a.x"}}], {"a": {"x": 1}})
    assert out[0]["reason"] == "field [a.x] already exists"
    out = run(
        [{"rename": {"field": "a.b", "target_field": "c.d", "override": True}}],
        {"a": {"b": 1}, "c": {"d": 0, "e": 1}},
        {"a": {"b": 1}, "c": {"e": None}},
    )
    assert out == [{"a": {}, "c": {"d": 1, "e": 1}}, {"a": {}, "c": {"e": None, "d": 1}}]
    assert list(out[0]["c"]) == ["d", "e"]  # an overridden key keeps its place

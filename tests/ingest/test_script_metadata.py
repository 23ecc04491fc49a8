"""Painless ``metadata()`` and ``ctx`` metadata in ingest scripts, as ES 9 checks them
(server/.../script/Metadata.java, ingest/IngestDocMetadata.java, the ingest Painless whitelist
modules/lang-painless/.../org.elasticsearch.script.ingest.txt)."""

from __future__ import annotations

from typing import Any

import pytest

from fleetpkg.ingest import simulate


def _run(source: str, **doc: Any) -> dict[str, Any]:
    entry = {"_index": "test", "_id": "1", "_source": {}, **doc}
    request = {"pipeline": {"processors": [{"script": {"source": source}}]}, "docs": [entry]}
    result: dict[str, Any] = simulate(request)["docs"][0]
    return result


def _doc(source: str, **doc: Any) -> dict[str, Any]:
    result = _run(source, **doc)
    assert "doc" in result, result
    out: dict[str, Any] = result["doc"]
    return out


def _cause(source: str, **doc: Any) -> str:
    error = _run(source, **doc)["error"]
    assert (error["type"], error["reason"]) == ("script_exception", "runtime error")
    cause = error["caused_by"]
    assert cause["type"] == "illegal_argument_exception"
    reason: str = cause["reason"]
    return reason


def test_getters_and_setters_change_the_metadata() -> None:
    doc = _doc(
        "def m = metadata(); m.index += '2'; m.id += 'extra'; m.routing = 'r';"
        " m.versionType = 'external'; m.version = 5"
    )
    assert (doc["_index"], doc["_id"], doc["_routing"]) == ("test2", "1extra", "r")
    assert (doc["_version"], doc["_version_type"]) == (5, "external")


def test_metadata_and_ctx_see_the_same_values() -> None:
    doc = _doc(
        "ctx._index = 'other'; ctx.i = metadata().getIndex(); metadata().setId('z');"
        " ctx.id = ctx._id; ctx.v = metadata().version; ctx.cv = ctx._version;"
        " ctx.vt = metadata().versionType; ctx.r = metadata().routing"
    )
    assert doc["_index"] == "other"
    assert doc["_source"] == {"i": "other", "id": "z", "v": -3, "cv": -3, "vt": None, "r": None}


def test_now_is_the_ingest_timestamp() -> None:
    doc = _doc("ctx.now = metadata().now.toString(); ctx.y = metadata().getNow().getYear()")
    stamp = doc["_ingest"]["timestamp"]
    assert doc["_source"]["now"][:19] == stamp[:19]
    assert doc["_source"]["y"] == int(stamp[:4])


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        (
            "ctx._index = 5",
            "_index [5] is wrong type, expected assignable to [java.lang.String], "
            "not [java.lang.Integer]",
        ),
        (
            "ctx._id = ['a']",
            "_id [[a]] is wrong type, expected assignable to [java.lang.String], "
            "not [java.util.ArrayList]",
        ),
        (
            "ctx._version = 'x'",
            "_version [x] is wrong type, expected assignable to [java.lang.Number], "
            "not [java.lang.String]",
        ),
        (
            "ctx._version = 1.5",
            "_version may only be set to an int or a long but was [1.5] with type "
            "[java.lang.Double]",
        ),
        ("ctx._version = null", "_version cannot be null"),
        ("ctx.remove('_version')", "_version cannot be removed"),
        ("ctx._type = 'doc'", "_type cannot be updated"),
        (
            "ctx._version_type = 'force'",
            "_version_type must be a null or one of [internal, external, external_gte] but was "
            "[force] with type [java.lang.String]",
        ),
        (
            "metadata().versionType = 'bad'",
            "_version_type must be a null or one of [internal, external, external_gte] but was "
            "[bad] with type [java.lang.String]",
        ),
        (
            "ctx._dynamic_templates = 'x'",
            "_dynamic_templates [x] is wrong type, expected assignable to [java.util.Map], "
            "not [java.lang.String]",
        ),
        (
            "ctx._if_seq_no = 'x'",
            "_if_seq_no [x] is wrong type, expected assignable to [java.lang.Number], "
            "not [java.lang.String]",
        ),
    ],
)
def test_invalid_metadata_writes_fail_like_es(source: str, reason: str) -> None:
    assert _cause(source) == reason


def test_valid_metadata_writes() -> None:
    doc = _doc(
        "ctx._version = 2.0; ctx._version_type = 'external_gte'; ctx.remove('_routing');"
        " ctx._routing = null; ctx.remove('_index')",
        _routing="r",
    )
    assert doc["_version"] == 2.0
    assert doc["_version_type"] == "external_gte"
    assert "_routing" not in doc
    assert "_index" not in doc


def test_only_whitelisted_metadata_is_reachable() -> None:
    # op, version_type (snake case) and dynamic templates are update/bulk metadata, not ingest's
    for name in ("op", "version_type", "dynamicTemplates"):
        error = _run(f"def m = metadata(); ctx.x = m.{name}")["error"]
        assert error["type"] == "script_exception"


def test_source_fields_named_like_update_metadata_stay_source() -> None:
    doc = _doc("ctx.op = 'index'; ctx._now = 1")
    assert doc["_source"] == {"op": "index", "_now": 1}

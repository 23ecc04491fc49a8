"""IngestDocument: ES's path rules for reading, writing, appending and removing."""

from __future__ import annotations

import pytest

from fleetpkg.ingest.document import IngestDocument
from fleetpkg.ingest.errors import IngestError


def doc(**source: object) -> IngestDocument:
    return IngestDocument(dict(source), {"_index": "i", "_id": "1"})


def test_get_nested_and_list_index() -> None:
    d = doc(a={"b": [{"c": 1}, {"c": 2}]})
    assert d.get("a.b.1.c") == 2
    assert d.get("_source.a.b.0.c") == 1
    assert d.get("_index") == "i"


def test_get_missing_reports_es_message() -> None:
    with pytest.raises(IngestError) as e:
        doc(a={}).get("a.x")
    assert e.value.type == "illegal_argument_exception"
    assert e.value.reason == "field [x] not present as part of path [a.x]"


def test_get_through_scalar_and_bad_index() -> None:
    with pytest.raises(IngestError) as e:
        doc(a="s").get("a.b")
    assert (
        e.value.reason
        == "cannot resolve [b] from object of type [java.lang.String] as part of path [a.b]"
    )
    with pytest.raises(IngestError) as e:
        doc(a=[1]).get("a.x")
    assert (
        e.value.reason == "[x] is not an integer, cannot be used as an index as part of path [a.x]"
    )
    with pytest.raises(IngestError) as e:
        doc(a=[1]).get("a.3")
    assert e.value.reason == "[3] is out of bounds for array with length [1] as part of path [a.3]"


def test_set_creates_maps_and_replaces_null_parents() -> None:
    d = doc(x=None)
    d.set("x.y.z", 1)
    d.set("_ingest.k", "v")
    assert d.source == {"x": {"y": {"z": 1}}}
    assert d.ingest["k"] == "v"


def test_set_under_scalar_fails() -> None:
    with pytest.raises(IngestError) as e:
        doc(a=5).set("a.b", 1)
    assert e.value.reason == (
        "cannot set [b] with parent object of type [java.lang.Integer] as part of path [a.b]"
    )


def test_append_rules() -> None:
    d = doc(s="x", lst=[1])
    d.append("s", "y")
    d.append("lst", [1, 2], allow_duplicates=False)
    d.append("new", [3, 4])
    d.append("lst", 2, allow_duplicates=False)
    assert d.source == {"s": ["x", "y"], "lst": [1, 2], "new": [3, 4]}


def test_append_without_change_keeps_scalar() -> None:
    d = doc(v="2")
    d.append("v", "2", allow_duplicates=False)
    assert d.source["v"] == "2"


def test_remove_and_missing() -> None:
    d = doc(a={"b": 1, "c": 2})
    d.remove("a.b")
    assert d.source == {"a": {"c": 2}}
    d.remove("a.zz", ignore_missing=True)
    with pytest.raises(IngestError) as e:
        d.remove("a.zz")
    assert e.value.reason == "field [zz] not present as part of path [a.zz]"


def test_metadata_routes_to_meta() -> None:
    d = doc(a=1)
    d.set("_index", "other")
    assert d.meta["_index"] == "other"
    assert "_index" not in d.source
    ctx = d.ctx_map()
    ctx["_id"] = "2"
    ctx["b"] = 3
    assert d.meta["_id"] == "2"
    assert d.source == {"a": 1, "b": 3}


def test_flexible_access_finds_dotted_keys() -> None:
    d = IngestDocument({"a.b": {"c.d": 0}})
    d.flexible = True
    assert d.get("a.b.c.d") == 0
    d.set("a.b.c.d", 5)
    assert d.source == {"a.b": {"c.d": 5}}
    d.set("x.y", 1)
    assert d.source["x.y"] == 1
    d.remove("a.b.c.d")
    assert d.source["a.b"] == {}


def test_empty_path_is_rejected() -> None:
    with pytest.raises(IngestError) as e:
        doc().get("")
    assert e.value.reason == "path cannot be null nor empty"

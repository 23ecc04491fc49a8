"""Painless API found missing by real integration pipelines (expected values are ES's)."""

from __future__ import annotations

from typing import Any

import pytest

from fleetpkg.ingest import simulate


def _script(source: str, doc: dict[str, Any] | None = None) -> Any:
    request = {
        "pipeline": {"processors": [{"script": {"source": source}}]},
        "docs": [{"_source": doc or {}}],
    }
    entry = simulate(request)["docs"][0]
    return entry["error"] if "error" in entry else entry["doc"]["_source"]


def test_decode() -> None:
    out = _script(
        "ctx.s = [Long.decode('0x1F'), Integer.decode('-010'), Long.decode('#ff'),"
        " Integer.decode('0'), Long.decode('9999999999'), Long.decode('-0X8000000000000000')];"
        " ctx.l = Long.decode('0x1F') * 1000000000; ctx.i = Integer.decode('0x1F') * 1000000000;"
    )
    assert out["s"] == [31, -8, 255, 0, 9999999999, -(2**63)]
    assert out["l"] == 31000000000
    assert out["i"] == (31000000000 + 2**31) % 2**32 - 2**31


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("Integer.decode('0x80000000')", 'For input string: "80000000" under radix 16'),
        ("Long.decode('1x')", 'For input string: "1x"'),
        ("Long.decode('')", "Zero length string"),
        ("Long.decode('0x-1')", "Sign character in wrong position"),
    ],
)
def test_decode_errors(source: str, reason: str) -> None:
    err = _script(f"ctx.s = {source};")
    assert err["caused_by"] == {"type": "number_format_exception", "reason": reason}


def test_character_compare() -> None:
    out = _script(
        "ctx.s = [Character.compare((char) 'a', (char) 'b'),"
        " Character.compare('z'.charAt(0), (char) 'a')];"
    )
    assert out["s"] == [-1, 25]


def test_abstract_collection_types() -> None:
    out = _script(
        "ctx.s = [ctx.l instanceof AbstractList, ctx.m instanceof AbstractMap,"
        " ctx.l instanceof AbstractCollection, ctx.m instanceof AbstractList,"
        " new HashSet() instanceof AbstractSet];"
        " AbstractList x = new ArrayList(); x.add(1); ctx.x = x;",
        {"l": [1], "m": {}},
    )
    assert out["s"] == [True, True, True, False, True]
    assert out["x"] == [1]


def test_clone_is_shallow_copy() -> None:
    out = _script(
        "ArrayList l = new ArrayList(); l.add(1); def c = l.clone(); c.add(2);"
        " HashMap m = new HashMap(); m.a = 1; def d = m.clone(); d.b = 2;"
        " ctx.s = [l, c, m, d];"
    )
    assert out["s"] == [[1], [1, 2], {"a": 1}, {"a": 1, "b": 2}]


def test_instant_and_zoned_plus_minus() -> None:
    out = _script(
        "Instant i = Instant.parse('2020-01-01T00:00:00Z');"
        " ctx.a = i.minusNanos(1).toString(); ctx.b = i.plusNanos(1).toString();"
        " ctx.c = i.plus(Duration.ofHours(1)).minus(Duration.ofMillis(1)).toString();"
        " ZonedDateTime z = ZonedDateTime.parse('2020-01-01T00:00:00Z');"
        " ctx.d = z.minusNanos(1).toString(); ctx.e = z.plus(Duration.ofMinutes(90)).toString();"
    )
    assert out["a"] == "2019-12-31T23:59:59.999999999Z"
    assert out["b"] == "2020-01-01T00:00:00.000000001Z"
    assert out["c"] == "2020-01-01T00:59:59.999Z"
    assert out["d"] == "2019-12-31T23:59:59.999999999Z"
    assert out["e"] == "2020-01-01T01:30Z"


def test_iterator_remove_writes_through() -> None:
    out = _script(
        "Iterator it = ctx.m.keySet().iterator();"
        " while (it.hasNext()) { if (it.next().startsWith('x')) it.remove(); }"
        " Iterator v = ctx.v.values().iterator();"
        " while (v.hasNext()) { if (v.next() == 1) v.remove(); }"
        " Iterator e = ctx.e.entrySet().iterator();"
        " while (e.hasNext()) { if (e.next().getValue() == null) e.remove(); }"
        " Iterator l = ctx.l.iterator();"
        " while (l.hasNext()) { if (l.next() % 2 == 0) l.remove(); }",
        {
            "m": {"xa": 1, "b": 2, "xc": 3},
            "v": {"a": 1, "b": 2, "c": 1},
            "e": {"a": None, "b": 2},
            "l": [1, 2, 4, 5, 6],
        },
    )
    assert out == {"m": {"b": 2}, "v": {"b": 2}, "e": {"b": 2}, "l": [1, 5]}


def test_iterator_remove_before_next_is_illegal_state() -> None:
    err = _script("Iterator it = [1].iterator(); it.remove();")
    assert err["caused_by"] == {"type": "illegal_state_exception", "reason": None}

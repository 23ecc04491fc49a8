"""Values ES produces as ``java.lang.Long`` stay longs in Painless (and print as plain ints)."""

from __future__ import annotations

import copy
import json

from ingest_helpers import run_one

from fleetpkg.ingest import simulate
from fleetpkg.ingest.document import deep_copy
from fleetpkg.ingest.values import JLong

SCALE = {"script": {"source": "ctx.p = ctx.d * params.s", "params": {"s": 1000000}}}


def test_convert_long_multiplies_as_long() -> None:
    request = {
        "pipeline": {"processors": [{"convert": {"field": "d", "type": "long"}}, SCALE]},
        "docs": [{"_source": {"d": "5007"}}],
    }
    source = simulate(request)["docs"][0]["doc"]["_source"]
    assert source == {"d": 5007, "p": 5007000000}
    assert json.dumps(source) == '{"d": 5007, "p": 5007000000}'


def test_convert_integer_still_overflows_as_int() -> None:
    out = run_one([{"convert": {"field": "d", "type": "integer"}}, SCALE], {"d": "5007"})
    assert out["p"] == 712032704


def test_convert_auto_of_int_range_text_is_integer() -> None:
    out = run_one([{"convert": {"field": "d", "type": "auto"}}, SCALE], {"d": "5007"})
    assert out["p"] == 712032704


def test_grok_long_capture_is_long() -> None:
    grok = {"grok": {"field": "m", "patterns": ["%{NUMBER:d:long}"]}}
    out = run_one([grok, SCALE], {"m": "5007"})
    assert out["p"] == 5007000000
    grok_int = {"grok": {"field": "m", "patterns": ["%{NUMBER:d:int}"]}}
    assert run_one([grok_int, SCALE], {"m": "5007"})["p"] == 712032704


def test_long_types_seen_by_later_scripts() -> None:
    script = {
        "script": {
            "source": "ctx.c = ctx.d instanceof Long; ctx.l = 5L; ctx.i = 5;"
            " ctx.b = Processors.bytes('1kb');"
        }
    }
    follow = {
        "script": {
            "source": "ctx.lc = ctx.l instanceof Long; ctx.ic = ctx.i instanceof Integer;"
            " ctx.bc = ctx.b instanceof Long; ctx.big = ctx.l * 1000000000;"
        }
    }
    out = run_one([{"convert": {"field": "d", "type": "long"}}, script, follow], {"d": "1"})
    assert out["c"] is True
    assert (out["lc"], out["ic"], out["bc"]) == (True, True, True)
    assert out["big"] == 5000000000
    assert (out["l"], out["b"]) == (5, 1024)


def test_jlong_is_a_plain_int_outside_painless() -> None:
    v = JLong(5)
    assert v == 5
    assert hash(v) == hash(5)
    assert {5: "x"}[v] == "x"
    assert json.dumps({"a": v, "b": [JLong(-1)]}) == '{"a": 5, "b": [-1]}'
    assert type(copy.deepcopy(v)) is JLong
    assert type(deep_copy([v])[0]) is JLong
    assert str(v) == "5"


def test_fingerprint_hashes_a_long_as_eight_bytes() -> None:
    fingerprint = {"fingerprint": {"fields": ["d"], "method": "SHA-1"}}
    as_long = run_one([{"convert": {"field": "d", "type": "long"}}, fingerprint], {"d": "7"})
    as_int = run_one([{"convert": {"field": "d", "type": "integer"}}, fingerprint], {"d": "7"})
    big = run_one([fingerprint], {"d": 2**40})
    assert as_long["fingerprint"] != as_int["fingerprint"]
    assert run_one([fingerprint], {"d": 7})["fingerprint"] == as_int["fingerprint"]
    assert big["fingerprint"] != as_int["fingerprint"]

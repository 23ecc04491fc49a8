"""Implicit long/int/String conversions: the fast closures must equal jtypes.convert."""

from __future__ import annotations

from typing import Any

import pytest

from fleetpkg.ingest.painless import PainlessRuntimeError, compile_script
from fleetpkg.ingest.painless.compile_cast import _plain_fast
from fleetpkg.ingest.painless.errors import JavaThrowable
from fleetpkg.ingest.painless.jtypes import JChar, JLong, convert, f32

VALUES: list[Any] = [
    0,
    7,
    -(2**31),
    2**31 - 1,
    2**31,
    -(2**31) - 1,
    2**63 - 1,
    2**63,
    2**70,
    JLong(5),
    1.5,
    f32(2.5),
    True,
    None,
    "s",
    "",
    JChar("c"),
    [1],
    {"a": 1},
]


def _outcome(fn: Any, v: Any) -> Any:
    try:
        r = fn(v)
        return ("ok", type(r), r)
    except JavaThrowable as e:
        return ("error", e.jtype, e.message)


@pytest.mark.parametrize("dst", ["long", "int", "String"])
def test_fast_conversion_matches_convert(dst: str) -> None:
    fast = _plain_fast(lambda f: f[0], dst)
    for v in VALUES:
        assert _outcome(lambda x: fast([x]), v) == _outcome(lambda x: convert(x, dst, False), v)


def test_typed_locals_from_documents() -> None:
    script = compile_script(
        "long s = ctx.a; int i = ctx.b; String t = ctx.c; return [s + 1, i * 2, t + '!'];"
    )
    assert script.execute({"a": 2**40, "b": 21, "c": "x"}) == [2**40 + 1, 42, "x!"]
    with pytest.raises(PainlessRuntimeError) as e:
        script.execute({"a": 1, "b": 2**40, "c": "x"})
    assert e.value.to_es()["caused_by"]["reason"] == "Cannot cast java.lang.Long to int"

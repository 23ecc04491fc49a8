"""Static conversion rules: promotion, compile-time cast checks and runtime converters."""

from __future__ import annotations

from typing import Any

from .errors import CompileFailure
from .jtypes import BOXED, INT_MAX, INT_MIN, NUMERIC_RANK, PRIMITIVES, as_long, convert
from .scope import CE, Ev, Frame

_CCE = "ClassCastException"


def promote(a: str, b: str) -> str:
    pa, pb = BOXED.get(a, a), BOXED.get(b, b)
    if pa in NUMERIC_RANK and pb in NUMERIC_RANK and a in PRIMITIVES and b in PRIMITIVES:
        r = max(NUMERIC_RANK[pa], NUMERIC_RANK[pb], 3)
        return {3: "int", 4: "long", 5: "float", 6: "double"}[r]
    return "def"


def static_check(src: CE, dst: str, pos: int, explicit: bool = False) -> None:
    """Reject conversions Painless rejects at compile time."""
    if dst in ("def", "Object") or src.type in ("def", "Object"):
        return
    sp, dp = BOXED.get(src.type, src.type), BOXED.get(dst, dst)
    if src.null:
        if dst in PRIMITIVES:
            raise CompileFailure(f"Cannot cast null to a primitive type [{dst}].", pos, _CCE)
        return
    if src.type == "String" and dp == "char" and src.const:
        if len(src.value) != 1:
            raise CompileFailure(
                "Cannot cast [String] with length greater than one to [char].", pos, _CCE
            )
        return
    if explicit and {sp, dp} == {"char", "String"}:
        return
    bad = False
    if sp in PRIMITIVES and dp in PRIMITIVES:
        if (sp == "boolean") != (dp == "boolean"):
            bad = True
        elif sp != "boolean" and not explicit and NUMERIC_RANK[sp] > NUMERIC_RANK[dp]:
            bad = sp != dp
    elif (sp in PRIMITIVES and dst in ("String", "Map", "List")) or (
        src.type in ("String", "Map", "List") and dp in PRIMITIVES
    ):
        bad = True
    if bad:
        raise CompileFailure(f"Cannot cast from [{src.type}] to [{dst}].", pos, _CCE)


_NARROW_RANGE = {"byte": (-128, 127), "short": (-32768, 32767), "char": (0, 65535)}


def converter(src: CE, dst: str, pos: int, explicit: bool = False) -> Ev:
    bounds = _NARROW_RANGE.get(BOXED.get(dst, dst))
    if src.const and src.type == "int" and bounds and bounds[0] <= src.value <= bounds[1]:
        narrowed = convert(src.value, dst, True)  # Java narrows int constants implicitly
        return lambda f: narrowed
    static_check(src, dst, pos, explicit)
    ev = src.ev
    if dst in ("def", "Object") or (src.type == dst and not explicit):
        return ev
    if src.const and src.type == "String" and BOXED.get(dst, dst) == "char":
        value = convert(src.value, dst, True)
        return lambda f: value
    if not explicit and dst in _PLAIN_FAST:
        return _plain_fast(ev, dst)
    return lambda f: convert(ev(f), dst, explicit)


_PLAIN_FAST = ("long", "int", "String")


def _plain_fast(ev: Ev, dst: str) -> Ev:
    """Implicit conversions of the plain values scripts read from documents, without the
    general ``convert`` dispatch (which still handles every other value)."""
    if dst == "long":

        def to_long(f: Frame) -> Any:
            v = ev(f)
            return as_long(v) if type(v) is int else convert(v, "long", False)

        return to_long
    if dst == "int":

        def to_int(f: Frame) -> Any:
            v = ev(f)
            if type(v) is int and INT_MIN <= v <= INT_MAX:
                return v
            return convert(v, "int", False)

        return to_int

    def to_string(f: Frame) -> Any:
        v = ev(f)
        return v if type(v) is str else convert(v, "String", False)

    return to_string

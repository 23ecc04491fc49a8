"""Operators with Java/Painless `def` semantics on the runtime value model."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from .errors import JavaThrowable, cce, npe
from .jtypes import (
    INT_MAX,
    INT_MIN,
    JChar,
    JLong,
    JSet,
    as_long,
    class_name,
    f32,
    num_value,
    numeric_kind,
    to_string,
    wrap32,
)


def _kind2(a: Any, b: Any, op: str) -> int:
    try:
        return max(numeric_kind(a), numeric_kind(b))
    except JavaThrowable as e:
        if e.jtype == "NullPointerException":
            raise
        raise cce(
            f"Cannot apply [{op}] operation to types [{class_name(a)}] and [{class_name(b)}]."
        ) from None


def _box(kind: int, v: Any) -> Any:
    if kind == 0:
        return wrap32(v)
    if kind == 1:
        return as_long(v)
    if kind == 2:
        return f32(v)
    return float(v)


def add(a: Any, b: Any) -> Any:
    ta, tb = type(a), type(b)
    if ta is int and tb is int:
        r = a + b
        if INT_MIN <= r <= INT_MAX and INT_MIN <= a <= INT_MAX and INT_MIN <= b <= INT_MAX:
            return r
    elif ta is str or tb is str:
        return to_string(a) + to_string(b)
    elif ta is float and tb is float:
        return a + b
    elif (
        (ta is JChar and tb is not JChar and not _numlike(b))
        or (tb is JChar and ta is not JChar and not _numlike(a))
    ) and (a is not None and b is not None):
        return to_string(a) + to_string(b)
    k = _kind2(a, b, "+")
    return _box(k, num_value(a) + num_value(b))


def _numlike(v: Any) -> bool:
    return isinstance(v, (int, float)) and type(v) is not bool


def sub(a: Any, b: Any) -> Any:
    k = _kind2(a, b, "-")
    return _box(k, num_value(a) - num_value(b))


def mul(a: Any, b: Any) -> Any:
    k = _kind2(a, b, "*")
    return _box(k, num_value(a) * num_value(b))


def div(a: Any, b: Any) -> Any:
    k = _kind2(a, b, "/")
    x, y = num_value(a), num_value(b)
    if k <= 1:
        if y == 0:
            raise JavaThrowable("ArithmeticException", "/ by zero")
        q = abs(x) // abs(y)
        return _box(k, q if (x >= 0) == (y >= 0) else -q)
    return _box(k, fdiv(float(x), float(y)))


def fdiv(x: float, y: float) -> float:
    if y == 0:
        if x == 0 or x != x:
            return math.nan
        return math.copysign(math.inf, x) * math.copysign(1.0, y)
    return x / y


def rem(a: Any, b: Any) -> Any:
    k = _kind2(a, b, "%")
    x, y = num_value(a), num_value(b)
    if k <= 1:
        if y == 0:
            raise JavaThrowable("ArithmeticException", "/ by zero")
        r = abs(x) % abs(y)
        return _box(k, r if x >= 0 else -r)
    if y == 0 or math.isinf(x):
        return _box(k, math.nan)
    return _box(k, math.fmod(float(x), float(y)))


def _int_kind(a: Any, b: Any, op: str) -> int:
    if type(a) is bool and type(b) is bool:
        return -1
    k = _kind2(a, b, op)
    if k > 1:
        raise cce(
            f"Cannot apply [{op}] operation to types [{class_name(a)}] and [{class_name(b)}]."
        )
    return k


def lsh(a: Any, b: Any) -> Any:
    k = max(numeric_kind(a), 0)
    _int_kind(a, b, "<<")
    x, n = int(num_value(a)), int(num_value(b))
    return _box(k, x << (n & (63 if k else 31)))


def rsh(a: Any, b: Any) -> Any:
    k = numeric_kind(a)
    _int_kind(a, b, ">>")
    x, n = int(num_value(a)), int(num_value(b))
    return _box(k, x >> (n & (63 if k else 31)))


def ush(a: Any, b: Any) -> Any:
    k = numeric_kind(a)
    _int_kind(a, b, ">>>")
    x, n = int(num_value(a)), int(num_value(b))
    mask = 0xFFFFFFFFFFFFFFFF if k else 0xFFFFFFFF
    return _box(k, (x & mask) >> (n & (63 if k else 31)))


def _bitop(fn: Callable[[Any, Any], Any], op: str) -> Callable[[Any, Any], Any]:
    def run(a: Any, b: Any) -> Any:
        k = _int_kind(a, b, op)
        if k < 0:
            return bool(fn(a, b))
        return _box(k, fn(num_value(a), num_value(b)))

    return run


band = _bitop(lambda x, y: x & y, "&")
bor = _bitop(lambda x, y: x | y, "|")
bxor = _bitop(lambda x, y: x ^ y, "^")


def neg(a: Any) -> Any:
    k = numeric_kind(a)
    return _box(k, -num_value(a))


def pos(a: Any) -> Any:
    k = numeric_kind(a)
    return _box(k, num_value(a))


def bnot(a: Any) -> Any:
    k = numeric_kind(a)
    if k > 1:
        raise cce(f"Cannot apply [~] operation to type [{class_name(a)}].")
    return _box(k, ~int(num_value(a)))


def lnot(a: Any) -> bool:
    return not as_bool(a)


def as_bool(v: Any) -> bool:
    if v is True or v is False:
        return v
    if v is None:
        raise npe("Cannot cast null to a primitive type [boolean]")
    raise cce(f"Cannot cast {class_name(v)} to boolean")


# ---- comparison ----------------------------------------------------------------------------
def eq(a: Any, b: Any) -> bool:
    if a is b:
        return True
    if a is None or b is None:
        return False
    ta, tb = type(a), type(b)
    if ta is str and tb is str:
        return bool(a == b)
    if ta is bool or tb is bool:
        return ta is tb and a == b
    if ta is JChar or tb is JChar:
        if _numlike(a) or _numlike(b):
            return bool(num_value(a) == num_value(b))
        # Character.equals(String) is false: `s.charAt(0) == 'a'` is a classic Painless trap
        return ta is tb and str(a) == str(b)
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        return dict(a.items()) == dict(b.items())
    try:
        return bool(a == b)
    except Exception:
        return False


def ne(a: Any, b: Any) -> bool:
    return not eq(a, b)


def ident(a: Any, b: Any) -> bool:
    """Reference equality of boxed values (Java caches small Integer/Long/Character boxes)."""
    if a is b:
        return True
    ta = type(a)
    if a is None or b is None or ta is not type(b):
        return False
    if ta is bool or ta is str:
        return bool(a == b)
    if ta is int or ta is JLong:
        return bool(a == b and -128 <= a <= 127)
    if ta is JChar:
        return bool(a == b and ord(a) <= 127)
    return False


def nident(a: Any, b: Any) -> bool:
    return not ident(a, b)


def _cmp(op: str, fn: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    def run(a: Any, b: Any) -> bool:
        ta, tb = type(a), type(b)
        if (ta is int or ta is float) and (tb is int or tb is float):
            return fn(a, b)
        _kind2(a, b, op)
        return fn(num_value(a), num_value(b))

    return run


lt = _cmp("<", lambda x, y: x < y)
le = _cmp("<=", lambda x, y: x <= y)
gt = _cmp(">", lambda x, y: x > y)
ge = _cmp(">=", lambda x, y: x >= y)

BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "+": add,
    "-": sub,
    "*": mul,
    "/": div,
    "%": rem,
    "<<": lsh,
    ">>": rsh,
    ">>>": ush,
    "&": band,
    "|": bor,
    "^": bxor,
    "==": eq,
    "!=": ne,
    "===": ident,
    "!==": nident,
    "<": lt,
    "<=": le,
    ">": gt,
    ">=": ge,
}
UNARY: dict[str, Callable[[Any], Any]] = {"-": neg, "+": pos, "~": bnot, "!": lnot}


def compare_natural(a: Any, b: Any) -> int:
    """Java Comparable.compareTo for the natural ordering of values."""
    if a is None or b is None:
        raise npe("Cannot compare null")
    if isinstance(a, str) and isinstance(b, str):
        return compare_strings(a, b)
    if _numlike(a) or type(a) is JChar:
        x, y = num_value(a), num_value(b)
        return (x > y) - (x < y)
    if type(a) is bool and type(b) is bool:
        return int(a) - int(b)
    if hasattr(a, "compare_to"):
        return int(a.compare_to(b))
    raise cce(f"{class_name(a)} cannot be compared with {class_name(b)}")


def compare_strings(a: str, b: str) -> int:
    for x, y in zip(a, b, strict=False):
        if x != y:
            return ord(x) - ord(y)
    return len(a) - len(b)


def iterate(v: Any) -> Any:
    """Iterable for enhanced for loops."""
    if isinstance(v, (list, JSet)):
        return v
    if v is None:
        raise npe("Cannot iterate over null")
    it = getattr(v, "java_iter", None)
    if it is not None:
        return it()
    raise cce(f"Cannot iterate over [{class_name(v)}]")


__all__ = ["BINARY", "UNARY", "JLong", "as_bool", "eq", "iterate"]

"""Functional-interface methods on lambdas/method references, sorted maps and sets."""

from __future__ import annotations

import functools
import types
from collections.abc import Iterator, MutableMapping
from typing import Any

from ..jtypes import JSet, to_plain
from ..ops import compare_natural
from .registry import ctor, method, static

_FUNCS = (types.FunctionType, types.BuiltinFunctionType, types.MethodType, functools.partial)
for _name in ("apply", "accept", "test", "get", "compare", "call", "run"):
    for _n in range(4):
        method(_FUNCS, _name, _n)(lambda fn, *a: fn(*a))
for _name in ("applyAsInt", "applyAsLong", "applyAsDouble", "getAsInt", "getAsBoolean"):
    method(_FUNCS, _name, 0, 1, 2)(lambda fn, *a: fn(*a))
method(_FUNCS, "negate", 0)(lambda fn: lambda *a: not fn(*a))
method(_FUNCS, "andThen", 1)(lambda fn, g: lambda *a: g(fn(*a)))


def _key(x: Any) -> Any:
    return functools.cmp_to_key(compare_natural)(x)


class TreeMap(MutableMapping[Any, Any]):
    """java.util.TreeMap: a map iterated in natural key order."""

    java_class = "java.util.TreeMap"

    def __init__(self, items: Any = ()) -> None:
        self.d: dict[Any, Any] = dict(items)

    def __getitem__(self, key: Any) -> Any:
        return self.d[key]

    def __setitem__(self, key: Any, value: Any) -> None:
        self.d[key] = value

    def __delitem__(self, key: Any) -> None:
        del self.d[key]

    def __iter__(self) -> Iterator[Any]:
        return iter(sorted(self.d, key=_key))

    def __len__(self) -> int:
        return len(self.d)

    def to_plain(self) -> dict[Any, Any]:
        return {k: self.d[k] for k in self}


class TreeSet(JSet):
    """java.util.TreeSet: a set iterated in natural order."""

    __slots__ = ()

    def __iter__(self) -> Iterator[Any]:
        return iter(sorted(self.d, key=_key))

    def to_plain(self) -> list[Any]:
        return [to_plain(x) for x in self]


ctor("TreeMap", 0, 1)(lambda src=None: TreeMap() if src is None else TreeMap(src.items()))
ctor("TreeSet", 0, 1)(lambda src=None: TreeSet() if src is None else TreeSet(src))
for _cls in (list, JSet):
    method(_cls, "asList", 0)(lambda c: c if isinstance(c, list) else list(c))
    method(_cls, "asCollection", 0)(lambda c: c)


# ---- Comparator ----------------------------------------------------------------------------
def _comparing(key: Any, cmp: Any = None) -> Any:
    order = cmp if cmp is not None else compare_natural
    return lambda a, b: order(key(a), key(b))


def _then(first: Any, second: Any) -> Any:
    return lambda a, b: first(a, b) or second(a, b)


static("Comparator", "naturalOrder", 0)(lambda: compare_natural)
static("Comparator", "reverseOrder", 0)(lambda: lambda a, b: compare_natural(b, a))
static("Collections", "reverseOrder", 0)(lambda: lambda a, b: compare_natural(b, a))
static("Comparator", "comparing", 1, 2)(_comparing)
method(_FUNCS, "reversed", 0)(lambda fn: lambda a, b: fn(b, a))
method(_FUNCS, "thenComparing", 1)(
    lambda fn, other: _then(fn, _comparing(other) if getattr(other, "arity", 2) == 1 else other)
)
method(str, "subSequence", 2)(lambda s, a, b: s[a:b])

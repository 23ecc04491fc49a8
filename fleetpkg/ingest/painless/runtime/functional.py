"""Functional-interface methods on lambdas/method references, sorted maps and sets."""

from __future__ import annotations

import functools
import types
from collections.abc import ItemsView, Iterator, KeysView, ValuesView
from typing import Any

from ..jtypes import JSet, to_plain
from ..ops import compare_natural
from .registry import ctor, method

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


class TreeMap(dict[Any, Any]):
    """java.util.TreeMap: a dict iterated in natural key order."""

    java_class = "java.util.TreeMap"

    def _sorted(self) -> list[Any]:
        return sorted(super().keys(), key=_key)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._sorted())

    def keys(self) -> KeysView[Any]:
        return {k: None for k in self._sorted()}.keys()

    def items(self) -> ItemsView[Any, Any]:
        return {k: self[k] for k in self._sorted()}.items()

    def values(self) -> ValuesView[Any]:
        return {k: self[k] for k in self._sorted()}.values()

    def to_plain(self) -> dict[Any, Any]:
        return dict(self.items())


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

"""Painless augmentations of Iterable/Collection/List and Map (any, every, collect, ...)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..jtypes import JSet, to_plain, to_string
from ..ops import add, as_bool
from .collections import MapView
from .registry import method

Fn = Callable[..., Any]
_IT = (list, JSet, MapView)


def _sum(c: Any, fn: Fn | None = None) -> float:
    total = 0.0
    for x in c:
        v = fn(x) if fn is not None else x
        total += float(v)
    return total


def _find_result(c: Any, *a: Any) -> Any:
    default, fn = (a[0], a[1]) if len(a) == 2 else (None, a[0])
    for x in c:
        v = fn(x)
        if v is not None:
            return v
    return default


def _group_by(c: Any, fn: Fn) -> dict[Any, list[Any]]:
    out: dict[Any, list[Any]] = {}
    for x in c:
        out.setdefault(to_plain(fn(x)), []).append(to_plain(x))
    return out


def _split(c: Any, pred: Fn) -> list[list[Any]]:
    yes: list[Any] = []
    no: list[Any] = []
    for x in c:
        (yes if as_bool(pred(x)) else no).append(to_plain(x))
    return [yes, no]


def _each_with_index(c: Any, fn: Fn) -> Any:
    for i, x in enumerate(list(c)):
        fn(x, i)
    return c


method(_IT, "any", 1)(lambda c, p: any(as_bool(p(x)) for x in c))
method(_IT, "every", 1)(lambda c, p: all(as_bool(p(x)) for x in c))
method(_IT, "each", 1)(lambda c, fn: ([fn(x) for x in list(c)] and c) or c)
method(_IT, "eachWithIndex", 1)(_each_with_index)
method(_IT, "collect", 1)(lambda c, fn: [to_plain(fn(x)) for x in c])
method(_IT, "find", 1)(lambda c, p: next((x for x in c if as_bool(p(x))), None))
method(_IT, "findAll", 1)(lambda c, p: [to_plain(x) for x in c if as_bool(p(x))])
method(_IT, "findResult", 1, 2)(_find_result)
method(_IT, "findResults", 1)(lambda c, fn: [to_plain(v) for x in c if (v := fn(x)) is not None])
method(_IT, "groupBy", 1)(_group_by)
method(_IT, "join", 1)(lambda c, sep: to_string(sep).join(to_string(x) for x in c))
method(_IT, "sum", 0, 1)(_sum)
method(_IT, "split", 1)(_split)
method(_IT, "count", 1)(lambda c, p: sum(1 for x in c if as_bool(p(x))))


@method(_IT, "collect", 2)
def _collect_into(c: Any, target: Any, fn: Fn) -> Any:
    for x in c:
        v = to_plain(fn(x))
        if isinstance(target, JSet):
            target.d[v] = None
        else:
            target.append(v)
    return target


# ---- Map ---------------------------------------------------------------------------------
def _items(m: Mapping[Any, Any]) -> list[tuple[Any, Any]]:
    return list(m.items())


def _map_group_by(m: Mapping[Any, Any], fn: Fn) -> dict[Any, Any]:
    out: dict[Any, dict[Any, Any]] = {}
    for k, v in _items(m):
        out.setdefault(to_plain(fn(k, v)), {})[k] = v
    return out


def _map_find_result(m: Mapping[Any, Any], *a: Any) -> Any:
    default, fn = (a[0], a[1]) if len(a) == 2 else (None, a[0])
    for k, v in _items(m):
        r = fn(k, v)
        if r is not None:
            return r
    return default


def _map_find(m: Mapping[Any, Any], p: Fn) -> Any:
    from .collections import Entry

    for k, v in _items(m):
        if as_bool(p(k, v)):
            return Entry(m, k, v)
    return None


_M = Mapping
method(_M, "any", 1)(lambda m, p: any(as_bool(p(k, v)) for k, v in _items(m)))
method(_M, "every", 1)(lambda m, p: all(as_bool(p(k, v)) for k, v in _items(m)))
method(_M, "each", 1)(lambda m, fn: ([fn(k, v) for k, v in _items(m)] and m) or m)
method(_M, "collect", 1)(lambda m, fn: [to_plain(fn(k, v)) for k, v in _items(m)])
method(_M, "count", 1)(lambda m, p: sum(1 for k, v in _items(m) if as_bool(p(k, v))))
method(_M, "find", 1)(_map_find)
method(_M, "findAll", 1)(lambda m, p: {k: v for k, v in _items(m) if as_bool(p(k, v))})
method(_M, "findResult", 1, 2)(_map_find_result)
method(_M, "findResults", 1)(
    lambda m, fn: [to_plain(r) for k, v in _items(m) if (r := fn(k, v)) is not None]
)
method(_M, "groupBy", 1)(_map_group_by)
method(_M, "sum", 1)(lambda m, fn: float(sum(float(fn(k, v)) for k, v in _items(m))))
_ = add

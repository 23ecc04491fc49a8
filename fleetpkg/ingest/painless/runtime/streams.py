"""A small java.util.stream subset (stream/filter/map/collect...) and Optional."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any

from ..errors import JavaThrowable
from ..jtypes import JSet, to_plain, to_string
from ..ops import add, as_bool, compare_natural, eq
from .collections import MapView
from .regex import JPattern, java_split
from .registry import fields, method, static

Fn = Callable[..., Any]


class JStream:
    java_class = "java.util.stream.Stream"
    __slots__ = ("items",)

    def __init__(self, items: Iterable[Any]) -> None:
        self.items = list(items)


class Optional:
    java_class = "java.util.Optional"
    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def get(self) -> Any:
        if self.value is None:
            raise JavaThrowable("NoSuchElementException", "No value present")
        return self.value


class Collector:
    __slots__ = ("fn",)
    java_class = "java.util.stream.Collector"

    def __init__(self, fn: Callable[[list[Any]], Any]) -> None:
        self.fn = fn


def _distinct(items: list[Any]) -> list[Any]:
    out: list[Any] = []
    for x in items:
        if not any(eq(x, y) for y in out):
            out.append(x)
    return out


def _sorted(s: JStream, cmp: Fn | None = None) -> JStream:
    return JStream(sorted(s.items, key=functools.cmp_to_key(cmp or compare_natural)))


def _reduce(s: JStream, *a: Any) -> Any:
    if len(a) == 1:
        return Optional(functools.reduce(a[0], s.items) if s.items else None)
    return functools.reduce(a[1], s.items, a[0])


def _sum(s: JStream) -> Any:
    return functools.reduce(add, s.items, 0)


_COLLS = (list, JSet, MapView)
method(_COLLS, "stream", 0)(lambda c: JStream(c))
method(str, "chars", 0)(lambda s: JStream(ord(ch) for ch in s))
method(JPattern, "splitAsStream", 1)(lambda p, s: JStream(java_split(p, to_string(s))))
static("Arrays", "stream", 1)(lambda a: JStream(a))
# ``Stream.of(def[])``: a single array argument is the element list (Java varargs)
static("Stream", "of", -1)(
    lambda *a: JStream(a[0] if len(a) == 1 and isinstance(a[0], list) else a)
)
static("IntStream", "range", 2)(lambda a, b: JStream(range(a, b)))
static("IntStream", "rangeClosed", 2)(lambda a, b: JStream(range(a, b + 1)))
method(JStream, "filter", 1)(lambda s, p: JStream(x for x in s.items if as_bool(p(x))))
for _name in ("map", "mapToInt", "mapToLong", "mapToDouble", "mapToObj"):
    method(JStream, _name, 1)(lambda s, fn: JStream(fn(x) for x in s.items))
method(JStream, "flatMap", 1)(lambda s, fn: JStream(y for x in s.items for y in fn(x).items))
method(JStream, "distinct", 0)(lambda s: JStream(_distinct(s.items)))
method(JStream, "sorted", 0, 1)(_sorted)
method(JStream, "limit", 1)(lambda s, n: JStream(s.items[:n]))
method(JStream, "skip", 1)(lambda s, n: JStream(s.items[n:]))
method(JStream, "count", 0)(lambda s: len(s.items))
method(JStream, "sum", 0)(_sum)
method(JStream, "anyMatch", 1)(lambda s, p: any(as_bool(p(x)) for x in s.items))
method(JStream, "allMatch", 1)(lambda s, p: all(as_bool(p(x)) for x in s.items))
method(JStream, "noneMatch", 1)(lambda s, p: not any(as_bool(p(x)) for x in s.items))
method(JStream, "findFirst", 0)(lambda s: Optional(s.items[0] if s.items else None))
method(JStream, "findAny", 0)(lambda s: Optional(s.items[0] if s.items else None))
method(JStream, "forEach", 1)(lambda s, fn: [fn(x) for x in s.items] and None)
method(JStream, "toArray", 0)(lambda s: [to_plain(x) for x in s.items])
method(JStream, "toList", 0)(lambda s: [to_plain(x) for x in s.items])
method(JStream, "collect", 1)(lambda s, c: c.fn(s.items))
method(JStream, "reduce", 1, 2)(_reduce)
method(JStream, "boxed", 0)(lambda s: s)
method(JStream, "max", 0, 1)(
    lambda s, cmp=None: Optional(_sorted(s, cmp).items[-1] if s.items else None)
)
method(JStream, "min", 0, 1)(
    lambda s, cmp=None: Optional(_sorted(s, cmp).items[0] if s.items else None)
)

static("Collectors", "toList", 0)(lambda: Collector(lambda xs: [to_plain(x) for x in xs]))
static("Collectors", "toSet", 0)(lambda: Collector(lambda xs: JSet(to_plain(x) for x in xs)))
static("Collectors", "joining", 0, 1, 3)(
    lambda sep="", pre="", suf="": Collector(
        lambda xs: to_string(pre) + to_string(sep).join(to_string(x) for x in xs) + to_string(suf)
    )
)
static("Collectors", "toMap", 2)(
    lambda kf, vf: Collector(lambda xs: {to_plain(kf(x)): to_plain(vf(x)) for x in xs})
)
static("Collectors", "groupingBy", 1)(lambda kf: Collector(lambda xs: _group(xs, kf)))


def _group(xs: list[Any], kf: Fn) -> dict[Any, list[Any]]:
    out: dict[Any, list[Any]] = {}
    for x in xs:
        out.setdefault(to_plain(kf(x)), []).append(to_plain(x))
    return out


static("Optional", "of", 1)(Optional)
static("Optional", "ofNullable", 1)(Optional)
static("Optional", "empty", 0)(lambda: Optional(None))
method(Optional, "isPresent", 0)(lambda o: o.value is not None)
method(Optional, "isEmpty", 0)(lambda o: o.value is None)
method(Optional, "get", 0)(Optional.get)
method(Optional, "orElse", 1)(lambda o, d: d if o.value is None else o.value)
method(Optional, "orElseGet", 1)(lambda o, fn: fn() if o.value is None else o.value)
method(Optional, "map", 1)(lambda o, fn: o if o.value is None else Optional(fn(o.value)))
method(Optional, "ifPresent", 1)(lambda o, fn: None if o.value is None else fn(o.value))
fields("Collectors")

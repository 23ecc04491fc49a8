"""Collection constructors and statics: ArrayList/HashMap/HashSet, Collections, Arrays,
List.of/Set.of/Map.of."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from ..errors import JavaThrowable
from ..jtypes import JSet, to_plain, to_string
from ..ops import compare_natural, eq
from .registry import VARARGS, ctor, static


# ---- collections -------------------------------------------------------------------------
def _new_list(src: Any = None) -> list[Any]:
    if src is None or isinstance(src, int):
        return []
    if isinstance(src, Mapping):
        raise JavaThrowable("ClassCastException", "a Map is not a Collection")
    return [to_plain(x) for x in src]


def _new_map(src: Any = None) -> dict[Any, Any]:
    if src is None or isinstance(src, (int, float)):
        return {}
    return {k: to_plain(v) for k, v in src.items()}


for _cls in ("ArrayList", "LinkedList", "ArrayDeque"):
    ctor(_cls, 0, 1)(_new_list)
for _cls in ("HashMap", "LinkedHashMap"):
    ctor(_cls, 0, 1)(_new_map)
for _cls in ("HashSet", "LinkedHashSet"):
    ctor(_cls, 0, 1)(lambda src=None: JSet() if src is None or isinstance(src, int) else JSet(src))
ctor("Object", 0)(lambda: object())
ctor("String", 0, 1)(lambda s="": to_string(s) if isinstance(s, str) else _bytes_text(s))


def _bytes_text(b: Any) -> str:
    return bytes(x & 0xFF for x in b).decode("utf-8", errors="replace")


def _sorted_list(lst: list[Any], cmp: Any = None) -> None:
    lst.sort(key=functools.cmp_to_key(cmp if cmp is not None else compare_natural))


static("Collections", "sort", 1, 2)(_sorted_list)
static("Collections", "reverse", 1)(lambda lst: lst.reverse())
static("Collections", "emptyList", 0)(list)
static("Collections", "emptyMap", 0)(dict)
static("Collections", "emptySet", 0)(JSet)
static("Collections", "singletonList", 1)(lambda v: [to_plain(v)])
static("Collections", "singleton", 1)(lambda v: JSet([to_plain(v)]))
static("Collections", "singletonMap", 2)(lambda k, v: {k: to_plain(v)})
static("Collections", "unmodifiableList", 1)(lambda v: v)
static("Collections", "unmodifiableMap", 1)(lambda v: v)
static("Collections", "unmodifiableSet", 1)(lambda v: v)
static("Collections", "max", 1)(lambda c: max(c, key=functools.cmp_to_key(compare_natural)))
static("Collections", "min", 1)(lambda c: min(c, key=functools.cmp_to_key(compare_natural)))
static("Collections", "frequency", 2)(lambda c, x: sum(1 for v in c if eq(v, x)))
static("Arrays", "asList", VARARGS)(
    lambda *a: list(a[0]) if len(a) == 1 and isinstance(a[0], list) else [to_plain(x) for x in a]
)
static("Arrays", "sort", 1)(_sorted_list)
static("Arrays", "toString", 1)(to_string)
static("Arrays", "copyOfRange", 3)(lambda a, i, j: list(a[i:j]))
static("List", "of", VARARGS)(lambda *a: [to_plain(x) for x in a])
static("List", "copyOf", 1)(_new_list)
static("Set", "of", VARARGS)(lambda *a: JSet(to_plain(x) for x in a))
static("Map", "of", VARARGS)(lambda *a: {a[i]: to_plain(a[i + 1]) for i in range(0, len(a), 2)})
static("Map", "entry", 2)(lambda k, v: _entry(k, v))


def _entry(k: Any, v: Any) -> Any:
    from .collections import Entry

    return Entry({}, k, v)

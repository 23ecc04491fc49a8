"""java.util List/Map/Set methods (on Python list/Mapping/JSet) and live map views."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from typing import Any

from ..errors import JavaThrowable, npe
from ..jtypes import JSet, to_plain, to_string
from ..ops import as_bool, compare_natural, eq
from .access import list_index
from .registry import method

Fn = Callable[..., Any]


class Entry:
    java_class = "java.util.Map$Entry"
    __slots__ = ("key", "map", "value")

    def __init__(self, m: Any, key: Any, value: Any) -> None:
        self.map, self.key, self.value = m, key, value

    def to_java_string(self) -> str:
        return f"{to_string(self.key)}={to_string(self.value)}"


class MapView:
    """keySet()/values()/entrySet() of a map, backed by the map (removals write through)."""

    java_class = "java.util.Collection"
    __slots__ = ("kind", "map")

    def __init__(self, m: MutableMapping[Any, Any], kind: str) -> None:
        self.map, self.kind = m, kind

    def java_iter(self) -> Iterator[Any]:
        m = self.map
        if self.kind == "keys":
            return iter(m.keys())
        if self.kind == "values":
            return iter(m.values())
        return (Entry(m, k, v) for k, v in m.items())

    def __iter__(self) -> Iterator[Any]:
        return self.java_iter()

    def __len__(self) -> int:
        return len(self.map)

    def to_plain(self) -> list[Any]:
        return [to_plain(x) for x in self.java_iter()]

    def remove_where(self, pred: Callable[[Any], bool]) -> bool:
        items = list(zip(list(self.map), list(self.java_iter()), strict=False))
        doomed = [k for k, e in items if pred(e)]
        for k in doomed:
            del self.map[k]
        return bool(doomed)

    def to_java_string(self) -> str:
        return to_string(list(self.java_iter()))


def _check_index(lst: list[Any], i: int, allow_end: bool = False) -> int:
    if type(i) is not int:
        i = int(i)
    if allow_end and i == len(lst):
        return i
    if not 0 <= i < len(lst):
        raise JavaThrowable(
            "IndexOutOfBoundsException", f"Index {i} out of bounds for length {len(lst)}"
        )
    return i


# ---- List --------------------------------------------------------------------------------
@method(list, "add", 1, 2)
def _list_add(lst: list[Any], a: Any, b: Any = ...) -> Any:
    if b is ...:
        lst.append(to_plain(a))
        return True
    lst.insert(_check_index(lst, a, True), to_plain(b))
    return None


@method(list, "remove", 1)
def _list_remove(lst: list[Any], x: Any) -> Any:
    if type(x) is int:
        return lst.pop(_check_index(lst, x))
    for i, v in enumerate(lst):
        if eq(v, x):
            del lst[i]
            return True
    return False


@method(list, "set", 2)
def _list_set(lst: list[Any], i: int, v: Any) -> Any:
    i = _check_index(lst, i)
    old, lst[i] = lst[i], to_plain(v)
    return old


@method(list, "sort", 1)
def _list_sort(lst: list[Any], cmp: Fn | None) -> None:
    lst.sort(key=functools.cmp_to_key(cmp if cmp is not None else compare_natural))


@method(list, "subList", 2)
def _sub_list(lst: list[Any], a: int, b: int) -> list[Any]:
    if a < 0 or b > len(lst) or a > b:
        raise JavaThrowable("IndexOutOfBoundsException", f"fromIndex: {a}, toIndex: {b}")
    return lst[a:b]


def _index_of(lst: list[Any], x: Any) -> int:
    return next((i for i, v in enumerate(lst) if eq(v, x)), -1)


def _last_index_of(lst: list[Any], x: Any) -> int:
    return next((i for i in range(len(lst) - 1, -1, -1) if eq(lst[i], x)), -1)


method(list, "get", 1)(lambda lst, i: lst[list_index(lst, i)])
method(list, "indexOf", 1)(_index_of)
method(list, "lastIndexOf", 1)(_last_index_of)
method(list, "getLength", 0)(len)
method(list, "addAll", 1)(lambda lst, c: lst.extend(to_plain(x) for x in _iter(c)) or True)
method(list, "replaceAll", 1)(lambda lst, fn: lst.__setitem__(slice(None), map(fn, lst)))


def _iter(c: Any) -> Any:
    if c is None:
        raise npe("collection is null")
    if isinstance(c, Mapping):
        raise JavaThrowable("ClassCastException", "a Map is not a Collection")
    return c


# ---- Collection (list, set, views) -------------------------------------------------------
_COLL = (list, JSet, MapView)


def _remove_if(c: Any, pred: Fn) -> bool:
    def test(x: Any) -> bool:
        return as_bool(pred(x))

    if isinstance(c, MapView):
        return c.remove_where(test)
    if isinstance(c, JSet):
        doomed = [x for x in c if test(x)]
        for x in doomed:
            del c.d[x]
        return bool(doomed)
    keep = [x for x in c if not test(x)]
    changed = len(keep) != len(c)
    c[:] = keep
    return changed


def _contains(c: Any, x: Any) -> bool:
    if isinstance(c, JSet):
        return x in c
    return any(eq(v, x) for v in c)


method(_COLL, "size", 0)(len)
method(_COLL, "isEmpty", 0)(lambda c: len(c) == 0)
method(_COLL, "contains", 1)(_contains)
method(_COLL, "containsAll", 1)(lambda c, o: all(_contains(c, x) for x in _iter(o)))
method(_COLL, "removeIf", 1)(_remove_if)
method(_COLL, "removeAll", 1)(lambda c, o: _remove_if(c, lambda x: _contains(o, x)))
method(_COLL, "retainAll", 1)(lambda c, o: _remove_if(c, lambda x: not _contains(o, x)))
method(_COLL, "forEach", 1)(lambda c, fn: [fn(x) for x in list(c)] and None)
method(_COLL, "toArray", 0, 1)(lambda c, _a=None: list(c))
method(_COLL, "iterator", 0)(lambda c: JIterator(c))
method(list, "clone", 0)(lambda c: list(c))  # ArrayList.clone(): a shallow copy
method(JSet, "clone", 0)(lambda c: JSet(c))
method(_COLL, "toString", 0)(to_string)
method((list, JSet), "clear", 0)(lambda c: c.clear() if isinstance(c, list) else c.d.clear())
method((list, JSet), "equals", 1)(lambda c, o: eq(c, o))
method((list, JSet), "hashCode", 0)(lambda c: hash(to_string(c)) & 0x7FFFFFFF)


class JIterator:
    """An iterator over a snapshot of a collection; ``remove()`` writes through to it."""

    java_class = "java.util.Iterator"
    __slots__ = ("i", "items", "keys", "removed", "source", "state")

    def __init__(self, source: Any) -> None:
        self.source = source
        self.items = list(source)
        # a map view removes by key: remember the keys in iteration order
        self.keys = list(source.map) if isinstance(source, MapView) else None
        self.i = 0  # index of the next item in the snapshot
        self.removed = 0  # list items removed so far (shifts the live indices)
        self.state = False  # whether next() returned an item remove() may still remove

    def has_next(self) -> bool:
        return self.i < len(self.items)

    def next(self) -> Any:
        if not self.has_next():
            raise JavaThrowable("NoSuchElementException", None)
        self.i += 1
        self.state = True
        return self.items[self.i - 1]

    def remove(self) -> None:
        if not self.state:
            raise JavaThrowable("IllegalStateException", None)
        self.state = False
        src, at = self.source, self.i - 1
        if isinstance(src, list):
            del src[at - self.removed]
            self.removed += 1
        elif isinstance(src, JSet):
            src.d.pop(self.items[at], None)
        elif self.keys is not None:
            src.map.pop(self.keys[at], None)


method(JIterator, "hasNext", 0)(JIterator.has_next)
method(JIterator, "remove", 0)(JIterator.remove)
method(JIterator, "next", 0)(JIterator.next)

# ---- Set ---------------------------------------------------------------------------------


@method(JSet, "add", 1)
def _set_add(s: JSet, x: Any) -> bool:
    x = to_plain(x)
    if x in s.d:
        return False
    s.d[x] = None
    return True


@method(JSet, "remove", 1)
def _set_remove(s: JSet, x: Any) -> bool:
    return s.d.pop(x, ...) is not ...


method(JSet, "addAll", 1)(lambda s, c: any([_set_add(s, x) for x in _iter(c)]))


# ---- Map ---------------------------------------------------------------------------------
def _put(m: MutableMapping[Any, Any], k: Any, v: Any) -> Any:
    old = m.get(k)
    m[k] = to_plain(v)
    return old


def _compute_if_absent(m: MutableMapping[Any, Any], k: Any, fn: Fn) -> Any:
    v = m.get(k)
    if v is None:
        v = fn(k)
        if v is not None:
            m[k] = to_plain(v)
    return v


def _compute_if_present(m: MutableMapping[Any, Any], k: Any, fn: Fn) -> Any:
    v = m.get(k)
    if v is not None:
        v = fn(k, v)
        if v is None:
            del m[k]
        else:
            m[k] = to_plain(v)
    return v


def _merge(m: MutableMapping[Any, Any], k: Any, v: Any, fn: Fn) -> Any:
    old = m.get(k)
    new = v if old is None else fn(old, v)
    if new is None:
        m.pop(k, None)
    else:
        m[k] = to_plain(new)
    return new


def _put_if_absent(m: MutableMapping[Any, Any], k: Any, v: Any) -> Any:
    old = m.get(k)
    if old is None:
        m[k] = to_plain(v)
    return old


_M = Mapping
method(_M, "get", 1)(lambda m, k: m.get(k))
method(_M, "put", 2)(_put)
method(_M, "putAll", 1)(lambda m, o: [_put(m, k, v) for k, v in list(o.items())] and None)
method(_M, "remove", 1)(lambda m, k: m.pop(k, None))
method(_M, "containsKey", 1)(lambda m, k: k in m)
method(_M, "containsValue", 1)(lambda m, v: any(eq(x, v) for x in m.values()))
method(_M, "keySet", 0)(lambda m: MapView(m, "keys"))
method(_M, "clone", 0)(lambda m: dict(m.items()))  # HashMap.clone(): a shallow copy
method(_M, "values", 0)(lambda m: MapView(m, "values"))
method(_M, "entrySet", 0)(lambda m: MapView(m, "entries"))
method(_M, "getOrDefault", 2)(lambda m, k, d: m.get(k, d))
method(_M, "isEmpty", 0)(lambda m: len(m) == 0)
method(_M, "size", 0)(len)
method(_M, "clear", 0)(lambda m: m.clear())
method(_M, "computeIfAbsent", 2)(_compute_if_absent)
method(_M, "computeIfPresent", 2)(_compute_if_present)
method(_M, "merge", 3)(_merge)
method(_M, "putIfAbsent", 2)(_put_if_absent)
method(_M, "forEach", 1)(lambda m, fn: [fn(k, v) for k, v in list(m.items())] and None)
method(_M, "equals", 1)(lambda m, o: eq(m, o))
method(_M, "toString", 0)(to_string)
method(_M, "replace", 2)(lambda m, k, v: _put(m, k, v) if k in m else None)

method(Entry, "getKey", 0)(lambda e: e.key)
method(Entry, "getValue", 0)(lambda e: e.value)


@method(Entry, "setValue", 1)
def _entry_set(e: Entry, v: Any) -> Any:
    old, e.value = e.value, v
    e.map[e.key] = to_plain(v)
    return old

"""Collection extensions: ``with``, ``collate``, ``drop``, ``flatten``, ``zip``, ``max``…"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from celpy import celtypes

from .operators import NUMBER


def with_(base: Any, other: Any) -> Any:
    """mito's ``with``: ``base`` with the keys of ``other`` set."""
    if not isinstance(base, Mapping) or not isinstance(other, Mapping):
        raise TypeError("with needs two maps")
    merged = dict(base)
    merged.update(other)
    return celtypes.MapType(merged)


def _with_replace(base: Any, other: Any) -> Any:
    merged = dict(base)
    merged.update({k: v for k, v in other.items() if k in base})
    return celtypes.MapType(merged)


def _with_update(base: Any, other: Any) -> Any:
    merged = dict(base)
    merged.update({k: v for k, v in other.items() if k not in base})
    return celtypes.MapType(merged)


def _dig(value: Any, path: str) -> Any:
    for part in path.split(".") if path else []:
        if isinstance(value, Mapping) and part in value:
            value = value[part]
        else:
            return None
    return value


def _collate(value: Any, paths: Any) -> Any:
    names = [str(paths)] if isinstance(paths, str) else [str(p) for p in paths]
    items = list(value.values()) if isinstance(value, Mapping) else list(value)
    out: list[Any] = []
    for item in items:
        for name in names:
            found = _dig(item, name)
            if found is None:
                continue
            if isinstance(found, list):
                out.extend(found)
            else:
                out.append(found)
    return celtypes.ListType(out)


def _drop(value: Any, paths: Any) -> Any:
    names = [str(paths)] if isinstance(paths, str) else [str(p) for p in paths]

    def drop_one(obj: Any, parts: list[str]) -> Any:
        if not isinstance(obj, Mapping):
            return obj
        if len(parts) == 1:
            return celtypes.MapType({k: v for k, v in obj.items() if k != parts[0]})
        if parts[0] not in obj:
            return obj
        updated = dict(obj)
        updated[parts[0]] = drop_one(obj[parts[0]], parts[1:])
        return celtypes.MapType(updated)

    def drop_all(obj: Any) -> Any:
        for name in names:
            obj = drop_one(obj, name.split("."))
        return obj

    if isinstance(value, list):
        return celtypes.ListType([drop_all(v) for v in value])
    return drop_all(value)


def is_empty(value: Any) -> bool:
    """Null, an empty map or an empty list."""
    return value is None or (isinstance(value, Mapping | list) and len(value) == 0)


def _drop_empty(value: Any) -> Any:
    if isinstance(value, Mapping):
        kept = {k: _drop_empty(v) for k, v in value.items()}
        return celtypes.MapType({k: v for k, v in kept.items() if not is_empty(v)})
    if isinstance(value, list):
        kept_list = [_drop_empty(v) for v in value]
        return celtypes.ListType([v for v in kept_list if not is_empty(v)])
    return value


def _flatten(value: Any) -> Any:
    out: list[Any] = []
    for item in value:
        if isinstance(item, list):
            out.extend(_flatten(item))
        else:
            out.append(item)
    return celtypes.ListType(out)


def _extreme(pick: Callable[..., Any]) -> Callable[..., Any]:
    def extreme(*args: Any) -> Any:
        items = list(args[0]) if len(args) == 1 and isinstance(args[0], list) else list(args)
        if not items:
            raise ValueError("min/max of an empty list")
        if all(isinstance(i, NUMBER) for i in items):
            return pick(items, key=float)
        return pick(items)

    return extreme


def _zip(keys: Any, values: Any) -> Any:
    if len(keys) != len(values):
        raise ValueError("zip: lists of different lengths")
    return celtypes.MapType(dict(zip(keys, values, strict=True)))


def _tail(value: Any, *rest: Any) -> Any:
    return celtypes.ListType(list(value)[1:])


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "with": with_,
    "with_replace": _with_replace,
    "with_update": _with_update,
    "collate": _collate,
    "drop": _drop,
    "drop_empty": _drop_empty,
    "flatten": _flatten,
    "max": _extreme(max),
    "min": _extreme(min),
    "zip": _zip,
    "keys": lambda m: celtypes.ListType(list(m.keys())),
    "values": lambda m: celtypes.ListType(list(m.values())),
    "tail": _tail,
}

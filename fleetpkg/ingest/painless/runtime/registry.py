"""Registries of instance methods, static methods/fields and constructors (the 'whitelist')."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..errors import JavaThrowable
from ..jtypes import class_name

Fn = Callable[..., Any]
VARARGS = -1

_METHODS: dict[type, dict[tuple[str, int], Fn]] = {}
_CACHE: dict[tuple[type, str, int], Fn | None] = {}
STATICS: dict[str, dict[tuple[str, int], Fn]] = {}
STATIC_FIELDS: dict[str, dict[str, Any]] = {}
CTORS: dict[str, dict[int, Fn]] = {}
QUALIFIED: dict[str, str] = {"Pattern": "java.util.regex.Pattern"}


def method(types: type | tuple[type, ...], name: str, *arities: int) -> Callable[[Fn], Fn]:
    """Register `fn(receiver, *args)` as instance method `name` for the given arities."""
    tps = types if isinstance(types, tuple) else (types,)

    def deco(fn: Fn) -> Fn:
        for tp in tps:
            table = _METHODS.setdefault(tp, {})
            for a in arities:
                table[(name, a)] = fn
        _CACHE.clear()
        return fn

    return deco


def static(cls: str, name: str, *arities: int) -> Callable[[Fn], Fn]:
    def deco(fn: Fn) -> Fn:
        table = STATICS.setdefault(cls, {})
        for a in arities:
            table[(name, a)] = fn
        return fn

    return deco


def ctor(cls: str, *arities: int) -> Callable[[Fn], Fn]:
    def deco(fn: Fn) -> Fn:
        table = CTORS.setdefault(cls, {})
        for a in arities:
            table[a] = fn
        return fn

    return deco


def fields(cls: str, **values: Any) -> None:
    STATIC_FIELDS.setdefault(cls, {}).update(values)


def _lookup(tp: type, name: str, nargs: int) -> Fn | None:
    key = (name, nargs)
    for cls in tp.__mro__:
        table = _METHODS.get(cls)
        if table is not None and key in table:
            return table[key]
    if issubclass(tp, Mapping) and key in _METHODS.get(Mapping, {}):
        return _METHODS[Mapping][key]
    return _METHODS.get(object, {}).get(key)


def find_method(obj: Any, name: str, nargs: int) -> Fn | None:
    ck = (type(obj), name, nargs)
    try:
        return _CACHE[ck]
    except KeyError:
        fn = _CACHE[ck] = _lookup(type(obj), name, nargs)
        return fn


def has_method_named(obj: Any, name: str) -> bool:
    return any(name == k[0] for cls in type(obj).__mro__ for k in _METHODS.get(cls, {}))


def call_method(obj: Any, name: str, args: tuple[Any, ...]) -> Any:
    fn = find_method(obj, name, len(args))
    if fn is None:
        raise missing_method(obj, name, len(args))
    return fn(obj, *args)


def missing_method(obj: Any, name: str, nargs: int) -> JavaThrowable:
    if obj is None:
        return JavaThrowable("NullPointerException", f"Cannot invoke [{name}] on a null value")
    return JavaThrowable(
        "IllegalArgumentException", f"dynamic method [{class_name(obj)}, {name}/{nargs}] not found"
    )


def find_static(cls: str, name: str, nargs: int) -> Fn | None:
    table = STATICS.get(cls, {})
    return table.get((name, nargs)) or table.get((name, VARARGS))

"""Field (`a.b`) and brace (`a[i]`) access with Painless map/list shortcuts."""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from typing import Any

from ..errors import JavaThrowable, cce, npe
from ..jtypes import JChar, JLong, class_name, to_plain
from .registry import find_method


def get_field(x: Any, name: str) -> Any:
    if isinstance(x, Mapping):
        return x.get(name)
    if x is None:
        raise npe(f"Cannot access field [{name}] of a null value")
    if isinstance(x, list):
        if name == "length":
            return len(x)
        if name.isdigit():
            return x[list_index(x, int(name))]
    cap = name[:1].upper() + name[1:]
    for getter in ("get" + cap, "is" + cap):
        fn = find_method(x, getter, 0)
        if fn is not None:
            return fn(x)
    raise JavaThrowable(
        "IllegalArgumentException", f"dynamic getter [{class_name(x)}, {name}] not found"
    )


def set_field(x: Any, name: str, v: Any) -> None:
    if isinstance(x, MutableMapping):
        x[name] = to_plain(v)
        return
    if x is None:
        raise npe(f"Cannot set field [{name}] of a null value")
    if isinstance(x, list) and name.isdigit():
        x[list_index(x, int(name))] = to_plain(v)
        return
    cap = name[:1].upper() + name[1:]
    fn = find_method(x, "set" + cap, 1)
    if fn is None:
        raise JavaThrowable(
            "IllegalArgumentException", f"dynamic setter [{class_name(x)}, {name}] not found"
        )
    fn(x, v)


def list_index(x: list[Any], i: Any, array: bool = False) -> int:
    t = type(i)
    if t is not int and t is not JLong and t is not JChar:
        if i is None:
            raise npe("Cannot use null as an index")
        raise cce(f"Cannot cast {class_name(i)} to int")
    idx = ord(i) if t is JChar else int(i)
    n = len(x)
    if idx < 0:
        idx += n  # Painless normalizes negative indexes
    if not 0 <= idx < n:
        kind = "ArrayIndexOutOfBoundsException" if array else "IndexOutOfBoundsException"
        raise JavaThrowable(kind, f"Index {idx} out of bounds for length {n}")
    return idx


def get_index(x: Any, i: Any) -> Any:
    if type(x) is list:
        return x[list_index(x, i)]
    if isinstance(x, Mapping):
        return x.get(i)
    if x is None:
        raise npe("Cannot index a null value")
    fn = find_method(x, "get", 1)
    if fn is not None:
        return fn(x, i)
    raise JavaThrowable(
        "IllegalArgumentException",
        f"Attempting to address a non-array type [{class_name(x)}] as an array.",
    )


def set_index(x: Any, i: Any, v: Any) -> None:
    if type(x) is list:
        x[list_index(x, i)] = to_plain(v)
    elif isinstance(x, MutableMapping):
        x[i] = to_plain(v)
    elif x is None:
        raise npe("Cannot index a null value")
    else:
        raise JavaThrowable(
            "IllegalArgumentException",
            f"Attempting to address a non-array type [{class_name(x)}] as an array.",
        )

"""String extensions: mito ``strings``, cel-go ``ext.Strings`` and ``format``."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from celpy import celtypes

from ..gotime import format_time
from .values import as_bytes, as_str, to_cel, to_python

STRING_METHODS: dict[str, Callable[..., Any]] = {
    "to_lower": str.lower,
    "to_upper": str.upper,
    "lowerAscii": str.lower,
    "upperAscii": str.upper,
    "trim_space": str.strip,
    "trim": lambda s, cut=None: s.strip() if cut is None else s.strip(cut),
    "trim_left": lambda s, cut: s.lstrip(cut),
    "trim_right": lambda s, cut: s.rstrip(cut),
    "trim_prefix": lambda s, p: s[len(p) :] if s.startswith(p) else s,
    "trim_suffix": lambda s, p: s[: -len(p)] if p and s.endswith(p) else s,
    "has_prefix": lambda s, p: s.startswith(p),
    "has_suffix": lambda s, p: s.endswith(p),
    "contains_substr": lambda s, p: p in s,
    "contains_any": lambda s, chars: any(c in s for c in chars),
    "count": lambda s, p: s.count(p) if p else len(s) + 1,
    "equal_fold": lambda s, o: s.casefold() == o.casefold(),
    "fields": str.split,
    "repeat": lambda s, n: s * int(n),
    "replace_all": lambda s, old, new: s.replace(old, new),
    "title": str.title,
    "to_title": str.upper,
    "charAt": lambda s, i: s[int(i)] if int(i) < len(s) else "",
    "indexOf": lambda s, p, *r: s.find(p, int(r[0]) if r else 0),
    "lastIndexOf": lambda s, p, *r: s.rfind(p),
    "quote": lambda s: json.dumps(s),
    "split_n": lambda s, sep, n: s.split(sep, int(n) - 1) if int(n) > 0 else s.split(sep),
}


def _str_method(func: Callable[..., Any]) -> Callable[..., Any]:
    def method(value: Any, *args: Any) -> Any:
        result = func(as_str(value), *[str(a) if isinstance(a, str) else a for a in args])
        return to_cel(result)

    method.__name__ = func.__name__
    return method


def _substring(value: Any, start: Any, end: Any = None) -> Any:
    text = as_str(value)
    stop = len(text) if end is None else int(end)
    if not 0 <= int(start) <= stop <= len(text):
        raise ValueError(f"substring: index out of range [{start}:{stop}]")
    return celtypes.StringType(text[int(start) : stop])


def _split(value: Any, sep: Any, limit: Any = None) -> Any:
    text, separator = as_str(value), as_str(sep)
    if limit is not None and int(limit) == 0:
        return celtypes.ListType([])
    if separator == "":
        parts = list(text)
    elif limit is not None and int(limit) > 0:
        parts = text.split(separator, int(limit) - 1)
    else:
        parts = text.split(separator)
    return celtypes.ListType([celtypes.StringType(p) for p in parts])


def _join(value: Any, sep: Any = "") -> Any:
    if isinstance(value, str):  # mito: join(<list>, <string>) with the string first? no: list
        raise TypeError("join needs a list")
    return celtypes.StringType(str(sep).join(as_str(v) for v in value))


def _replace(value: Any, old: Any, new: Any, count: Any = -1) -> Any:
    return celtypes.StringType(as_str(value).replace(as_str(old), as_str(new), int(count)))


def _index(value: Any, sub: Any, *rest: Any) -> Any:
    return celtypes.IntType(as_str(value).find(as_str(sub)))


def _last_index(value: Any, sub: Any, *rest: Any) -> Any:
    return celtypes.IntType(as_str(value).rfind(as_str(sub)))


def _string_format(fmt: str, args: Any) -> str:
    items = list(args)
    out: list[str] = []
    pos = 0
    for match in re.finditer(r"%(\.\d+)?([sdfebxXo%])", fmt):
        out.append(fmt[pos : match.start()])
        pos = match.end()
        verb = match.group(2)
        if verb == "%":
            out.append("%")
            continue
        item = items.pop(0)
        if verb == "s":
            out.append(str(to_python(item)) if not isinstance(item, str) else str(item))
        elif verb == "d":
            out.append(str(int(item)))
        elif verb in "fe":
            precision = match.group(1) or ".6"
            out.append(format(float(item), precision + verb))
        elif verb in "xX":
            text = as_bytes(item).hex() if isinstance(item, str | bytes) else format(int(item), "x")
            out.append(text.upper() if verb == "X" else text)
        elif verb == "o":
            out.append(format(int(item), "o"))
        elif verb == "b":
            out.append(format(int(item), "b"))
    out.append(fmt[pos:])
    return "".join(out)


def _format(value: Any, arg: Any) -> Any:
    if isinstance(value, celtypes.TimestampType):
        return celtypes.StringType(format_time(value, as_str(arg)))
    return celtypes.StringType(_string_format(as_str(value), arg))


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "format": _format,
    "substring": _substring,
    "split": _split,
    "join": _join,
    "replace": _replace,
    "index": _index,
    "last_index": _last_index,
    **{name: _str_method(func) for name, func in STRING_METHODS.items()},
}

"""Optional extensions (cel-go ``optional_type``): ``x.?f``, ``optional.of``, ``orValue``…"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from celpy import celtypes

from .collections import is_empty
from .values import NONE, Optional


def opt_field(value: Any, name: Any) -> Any:
    """``value.?name``: the field as an optional, none when it is absent."""
    if isinstance(value, Optional):
        if not value.present:
            return NONE
        value = value.value
    if isinstance(value, Mapping) and name in value:
        return Optional(True, value[name])
    if isinstance(value, Mapping):
        return NONE
    raise TypeError(f"no such field {name} on {type(value).__name__}")


def _opt_of(namespace: Any, value: Any) -> Any:
    return Optional(True, value)


def _opt_none(namespace: Any) -> Any:
    return NONE


def _opt_nonzero(namespace: Any, value: Any) -> Any:
    zero = value is None or value in (0, "", b"", False) or is_empty(value)
    return NONE if zero else Optional(True, value)


def _or_value(opt: Any, default: Any) -> Any:
    if not isinstance(opt, Optional):
        raise TypeError("orValue needs an optional")
    return opt.value if opt.present else default


def _has_value(opt: Any) -> Any:
    if not isinstance(opt, Optional):
        raise TypeError("hasValue needs an optional")
    return celtypes.BoolType(opt.present)


def _value(opt: Any) -> Any:
    if not isinstance(opt, Optional):
        raise TypeError("value needs an optional")
    if not opt.present:
        raise ValueError("optional.none() dereference")
    return opt.value


def _or(opt: Any, other: Any) -> Any:
    return opt if isinstance(opt, Optional) and opt.present else other


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "_opt_field": opt_field,
    "of": _opt_of,
    "none": _opt_none,
    "ofNonZeroValue": _opt_nonzero,
    "orValue": _or_value,
    "hasValue": _has_value,
    "value": _value,
    "or": _or,
}

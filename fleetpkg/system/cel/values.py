"""CEL values: conversion to and from plain Python, the optional type, argument checks."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from celpy import celtypes
from celpy.evaluation import CELEvalError

from ..gotime import LAYOUTS, format_time, go_duration
from .errors import CelProgramError, message

Value = Any


class Optional:
    """cel-go's ``optional_type``."""

    __slots__ = ("present", "value")

    def __init__(self, present: bool, value: Any = None) -> None:
        self.present = present
        self.value = value

    def __repr__(self) -> str:
        return f"optional.of({self.value!r})" if self.present else "optional.none()"

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Optional)
            and other.present == self.present
            and (not self.present or other.value == self.value)
        )

    def __hash__(self) -> int:
        return hash(self.present)


class _OptionalNamespace:
    def __repr__(self) -> str:
        return "optional"


OPTIONAL = _OptionalNamespace()
NONE = Optional(False)


def to_cel(value: Any, json_numbers: bool = False) -> Value:
    """Python → CEL; ``json_numbers`` makes every number a double (Go's ``encoding/json``)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return celtypes.BoolType(value)
    if isinstance(value, int):
        return celtypes.DoubleType(value) if json_numbers else celtypes.IntType(value)
    if isinstance(value, float):
        return celtypes.DoubleType(value)
    if isinstance(value, str):
        return celtypes.StringType(value)
    if isinstance(value, bytes | bytearray):
        return celtypes.BytesType(bytes(value))
    if isinstance(value, datetime):
        return celtypes.TimestampType(value)
    if isinstance(value, Mapping):
        return celtypes.MapType(
            {celtypes.StringType(str(k)): to_cel(v, json_numbers) for k, v in value.items()}
        )
    if isinstance(value, list | tuple):
        return celtypes.ListType([to_cel(v, json_numbers) for v in value])
    raise CelProgramError(f"cannot convert {type(value).__name__} to CEL")


def rfc3339nano(when: datetime) -> str:
    return format_time(when.astimezone(UTC), LAYOUTS["RFC3339Nano"])


def to_python(value: Value) -> Any:
    """CEL → plain Python (JSON-like: timestamps become RFC 3339 strings)."""
    if isinstance(value, CELEvalError):
        raise CelProgramError(message(value))
    if value is None or isinstance(value, celtypes.NullType):
        return None
    if isinstance(value, celtypes.BoolType | bool):
        return bool(value)
    if isinstance(value, celtypes.IntType | celtypes.UintType) or type(value) is int:
        return int(value)
    if isinstance(value, celtypes.DoubleType | float):
        return float(value)
    if isinstance(value, celtypes.StringType | str):
        return str(value)
    if isinstance(value, celtypes.BytesType | bytes):
        return bytes(value)
    if isinstance(value, celtypes.TimestampType):
        return rfc3339nano(value)
    if isinstance(value, celtypes.DurationType):
        return go_duration(value.total_seconds())
    if isinstance(value, Mapping):
        return {str(k): to_python(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_python(v) for v in value]
    if isinstance(value, Optional):
        raise CelProgramError("an optional value cannot be stored in the state or in an event")
    raise CelProgramError(f"cannot convert {type(value).__name__} from CEL")


def jsonable(value: Any) -> Any:
    """The JSON view Go gives a value: bytes become base64 strings, whole doubles print
    without a fraction (``200``, not ``200.0``)."""
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return int(value)
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    return value


def as_str(value: Any) -> str:
    """A string argument, or a ``TypeError``."""
    if not isinstance(value, str):
        raise TypeError(f"expected string, got {type(value).__name__}")
    return str(value)


def as_bytes(value: Any) -> bytes:
    """A bytes or string argument as bytes, or a ``TypeError``."""
    if isinstance(value, celtypes.BytesType | bytes):
        return bytes(value)
    if isinstance(value, str):
        return str(value).encode()
    raise TypeError(f"expected bytes or string, got {type(value).__name__}")

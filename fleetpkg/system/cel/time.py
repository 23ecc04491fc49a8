"""Time extensions: ``timestamp``, ``duration``, ``string``, ``parse_time`` and ``now``."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from celpy import celtypes

from ..clock import Clock
from ..gotime import LAYOUTS, parse_time
from .values import as_str, rfc3339nano


def _timestamp(value: Any) -> Any:
    if isinstance(value, celtypes.TimestampType):
        return value
    if isinstance(value, celtypes.IntType):
        return celtypes.TimestampType(datetime.fromtimestamp(int(value), UTC))
    text = as_str(value)
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})", text):
        raise ValueError(f'timestamp("{text}"): not RFC 3339')
    when, _ = parse_time(text, LAYOUTS["RFC3339"])
    return celtypes.TimestampType(when)


def _string(value: Any) -> Any:
    if isinstance(value, celtypes.TimestampType):
        return celtypes.StringType(rfc3339nano(value))
    if isinstance(value, celtypes.DurationType):
        seconds = f"{value.total_seconds():.9f}".rstrip("0").rstrip(".")
        return celtypes.StringType(seconds + "s")
    if isinstance(value, celtypes.BytesType):
        return celtypes.StringType(bytes(value).decode("utf-8"))
    return celtypes.StringType(value)


def _duration(value: Any) -> Any:
    if isinstance(value, celtypes.DurationType):
        return value
    text = as_str(value)
    if not re.fullmatch(r"-?(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+", text):
        raise ValueError(f'duration("{text}"): invalid duration')
    units = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "h": 3600}
    total = sum(
        float(n) * units[u] for n, _, u in re.findall(r"(\d+(\.\d+)?)(ns|us|µs|ms|s|m|h)", text)
    )
    return celtypes.DurationType(timedelta(seconds=-total if text.startswith("-") else total))


def _parse_time(value: Any, layouts: Any) -> Any:
    options = [str(layouts)] if isinstance(layouts, str) else [str(x) for x in layouts]
    last: Exception | None = None
    for layout in options:
        try:
            return celtypes.TimestampType(parse_time(as_str(value), layout)[0])
        except ValueError as err:
            last = err
    raise ValueError(str(last))


def now_timestamp(clock: Clock) -> Any:
    """The clock's current time as a CEL timestamp."""
    return celtypes.TimestampType(datetime.fromtimestamp(clock.now(), UTC))


def clock_functions(clock: Clock) -> dict[str, Callable[..., Any]]:
    """The functions that read ``clock``: ``now()``."""

    def now(*_: Any) -> Any:
        return now_timestamp(clock)

    return {"now": now}


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "timestamp": _timestamp,
    "duration": _duration,
    "string": _string,
    "parse_time": _parse_time,
}

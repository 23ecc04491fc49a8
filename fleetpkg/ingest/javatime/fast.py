"""Fast paths for the formats the ingest date processor sees most.

Each returns None when the input is not the plain case it handles; callers then use the
general formatter, which stays the reference (tests compare both).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from .model import Moment
from .zones import UTC

DEFAULT_INGEST_OUTPUT = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX"
_ZERO = timedelta(0)

Printer = Callable[[Moment], "str | None"]


def print_default_utc(moment: Moment) -> str | None:
    """``yyyy-MM-dd'T'HH:mm:ss.SSSXXX`` for a moment at offset zero (printed as ``Z``)."""
    dt = moment.dt
    if dt.tzinfo is not UTC and dt.utcoffset() != _ZERO:
        return None
    fields = (dt.year, dt.month, dt.day, dt.hour, dt.minute, dt.second, moment.nano // 1_000_000)
    return "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ" % fields  # noqa: UP031 (fastest here)


def fast_printer(pattern: str) -> Printer | None:
    """A fast printer for ``pattern`` when there is one."""
    return print_default_utc if pattern == DEFAULT_INGEST_OUTPUT else None

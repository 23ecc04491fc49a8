"""Java ``DateTimeFormatter`` patterns and ES named date formats: parse and format."""

from __future__ import annotations

from datetime import datetime, tzinfo
from functools import lru_cache

from .errors import (
    DateTimeParseError,
    FormatParseError,
    JavaTimeError,
    NumberFormatError,
    PatternError,
    ZoneRulesError,
)
from .formatter import JavaFormatter
from .model import Moment
from .named import named_formatter
from .pattern import compile_pattern
from .zones import UTC, FixedZone, is_utc_offset, zone_id, zone_of

__all__ = [
    "UTC",
    "DateTimeParseError",
    "FixedZone",
    "FormatParseError",
    "JavaFormatter",
    "JavaTimeError",
    "Moment",
    "NumberFormatError",
    "PatternError",
    "ZoneRulesError",
    "compile_formatter",
    "format_java_date",
    "is_utc_offset",
    "parse_java_date",
    "parse_java_date_ns",
    "zone_id",
    "zone_of",
]


@lru_cache(maxsize=1024)
def compile_formatter(pattern: str) -> JavaFormatter:
    """ES ``DateFormatter.forPattern``: named formats, Java patterns, ``a||b`` combinations."""
    if not pattern:
        raise PatternError("No date pattern provided")
    parts = [p for p in pattern.split("||") if p]
    formatters = [_single(p) for p in parts]
    if len(formatters) == 1:
        return formatters[0]
    parsers = tuple(p for f in formatters for p in f.parsers)
    return JavaFormatter(pattern, formatters[0].printer, parsers)


def _single(pattern: str) -> JavaFormatter:
    named = named_formatter(pattern)
    if named is not None:
        return named
    try:
        section = compile_pattern(pattern)
    except PatternError as err:
        raise PatternError(f"Invalid format: [{pattern}]: {err.message}") from None
    return JavaFormatter(pattern, section, (section,))


def _zone(zone: str | tzinfo) -> tzinfo:
    return zone_of(zone) if isinstance(zone, str) else zone


def parse_java_date_ns(
    text: str, pattern: str, *, zone: str | tzinfo = "UTC", locale: str = "ENGLISH"
) -> Moment:
    """Parse with nanosecond precision: a ``Moment`` (aware datetime + nano-of-second)."""
    del locale  # English texts only (ROOT/ENGLISH behave alike for the supported fields)
    return compile_formatter(pattern).parse(text, _zone(zone))


def parse_java_date(
    text: str, pattern: str, *, zone: str | tzinfo = "UTC", locale: str = "ENGLISH"
) -> datetime:
    """Parse ``text`` with a Java pattern or ES named format into an aware datetime."""
    return parse_java_date_ns(text, pattern, zone=zone, locale=locale).dt


def format_java_date(value: datetime | Moment, pattern: str) -> str:
    """Format an aware datetime (or ``Moment``) with a Java pattern or ES named format."""
    return compile_formatter(pattern).format(value)

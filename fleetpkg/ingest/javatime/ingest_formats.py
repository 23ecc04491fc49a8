"""The ingest date processors' format kinds: ISO8601, UNIX, UNIX_MS, TAI64N and Java patterns."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import tzinfo

from .errors import JavaTimeError, NumberFormatError
from .model import Moment
from .resolve import instant_moment

DateParser = Callable[[str | None], Moment]

_JAVA_DOUBLE = re.compile(r"[+-]?(?:NaN|Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[fFdD]?)")
_JAVA_LONG = {10: re.compile(r"[+-]?[0-9]+"), 16: re.compile(r"[+-]?[0-9a-fA-F]+")}
_LONG_MAX = 2**63 - 1


class NullPointerError(JavaTimeError):
    """``NullPointerException`` (a null field value reaching a parser)."""

    java_type = "null_pointer_exception"


class StringIndexError(JavaTimeError):
    """``StringIndexOutOfBoundsException`` from ``String.substring``."""

    java_type = "string_index_out_of_bounds_exception"


def java_parse_double(text: str | None) -> float:
    """``Double.parseDouble`` (decimal forms, NaN, Infinity, f/d suffixes)."""
    if text is None:
        raise NullPointerError("null")
    trimmed = text.strip("".join(chr(c) for c in range(33)))
    if not trimmed:
        raise NumberFormatError("empty String")
    if not _JAVA_DOUBLE.fullmatch(trimmed):
        raise NumberFormatError(f'For input string: "{trimmed}"')
    return float(trimmed.rstrip("fFdD"))


def java_parse_long(text: str | None, radix: int = 10) -> int:
    """``Long.parseLong(text, radix)``."""
    if text is None:
        raise NumberFormatError("Cannot parse null string: null")
    if radix == 10 and len(text) < 19 and text.isascii() and text.isdigit():
        return int(text)  # plain digits that cannot overflow a long
    suffix = "" if radix == 10 else f" under radix {radix}"
    if not _JAVA_LONG[radix].fullmatch(text):
        raise NumberFormatError(f'For input string: "{text}"{suffix}')
    value = int(text, radix)
    if not -(2**63) <= value <= _LONG_MAX:
        raise NumberFormatError(f'For input string: "{text}"{suffix}')
    return value


def double_to_long(value: float) -> int:
    """Java's ``(long) d`` narrowing: truncation, saturation, NaN → 0."""
    if value != value:
        return 0
    if value >= _LONG_MAX:
        return _LONG_MAX
    if value <= -(2**63):
        return -(2**63)
    return int(value)


def epoch_millis_moment(millis: int, zone: tzinfo) -> Moment:
    seconds, rem = divmod(millis, 1000)
    return instant_moment(seconds, rem * 1_000_000, zone)


def parse_unix(text: str | None, zone: tzinfo) -> Moment:
    return epoch_millis_moment(double_to_long(java_parse_double(text) * 1000.0), zone)


def parse_unix_ms(text: str | None, zone: tzinfo) -> Moment:
    return epoch_millis_moment(java_parse_long(text), zone)


def _substring(text: str, begin: int, end: int) -> str:
    if end > len(text):
        raise StringIndexError(f"begin {begin}, end {end}, length {len(text)}")
    return text[begin:end]


def parse_tai64n(text: str | None, zone: tzinfo) -> Moment:
    if text is None:
        raise NullPointerError("null")
    date = text[1:] if text.startswith("@") else text
    base = java_parse_long(_substring(date, 1, 16), 16)
    rest = java_parse_long(_substring(date, 16, 24), 16)
    return epoch_millis_moment(base * 1000 - 10000 + rest // 1_000_000, zone)


def same_instant(moment: Moment, zone: tzinfo) -> Moment:
    """``withZoneSameInstant``."""
    try:
        return Moment(moment.dt.astimezone(zone), moment.nano)
    except (OverflowError, ValueError) as err:
        raise JavaTimeError(f"Instant exceeds minimum or maximum instant: {err}") from None


def date_parser(fmt: str, zone: tzinfo) -> DateParser:
    """ES ``DateFormat.fromString(fmt).getFunction(fmt, zone, locale)``."""
    from . import compile_formatter

    if fmt == "ISO8601":
        iso = compile_formatter("iso8601")
        return lambda text: same_instant(iso.parse(_text(text), zone), zone)
    if fmt == "UNIX":
        return lambda text: parse_unix(text, zone)
    if fmt == "UNIX_MS":
        return lambda text: parse_unix_ms(text, zone)
    if fmt == "TAI64N":
        return lambda text: parse_tai64n(text, zone)
    formatter = compile_formatter(fmt[1:] if fmt.startswith("8") else fmt)

    def parse_java(text: str | None) -> Moment:
        moment = formatter.parse(_text(text), zone, current_year_fallback=True)
        return same_instant(moment, zone)

    return parse_java


def _text(text: str | None) -> str:
    return "" if text is None else text

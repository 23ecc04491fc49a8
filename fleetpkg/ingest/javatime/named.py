"""Elasticsearch's built-in named date formats (``strict_date_optional_time``…)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .elements import EXCEEDS_PAD, NORMAL, Choice, Fraction, Literal, Number, Section
from .formatter import JavaFormatter
from .model import DAY, HOUR, INSTANT, MINUTE, MONTH, NANO, SECOND, YEAR, Element, Moment, Parsed
from .pattern import compile_pattern
from .zone_elements import Offset, ZoneId

_EPOCH = {
    True: re.compile(r"-?\d{1,19}(?:\.\d{1,6})?"),
    False: re.compile(r"-?\d{1,19}(?:\.\d{1,9})?"),
}


@dataclass(frozen=True, slots=True)
class Epoch:
    """``epoch_millis`` / ``epoch_second``: a (possibly fractional) count since 1970."""

    millis: bool

    def parse(self, state: Parsed, text: str, pos: int) -> int:
        m = _EPOCH[self.millis].match(text, pos)
        if m is None:
            return ~pos
        whole, _, frac = m.group().partition(".")
        scale, unit = (6, 10**6) if self.millis else (9, 10**9)
        sub = int(frac.ljust(scale, "0")) if frac else 0
        sign = -1 if whole.startswith("-") else 1
        total_ns = int(whole) * unit + sign * sub
        seconds, nano = divmod(total_ns, 10**9)
        state.set(INSTANT, seconds)
        state.set(NANO, nano)
        return m.end()

    def format(self, moment: Moment, out: list[str]) -> None:
        seconds = moment.get(INSTANT)
        total_ns = seconds * 10**9 + moment.nano
        unit, width = (10**6, 6) if self.millis else (10**9, 9)
        whole, rem = divmod(total_ns, unit)
        out.append(str(whole) + (("." + f"{rem:0{width}d}".rstrip("0")) if rem else ""))


def _p(pattern: str) -> tuple[Element, ...]:
    return compile_pattern(pattern).elements


def _opt(*elements: Element) -> Section:
    return Section(tuple(elements), optional=True)


_ZONE_PARSE = Choice((ZoneId(), Offset("+HHmmss", "Z")))
_ZONE_PRINT = Offset("+HH:MM", "Z")
_ZONE_PRINT_NO_COLON = Offset("+HHMM", "Z")
_FRAC = Fraction(1, 9, ".")


def _optional_time(year_min: int, separators: str, lenient: bool) -> Section:
    """ES ``strict_date_optional_time`` and friends: yyyy[-MM[-dd[THH[:mm[:ss[.f]]][zone]]]]."""
    width = 1 if lenient else 2

    def num(field: str) -> Number:
        return Number(field, width, 2)

    fraction = Fraction(1, 9, separators)
    seconds = _opt(Literal(":"), num(SECOND), _opt(fraction))
    time = _opt(num(HOUR), _opt(Literal(":"), num(MINUTE), seconds))
    zone = _opt(_ZONE_PARSE)
    after_t = _opt(Literal("T"), time, zone)
    date = (
        Number(YEAR, year_min, 10, EXCEEDS_PAD if year_min == 4 else NORMAL),
        _opt(Literal("-"), num(MONTH), _opt(Literal("-"), num(DAY))),
    )
    return Section((*date, after_t))


def _with_zone(pattern: str, *, fraction: bool, lenient: bool) -> tuple[Section, Section]:
    base = _p(pattern)
    parse_base = _p(_lenient(pattern)) if lenient else base
    parse = Section((*parse_base, *((_FRAC,) if fraction else ()), _ZONE_PARSE))
    zone = _ZONE_PRINT if "-" in pattern or ":" in pattern else _ZONE_PRINT_NO_COLON
    printed = Section((*base, *(_p(".SSS") if fraction else ()), zone))
    return parse, printed


def _plain(pattern: str, fraction: bool, *, lenient: bool) -> tuple[Section, Section]:
    base = _p(pattern)
    parse_base = _p(_lenient(pattern)) if lenient else base
    parse = Section((*parse_base, _FRAC)) if fraction else Section(parse_base)
    printed = Section((*base, *_p(".SSS"))) if fraction else Section(base)
    return parse, printed


def _lenient(pattern: str) -> str:
    """Non-strict ES formats accept one-digit fields: ``uuuu-MM-dd`` parses like ``u-M-d``."""
    return re.sub(r"([uYMdHmsDw])\1+", r"\1", pattern)


_ISO_PRINT = Section((*_p("uuuu-MM-dd'T'HH:mm:ss.SSS"), _ZONE_PRINT))
_ISO_NANOS_PRINT = Section((*_p("uuuu-MM-dd'T'HH:mm:ss"), Fraction(3, 9, "."), _ZONE_PRINT))

_TZ_FORMATS = {
    "basic_date_time": ("uuuuMMdd'T'HHmmss", True),
    "basic_date_time_no_millis": ("uuuuMMdd'T'HHmmss", False),
    "basic_ordinal_date_time": ("uuuuDDD'T'HHmmss", True),
    "basic_ordinal_date_time_no_millis": ("uuuuDDD'T'HHmmss", False),
    "basic_time": ("HHmmss", True),
    "basic_time_no_millis": ("HHmmss", False),
    "basic_t_time": ("'T'HHmmss", True),
    "basic_t_time_no_millis": ("'T'HHmmss", False),
    "basic_week_date_time": ("YYYY'W'wwe'T'HHmmss", True),
    "basic_week_date_time_no_millis": ("YYYY'W'wwe'T'HHmmss", False),
    "date_time": ("uuuu-MM-dd'T'HH:mm:ss", True),
    "date_time_no_millis": ("uuuu-MM-dd'T'HH:mm:ss", False),
    "ordinal_date_time": ("uuuu-DDD'T'HH:mm:ss", True),
    "ordinal_date_time_no_millis": ("uuuu-DDD'T'HH:mm:ss", False),
    "time": ("HH:mm:ss", True),
    "time_no_millis": ("HH:mm:ss", False),
    "t_time": ("'T'HH:mm:ss", True),
    "t_time_no_millis": ("'T'HH:mm:ss", False),
    "week_date_time": ("YYYY-'W'ww-e'T'HH:mm:ss", True),
    "week_date_time_no_millis": ("YYYY-'W'ww-e'T'HH:mm:ss", False),
}
_PLAIN_FORMATS = {
    "basic_date": ("uuuuMMdd", False),
    "basic_ordinal_date": ("uuuuDDD", False),
    "basic_week_date": ("YYYY'W'wwe", False),
    "date": ("uuuu-MM-dd", False),
    "date_hour": ("uuuu-MM-dd'T'HH", False),
    "date_hour_minute": ("uuuu-MM-dd'T'HH:mm", False),
    "date_hour_minute_second": ("uuuu-MM-dd'T'HH:mm:ss", False),
    "date_hour_minute_second_fraction": ("uuuu-MM-dd'T'HH:mm:ss", True),
    "date_hour_minute_second_millis": ("uuuu-MM-dd'T'HH:mm:ss", True),
    "hour": ("HH", False),
    "hour_minute": ("HH:mm", False),
    "hour_minute_second": ("HH:mm:ss", False),
    "hour_minute_second_fraction": ("HH:mm:ss", True),
    "hour_minute_second_millis": ("HH:mm:ss", True),
    "ordinal_date": ("uuuu-DDD", False),
    "week_date": ("YYYY-'W'ww-e", False),
    "weekyear": ("YYYY", False),
    "weekyear_week": ("YYYY-'W'ww", False),
    "weekyear_week_day": ("YYYY-'W'ww-e", False),
    "year": ("uuuu", False),
    "year_month": ("uuuu-MM", False),
    "year_month_day": ("uuuu-MM-dd", False),
}


def _build(name: str) -> JavaFormatter | None:
    if name in ("epoch_millis", "epoch_second"):
        epoch = Epoch(millis=name == "epoch_millis")
        return JavaFormatter(name, epoch, (epoch,))
    if name in ("iso8601", "strict_date_optional_time", "date_optional_time"):
        lenient = name != "strict_date_optional_time"
        parser = _optional_time(4 if name != "date_optional_time" else 1, ".,", lenient)
        return JavaFormatter(name, _ISO_PRINT, (parser,))
    if name in ("strict_date_optional_time_nanos", "date_optional_time_nanos"):
        parser = _optional_time(4, ".,", name.startswith("date"))
        return JavaFormatter(name, _ISO_NANOS_PRINT, (parser,))
    base = name.removeprefix("strict_")
    lenient = base == name and not base.startswith("basic")
    if base in _TZ_FORMATS:
        pattern, fraction = _TZ_FORMATS[base]
        parse, printed = _with_zone(pattern, fraction=fraction, lenient=lenient)
        return JavaFormatter(name, printed, (parse,))
    if base in _PLAIN_FORMATS:
        parse, printed = _plain(*_PLAIN_FORMATS[base], lenient=lenient)
        return JavaFormatter(name, printed, (parse,))
    return None


def _snake(name: str) -> str:
    return re.sub(r"([A-Z])", lambda m: "_" + m.group(1).lower(), name)


@cache
def named_formatter(name: str) -> JavaFormatter | None:
    """The ES named format ``name`` (snake_case or the deprecated camelCase), if any."""
    built = _build(name)
    if built is None and name != _snake(name):
        snake = _build(_snake(name))
        if snake is not None:
            return JavaFormatter(name, snake.printer, snake.parsers)
    return built

"""Shared model of the pattern engine: parse state, the moment being printed, field names."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Protocol

# Field names (Java ChronoField / IsoFields equivalents).
YEAR, YEAR_OF_ERA, ERA = "Year", "YearOfEra", "Era"
MONTH, DAY, DOY, DOW = "MonthOfYear", "DayOfMonth", "DayOfYear", "DayOfWeek"
HOUR, CLOCK_AMPM, HOUR_AMPM, CLOCK_DAY, AMPM = (
    "HourOfDay",
    "ClockHourOfAmPm",
    "HourOfAmPm",
    "ClockHourOfDay",
    "AmPmOfDay",
)
MINUTE, SECOND, NANO = "MinuteOfHour", "SecondOfMinute", "NanoOfSecond"
MILLI_OF_DAY, NANO_OF_DAY = "MilliOfDay", "NanoOfDay"
WEEK_YEAR, WEEK_OF_YEAR, WEEK_OF_MONTH = "WeekBasedYear", "WeekOfWeekBasedYear", "WeekOfMonth"
LOCAL_DOW, QUARTER, INSTANT = "LocalizedDayOfWeek", "QuarterOfYear", "InstantSeconds"


@dataclass(slots=True)
class Parsed:
    """Fields parsed so far (Java's ``Parsed``) plus the zone, if the text carried one."""

    fields: dict[str, int] = field(default_factory=dict)
    zone: tzinfo | None = None

    def set(self, name: str, value: int) -> bool:
        """Record a field; a different earlier value for it is a conflict (parse fails)."""
        old = self.fields.get(name)
        if old is not None and old != value:
            return False
        self.fields[name] = value
        return True

    def copy(self) -> Parsed:
        return Parsed(dict(self.fields), self.zone)

    def restore(self, other: Parsed) -> None:
        self.fields = other.fields
        self.zone = other.zone


@dataclass(frozen=True, slots=True)
class Moment:
    """A zoned date-time with nanosecond precision (``dt.microsecond`` = nano // 1000)."""

    dt: datetime
    nano: int

    def get(self, name: str) -> int:
        return _GETTERS[name](self)


def _week_fields(m: Moment) -> tuple[int, int, int]:
    iso = m.dt.isocalendar()
    return iso[0], iso[1], iso[2]


def _clock(hour: int) -> int:
    return 12 if hour % 12 == 0 else hour % 12


_GETTERS: dict[str, Callable[[Moment], int]] = {
    YEAR: lambda m: m.dt.year,
    YEAR_OF_ERA: lambda m: m.dt.year,
    ERA: lambda m: 1,
    MONTH: lambda m: m.dt.month,
    DAY: lambda m: m.dt.day,
    DOY: lambda m: m.dt.timetuple().tm_yday,
    DOW: lambda m: m.dt.isoweekday(),
    LOCAL_DOW: lambda m: m.dt.isoweekday(),
    HOUR: lambda m: m.dt.hour,
    CLOCK_AMPM: lambda m: _clock(m.dt.hour),
    HOUR_AMPM: lambda m: m.dt.hour % 12,
    CLOCK_DAY: lambda m: m.dt.hour or 24,
    AMPM: lambda m: m.dt.hour // 12,
    MINUTE: lambda m: m.dt.minute,
    SECOND: lambda m: m.dt.second,
    NANO: lambda m: m.nano,
    MILLI_OF_DAY: lambda m: (
        (m.dt.hour * 3600 + m.dt.minute * 60 + m.dt.second) * 1000 + m.nano // 1_000_000
    ),
    NANO_OF_DAY: lambda m: (m.dt.hour * 3600 + m.dt.minute * 60 + m.dt.second) * 10**9 + m.nano,
    WEEK_YEAR: lambda m: _week_fields(m)[0],
    WEEK_OF_YEAR: lambda m: _week_fields(m)[1],
    WEEK_OF_MONTH: lambda m: (m.dt.day + m.dt.replace(day=1).weekday() - 1) // 7 + 1,
    QUARTER: lambda m: (m.dt.month - 1) // 3 + 1,
    INSTANT: lambda m: int(m.dt.timestamp()),
}


class Element(Protocol):
    """One printer-parser of a formatter."""

    def parse(self, state: Parsed, text: str, pos: int) -> int:
        """New position, or ``~pos`` (negative) where parsing failed."""
        ...

    def format(self, moment: Moment, out: list[str]) -> None: ...

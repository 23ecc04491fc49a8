"""Parsed fields to a zoned moment: Java's STRICT resolver plus ES's ``DateFormatters.from``."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

from .errors import DateTimeParseError, JavaTimeError
from .model import (
    AMPM,
    CLOCK_AMPM,
    CLOCK_DAY,
    DAY,
    DOW,
    DOY,
    ERA,
    HOUR,
    HOUR_AMPM,
    INSTANT,
    LOCAL_DOW,
    MILLI_OF_DAY,
    MINUTE,
    MONTH,
    NANO,
    NANO_OF_DAY,
    SECOND,
    WEEK_OF_YEAR,
    WEEK_YEAR,
    YEAR,
    YEAR_OF_ERA,
    Moment,
    Parsed,
)
from .zones import UTC as ZONE_UTC

_RANGES = {
    MONTH: (1, 12), DAY: (1, 31), DOY: (1, 366), HOUR: (0, 23), CLOCK_AMPM: (1, 12),
    HOUR_AMPM: (0, 11), CLOCK_DAY: (1, 24), AMPM: (0, 1), MINUTE: (0, 59), SECOND: (0, 59),
    NANO: (0, 999_999_999), DOW: (1, 7), LOCAL_DOW: (1, 7), ERA: (0, 1), WEEK_OF_YEAR: (1, 53),
    YEAR_OF_ERA: (1, 999_999_999), YEAR: (-999_999_999, 999_999_999),
    MILLI_OF_DAY: (0, 86_399_999), NANO_OF_DAY: (0, 86_399_999_999_999),
}  # fmt: skip
_MONTH_NAMES = [m.upper() for m in calendar.month_name]
Time = tuple[int, int, int, int]


@dataclass(slots=True)
class Resolved:
    """What Java's ``Parsed`` holds after resolving: a date and/or time, leftovers, a zone."""

    text: str
    fields: dict[str, int]
    zone: tzinfo | None
    date: date | None = None
    time: Time | None = None

    def supports(self, name: str) -> bool:
        """``TemporalAccessor.isSupported`` of the parsed object."""
        if name in self.fields:
            return True
        if self.date is not None and name in (YEAR, YEAR_OF_ERA, MONTH, DAY, DOY, WEEK_YEAR):
            return True
        return self.time is not None and name in (HOUR, MINUTE, SECOND, NANO)

    def error(self, detail: str) -> DateTimeParseError:
        return DateTimeParseError(f"Text '{self.text}' could not be parsed: {detail}", self.text)


def resolve(parsed: Parsed, text: str) -> Resolved:
    res = Resolved(text, dict(parsed.fields), parsed.zone)
    _check_ranges(res)
    res.time = _resolve_time(res)
    res.date = _resolve_date(res)
    if res.date is not None and DOW in res.fields:
        derived = res.date.isoweekday()
        if derived != res.fields[DOW]:
            raise res.error(
                f"Conflict found: Field DayOfWeek {derived} differs from DayOfWeek "
                f"{res.fields[DOW]} derived from {res.date.isoformat()}"
            )
    return res


def _check_ranges(res: Resolved) -> None:
    for name, value in res.fields.items():
        bounds = _RANGES.get(name)
        if bounds is not None and not bounds[0] <= value <= bounds[1]:
            raise res.error(
                f"Invalid value for {name} (valid values {bounds[0]} - {bounds[1]}): {value}"
            )


def _resolve_time(res: Resolved) -> Time | None:
    f = res.fields
    if MILLI_OF_DAY in f:
        f.setdefault(NANO_OF_DAY, f[MILLI_OF_DAY] * 1_000_000)
    if NANO_OF_DAY in f:
        secs, nod = divmod(f[NANO_OF_DAY], 10**9)
        return secs // 3600, secs // 60 % 60, secs % 60, nod
    if CLOCK_DAY in f:
        f.setdefault(HOUR, f[CLOCK_DAY] % 24)
    if CLOCK_AMPM in f:
        f.setdefault(HOUR_AMPM, f[CLOCK_AMPM] % 12)
    if AMPM in f and HOUR_AMPM in f:
        f.setdefault(HOUR, f[AMPM] * 12 + f[HOUR_AMPM])
    hour = f.get(HOUR)
    if hour is None:
        return None
    minute: int | None = f.get(MINUTE)
    second: int | None = f.get(SECOND)
    nano: int | None = f.get(NANO)
    if (minute is None and (second is not None or nano is not None)) or (
        minute is not None and second is None and nano is not None
    ):
        return None
    return hour, minute or 0, second or 0, nano or 0


def _java_year(res: Resolved) -> int | None:
    """The year Java's STRICT resolver sees: year-of-era counts only with an era."""
    f = res.fields
    if YEAR in f:
        return f[YEAR]
    if YEAR_OF_ERA in f and ERA in f:
        yoe = f[YEAR_OF_ERA]
        return yoe if f[ERA] == 1 else 1 - yoe
    return None


def es_year(res: Resolved) -> int | None:
    """ES ``getYear``: year, else the raw year-of-era (no era needed)."""
    f = res.fields
    if res.date is not None:
        return res.date.year
    return f.get(YEAR, f.get(YEAR_OF_ERA))


Fail = Callable[[str], JavaTimeError]


def _resolve_date(res: Resolved) -> date | None:
    """Dates java.time itself resolves (failures are parse errors of the formatter)."""
    f = res.fields
    year = _java_year(res)
    if year is not None:
        built = _year_date(year, f, res.error)
        if built is not None:
            return built
    if WEEK_YEAR in f and WEEK_OF_YEAR in f and (LOCAL_DOW in f or DOW in f):
        return _week_date(res, res.error)
    return None


def _year_date(year: int, f: dict[str, int], fail: Fail) -> date | None:
    if MONTH in f and DAY in f:
        return _ymd(year, f[MONTH], f[DAY], fail)
    if DOY in f:
        if f[DOY] == 366 and not calendar.isleap(year):
            raise fail(f"Invalid date 'DayOfYear 366' as '{year}' is not a leap year")
        return _checked(fail, lambda: date(year, 1, 1) + timedelta(days=f[DOY] - 1))
    return None


def _week_date(res: Resolved, fail: Fail) -> date:
    f = res.fields
    dow = f.get(LOCAL_DOW, f.get(DOW, 1))
    week = f.get(WEEK_OF_YEAR, 1)
    return _checked(fail, lambda: date.fromisocalendar(f[WEEK_YEAR], week, dow))


def _checked(fail: Fail, build: Callable[[], date]) -> date:
    try:
        return build()
    except (ValueError, OverflowError) as err:
        raise fail(str(err)) from None


def _ymd(year: int, month: int, day: int, fail: Fail) -> date:
    if day > 28 and day > calendar.monthrange(year if 1 <= year <= 9999 else 2000, month)[1]:
        if month == 2 and day == 29:
            raise fail(f"Invalid date 'February 29' as '{year}' is not a leap year")
        raise fail(f"Invalid date '{_MONTH_NAMES[month]} {day}'")
    return _checked(fail, lambda: date(year, month, day))


def to_moment(res: Resolved, default_zone: tzinfo) -> Moment:
    """ES ``DateFormatters.from(accessor, locale, zone)``: fill in what is missing."""
    zone = res.zone if res.zone is not None else default_zone
    f = res.fields
    day = res.date
    year = es_year(res)
    if day is None and year is not None:  # ES's LOCAL_DATE_QUERY (year-of-era without era)
        day = _year_date(year, f, JavaTimeError)
    if day is not None and res.time is not None:
        return local_moment(day, res.time, zone)
    if INSTANT in f:
        return instant_moment(f[INSTANT], f.get(NANO, 0), zone)
    if day is None:
        day = _es_fallback_date(res, year)
    return local_moment(day, res.time or (0, 0, 0, 0), zone)


def _es_fallback_date(res: Resolved, year: int | None) -> date:
    f = res.fields
    if res.time is not None or (year is None and MONTH in f):
        return _es_local_date(res, year)
    if year is not None:
        return _checked(JavaTimeError, lambda: date(year, f.get(MONTH, 1), 1))
    if WEEK_YEAR in f:
        return _week_date(res, JavaTimeError)
    raise JavaTimeError(f"temporal accessor [{res.text}] cannot be converted to zoned date time")


def _es_local_date(res: Resolved, year: int | None) -> date:
    """ES ``getLocalDate``: week-based date, else year/month/day with 1970 defaults."""
    f = res.fields
    if WEEK_YEAR in f:
        return _week_date(res, JavaTimeError)
    if MONTH in f:
        return _ymd(year or 1970, f[MONTH], f.get(DAY, 1), JavaTimeError)
    return date(1970, 1, 1)


def local_moment(day: date, time: Time, zone: tzinfo) -> Moment:
    """``ZonedDateTime.of(local, zone)``: gaps move forward, overlaps take the earlier offset."""
    hour, minute, second, nano = time
    try:
        naive = datetime(day.year, day.month, day.day, hour, minute, second, nano // 1000)
        local = naive.replace(tzinfo=zone)
        return Moment(local.astimezone(UTC).astimezone(zone), nano)
    except (ValueError, OverflowError) as err:
        raise DateTimeParseError(f"Invalid date-time: {err}") from None


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_Z = datetime(1970, 1, 1, tzinfo=ZONE_UTC)


def instant_moment(seconds: int, nano: int, zone: tzinfo) -> Moment:
    try:
        if zone is ZONE_UTC:  # no conversion needed: the same fields astimezone would give
            return Moment(_EPOCH_Z + timedelta(0, seconds, nano // 1000), nano)
        dt = _EPOCH + timedelta(0, seconds, nano // 1000)
        return Moment(dt.astimezone(zone), nano)
    except (ValueError, OverflowError) as err:
        raise DateTimeParseError(f"Instant exceeds minimum or maximum instant: {err}") from None


def with_current_year(res: Resolved, zone: tzinfo) -> Moment:
    """The ingest date processor's rule for inputs without a year (DateFormat.Java)."""
    now_year = datetime.now(UTC).year
    f = res.fields
    nano = f.get(NANO, res.time[3] if res.time else 0) if res.supports(NANO) else 0
    time = res.time[:3] if res.time is not None else None
    if time is None and HOUR in f:
        time = (f[HOUR], 0, 0)
    month = f.get(MONTH, 1)
    day = min(f.get(DAY, 1), calendar.monthrange(now_year, month)[1])
    hms = time or (0, 0, 0)
    return local_moment(date(now_year, month, day), (*hms, nano), zone)

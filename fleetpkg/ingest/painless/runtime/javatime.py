"""Minimal java.time: Instant, ZonedDateTime, ZoneId/ZoneOffset, Duration, ChronoUnit and
DateTimeFormatter, modelled on Python datetimes (patterns via fleetpkg.ingest.javatime)."""

from __future__ import annotations

import contextlib
import time
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

from ..errors import JavaThrowable
from ..jtypes import as_long, to_string
from .registry import fields, method, static

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_NANOS = {
    "NANOS": 1,
    "MICROS": 10**3,
    "MILLIS": 10**6,
    "SECONDS": 10**9,
    "MINUTES": 60 * 10**9,
    "HOURS": 3600 * 10**9,
    "HALF_DAYS": 43200 * 10**9,
    "DAYS": 86400 * 10**9,
    "WEEKS": 7 * 86400 * 10**9,
}
_MONTHS = {"MONTHS": 1, "YEARS": 12, "DECADES": 120, "CENTURIES": 1200}


def _jt() -> Any:
    from ... import javatime

    return javatime


def _err(e: Exception) -> JavaThrowable:
    name = "DateTimeParseException" if "parse" in str(e).lower() else "DateTimeException"
    return JavaThrowable(name, _message(e))


def _message(e: Exception) -> str | None:
    """The java.time engine's (Java-worded) message; Python's own are never shown."""
    if type(e).__module__ == "builtins":
        return None
    return str(getattr(e, "message", e))


class JEnum:
    __slots__ = ("name", "value")
    java_class = "java.lang.Enum"

    def __init__(self, name: str, value: int) -> None:
        self.name, self.value = name, value

    def to_java_string(self) -> str:
        return self.name

    def to_plain(self) -> str:
        return self.name


UNITS = {n: JEnum(n, i) for i, n in enumerate([*_NANOS, *_MONTHS])}
DAYS = [
    JEnum(d, i + 1)
    for i, d in enumerate(
        ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"]
    )
]
fields("ChronoUnit", **UNITS)
method(JEnum, "getValue", 0)(lambda e: e.value)
method(JEnum, "name", 0)(lambda e: e.name)


class JInstant:
    java_class = "java.time.Instant"
    __slots__ = ("nanos",)

    def __init__(self, nanos: int) -> None:
        self.nanos = nanos

    def to_java_string(self) -> str:
        return _iso(self.zoned(_utc()), instant=True)

    def to_plain(self) -> str:
        return self.zoned(_utc()).to_plain()

    def zoned(self, zone: tzinfo) -> JZoned:
        sec, nano = divmod(self.nanos, 10**9)
        return JZoned((_EPOCH + timedelta(seconds=sec)).astimezone(zone), nano)

    def compare_to(self, other: Any) -> int:
        return int(self.nanos > other.nanos) - int(self.nanos < other.nanos)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, JInstant) and other.nanos == self.nanos

    __hash__ = None  # type: ignore[assignment]


class JZoned:
    java_class = "java.time.ZonedDateTime"
    __slots__ = ("dt", "nano")

    def __init__(self, dt: datetime, nano: int) -> None:
        self.dt = dt.replace(microsecond=0)
        self.nano = nano

    @property
    def nanos(self) -> int:
        return int((self.dt - _EPOCH).total_seconds()) * 10**9 + self.nano

    def to_java_string(self) -> str:
        return _iso(self)

    def to_plain(self) -> str:
        return es_timestamp(self)

    def compare_to(self, other: Any) -> int:
        return int(self.nanos > other.nanos) - int(self.nanos < other.nanos)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, JZoned) and other.nanos == self.nanos and other.dt == self.dt

    __hash__ = None  # type: ignore[assignment]

    def plus(self, amount: int, unit: str) -> JZoned:
        if unit in _MONTHS:
            months = self.dt.month - 1 + amount * _MONTHS[unit]
            year, month = self.dt.year + months // 12, months % 12 + 1
            day = min(self.dt.day, _month_days(year, month))
            return JZoned(self.dt.replace(year=year, month=month, day=day), self.nano)
        if unit in ("DAYS", "WEEKS", "HALF_DAYS") and unit != "HALF_DAYS":
            naive = self.dt.replace(tzinfo=None) + timedelta(
                days=amount * (7 if unit == "WEEKS" else 1)
            )
            return JZoned(naive.replace(tzinfo=self.dt.tzinfo), self.nano)
        return JInstant(self.nanos + amount * _NANOS[unit]).zoned(self.dt.tzinfo or _utc())


def es_timestamp(z: JZoned) -> str:
    """How ES writes a java.time value into a document (XContentBuilder's date transformers):
    ``strict_date_optional_time_nanos``, i.e. at least 3 fractional digits, e.g.
    ``2018-10-10T12:35:00.000Z``."""
    moment = _jt().Moment(z.dt.replace(microsecond=z.nano // 1000), z.nano)
    return str(_jt().compile_formatter("strict_date_optional_time_nanos").format(moment))


def _month_days(year: int, month: int) -> int:
    nxt = datetime(year + month // 12, month % 12 + 1, 1)
    return (nxt - timedelta(days=1)).day


def _utc() -> tzinfo:
    zone: tzinfo = _jt().UTC
    return zone


def _fraction(nano: int) -> str:
    if nano == 0:
        return ""
    text = f"{nano:09d}"
    for size in (3, 6):
        if text[size:] == "0" * (9 - size):
            return "." + text[:size]
    return "." + text


def _iso(z: JZoned, instant: bool = False) -> str:
    dt = z.dt
    if instant:
        dt = dt.astimezone(UTC)
    base = f"{dt.year:04d}-{dt.month:02d}-{dt.day:02d}T{dt.hour:02d}:{dt.minute:02d}"
    if instant or dt.second or z.nano:
        base += f":{dt.second:02d}" + _fraction(z.nano)
    if instant:
        return base + "Z"
    off = dt.utcoffset() or timedelta(0)
    jt = _jt()
    from ...javatime.zones import offset_id

    text = base + offset_id(int(off.total_seconds()))
    zid = jt.zone_id(dt.tzinfo)
    return text if zid == offset_id(int(off.total_seconds())) else f"{text}[{zid}]"


def _zone(z: Any) -> tzinfo:
    if isinstance(z, tzinfo):
        return z
    try:
        return _jt().zone_of(to_string(z))  # type: ignore[no-any-return]
    except Exception as e:
        raise _err(e) from None


# ---- statics -----------------------------------------------------------------------------
static("Instant", "ofEpochMilli", 1)(lambda ms: JInstant(int(ms) * 10**6))
static("Instant", "ofEpochSecond", 1, 2)(lambda s, n=0: JInstant(int(s) * 10**9 + int(n)))
static("Instant", "now", 0)(lambda: JInstant(time.time_ns()))
static("Instant", "parse", 1)(lambda s: JInstant(_parse(s, None, None).nanos))
static("ZonedDateTime", "now", 0, 1)(lambda z=None: JInstant(time.time_ns()).zoned(_zone(z or "Z")))
static("ZonedDateTime", "ofInstant", 2)(lambda i, z: i.zoned(_zone(z)))
static("ZonedDateTime", "parse", 1, 2)(lambda s, f=None: _parse(s, f, None))
_MONTH_NAMES = [
    "JANUARY",
    "FEBRUARY",
    "MARCH",
    "APRIL",
    "MAY",
    "JUNE",
    "JULY",
    "AUGUST",
    "SEPTEMBER",
    "OCTOBER",
    "NOVEMBER",
    "DECEMBER",
]


def civil(y: Any, mo: Any, d: Any, h: Any = 0, mi: Any = 0, s: Any = 0, n: Any = 0) -> datetime:
    """``LocalDate.of`` + ``LocalTime.of``: the fields checked in Java's order, Java's messages."""
    for field, value, lo, hi in (
        ("Year", y, 1, 9999),  # Java allows ±999999999; Python's datetime does not
        ("MonthOfYear", mo, 1, 12),
        ("DayOfMonth", d, 1, 31),
    ):
        if not lo <= int(value) <= hi:
            raise _range_error(field, value, lo, "28/31" if field == "DayOfMonth" else hi)
    if int(d) > _month_days(int(y), int(mo)):
        month = _MONTH_NAMES[int(mo) - 1]
        if int(mo) == 2 and int(d) == 29:
            raise JavaThrowable(
                "DateTimeException", f"Invalid date 'February 29' as '{int(y)}' is not a leap year"
            )
        raise JavaThrowable("DateTimeException", f"Invalid date '{month} {int(d)}'")
    for field, value, hi in (
        ("HourOfDay", h, 23),
        ("MinuteOfHour", mi, 59),
        ("SecondOfMinute", s, 59),
        ("NanoOfSecond", n, 999999999),
    ):
        if not 0 <= int(value) <= hi:
            raise _range_error(field, value, 0, hi)
    return datetime(int(y), int(mo), int(d), int(h), int(mi), int(s))


def _range_error(field: str, value: Any, lo: int, hi: Any) -> JavaThrowable:
    return JavaThrowable(
        "DateTimeException", f"Invalid value for {field} (valid values {lo} - {hi}): {int(value)}"
    )


static("ZonedDateTime", "of", 8)(
    lambda y, mo, d, h, mi, s, n, z: JZoned(
        civil(y, mo, d, h, mi, s, n).replace(tzinfo=_zone(z)), int(n)
    )
)
static("ZoneId", "of", 1)(_zone)
static("ZoneOffset", "of", 1)(_zone)
static("ZoneOffset", "ofHours", 1)(lambda h: _zone(f"{'+' if h >= 0 else '-'}{abs(h):02d}:00"))
fields("ZoneOffset", UTC=None)


def _init_zone_fields() -> None:
    with contextlib.suppress(ImportError):  # the javatime helpers may be missing
        fields("ZoneOffset", UTC=_utc())


_init_zone_fields()


def _offset(z: JZoned) -> tzinfo:
    from ...javatime.zones import zone_offset

    off = z.dt.utcoffset() or timedelta(0)
    zone: tzinfo = zone_offset(int(off.total_seconds()))
    return zone


class JFormatter:
    java_class = "java.time.format.DateTimeFormatter"

    def __init__(self, name: str, zone: tzinfo | None = None) -> None:
        self.name, self.zone = name, zone

    def format(self, z: Any) -> str:
        if isinstance(z, JInstant):
            z = z.zoned(self.zone or _utc())
        if self.name == "ISO_INSTANT":
            return _iso(z, instant=True)
        if self.name in ("ISO_OFFSET_DATE_TIME", "ISO_ZONED_DATE_TIME", "ISO_DATE_TIME"):
            text = _iso(JZoned(z.dt, z.nano))
            return text if self.name != "ISO_OFFSET_DATE_TIME" else text.split("[")[0]
        if self.name == "ISO_LOCAL_DATE":
            return str(z.dt.strftime("%Y-%m-%d"))
        moment = _jt().Moment(z.dt.replace(microsecond=z.nano // 1000), z.nano)
        try:
            return str(_jt().compile_formatter(self.name).format(moment))
        except Exception as e:
            raise _err(e) from None


_ISO = {
    "ISO_INSTANT": "strict_date_optional_time",
    "ISO_OFFSET_DATE_TIME": "strict_date_time",
    "ISO_ZONED_DATE_TIME": "strict_date_optional_time",
    "ISO_DATE_TIME": "strict_date_optional_time",
    "ISO_LOCAL_DATE": "strict_date",
    "ISO_LOCAL_DATE_TIME": "strict_date_optional_time",
}
fields("DateTimeFormatter", **{k: JFormatter(k) for k in _ISO})
static("DateTimeFormatter", "ofPattern", 1, 2)(lambda p, loc=None: JFormatter(to_string(p)))


def _parse(text: Any, fmt: Any, zone: tzinfo | None) -> JZoned:
    name = "strict_date_optional_time" if fmt is None else _ISO.get(fmt.name, fmt.name)
    try:
        m = _jt().compile_formatter(name).parse(to_string(text), zone or _utc())
    except Exception as e:
        message = _message(e) or f"Text '{to_string(text)}' could not be parsed"
        raise JavaThrowable("DateTimeParseException", message) from None
    return JZoned(m.dt, m.nano)


method(JFormatter, "format", 1)(JFormatter.format)
method(JFormatter, "withZone", 1)(lambda f, z: JFormatter(f.name, _zone(z)))
method(JFormatter, "parse", 1)(lambda f, s: _parse(s, f, f.zone))

# ---- instance methods --------------------------------------------------------------------
method(JInstant, "toEpochMilli", 0)(lambda i: as_long(i.nanos // 10**6))
method(JInstant, "getEpochSecond", 0)(lambda i: as_long(i.nanos // 10**9))
method(JInstant, "getNano", 0)(lambda i: i.nanos % 10**9)
method(JInstant, "atZone", 1)(lambda i, z: i.zoned(_zone(z)))
method(JInstant, "plusMillis", 1)(lambda i, n: JInstant(i.nanos + n * 10**6))
method(JInstant, "plusSeconds", 1)(lambda i, n: JInstant(i.nanos + n * 10**9))
method(JInstant, "minusMillis", 1)(lambda i, n: JInstant(i.nanos - n * 10**6))
method(JInstant, "minusSeconds", 1)(lambda i, n: JInstant(i.nanos - n * 10**9))
method(JInstant, "plus", 2)(lambda i, n, u: JInstant(i.nanos + n * _NANOS[u.name]))
method(JInstant, "minus", 2)(lambda i, n, u: JInstant(i.nanos - n * _NANOS[u.name]))
for _cls in (JInstant, JZoned):
    method(_cls, "isBefore", 1)(lambda a, b: a.nanos < b.nanos)
    method(_cls, "isAfter", 1)(lambda a, b: a.nanos > b.nanos)
    method(_cls, "compareTo", 1)(lambda a, b: a.compare_to(b))
    method(_cls, "toEpochMilli", 0)(lambda a: as_long(a.nanos // 10**6))

_GETTERS = {
    "getYear": lambda z: z.dt.year,
    "getMonthValue": lambda z: z.dt.month,
    "getDayOfMonth": lambda z: z.dt.day,
    "getHour": lambda z: z.dt.hour,
    "getMinute": lambda z: z.dt.minute,
    "getSecond": lambda z: z.dt.second,
    "getNano": lambda z: z.nano,
    "getDayOfYear": lambda z: z.dt.timetuple().tm_yday,
    "getDayOfWeek": lambda z: DAYS[z.dt.weekday()],
    "getZone": lambda z: z.dt.tzinfo,
    "toInstant": lambda z: JInstant(z.nanos),
    "toEpochSecond": lambda z: as_long(z.nanos // 10**9),
    "getOffset": _offset,
}
for _name, _fn in _GETTERS.items():
    method(JZoned, _name, 0)(_fn)
for _unit in ("Years", "Months", "Weeks", "Days", "Hours", "Minutes", "Seconds", "Nanos"):
    _u = _unit.upper()
    method(JZoned, "plus" + _unit, 1)(lambda z, n, u=_u: z.plus(int(n), u))
    method(JZoned, "minus" + _unit, 1)(lambda z, n, u=_u: z.plus(-int(n), u))
method(JZoned, "plus", 2)(lambda z, n, u: z.plus(int(n), u.name))
method(JZoned, "minus", 2)(lambda z, n, u: z.plus(-int(n), u.name))
method(JZoned, "format", 1)(lambda z, f: f.format(z))
method(JZoned, "withZoneSameInstant", 1)(lambda z, zone: JInstant(z.nanos).zoned(_zone(zone)))
method(JZoned, "truncatedTo", 1)(
    lambda z, u: JInstant(
        z.nanos - (z.nanos + int(z.dt.utcoffset().total_seconds()) * 10**9) % _NANOS[u.name]
    ).zoned(z.dt.tzinfo)
)
method(tzinfo, "getId", 0)(lambda tz: _jt().zone_id(tz))
method(tzinfo, "toString", 0)(lambda tz: _jt().zone_id(tz))


def _month_diff(a: Any, b: Any, unit: str) -> int:
    months = (b.dt.year - a.dt.year) * 12 + b.dt.month - a.dt.month
    if months > 0 and (b.dt.day, b.dt.time()) < (a.dt.day, a.dt.time()):
        months -= 1
    elif months < 0 and (b.dt.day, b.dt.time()) > (a.dt.day, a.dt.time()):
        months += 1
    return as_long(int(months / _MONTHS[unit]))

"""java.time extras: Duration, ChronoUnit.between, LocalDateTime and LocalDate."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from ..errors import JavaThrowable
from ..jtypes import as_long, to_string
from .javatime import (
    _GETTERS,
    _NANOS,
    JEnum,
    JFormatter,
    JInstant,
    JZoned,
    _fraction,
    _iso,
    _month_diff,
    _parse,
    _zone,
    civil,
    es_timestamp,
)
from .registry import method, static


# ---- Duration / ChronoUnit ---------------------------------------------------------------
class JDuration:
    java_class = "java.time.Duration"
    __slots__ = ("nanos",)

    def __init__(self, nanos: int) -> None:
        self.nanos = nanos

    def to_plain(self) -> str:
        return self.to_java_string()  # ES writes Duration.toString()

    def to_java_string(self) -> str:
        sec, nano = divmod(self.nanos, 10**9)
        h, rem = divmod(sec, 3600)
        m, s = divmod(rem, 60)
        out = "PT" + (f"{h}H" if h else "") + (f"{m}M" if m else "")
        if s or nano or out == "PT":
            out += f"{s}{_fraction(nano).rstrip('0')}S"
        return out


for _unit, _n in (
    ("Nanos", 1),
    ("Millis", 10**6),
    ("Seconds", 10**9),
    ("Minutes", 60 * 10**9),
    ("Hours", 3600 * 10**9),
    ("Days", 86400 * 10**9),
):
    static("Duration", "of" + _unit, 1)(lambda v, k=_n: JDuration(int(v) * k))
    method(JDuration, "to" + _unit, 0)(lambda d, k=_n: as_long(d.nanos // k))
static("Duration", "between", 2)(lambda a, b: JDuration(b.nanos - a.nanos))
method(JDuration, "getSeconds", 0)(lambda d: as_long(d.nanos // 10**9))
method(JDuration, "getNano", 0)(lambda d: d.nanos % 10**9)
method(JDuration, "plus", 1)(lambda d, o: JDuration(d.nanos + o.nanos))
method(JDuration, "isNegative", 0)(lambda d: d.nanos < 0)
method(JEnum, "between", 2)(
    lambda u, a, b: (
        as_long((b.nanos - a.nanos) // _NANOS[u.name])
        if u.name in _NANOS
        else _month_diff(a, b, u.name)
    )
)


class JLocal:
    """LocalDateTime / LocalDate: a wall-clock time (naive datetime) without a zone."""

    java_class = "java.time.LocalDateTime"
    __slots__ = ("date_only", "dt", "nano")

    def __init__(self, dt: datetime, nano: int, date_only: bool = False) -> None:
        self.dt, self.nano, self.date_only = dt.replace(microsecond=0, tzinfo=None), nano, date_only

    def to_java_string(self) -> str:
        if self.date_only:
            return f"{self.dt.year:04d}-{self.dt.month:02d}-{self.dt.day:02d}"
        return _iso(JZoned(self.dt.replace(tzinfo=UTC), self.nano)).removesuffix("Z")

    def to_plain(self) -> str:
        if self.date_only:
            return self.to_java_string()  # ES writes LocalDate.toString()
        # LocalDateTime: strict_date_optional_time_nanos, without a zone
        return es_timestamp(JZoned(self.dt.replace(tzinfo=UTC), self.nano)).removesuffix("Z")

    def at_zone(self, zone: Any) -> JZoned:
        tz = _zone(zone)
        return JZoned(self.dt.replace(tzinfo=tz), self.nano)


def _parse_local(text: Any, fmt: Any, date_only: bool) -> JLocal:
    if fmt is None:
        fmt = JFormatter("ISO_LOCAL_DATE" if date_only else "ISO_LOCAL_DATE_TIME")
    z = _parse(text, fmt, None)
    return JLocal(z.dt, z.nano, date_only)


static("LocalDateTime", "parse", 1, 2)(lambda s, f=None: _parse_local(s, f, False))
static("LocalDate", "parse", 1, 2)(lambda s, f=None: _parse_local(s, f, True))
static("LocalDateTime", "of", 5, 6)(
    lambda y, mo, d, h, mi, s=0: JLocal(civil(y, mo, d, h, mi, s), 0)
)
static("LocalDate", "of", 3)(lambda y, mo, d: JLocal(civil(y, mo, d), 0, True))
method(JLocal, "atZone", 1)(JLocal.at_zone)
method(JLocal, "atStartOfDay", 1)(JLocal.at_zone)
method(JLocal, "atOffset", 1)(JLocal.at_zone)
method(JLocal, "format", 1)(lambda loc, f: f.format(JZoned(loc.dt.replace(tzinfo=UTC), loc.nano)))
method(JLocal, "toLocalDate", 0)(lambda loc: JLocal(loc.dt, 0, True))
for _name, _fn in _GETTERS.items():
    if _name.startswith("get") and _name not in ("getZone", "getOffset"):
        method(JLocal, _name, 0)(_fn)
for _unit in ("Years", "Months", "Weeks", "Days", "Hours", "Minutes", "Seconds", "Nanos"):
    _u = _unit.upper()
    method(JLocal, "plus" + _unit, 1)(lambda loc, n, u=_u: _shift_local(loc, int(n), u))
    method(JLocal, "minus" + _unit, 1)(lambda loc, n, u=_u: _shift_local(loc, -int(n), u))
method(JInstant, "plusNanos", 1)(lambda i, n: JInstant(i.nanos + int(n)))
method(JInstant, "minusNanos", 1)(lambda i, n: JInstant(i.nanos - int(n)))
method(JInstant, "plus", 1)(lambda i, d: JInstant(i.nanos + _duration(d).nanos))
method(JInstant, "minus", 1)(lambda i, d: JInstant(i.nanos - _duration(d).nanos))
method(JZoned, "plus", 1)(lambda z, d: z.plus(_duration(d).nanos, "NANOS"))
method(JZoned, "minus", 1)(lambda z, d: z.plus(-_duration(d).nanos, "NANOS"))
method(JZoned, "toLocalDateTime", 0)(lambda z: JLocal(z.dt, z.nano))
method(JZoned, "toLocalDate", 0)(lambda z: JLocal(z.dt, 0, True))


def _duration(d: Any) -> JDuration:
    if not isinstance(d, JDuration):
        raise JavaThrowable(
            "UnsupportedTemporalTypeException", f"Unsupported amount: {to_string(d)}"
        )
    return d


def _shift_local(loc: JLocal, n: int, unit: str) -> JLocal:
    z = JZoned(loc.dt.replace(tzinfo=UTC), loc.nano).plus(n, unit)
    return JLocal(z.dt, z.nano, loc.date_only)

"""Go ``time`` layouts (``2006-01-02T15:04:05Z07:00``): format and parse, as mito's
``format`` and ``parse_time`` use them."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

LAYOUTS = {
    "Layout": "01/02 03:04:05PM '06 -0700",
    "ANSIC": "Mon Jan _2 15:04:05 2006",
    "UnixDate": "Mon Jan _2 15:04:05 MST 2006",
    "RubyDate": "Mon Jan 02 15:04:05 -0700 2006",
    "RFC822": "02 Jan 06 15:04 MST",
    "RFC822Z": "02 Jan 06 15:04 -0700",
    "RFC850": "Monday, 02-Jan-06 15:04:05 MST",
    "RFC1123": "Mon, 02 Jan 2006 15:04:05 MST",
    "RFC1123Z": "Mon, 02 Jan 2006 15:04:05 -0700",
    "RFC3339": "2006-01-02T15:04:05Z07:00",
    "RFC3339Nano": "2006-01-02T15:04:05.999999999Z07:00",
    "Kitchen": "3:04PM",
    "Stamp": "Jan _2 15:04:05",
    "StampMilli": "Jan _2 15:04:05.000",
    "StampMicro": "Jan _2 15:04:05.000000",
    "StampNano": "Jan _2 15:04:05.000000000",
    "DateTime": "2006-01-02 15:04:05",
    "DateOnly": "2006-01-02",
    "TimeOnly": "15:04:05",
}

_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_TOKEN = re.compile(
    r"January|Jan|Monday|Mon|MST|2006|Z07:00|Z0700|Z07|-07:00|-0700|-07|"
    r"[.,](?:0+|9+)(?!\d)|002|_2|01|02|03|04|05|06|15|PM|pm|1|2|3|4|5"
)


def _tokens(layout: str) -> list[tuple[bool, str]]:
    out: list[tuple[bool, str]] = []
    pos = 0
    for match in _TOKEN.finditer(layout):
        if match.start() > pos:
            out.append((False, layout[pos : match.start()]))
        out.append((True, match.group()))
        pos = match.end()
    if pos < len(layout):
        out.append((False, layout[pos:]))
    return out


def _offset(when: datetime, token: str) -> str:
    delta = when.utcoffset() or timedelta(0)
    seconds = int(delta.total_seconds())
    if token.startswith("Z") and seconds == 0:
        return "Z"
    sign = "-" if seconds < 0 else "+"
    hours, minutes = divmod(abs(seconds) // 60, 60)
    if token in ("Z07:00", "-07:00"):
        return f"{sign}{hours:02d}:{minutes:02d}"
    if token in ("Z0700", "-0700"):
        return f"{sign}{hours:02d}{minutes:02d}"
    return f"{sign}{hours:02d}"


def format_time(when: datetime, layout: str, nanos: int | None = None) -> str:
    """``when`` formatted like Go's ``Time.Format(layout)``."""
    ns = when.microsecond * 1000 if nanos is None else nanos
    out = []
    for is_token, text in _tokens(layout):
        if not is_token:
            out.append(text)
            continue
        out.append(_format_token(when, text, ns))
    return "".join(out)


def _format_token(when: datetime, token: str, ns: int) -> str:
    simple = {
        "January": _MONTHS[when.month - 1],
        "Jan": _MONTHS[when.month - 1][:3],
        "Monday": _DAYS[when.weekday()],
        "Mon": _DAYS[when.weekday()][:3],
        "MST": when.tzname() or "UTC",
        "2006": f"{when.year:04d}",
        "06": f"{when.year % 100:02d}",
        "01": f"{when.month:02d}",
        "1": str(when.month),
        "02": f"{when.day:02d}",
        "2": str(when.day),
        "_2": f"{when.day:2d}",
        "002": f"{when.timetuple().tm_yday:03d}",
        "15": f"{when.hour:02d}",
        "03": f"{(when.hour % 12) or 12:02d}",
        "3": str((when.hour % 12) or 12),
        "04": f"{when.minute:02d}",
        "4": str(when.minute),
        "05": f"{when.second:02d}",
        "5": str(when.second),
        "PM": "PM" if when.hour >= 12 else "AM",
        "pm": "pm" if when.hour >= 12 else "am",
    }
    if token in simple:
        return simple[token]
    if token[0] in ".,":
        digits = f"{ns:09d}"[: len(token) - 1]
        if token[1] == "9":
            digits = digits.rstrip("0")
            return token[0] + digits if digits else ""
        return token[0] + digits
    return _offset(when, token)


def parse_time(text: str, layout: str) -> tuple[datetime, int]:
    """Parse like Go's ``time.Parse``; returns the time (UTC when no zone) and its nanoseconds."""
    pattern: list[str] = []
    names: list[tuple[str, str]] = []
    tokens = _tokens(layout)
    has_frac = any(t and p[0] in ".," for t, p in tokens)
    for is_token, part in tokens:
        if not is_token:
            pattern.append(re.escape(part))
            continue
        if part[0] in ".,":
            pattern.append(r"(?:[.,](?P<frac>\d+))?" if part[1] == "9" else r"[.,](?P<frac>\d+)")
            continue
        group = f"g{len(names)}"
        names.append((group, part))
        pattern.append(f"(?P<{group}>{_PARSE.get(part, r'[^ ]+')})")
        if part in ("05", "5") and not has_frac:  # Go accepts a fraction after the seconds
            pattern.append(r"(?:[.,](?P<frac>\d+))?")
    match = re.fullmatch("".join(pattern), text)
    if match is None:
        raise ValueError(f'parsing time "{text}" as "{layout}": cannot parse')
    year, month, day, hour, minute, second = 1, 1, 1, 0, 0, 0
    pm: bool | None = None
    tz: timezone = UTC
    for group, token in names:
        value = match.group(group)
        if token == "2006":
            year = int(value)
        elif token == "06":
            year = 2000 + int(value) if int(value) < 69 else 1900 + int(value)
        elif token in ("01", "1"):
            month = int(value)
        elif token in ("Jan", "January"):
            month = [m[: len(value)] for m in _MONTHS].index(value) + 1
        elif token in ("02", "2", "_2"):
            day = int(value)
        elif token in ("15", "03", "3"):
            hour = int(value)
        elif token in ("04", "4"):
            minute = int(value)
        elif token in ("05", "5"):
            second = int(value)
        elif token in ("PM", "pm"):
            pm = value.upper() == "PM"
        elif token in ("Z07:00", "Z0700", "Z07", "-07:00", "-0700", "-07"):
            tz = _zone(value)
    if pm is not None:
        hour = hour % 12 + (12 if pm else 0)
    frac = match.groupdict().get("frac") or ""
    nanos = int((frac + "000000000")[:9]) if frac else 0
    when = datetime(year, month, day, hour, minute, second, nanos // 1000, tzinfo=tz)
    return when, nanos


_PARSE = {
    "2006": r"\d{4}",
    "06": r"\d{2}",
    "01": r"\d{2}",
    "1": r"\d{1,2}",
    "02": r"\d{2}",
    "2": r"\d{1,2}",
    "_2": r" ?\d{1,2}",
    "15": r"\d{2}",
    "03": r"\d{2}",
    "3": r"\d{1,2}",
    "04": r"\d{2}",
    "4": r"\d{1,2}",
    "05": r"\d{2}",
    "5": r"\d{1,2}",
    "PM": r"AM|PM",
    "pm": r"am|pm",
    "Jan": r"[A-Z][a-z]{2}",
    "January": r"[A-Z][a-z]+",
    "Mon": r"[A-Z][a-z]{2}",
    "Monday": r"[A-Z][a-z]+",
    "MST": r"[A-Z]{3,4}|[+-]\d{2,4}",
    "Z07:00": r"Z|[+-]\d{2}:\d{2}",
    "Z0700": r"Z|[+-]\d{4}",
    "Z07": r"Z|[+-]\d{2}",
    "-07:00": r"[+-]\d{2}:\d{2}",
    "-0700": r"[+-]\d{4}",
    "-07": r"[+-]\d{2}",
}


def _zone(value: str) -> timezone:
    if value == "Z":
        return UTC
    digits = value[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    delta = timedelta(hours=hours, minutes=minutes)
    return timezone(-delta if value[0] == "-" else delta)


def go_duration(seconds: float) -> str:
    """Go's ``Duration.String`` (``1h2m3.5s``, ``0s``)."""
    if seconds == 0:
        return "0s"
    sign = "-" if seconds < 0 else ""
    total = abs(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    text = f"{secs:.9f}".rstrip("0").rstrip(".") + "s"
    if hours:
        return f"{sign}{int(hours)}h{int(minutes)}m{text}"
    if minutes:
        return f"{sign}{int(minutes)}m{text}"
    return sign + text

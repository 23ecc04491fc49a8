"""Java ``ZoneId`` semantics on top of ``zoneinfo``: ids, fixed offsets, region lookups."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, tzinfo
from functools import cache, lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from .errors import JavaTimeError, ZoneRulesError

_REGION_ID = re.compile(r"[A-Za-z][A-Za-z0-9~/._+-]+")
_OFFSET_SHAPE = re.compile(r"\d{1,2}|\d\d:\d\d|\d{4}|\d{6}|\d\d:\d\d:\d\d")
_OFFSET = re.compile(r"([+-])(\d{1,2})(?::?(\d{2})(?::?(\d{2}))?)?")


class FixedZone(tzinfo):
    """A zone with one offset: Java's ``ZoneOffset`` or a prefixed region like ``GMT+01:00``."""

    __slots__ = ("_delta", "is_offset", "seconds", "zone_id")

    def __init__(self, seconds: int, zone_id: str, *, is_offset: bool = True) -> None:
        self.seconds = seconds
        self.zone_id = zone_id
        self.is_offset = is_offset
        self._delta = timedelta(seconds=seconds)

    def utcoffset(self, dt: datetime | None) -> timedelta:
        return self._delta

    def dst(self, dt: datetime | None) -> timedelta:
        return timedelta(0)

    def tzname(self, dt: datetime | None) -> str:
        return self.zone_id

    def __repr__(self) -> str:
        return f"FixedZone({self.zone_id!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FixedZone) and other.zone_id == self.zone_id

    def __hash__(self) -> int:
        return hash(self.zone_id)


UTC = FixedZone(0, "Z")


def offset_id(seconds: int) -> str:
    """``ZoneOffset.getId()``: "Z" or "+hh:mm[:ss]"."""
    if seconds == 0:
        return "Z"
    sign = "-" if seconds < 0 else "+"
    total = abs(seconds)
    h, rem = divmod(total, 3600)
    m, s = divmod(rem, 60)
    return f"{sign}{h:02d}:{m:02d}" + (f":{s:02d}" if s else "")


@lru_cache(maxsize=256)
def zone_offset(seconds: int) -> FixedZone:
    """``ZoneOffset.ofTotalSeconds``."""
    if abs(seconds) > 18 * 3600:
        raise JavaTimeError("Zone offset not in valid range: -18:00 to +18:00")
    return UTC if seconds == 0 else FixedZone(seconds, offset_id(seconds))


def parse_offset_id(text: str) -> FixedZone:
    """``ZoneOffset.of``: "Z", "+h", "+hh", "+hh:mm", "+hhmm", "+hh:mm:ss", "+hhmmss"."""
    if text == "Z":
        return UTC
    m = _OFFSET.fullmatch(text)
    valid = m is not None and _offset_shape_ok(text)
    if m is None or not valid:
        raise JavaTimeError(f"Invalid ID for ZoneOffset, invalid format: {text}")
    hours, minutes, secs = int(m[2]), int(m[3] or 0), int(m[4] or 0)
    if hours > 18:
        raise JavaTimeError(
            f"Zone offset hours not in valid range: value {hours} is not in the range -18 to 18"
        )
    if minutes > 59 or secs > 59:
        raise JavaTimeError(f"Invalid ID for ZoneOffset, invalid format: {text}")
    total = hours * 3600 + minutes * 60 + secs
    return zone_offset(-total if m[1] == "-" else total)


def _offset_shape_ok(text: str) -> bool:
    return _OFFSET_SHAPE.fullmatch(text[1:]) is not None


def zone_of(text: str) -> tzinfo:
    """``ZoneId.of(text)`` with Java's error messages."""
    return _zone_of(text)


@lru_cache(maxsize=512)
def _zone_of(text: str) -> tzinfo:
    if len(text) <= 1 or text[0] in "+-":
        return parse_offset_id(text)
    for prefix in ("UTC", "GMT", "UT"):
        if text == prefix:
            return FixedZone(0, prefix, is_offset=False)
        if text.startswith(prefix) and text[len(prefix)] in "+-":
            off = parse_offset_id(text[len(prefix) :])
            zid = prefix if off.seconds == 0 else prefix + off.zone_id
            return FixedZone(off.seconds, zid, is_offset=False)
    return region(text)


def region(text: str) -> tzinfo:
    if not _REGION_ID.fullmatch(text):
        raise JavaTimeError(f"Invalid ID for region-based ZoneId, invalid format: {text}")
    if text not in region_ids():
        raise ZoneRulesError(f"Unknown time-zone ID: {text}")
    try:
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ZoneRulesError(f"Unknown time-zone ID: {text}") from None


@cache
def region_ids() -> frozenset[str]:
    return frozenset(z for z in available_timezones() if not z.startswith(("posix/", "right/")))


def zone_id(tz: tzinfo | None) -> str:
    """``ZoneId.getId()`` of a tzinfo made by this module (or a plain one)."""
    if isinstance(tz, FixedZone):
        return tz.zone_id
    key = getattr(tz, "key", None)
    if isinstance(key, str):
        return key
    if tz is None:
        return "Z"
    off = tz.utcoffset(None)
    return offset_id(int(off.total_seconds())) if off is not None else str(tz)


def is_utc_offset(tz: tzinfo | None) -> bool:
    """True for Java's ``ZoneOffset.UTC`` (not the "UTC" region)."""
    return isinstance(tz, FixedZone) and tz.is_offset and tz.seconds == 0


def longest_region(text: str, pos: int) -> str | None:
    """The longest region id at ``text[pos:]`` (Java's zone-id prefix tree match)."""
    m = _REGION_ID.match(text, pos)
    if m is None:
        return None
    ids = region_ids()
    candidate = m.group()
    for end in range(len(candidate), 1, -1):
        if candidate[:end] in ids:
            return candidate[:end]
    return None

"""Printer-parsers for offsets (X, x, Z, O) and zones (VV, z)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo

from .errors import JavaTimeError
from .model import Moment, Parsed
from .texts import ZONE_ABBREVIATIONS, ZONE_FULL_NAMES
from .zones import FixedZone, longest_region, region, zone_id, zone_offset


def _offset_seconds(moment: Moment) -> int:
    off = moment.dt.utcoffset()
    return int(off.total_seconds()) if off is not None else 0


def _two(text: str, pos: int) -> int:
    """Value of two ASCII digits at pos, or -1."""
    chunk = text[pos : pos + 2]
    return int(chunk) if len(chunk) == 2 and chunk.isascii() and chunk.isdigit() else -1


@dataclass(frozen=True, slots=True)
class Offset:
    """``appendOffset(pattern, noOffsetText)`` for the JDK patterns "+HH", "+HH:MM:ss", ..."""

    pattern: str
    no_offset: str

    @property
    def colon(self) -> bool:
        return ":" in self.pattern

    def _parts(self) -> tuple[str, str]:
        body = self.pattern[1:].replace(":", "")
        hours = "H" if body[:2] != "HH" else "HH"
        rest = body[len(hours) :]
        return rest[:2], rest[2:4]

    def parse(self, state: Parsed, text: str, pos: int) -> int:
        if self.no_offset and text.startswith(self.no_offset, pos):
            state.zone = zone_offset(0)
            return pos + len(self.no_offset)
        if pos >= len(text) or text[pos] not in "+-":
            if not self.no_offset:
                state.zone = zone_offset(0)
                return pos
            return ~pos
        sign = -1 if text[pos] == "-" else 1
        found = self._parse_fields(text, pos + 1)
        if found is None:
            return ~pos
        end, hours, minutes, seconds = found
        if hours > 18 or minutes > 59 or seconds > 59:
            return ~pos
        state.zone = zone_offset(sign * (hours * 3600 + minutes * 60 + seconds))
        return end

    def _parse_fields(self, text: str, pos: int) -> tuple[int, int, int, int] | None:
        single = self.pattern[1:3] != "HH"
        hours = _two(text, pos)
        if hours >= 0:
            pos += 2
        elif single and pos < len(text) and text[pos].isascii() and text[pos].isdigit():
            hours, pos = int(text[pos]), pos + 1
        else:
            return None
        values = [hours]
        for part in self._parts():
            if not part:
                break
            value, pos = self._unit(text, pos)
            if value < 0:
                if part.isupper():
                    return None
                break
            values.append(value)
        values += [0] * (3 - len(values))
        return pos, values[0], values[1], values[2]

    def _unit(self, text: str, pos: int) -> tuple[int, int]:
        start = pos
        if self.colon:
            if pos >= len(text) or text[pos] != ":":
                return -1, start
            pos += 1
        value = _two(text, pos)
        return (value, pos + 2) if value >= 0 else (-1, start)

    def format(self, moment: Moment, out: list[str]) -> None:
        total = _offset_seconds(moment)
        if total == 0 and self.no_offset:
            out.append(self.no_offset)
            return
        out.append(_render_offset(total, self.pattern, self._parts()))


def _render_offset(total: int, pattern: str, parts: tuple[str, str]) -> str:
    sign = "-" if total < 0 else "+"
    h, rem = divmod(abs(total), 3600)
    m, s = divmod(rem, 60)
    colon = ":" if ":" in pattern else ""
    text = sign + (f"{h:02d}" if pattern[1:3] == "HH" else str(h))
    minutes, seconds = parts
    if minutes and (minutes.isupper() or m or s):
        text += f"{colon}{m:02d}"
        if seconds and (seconds.isupper() or s):
            text += f"{colon}{s:02d}"
    return text


@dataclass(frozen=True, slots=True)
class LocalizedOffset:
    """``appendLocalizedOffset``: "GMT+8" (short) or "GMT+08:00" (full)."""

    full: bool

    def parse(self, state: Parsed, text: str, pos: int) -> int:
        if not text.startswith("GMT", pos):
            return ~pos
        pos += 3
        if pos >= len(text) or text[pos] not in "+-":
            state.zone = zone_offset(0)
            return pos
        sign = -1 if text[pos] == "-" else 1
        pattern = "+HH:MM:ss" if self.full else "+H:mm:ss"
        found = Offset(pattern, "")._parse_fields(text, pos + 1)
        if found is None:
            return ~pos
        end, h, m, s = found
        state.zone = zone_offset(sign * (h * 3600 + m * 60 + s))
        return end

    def format(self, moment: Moment, out: list[str]) -> None:
        total = _offset_seconds(moment)
        if total == 0:
            out.append("GMT")
            return
        pattern = "+HH:MM:ss" if self.full else "+H:mm:ss"
        out.append("GMT" + _render_offset(total, pattern, ("MM" if self.full else "mm", "ss")))


def _parse_prefixed(state: Parsed, text: str, pos: int) -> int | None:
    for prefix in ("UTC", "GMT", "UT"):
        if text.startswith(prefix, pos):
            end = pos + len(prefix)
            trial = Parsed()
            after = Offset("+H:mm:ss", "").parse(trial, text, end)
            if after >= 0 and isinstance(trial.zone, FixedZone):
                zid = prefix + trial.zone.zone_id if trial.zone.seconds else prefix
                state.zone = FixedZone(trial.zone.seconds, zid, is_offset=False)
                return after
            state.zone = FixedZone(0, prefix, is_offset=False)
            return end
    return None


@dataclass(frozen=True, slots=True)
class ZoneId:
    """``appendZoneId``/``appendZoneOrOffsetId`` (pattern ``VV``)."""

    def parse(self, state: Parsed, text: str, pos: int) -> int:
        if pos >= len(text):
            return ~pos
        if text[pos] in "+-":
            return Offset("+HH:MM:ss", "").parse(state, text, pos)
        prefixed = _parse_prefixed(state, text, pos)
        if prefixed is not None:
            return prefixed
        found = longest_region(text, pos)
        if found is not None:
            state.zone = region(found)
            return pos + len(found)
        if text[pos] == "Z":
            state.zone = zone_offset(0)
            return pos + 1
        return ~pos

    def format(self, moment: Moment, out: list[str]) -> None:
        out.append(zone_id(moment.dt.tzinfo))


@dataclass(frozen=True, slots=True)
class ZoneText:
    """``appendZoneText`` (pattern ``z``..``zzzz``): zone names, parsed back to zones."""

    full: bool

    def parse(self, state: Parsed, text: str, pos: int) -> int:
        best = ""
        for abbr in ZONE_ABBREVIATIONS:
            if len(abbr) > len(best) and text.startswith(abbr, pos):
                best = abbr
        found = longest_region(text, pos)
        if found is not None and len(found) > len(best):
            state.zone = region(found)
            return pos + len(found)
        if best:
            state.zone = _abbreviation_zone(best)
            return pos + len(best)
        return ~pos

    def format(self, moment: Moment, out: list[str]) -> None:
        tz = moment.dt.tzinfo
        if isinstance(tz, FixedZone):
            out.append(tz.zone_id)
            return
        short = moment.dt.tzname() or zone_id(tz)
        if self.full:
            names = ZONE_FULL_NAMES.get(short)
            if names is not None:
                dst = moment.dt.dst()
                short = names[1 if dst else 0]
        out.append(short)


def _abbreviation_zone(abbr: str) -> tzinfo:
    target = ZONE_ABBREVIATIONS[abbr]
    if target in ("UTC", "GMT"):
        return FixedZone(0, target, is_offset=False)
    try:
        return region(target)
    except JavaTimeError:  # pragma: no cover - tzdata without that region
        return zone_offset(0)

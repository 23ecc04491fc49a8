"""Compile Java ``DateTimeFormatter.ofPattern`` patterns into printer-parser sections."""

from __future__ import annotations

from .elements import (
    EXCEEDS_PAD,
    NORMAL,
    NOT_NEGATIVE,
    Fraction,
    Literal,
    Number,
    Reduced,
    Section,
    Text,
    link_adjacent,
)
from .errors import PatternError
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
    LOCAL_DOW,
    MILLI_OF_DAY,
    MINUTE,
    MONTH,
    NANO,
    NANO_OF_DAY,
    QUARTER,
    SECOND,
    WEEK_OF_MONTH,
    WEEK_OF_YEAR,
    WEEK_YEAR,
    YEAR,
    YEAR_OF_ERA,
    Element,
)
from .texts import FULL, NARROW, SHORT
from .zone_elements import LocalizedOffset, Offset, ZoneId, ZoneText

OFFSET_PATTERNS = (
    "+HH", "+HHmm", "+HH:mm", "+HHMM", "+HH:MM", "+HHMMss", "+HH:MM:ss", "+HHMMSS", "+HH:MM:SS",
)  # fmt: skip
_TEXT_STYLES = {3: SHORT, 4: FULL, 5: NARROW}
_SIMPLE = {"d": DAY, "h": CLOCK_AMPM, "H": HOUR, "k": CLOCK_DAY, "K": HOUR_AMPM}
_SIMPLE |= {"m": MINUTE, "s": SECOND}
_PLAIN = {"A": MILLI_OF_DAY, "n": NANO, "N": NANO_OF_DAY}
_TEXT_KIND = {"M": ("month", MONTH), "L": ("month", MONTH), "Q": ("quarter", QUARTER)}
_TEXT_KIND |= {"q": ("quarter", QUARTER), "E": ("dow", DOW), "e": ("dow", DOW)}
_TEXT_KIND |= {"c": ("dow", DOW)}


def compile_pattern(pattern: str) -> Section:
    """``DateTimeFormatterBuilder.appendPattern`` with the JDK's error messages."""
    stack: list[list[Element]] = [[]]
    pos, n = 0, len(pattern)
    while pos < n:
        cur = pattern[pos]
        if cur.isascii() and cur.isalpha():
            end = pos
            while end < n and pattern[end] == cur:
                end += 1
            stack[-1].extend(_letter(cur, end - pos))
            pos = end
            continue
        if cur == "'":
            pos = _quoted(pattern, pos, stack[-1])
            continue
        if cur == "[":
            stack.append([])
        elif cur == "]":
            if len(stack) == 1:
                raise PatternError("Pattern invalid as it contains ] without previous [")
            inner = stack.pop()
            stack[-1].append(Section(tuple(link_adjacent(inner)), optional=True))
        elif cur in "{}#":
            raise PatternError(f"Pattern includes reserved character: '{cur}'")
        else:
            stack[-1].append(Literal(cur))
        pos += 1
    while len(stack) > 1:  # unclosed '[' sections end with the pattern
        inner = stack.pop()
        stack[-1].append(Section(tuple(link_adjacent(inner)), optional=True))
    return Section(tuple(link_adjacent(_merge_literals(stack[0]))))


def _merge_literals(elements: list[Element]) -> list[Element]:
    out: list[Element] = []
    for element in elements:
        if isinstance(element, Literal) and out and isinstance(out[-1], Literal):
            out[-1] = Literal(out[-1].text + element.text)
        else:
            out.append(element)
    return out


def _quoted(pattern: str, pos: int, out: list[Element]) -> int:
    start = pos
    pos += 1
    while pos < len(pattern):
        if pattern[pos] == "'":
            if pos + 1 < len(pattern) and pattern[pos + 1] == "'":
                pos += 2
                continue
            break
        pos += 1
    if pos >= len(pattern):
        raise PatternError(f"Pattern ends with an incomplete string literal: {pattern}")
    body = pattern[start + 1 : pos]
    out.append(Literal("'" if body == "" else body.replace("''", "'")))
    return pos + 1


def _too_many(cur: str) -> PatternError:
    return PatternError(f"Too many pattern letters: {cur}")


def _letter(cur: str, count: int) -> list[Element]:
    if cur in "yuY":
        return [_year(cur, count)]
    if cur in _SIMPLE:
        if count > 2:
            raise _too_many(cur)
        return [_value(_SIMPLE[cur], count)]
    if cur in _TEXT_KIND:
        return [_text_field(cur, count)]
    handler = _HANDLERS.get(cur)
    if handler is None:
        raise PatternError(f"Unknown pattern letter: {cur}")
    return [handler(cur, count)]


def _value(field: str, count: int) -> Number:
    return Number(field, 1, 19, NORMAL) if count == 1 else Number(field, count, count)


def _year(cur: str, count: int) -> Element:
    field = {"y": YEAR_OF_ERA, "u": YEAR, "Y": WEEK_YEAR}[cur]
    if count == 2:
        return Reduced(field)
    if count < 4:
        return Number(field, count, 19, NORMAL)
    return Number(field, count, 19, EXCEEDS_PAD)


def _text_field(cur: str, count: int) -> Element:
    kind, field = _TEXT_KIND[cur]
    if cur == "c" and count == 2:
        raise PatternError('Invalid pattern "cc"')
    if count <= 2:
        if cur in "ec":
            return Number(LOCAL_DOW, count, count, NOT_NEGATIVE)
        if cur == "E":
            return Text(field, kind, SHORT)
        return _value(field, count)
    if count > 5:
        raise _too_many(cur)
    return Text(field, kind, _TEXT_STYLES[count])


def _ampm(cur: str, count: int) -> Element:
    if count != 1:
        raise _too_many(cur)
    return Text(AMPM, "ampm", SHORT)


def _era(cur: str, count: int) -> Element:
    if count > 5:
        raise _too_many(cur)
    return Text(ERA, "era", _TEXT_STYLES.get(count, SHORT))


def _fraction(cur: str, count: int) -> Element:
    if count > 9:
        raise _too_many(cur)
    return Fraction(count, count)


def _day_of_year(cur: str, count: int) -> Element:
    if count > 3:
        raise _too_many(cur)
    return Number(DOY, 1, 19, NORMAL) if count == 1 else Number(DOY, count, 3)


def _plain(cur: str, count: int) -> Element:
    return _value(_PLAIN[cur], count)


def _zone_text(cur: str, count: int) -> Element:
    if count > 4:
        raise _too_many(cur)
    return ZoneText(full=count == 4)


def _zone_id(cur: str, count: int) -> Element:
    if count != 2:
        raise PatternError(f"Pattern letter count must be 2: {cur}")
    return ZoneId()


def _offset_z(cur: str, count: int) -> Element:
    if count < 4:
        return Offset("+HHMM", "+0000")
    if count == 4:
        return LocalizedOffset(full=True)
    if count == 5:
        return Offset("+HH:MM:ss", "Z")
    raise _too_many(cur)


def _offset_o(cur: str, count: int) -> Element:
    if count not in (1, 4):
        raise PatternError(f"Pattern letter count must be 1 or 4: {cur}")
    return LocalizedOffset(full=count == 4)


def _offset_x(cur: str, count: int) -> Element:
    if count > 5:
        raise _too_many(cur)
    pattern = OFFSET_PATTERNS[count + (0 if count == 1 else 1)]
    if cur == "X":
        return Offset(pattern, "Z")
    zero = "+00" if count == 1 else ("+0000" if count % 2 == 0 else "+00:00")
    return Offset(pattern, zero)


def _week_of_year(cur: str, count: int) -> Element:
    if count > 2:
        raise _too_many(cur)
    return Number(WEEK_OF_YEAR, count, 2, NOT_NEGATIVE)


def _week_of_month(cur: str, count: int) -> Element:
    if count > 1:
        raise _too_many(cur)
    return Number(WEEK_OF_MONTH, 1, 1, NOT_NEGATIVE)


_HANDLERS = {
    "a": _ampm,
    "G": _era,
    "S": _fraction,
    "D": _day_of_year,
    "A": _plain,
    "n": _plain,
    "N": _plain,
    "z": _zone_text,
    "V": _zone_id,
    "Z": _offset_z,
    "O": _offset_o,
    "X": _offset_x,
    "x": _offset_x,
    "w": _week_of_year,
    "W": _week_of_month,
}

"""Printer-parsers for literals, numbers, fractions, texts and optional sections."""

from __future__ import annotations

from dataclasses import dataclass, replace

from .errors import JavaTimeError
from .model import NANO, YEAR, Element, Moment, Parsed
from .texts import FIRST_VALUE, TEXTS

NORMAL, NOT_NEGATIVE, EXCEEDS_PAD, NEVER, ALWAYS = (
    "NORMAL",
    "NOT_NEGATIVE",
    "EXCEEDS_PAD",
    "NEVER",
    "ALWAYS",
)


@dataclass(frozen=True, slots=True)
class Literal:
    text: str

    def parse(self, state: Parsed, text: str, pos: int) -> int:
        if text.startswith(self.text, pos):
            return pos + len(self.text)
        return ~pos

    def format(self, moment: Moment, out: list[str]) -> None:
        out.append(self.text)


def _digits_end(text: str, pos: int, limit: int) -> int:
    end = pos
    while end < limit and "0" <= text[end] <= "9":
        end += 1
    return end


@dataclass(frozen=True, slots=True)
class Number:
    """``appendValue(field, min, max, signStyle)`` with adjacent-value parsing support."""

    field: str
    min_width: int
    max_width: int
    sign: str = NOT_NEGATIVE
    subsequent: int = 0

    @property
    def fixed(self) -> bool:
        return self.min_width == self.max_width and self.sign == NOT_NEGATIVE

    def parse(self, state: Parsed, text: str, pos: int) -> int:
        start, length = pos, len(text)
        if pos >= length:
            return ~pos
        positive = negative = False
        if text[pos] == "+":
            if self.sign not in (EXCEEDS_PAD, ALWAYS):
                return ~pos
            positive, pos = True, pos + 1
        elif text[pos] == "-":
            if self.sign not in (NORMAL, EXCEEDS_PAD, ALWAYS):
                return ~pos
            negative, pos = True, pos + 1
        elif self.sign == ALWAYS:
            return ~pos
        end = self._scan(text, pos)
        if end < 0:
            return ~start
        count = end - pos
        if self.sign == EXCEEDS_PAD:
            if positive and count <= self.min_width:
                return ~start
            if not positive and count > self.min_width:
                return ~start
        value = int(text[pos:end])
        if negative:
            if value == 0:
                return ~start
            value = -value
        return end if state.set(self.field, value) else ~start

    def _scan(self, text: str, pos: int) -> int:
        eff_max = self.max_width + self.subsequent
        for attempt in (0, 1):
            end = _digits_end(text, pos, min(pos + eff_max, len(text)))
            if end - pos < self.min_width:
                return -1
            if self.subsequent and attempt == 0:
                eff_max = max(self.min_width, end - pos - self.subsequent)
                continue
            return end
        return -1  # pragma: no cover

    def format(self, moment: Moment, out: list[str]) -> None:
        value = moment.get(self.field)
        digits = str(abs(value))
        if len(digits) > self.max_width:
            raise JavaTimeError(
                f"Field {self.field} cannot be printed as the value {value} exceeds the "
                f"maximum print width of {self.max_width}"
            )
        digits = digits.rjust(self.min_width, "0")
        if value < 0:
            if self.sign == NOT_NEGATIVE:
                raise JavaTimeError(
                    f"Field {self.field} cannot be printed as the value {value} cannot be "
                    "negative according to the SignStyle"
                )
            if self.sign != NEVER:
                digits = "-" + digits
        elif self.sign == ALWAYS or (
            self.sign == EXCEEDS_PAD and self.min_width < 19 and value >= 10**self.min_width
        ):
            digits = "+" + digits
        out.append(digits)

    def with_subsequent(self, width: int) -> Number:
        return replace(self, subsequent=self.subsequent + width)


@dataclass(frozen=True, slots=True)
class Reduced:
    """``appendValueReduced(field, 2, 2, 2000)``: two-digit years in 2000..2099."""

    field: str = YEAR
    width: int = 2
    base: int = 2000
    subsequent: int = 0

    def parse(self, state: Parsed, text: str, pos: int) -> int:
        end = _digits_end(text, pos, min(pos + self.width, len(text)))
        if end - pos != self.width:
            return ~pos
        value = int(text[pos:end])
        span = 10**self.width
        full = self.base - self.base % span + value
        if full < self.base:
            full += span
        return end if state.set(self.field, full) else ~pos

    def format(self, moment: Moment, out: list[str]) -> None:
        out.append(str(abs(moment.get(self.field)) % 10**self.width).rjust(self.width, "0"))

    def with_subsequent(self, width: int) -> Reduced:
        return replace(self, subsequent=self.subsequent + width)


@dataclass(frozen=True, slots=True)
class Fraction:
    """``appendFraction(NANO_OF_SECOND, min, max, decimalPoint)``; ``points`` are separators."""

    min_width: int
    max_width: int
    points: str = ""

    def parse(self, state: Parsed, text: str, pos: int) -> int:
        if self.points:
            if pos >= len(text) or text[pos] not in self.points:
                return ~pos if self.min_width > 0 else pos
            pos += 1
        if pos + self.min_width > len(text):
            return ~pos
        end = _digits_end(text, pos, min(pos + self.max_width, len(text)))
        if end - pos < self.min_width:
            return ~pos
        if end == pos:
            return pos
        nano = int(text[pos:end].ljust(9, "0")[:9])
        return end if state.set(NANO, nano) else ~pos

    def format(self, moment: Moment, out: list[str]) -> None:
        digits = f"{moment.nano:09d}".rstrip("0")
        if not digits:
            if self.min_width > 0:
                out.append(self.points[:1] + "0" * self.min_width)
            return
        width = min(max(len(digits), self.min_width), self.max_width)
        out.append(self.points[:1] + digits.ljust(width, "0")[:width])


@dataclass(frozen=True, slots=True)
class Text:
    """``appendText(field, style)``: month, day-of-week, AM/PM, era and quarter names."""

    field: str
    kind: str
    style: str

    def _texts(self) -> tuple[str, ...]:
        return TEXTS[self.kind][self.style]

    def parse(self, state: Parsed, text: str, pos: int) -> int:
        best, best_len = -1, 0
        for i, name in enumerate(self._texts()):
            if len(name) > best_len and text.startswith(name, pos):
                best, best_len = i, len(name)
        if best < 0:
            return ~pos
        value = best + FIRST_VALUE[self.kind]
        return pos + best_len if state.set(self.field, value) else ~pos

    def format(self, moment: Moment, out: list[str]) -> None:
        value = moment.get(self.field)
        out.append(self._texts()[value - FIRST_VALUE[self.kind]])


@dataclass(frozen=True, slots=True)
class Section:
    """A sequence of elements; an optional section restores state when it does not match."""

    elements: tuple[Element, ...]
    optional: bool = False

    def parse(self, state: Parsed, text: str, pos: int) -> int:
        saved = state.copy() if self.optional else None
        start = pos
        for element in self.elements:
            pos = element.parse(state, text, pos)
            if pos < 0:
                if saved is not None:
                    state.restore(saved)
                    return start
                return pos
        return pos

    def format(self, moment: Moment, out: list[str]) -> None:
        for element in self.elements:
            element.format(moment, out)


@dataclass(frozen=True, slots=True)
class Choice:
    """Alternatives tried in order (used by ES's composite formats like ``iso8601``)."""

    options: tuple[Element, ...]

    def parse(self, state: Parsed, text: str, pos: int) -> int:
        worst = ~pos
        for option in self.options:
            trial = state.copy()
            end = option.parse(trial, text, pos)
            if end >= 0:
                state.restore(trial)
                return end
            worst = min(worst, end)
        return worst

    def format(self, moment: Moment, out: list[str]) -> None:
        self.options[0].format(moment, out)


def link_adjacent(elements: list[Element]) -> list[Element]:
    """Java's adjacent value parsing: fixed-width numbers after a number reserve digits."""
    out: list[Element] = []
    base = -1
    for element in elements:
        if isinstance(element, Number | Reduced | Fraction) and _joins(element):
            if base >= 0 and _fixed_width(element) is not None:
                head = out[base]
                assert isinstance(head, Number | Reduced)
                out[base] = head.with_subsequent(_fixed_width(element) or 0)
                out.append(element)
                continue
            if isinstance(element, Number | Reduced):
                base = len(out)
                out.append(element)
                continue
        base = -1
        out.append(element)
    return out


def _joins(element: Element) -> bool:
    if isinstance(element, Fraction):
        return not element.points and element.min_width == element.max_width
    return True


def _fixed_width(element: Element) -> int | None:
    if isinstance(element, Number):
        return element.max_width if element.fixed else None
    if isinstance(element, Reduced):
        return element.width
    if isinstance(element, Fraction):
        return element.max_width
    return None

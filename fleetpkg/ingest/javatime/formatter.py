"""A compiled date formatter (ES ``JavaDateFormatter``): parsers, a printer, a name."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from .errors import DateTimeParseError, FormatParseError, JavaTimeError
from .model import INSTANT, WEEK_YEAR, YEAR, YEAR_OF_ERA, Element, Moment, Parsed
from .resolve import Resolved, resolve, to_moment, with_current_year
from .zones import UTC


@dataclass(frozen=True, slots=True)
class JavaFormatter:
    """Formats and parses like an ES ``DateFormatter`` for one pattern or named format."""

    name: str
    printer: Element
    parsers: tuple[Element, ...]

    def parse_fields(self, text: str) -> Resolved:
        """Parse and resolve ``text``; failures raise ES's ``IllegalArgumentException``."""
        if text == "":
            raise FormatParseError("cannot parse empty datetime")
        first: JavaTimeError | None = None
        for parser in self.parsers:
            try:
                return _parse_one(parser, text)
            except JavaTimeError as err:
                first = first or err
        raise FormatParseError(
            f"failed to parse date field [{text}] with format [{self.name}]", first
        )

    def parse(
        self, text: str, zone: tzinfo = UTC, *, current_year_fallback: bool = False
    ) -> Moment:
        """A zoned moment; inputs without a zone get ``zone``."""
        res = self.parse_fields(text)
        if current_year_fallback and not _has_year(res):
            return with_current_year(res, zone)
        return to_moment(res, zone)  # ES converts outside the formatter: errors stay raw

    def format(self, value: Moment | datetime) -> str:
        moment = value if isinstance(value, Moment) else Moment(value, value.microsecond * 1000)
        out: list[str] = []
        self.printer.format(moment, out)
        return "".join(out)


def _has_year(res: Resolved) -> bool:
    return any(res.supports(f) for f in (YEAR, YEAR_OF_ERA, WEEK_YEAR, INSTANT))


def _parse_one(parser: Element, text: str) -> Resolved:
    state = Parsed()
    end = parser.parse(state, text, 0)
    if end < 0:
        raise DateTimeParseError(f"Text '{text}' could not be parsed at index {~end}", text, ~end)
    if end < len(text):
        raise DateTimeParseError(
            f"Text '{text}' could not be parsed, unparsed text found at index {end}", text, end
        )
    return resolve(state, text)

"""Java time exceptions (DateTimeParseException & co.) as Python exceptions."""

from __future__ import annotations


class JavaTimeError(Exception):
    """A ``java.time`` failure; ``java_type`` is the snake-cased exception name ES renders."""

    java_type = "date_time_exception"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class DateTimeParseError(JavaTimeError):
    """``DateTimeParseException``: text that does not match a formatter."""

    java_type = "date_time_parse_exception"

    def __init__(self, message: str, text: str = "", index: int = 0) -> None:
        super().__init__(message)
        self.text = text
        self.index = index


class ZoneRulesError(JavaTimeError):
    """``ZoneRulesException``: an unknown region id."""

    java_type = "zone_rules_exception"


class PatternError(JavaTimeError):
    """``IllegalArgumentException`` from ``DateTimeFormatter.ofPattern`` (or an ES format)."""

    java_type = "illegal_argument_exception"


class FormatParseError(JavaTimeError):
    """ES's ``IllegalArgumentException`` wrapping a parse failure of a named/pattern format."""

    java_type = "illegal_argument_exception"

    def __init__(self, message: str, cause: JavaTimeError | None = None) -> None:
        super().__init__(message)
        self.cause = cause


class NumberFormatError(JavaTimeError):
    """``NumberFormatException`` from ``Long.parseLong``/``Double.parseDouble``."""

    java_type = "number_format_exception"

"""Grok capture types: Java's parseInt/parseLong/parseFloat/parseDouble/parseBoolean."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import regex

from ..errors import IngestError
from ..values import JLong, to_float32

_INTEGER = regex.compile(r"[+-]?\d+")
_DECIMAL = regex.compile(r"[+-]?(?:NaN|Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[fFdD]?)")


def number_format(text: str) -> IngestError:
    return IngestError("number_format_exception", f'For input string: "{text}"')


def _integer(bits: int) -> Callable[[str], int]:
    low, high = -(2 ** (bits - 1)), 2 ** (bits - 1) - 1
    box: Callable[[int], int] = JLong if bits == 64 else int  # ES returns a Long / Integer

    def parse(text: str) -> int:
        if _INTEGER.fullmatch(text) is None:
            raise number_format(text)
        value = int(text)
        if not low <= value <= high:
            raise number_format(text)
        return box(value)

    return parse


def parse_double(text: str) -> float:
    """``Double.parseDouble``: surrounding whitespace ignored, Java literal suffixes allowed."""
    trimmed = text.strip("".join(chr(c) for c in range(33)))
    if not trimmed:
        raise IngestError("number_format_exception", "empty String")
    if _DECIMAL.fullmatch(trimmed) is None:
        raise number_format(text)
    body = trimmed.rstrip("fFdD") if not trimmed.endswith("Infinity") else trimmed
    return float(body.replace("Infinity", "inf").replace("NaN", "nan"))


def parse_float(text: str) -> float:
    return to_float32(parse_double(text))


def parse_boolean(text: str) -> bool:
    return text.lower() == "true"


def _string(text: str) -> str:
    return text


CONVERTERS: dict[str, Callable[[str], Any]] = {
    "string": _string,
    "int": _integer(32),
    "long": _integer(64),
    "float": parse_float,
    "double": parse_double,
    "boolean": parse_boolean,
}

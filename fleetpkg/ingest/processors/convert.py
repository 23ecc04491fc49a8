"""Value conversions of the ``convert`` processor, with Java's parsing rules."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from typing import Any

from ..errors import illegal_argument
from ..values import JLong, java_str, to_float32

_INT = re.compile(r"[+-]?[0-9]+")
_HEX = re.compile(r"[+-]?0[xX][0-9a-fA-F]+")
_FLOAT = re.compile(
    r"[+-]?(NaN|Infinity|((\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)|"
    r"(0[xX][0-9a-fA-F]*\.?[0-9a-fA-F]*[pP][+-]?\d+))[fFdD]?"
)


def parse_java_int(text: str, bits: int) -> int:
    """``Integer.parseInt`` / ``Long.parseLong`` (and ``decode`` for 0x… values)."""
    if text.isascii() and text.isdigit():
        value = int(text)
    elif _HEX.fullmatch(text):
        sign = -1 if text.startswith("-") else 1
        value = sign * int(text.lstrip("+-")[2:], 16)
    elif _INT.fullmatch(text):
        value = int(text)
    else:
        raise ValueError(text)
    if not -(2 ** (bits - 1)) <= value < 2 ** (bits - 1):
        raise ValueError(text)
    return value


def parse_java_double(text: str) -> float:
    """``Double.parseDouble``: trims whitespace, accepts a trailing f/d and hex floats."""
    stripped = text.strip(" \t\n\r\x0b\f\x00")
    if not _FLOAT.fullmatch(stripped):
        raise ValueError(text)
    if stripped[-1] in "fFdD" and "x" not in stripped.lower():
        stripped = stripped[:-1]
    if "x" in stripped.lower():
        return float.fromhex(stripped.rstrip("fFdD"))
    return float(stripped.replace("Infinity", "inf"))


def _integer(bits: int, name: str) -> Callable[[Any], Any]:
    low, high = -(2 ** (bits - 1)), 2 ** (bits - 1)
    box: Callable[[int], int] = JLong if bits == 64 else int  # ES returns a Long / Integer

    def convert(value: Any) -> int:
        if (type(value) is int or type(value) is JLong) and low <= value < high:
            return box(value)  # what parsing its decimal text gives
        try:
            return box(parse_java_int(java_str(value), bits))
        except ValueError:
            raise illegal_argument(f"unable to convert [{java_str(value)}] to {name}") from None

    return convert


def _float(single: bool) -> Callable[[Any], Any]:
    name = "float" if single else "double"

    def convert(value: Any) -> float:
        try:
            number = parse_java_double(java_str(value))
        except ValueError:
            raise illegal_argument(f"unable to convert [{java_str(value)}] to {name}") from None
        return to_float32(number) if single else number

    return convert


def _boolean(value: Any) -> bool:
    text = java_str(value).lower()
    if text == "true":
        return True
    if text == "false":
        return False
    raise illegal_argument(f"[{java_str(value)}] is not a boolean value, cannot convert to boolean")


def _string(value: Any) -> str:
    return java_str(value)


def _ip(value: Any) -> str:
    text = java_str(value)
    try:
        ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        raise illegal_argument(f"'{text}' is not an IP string literal.") from None
    return text


_AUTO_ORDER = (_integer(32, "integer"), _integer(64, "long"), _float(True), _float(False))


def _auto(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    if value.lower() in ("true", "false"):
        return value.lower() == "true"
    for convert in _AUTO_ORDER:
        try:
            return convert(value)
        except Exception:
            continue
    return value


CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "integer": _integer(32, "integer"),
    "long": _integer(64, "long"),
    "float": _float(True),
    "double": _float(False),
    "boolean": _boolean,
    "string": _string,
    "ip": _ip,
    "auto": _auto,
}

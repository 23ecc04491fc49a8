"""Java value semantics the ingest engine needs: toString, float32 rounding, type names."""

from __future__ import annotations

import math
import struct
from typing import Any


class JLong(int):
    """A Java ``Long`` whose value also fits an int (plain ints outside the int range are longs).

    Processors that produce ``Long`` in ES (convert ``long``, grok ``:long``, …) return it so
    Painless arithmetic stays 64-bit; equality, hashing and JSON output are plain ``int``'s.
    """

    __slots__ = ()

    def __deepcopy__(self, memo: Any) -> JLong:
        return self

    def __copy__(self) -> JLong:
        return self


def java_double_str(d: float) -> str:
    """``Double.toString``: shortest digits, plain between 1e-3 and 1e7, else E-notation."""
    if math.isnan(d):
        return "NaN"
    if math.isinf(d):
        return "Infinity" if d > 0 else "-Infinity"
    if d == 0:
        return "-0.0" if math.copysign(1.0, d) < 0 else "0.0"
    return _format_shortest(repr(d), abs(d))


def _format_shortest(text: str, magnitude: float) -> str:
    sign = "-" if text.startswith("-") else ""
    digits, exp = _digits_exponent(text.lstrip("-"))
    if 1e-3 <= magnitude < 1e7:
        point = exp + 1
        if point <= 0:
            body = "0." + "0" * (-point) + digits
        elif point >= len(digits):
            body = digits + "0" * (point - len(digits)) + ".0"
        else:
            body = digits[:point] + "." + digits[point:]
        return sign + body
    mantissa = digits[0] + "." + (digits[1:] or "0")
    return f"{sign}{mantissa}E{exp}"


def _digits_exponent(text: str) -> tuple[str, int]:
    """Significant digits and decimal exponent of a positive number's repr."""
    mant, _, e = text.partition("e")
    exp = int(e) if e else 0
    whole, _, frac = mant.partition(".")
    digits = (whole + frac).lstrip("0")
    lead = len(whole.lstrip("0")) if whole.strip("0") else -(len(frac) - len(frac.lstrip("0")))
    exp += lead - 1
    return digits.rstrip("0") or "0", exp


def to_float32(d: float) -> float:
    """Round to a Java ``float`` and return the double whose repr is Float.toString's digits."""
    try:
        f = struct.unpack("f", struct.pack("f", d))[0]
    except OverflowError:
        return math.copysign(math.inf, d)
    if math.isnan(f) or math.isinf(f) or f == 0:
        return float(f)
    for precision in range(1, 10):
        text = f"{f:.{precision}g}"
        if struct.unpack("f", struct.pack("f", float(text)))[0] == f:
            return float(text)
    return float(f)


def java_str(value: Any) -> str:
    """``String.valueOf`` of a JSON value as the JVM would print it."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return java_double_str(value)
    if isinstance(value, list):
        return "[" + ", ".join(java_str(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}={java_str(v)}" for k, v in value.items()) + "}"
    return str(value)

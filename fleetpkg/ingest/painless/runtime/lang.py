"""java.lang statics (Math, Integer, Long, Double, Boolean, Character, String, Objects), number
methods, exceptions and collection constructors."""

from __future__ import annotations

import functools
import math
import random
import re
from typing import Any

from ..errors import EXCEPTION_TYPES, JavaThrowable, npe
from ..jtypes import (
    INT_MAX,
    INT_MIN,
    LONG_MAX,
    LONG_MIN,
    JChar,
    JFloat,
    as_long,
    class_name,
    convert,
    f32,
    narrow,
    num_value,
    numeric_kind,
    to_string,
)
from ..ops import compare_natural, eq
from .registry import VARARGS, ctor, fields, method, static

_INT_RE = re.compile(r"[+-]?[0-9]+")
_FLOAT_RE = re.compile(
    r"[+-]?(NaN|Infinity|((\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)|(0[xX][0-9a-fA-F.]+[pP][+-]?\d+))[fFdD]?"
)


def _nfe(s: Any, radix: int = 10) -> JavaThrowable:
    suffix = "" if radix == 10 else f" under radix {radix}"
    if s is None:
        return JavaThrowable("NumberFormatException", "Cannot parse null string: null")
    return JavaThrowable("NumberFormatException", f'For input string: "{s}"{suffix}')


def parse_integral(s: Any, lo: int, hi: int, radix: int = 10) -> int:
    if not isinstance(s, str):
        raise _nfe(s, radix)
    text = s
    if radix == 10 and not _INT_RE.fullmatch(text):
        raise _nfe(s, radix)
    try:
        v = int(text, radix)
    except ValueError:
        raise _nfe(s, radix) from None
    if "_" in text or text.strip() != text or not lo <= v <= hi:
        raise _nfe(s, radix)
    return v


def decode_integral(s: Any, lo: int, hi: int) -> int:
    """``Integer.decode`` / ``Long.decode``: sign, then 0x/0X/# (hex), 0 (octal) or decimal."""
    if s is None:
        raise npe()
    text = to_string(s)
    if not text:
        raise JavaThrowable("NumberFormatException", "Zero length string")
    i, negative = 0, text[0] == "-"
    if text[0] in "+-":
        i = 1
    radix = 10
    if text.startswith(("0x", "0X"), i):
        radix, i = 16, i + 2
    elif text.startswith("#", i):
        radix, i = 16, i + 1
    elif text.startswith("0", i) and len(text) > i + 1:
        radix, i = 8, i + 1
    body = text[i:]
    if body.startswith(("-", "+")):
        raise JavaThrowable("NumberFormatException", "Sign character in wrong position")
    digits = ("-" if negative else "") + body
    allowed = "0123456789abcdef"[:radix]
    if not body or any(c.lower() not in allowed for c in body):
        raise _nfe(digits, radix)
    v = int(digits, radix)
    if not lo <= v <= hi:
        raise _nfe(digits, radix)
    return v


def parse_double(s: Any) -> float:
    if s is None:
        raise npe("Cannot parse null string")
    text = str(s).strip()
    if not _FLOAT_RE.fullmatch(text):
        raise JavaThrowable("NumberFormatException", f'For input string: "{s}"')
    body = text[:-1] if text[-1] in "fFdD" and "x" not in text.lower() else text
    if "x" in body.lower():
        return float.fromhex(body)
    return float(body.replace("Infinity", "inf"))


def _int_to_string(v: int, radix: int = 10) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    if radix == 10 or not 2 <= radix <= 36:
        return str(int(v))
    n, out = abs(int(v)), ""
    while True:
        n, r = divmod(n, radix)
        out = digits[r] + out
        if n == 0:
            break
    return "-" + out if v < 0 else out


def _unsigned(v: int, bits: int, radix: int) -> str:
    return _int_to_string(v & ((1 << bits) - 1), radix)


for _cls, _lo, _hi, _box in (("Integer", INT_MIN, INT_MAX, int), ("Long", LONG_MIN, LONG_MAX, 0)):
    _mk = (lambda v: v) if _box is int else as_long
    fields(_cls, MAX_VALUE=_mk(_hi), MIN_VALUE=_mk(_lo))
    _parse = functools.partial(
        lambda s, r=10, lo=_lo, hi=_hi, mk=_mk: mk(parse_integral(s, lo, hi, r))
    )
    static(_cls, "parseInt" if _cls == "Integer" else "parseLong", 1, 2)(_parse)
    static(_cls, "valueOf", 1, 2)(
        lambda s, r=10, p=_parse, c=_cls: p(s, r) if isinstance(s, str) else convert(s, c, False)
    )
    static(_cls, "toString", 1, 2)(_int_to_string)
    static(_cls, "decode", 1)(lambda s, lo=_lo, hi=_hi, mk=_mk: mk(decode_integral(s, lo, hi)))
    bits = 32 if _cls == "Integer" else 64
    static(_cls, "toHexString", 1)(lambda v, b=bits: _unsigned(v, b, 16))
    static(_cls, "toBinaryString", 1)(lambda v, b=bits: _unsigned(v, b, 2))
    static(_cls, "toOctalString", 1)(lambda v, b=bits: _unsigned(v, b, 8))
    static(_cls, "compare", 2)(lambda a, b: (a > b) - (a < b))
    static(_cls, "signum", 1)(lambda a: (a > 0) - (a < 0))
    static(_cls, "sum", 2)(
        lambda a, b, mk=_mk, c=_cls: narrow(a + b, "int" if c == "Integer" else "long")
    )
    static(_cls, "max", 2)(lambda a, b, mk=_mk: mk(max(a, b)))
    static(_cls, "min", 2)(lambda a, b, mk=_mk: mk(min(a, b)))

static("Double", "parseDouble", 1)(parse_double)
static("Double", "valueOf", 1)(lambda s: parse_double(s) if isinstance(s, str) else float(s))
static("Float", "parseFloat", 1)(lambda s: f32(parse_double(s)))
static("Float", "valueOf", 1)(lambda s: f32(parse_double(s) if isinstance(s, str) else s))
for _cls in ("Double", "Float"):
    static(_cls, "toString", 1)(to_string)
    static(_cls, "isNaN", 1)(lambda v: v != v)
    static(_cls, "isInfinite", 1)(math.isinf)
    static(_cls, "isFinite", 1)(math.isfinite)
    static(_cls, "compare", 2)(lambda a, b: (a > b) - (a < b))
fields(
    "Double",
    MAX_VALUE=1.7976931348623157e308,
    MIN_VALUE=5e-324,
    NaN=math.nan,
    POSITIVE_INFINITY=math.inf,
    NEGATIVE_INFINITY=-math.inf,
)
fields(
    "Float",
    MAX_VALUE=f32(3.4028234663852886e38),
    MIN_VALUE=f32(1.401298464324817e-45),
    NaN=f32(math.nan),
    POSITIVE_INFINITY=f32(math.inf),
    NEGATIVE_INFINITY=f32(-math.inf),
)
static("Boolean", "parseBoolean", 1)(lambda s: isinstance(s, str) and s.lower() == "true")
static("Boolean", "valueOf", 1)(lambda s: s if type(s) is bool else str(s).lower() == "true")
static("Boolean", "toString", 1)(to_string)
fields("Boolean", TRUE=True, FALSE=False)


# ---- Math --------------------------------------------------------------------------------
def _num_result(kind: int, v: Any) -> Any:
    return narrow(v, ("int", "long", "float", "double")[kind])


def _math2(fn: Any) -> Any:
    def run(a: Any, b: Any) -> Any:
        return _num_result(max(numeric_kind(a), numeric_kind(b)), fn(num_value(a), num_value(b)))

    return run


def _round(v: Any) -> Any:
    if v != v:
        return 0
    if math.isinf(v):
        return as_long(LONG_MAX if v > 0 else LONG_MIN) if type(v) is float else narrow(v, "int")
    r = math.floor(v + 0.5)
    return narrow(r, "int") if type(v) is JFloat else narrow(r, "long")


def _fp(fn: Any) -> Any:
    def run(*a: Any) -> float:
        try:
            return float(fn(*(float(num_value(x)) for x in a)))
        except (ValueError, ZeroDivisionError):
            return math.nan
        except OverflowError:
            return math.inf

    return run


def _exact(fn: Any, prim: str | None) -> Any:
    def run(*args: Any) -> Any:
        kinds = [numeric_kind(a) for a in args]
        if max(kinds) > 1:
            raise JavaThrowable("ClassCastException", "Math exact operations take integers")
        target = prim or ("long" if max(kinds) == 1 else "int")
        r = fn(*(int(num_value(a)) for a in args))
        lo, hi = (INT_MIN, INT_MAX) if target == "int" else (LONG_MIN, LONG_MAX)
        if not lo <= r <= hi:
            raise JavaThrowable(
                "ArithmeticException", f"{'integer' if target == 'int' else 'long'} overflow"
            )
        return narrow(r, target)

    return run


def _log(x: float) -> float:
    return -math.inf if x == 0 else math.log(x)


def _log10(x: float) -> float:
    return -math.inf if x == 0 else math.log10(x)


for _m in ("Math", "StrictMath"):
    fields(_m, PI=math.pi, E=math.e)
    static(_m, "abs", 1)(lambda a: _num_result(numeric_kind(a), abs(num_value(a))))
    static(_m, "max", 2)(_math2(max))
    static(_m, "min", 2)(_math2(min))
    static(_m, "round", 1)(_round)
    static(_m, "floor", 1)(_fp(math.floor))
    static(_m, "ceil", 1)(_fp(math.ceil))
    static(_m, "rint", 1)(_fp(round))
    static(_m, "pow", 2)(_fp(math.pow))
    static(_m, "sqrt", 1)(_fp(math.sqrt))
    static(_m, "cbrt", 1)(_fp(lambda x: math.copysign(abs(x) ** (1 / 3), x)))
    static(_m, "log", 1)(_fp(_log))
    static(_m, "log10", 1)(_fp(_log10))
    static(_m, "exp", 1)(_fp(math.exp))
    static(_m, "signum", 1)(_fp(lambda x: x if x == 0 or x != x else math.copysign(1.0, x)))
    static(_m, "hypot", 2)(_fp(math.hypot))
    static(_m, "toRadians", 1)(_fp(math.radians))
    static(_m, "toDegrees", 1)(_fp(math.degrees))
    for _f in ("sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "atan2"):
        static(_m, _f, 2 if _f == "atan2" else 1)(_fp(getattr(math, _f)))
    static(_m, "random", 0)(random.random)
    static(_m, "floorDiv", 2)(_math2(lambda a, b: a // b))
    static(_m, "toIntExact", 1)(_exact(lambda a: a, "int"))
    static(_m, "addExact", 2)(_exact(lambda a, b: a + b, None))
    static(_m, "subtractExact", 2)(_exact(lambda a, b: a - b, None))
    static(_m, "multiplyExact", 2)(_exact(lambda a, b: a * b, None))
    static(_m, "floorMod", 2)(_math2(lambda a, b: a % b))


# ---- Character ---------------------------------------------------------------------------
def _ch(c: Any) -> str:
    if c is None:
        raise npe("char is null")
    return chr(c) if isinstance(c, int) else str(c)[:1]


_CHAR_TESTS = {
    "isDigit": str.isdigit,
    "isLetter": str.isalpha,
    "isLetterOrDigit": str.isalnum,
    "isAlphabetic": str.isalpha,
    "isUpperCase": str.isupper,
    "isLowerCase": str.islower,
    "isWhitespace": lambda c: (
        c in " \t\n\x0b\f\r\x1c\x1d\x1e\x1f" or (c.isspace() and c not in "\xa0\u2007\u202f")
    ),
    "isSpaceChar": lambda c: c.isspace(),
}
for _name, _test in _CHAR_TESTS.items():
    static("Character", _name, 1)(lambda c, t=_test: bool(t(_ch(c))))
static("Character", "toUpperCase", 1)(lambda c: JChar(_ch(c).upper()[:1]))
static("Character", "toLowerCase", 1)(lambda c: JChar(_ch(c).lower()[:1]))
static("Character", "toString", 1)(lambda c: _ch(c))
static("Character", "compare", 2)(lambda a, b: ord(_ch(a)) - ord(_ch(b)))
static("Character", "valueOf", 1)(lambda c: JChar(_ch(c)))
static("Character", "getNumericValue", 1)(lambda c: int(_ch(c), 36) if _ch(c).isalnum() else -1)
static("Character", "digit", 2)(
    lambda c, r: int(_ch(c), r) if _ch(c).isalnum() and int(_ch(c), 36) < r else -1
)

# ---- String / Objects --------------------------------------------------------------------
static("String", "valueOf", 1)(to_string)
static("String", "join", VARARGS)(
    lambda sep, *items: to_string(sep).join(
        to_string(x)
        for x in (items[0] if len(items) == 1 and not isinstance(items[0], str) else items)
    )
)


def _java_format(fmt: str, *args: Any) -> str:
    it = iter(args)

    def sub(m: re.Match[str]) -> str:
        spec, conv = m.group(1), m.group(2)
        if conv == "%":
            return "%"
        if conv == "n":
            return "\n"
        try:
            v = next(it)
        except StopIteration:
            raise JavaThrowable(
                "MissingFormatArgumentException", f"Format specifier '{m.group(0)}'"
            ) from None
        if conv in "sS":
            out = ("%" + spec + "s") % to_string(v)
            return out.upper() if conv == "S" else out
        if conv == "b":
            return ("%" + spec + "s") % to_string(v is not None and v is not False)
        if v is None:
            return ("%" + spec.replace("0", "").replace(",", "") + "s") % "null"
        integral = isinstance(v, int) and type(v) is not bool
        if conv in "dxXo":
            if not integral:
                raise _bad_conversion(conv, v)
            return ("%" + spec.replace(",", "") + conv) % int(v)
        if not isinstance(v, float):
            raise _bad_conversion(conv, v)
        return ("%" + spec + conv) % float(v)

    return re.sub(r"%([-#+ 0,(]*\d*(?:\.\d+)?)([sSdfeExXgobn%])", sub, fmt)


def _bad_conversion(conv: str, v: Any) -> JavaThrowable:
    return JavaThrowable("IllegalFormatConversionException", f"{conv} != {class_name(v)}")


def _format(fmt: Any, *args: Any) -> str:
    """``String.format(String, def[])``: an array argument is the argument list (varargs)."""
    if len(args) == 1 and isinstance(args[0], list):
        args = tuple(args[0])
    return _java_format(to_string(fmt), *args)


static("String", "format", VARARGS)(_format)
static("Objects", "equals", 2)(eq)
static("Objects", "isNull", 1)(lambda v: v is None)
static("Objects", "nonNull", 1)(lambda v: v is not None)
static("Objects", "toString", 1, 2)(
    lambda v, d=None: d if v is None and d is not None else to_string(v)
)
static("Objects", "hashCode", 1)(lambda v: 0 if v is None else hash(to_string(v)) & 0x7FFFFFFF)
static("Objects", "requireNonNull", 1, 2)(
    lambda v, msg=None: v if v is not None else (_ for _ in ()).throw(npe(msg))
)
static("Objects", "requireNonNullElse", 2)(lambda v, d: d if v is None else v)

# ---- boxed number / object methods -------------------------------------------------------
_NUM = (int, float)
for _name, _prim in (
    ("intValue", "int"),
    ("longValue", "long"),
    ("doubleValue", "double"),
    ("floatValue", "float"),
    ("shortValue", "short"),
    ("byteValue", "byte"),
):
    method(_NUM, _name, 0)(lambda v, p=_prim: narrow(num_value(v), p))
method(_NUM, "compareTo", 1)(compare_natural)
method(_NUM, "isNaN", 0)(lambda v: v != v)
method(_NUM, "isInfinite", 0)(lambda v: isinstance(v, float) and math.isinf(v))
method(bool, "booleanValue", 0)(lambda v: v)
method(bool, "compareTo", 1)(compare_natural)
method(object, "toString", 0)(to_string)
method(object, "equals", 1)(eq)
method(object, "hashCode", 0)(lambda v: hash(to_string(v)) & 0x7FFFFFFF)


class JClassRef:
    java_class = "java.lang.Class"

    def __init__(self, v: Any) -> None:
        from ..jtypes import class_name

        self.name = class_name(v)

    def to_java_string(self) -> str:
        return "class " + self.name


method(JClassRef, "getName", 0)(lambda c: c.name)
method(JClassRef, "getSimpleName", 0)(lambda c: c.name.rsplit(".", 1)[-1])

# ---- exceptions --------------------------------------------------------------------------
for _exc in EXCEPTION_TYPES:
    ctor(_exc, 0, 1, 2)(
        lambda msg=None, cause=None, t=_exc: JavaThrowable(
            t, None if msg is None else to_string(msg)
        )
    )
method(JavaThrowable, "getMessage", 0)(lambda e: e.message)
method(JavaThrowable, "getLocalizedMessage", 0)(lambda e: e.message)
method(JavaThrowable, "toString", 0)(lambda e: e.to_java_string())


@static("Debug", "explain", 1)
def _explain(v: Any) -> Any:
    """Debug.explain(x): stop the script and report x's class and value (PainlessExplainError)."""
    exc = JavaThrowable("PainlessExplainError", None)
    name = class_name(v)
    exc.metadata = {"painless_class": name.rsplit(".", 1)[-1], "to_string": to_string(v),
                    "java_class": name}  # fmt: skip
    raise exc

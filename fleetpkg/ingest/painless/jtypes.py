"""Java value model: boxed long/float/char markers, sets, Java toString and conversion rules."""

from __future__ import annotations

import math
import struct
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any

from ..values import JLong as JLong
from .errors import JavaThrowable, cce, npe

INT_MIN, INT_MAX = -(2**31), 2**31 - 1
LONG_MIN, LONG_MAX = -(2**63), 2**63 - 1


class JFloat(float):
    """A Java float (32-bit); plain Python floats are Java doubles."""

    __slots__ = ()


class JChar(str):
    """A Java char (a 1-character string)."""

    __slots__ = ()


class JSet:
    """A Java Set with insertion order (HashSet/LinkedHashSet/TreeSet, approximately)."""

    __slots__ = ("d",)

    def __init__(self, items: Iterable[Any] = ()) -> None:
        self.d: dict[Any, None] = dict.fromkeys(items)

    def __iter__(self) -> Iterator[Any]:
        return iter(list(self.d))

    def __len__(self) -> int:
        return len(self.d)

    def __contains__(self, item: Any) -> bool:
        try:
            return item in self.d
        except TypeError:
            return False

    def __eq__(self, other: object) -> bool:
        return isinstance(other, JSet) and self.d.keys() == other.d.keys()

    __hash__ = None  # type: ignore[assignment]


def wrap32(v: int) -> int:
    return ((v + 2**31) & 0xFFFFFFFF) - 2**31


def wrap64(v: int) -> int:
    return ((v + 2**63) & 0xFFFFFFFFFFFFFFFF) - 2**63


def as_long(v: int) -> int:
    """Box a long result: JLong when it fits an int (so it stays a long), plain int otherwise."""
    v = wrap64(v)
    return JLong(v) if INT_MIN <= v <= INT_MAX else v


def is_long(v: int) -> bool:
    return type(v) is JLong or not INT_MIN <= v <= INT_MAX


def f32(v: float) -> JFloat:
    try:
        return JFloat(struct.unpack("f", struct.pack("f", v))[0])
    except OverflowError:
        return JFloat(math.copysign(math.inf, v))


def to_plain(v: Any) -> Any:
    """Convert a value crossing into a map/list (and so into ctx) to plain JSON-like Python."""
    t = type(v)
    if t is str or t is int or t is dict or t is list or t is float or t is bool or v is None:
        return v
    if t is JLong:
        return v  # stays a Long in ctx, as in ES
    if t is JFloat:
        return float(v)
    if t is JChar:
        return str(v)
    if t is JSet:
        return list(v)
    if isinstance(v, dict) and t is not dict:
        return dict(v.items())
    if t is tuple:
        return list(v)
    conv = getattr(v, "to_plain", None)
    if conv is not None:
        return conv()
    return v


# ---- Java class names ----------------------------------------------------------------------
def class_name(v: Any) -> str:
    if v is None:
        return "null"
    t = type(v)
    if t is bool:
        return "java.lang.Boolean"
    if t is JLong or (t is int and not INT_MIN <= v <= INT_MAX):
        return "java.lang.Long"
    if t is int:
        return "java.lang.Integer"
    if t is JFloat:
        return "java.lang.Float"
    if t is float:
        return "java.lang.Double"
    if t is JChar:
        return "java.lang.Character"
    if t is str:
        return "java.lang.String"
    if isinstance(v, list):
        return "java.util.ArrayList"
    if isinstance(v, Mapping):
        return "java.util.HashMap"
    if isinstance(v, JSet):
        return "java.util.HashSet"
    name = getattr(v, "java_class", None)
    if isinstance(name, str):
        return name
    return "java.lang.Object"


def short_name(v: Any) -> str:
    return class_name(v).rsplit(".", 1)[-1]


# ---- toString ------------------------------------------------------------------------------
def _sci_or_fixed(digits: str, exp: int) -> str:
    """Java Double/Float toString layout of the shortest decimal digits*10^exp."""
    stripped = digits.rstrip("0") or "0"
    exp += len(digits) - len(stripped) if stripped != "0" else 0
    digits = stripped
    sci = len(digits) - 1 + exp  # exponent of the first digit
    if -3 <= sci < 7:
        point = len(digits) + exp
        if point <= 0:
            return "0." + "0" * (-point) + digits
        if point >= len(digits):
            return digits + "0" * (point - len(digits)) + ".0"
        return digits[:point] + "." + digits[point:]
    mant = digits[0] + "." + (digits[1:] or "0")
    return f"{mant}E{sci}"


def _float_text(v: float, shortest: str) -> str:
    if v != v:
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    if v == 0:
        return "-0.0" if math.copysign(1.0, v) < 0 else "0.0"
    sign, dig, exp = Decimal(shortest).as_tuple()
    assert isinstance(exp, int)
    text = _sci_or_fixed("".join(map(str, dig)), exp)
    return "-" + text if sign else text


def double_to_string(v: float) -> str:
    return _float_text(v, repr(abs(v)) if v == v and not math.isinf(v) else "0")


def float_to_string(v: float) -> str:
    if v != v or math.isinf(v) or v == 0:
        return _float_text(v, "0")
    target = f32(v)
    for prec in range(1, 10):
        text = f"{abs(v):.{prec}g}"
        if f32(float(text)) == abs(target):
            return _float_text(v, text)
    return _float_text(v, repr(abs(v)))


def to_string(v: Any) -> str:
    """Java String.valueOf(v)."""
    t = type(v)
    if t is str or t is JChar:
        return str(v)
    if v is None:
        return "null"
    if t is bool:
        return "true" if v else "false"
    if t is int or t is JLong:
        return str(int(v))
    if t is float:
        return double_to_string(v)
    if t is JFloat:
        return float_to_string(v)
    if isinstance(v, (list, tuple, JSet)):
        return "[" + ", ".join(to_string(x) for x in v) + "]"
    if isinstance(v, Mapping):
        return "{" + ", ".join(f"{to_string(k)}={to_string(x)}" for k, x in v.items()) + "}"
    conv = getattr(v, "to_java_string", None)
    if conv is not None:
        return str(conv())
    return object.__repr__(v)


# ---- conversions ---------------------------------------------------------------------------
PRIMITIVES = frozenset(["boolean", "byte", "short", "char", "int", "long", "float", "double"])
NUMERIC_RANK = {"byte": 1, "short": 2, "char": 2, "int": 3, "long": 4, "float": 5, "double": 6}
BOXED = {
    "Boolean": "boolean",
    "Byte": "byte",
    "Short": "short",
    "Character": "char",
    "Integer": "int",
    "Long": "long",
    "Float": "float",
    "Double": "double",
}
JAVA_NAMES = {
    "Integer": "int",
    "Long": "long",
    "Float": "float",
    "Double": "double",
    "Character": "char",
    "Boolean": "boolean",
    "Byte": "byte",
    "Short": "short",
}


def cast_fail(v: Any, target: str) -> JavaThrowable:
    return cce(f"Cannot cast {class_name(v)} to {target}")


def numeric_kind(v: Any) -> int:
    """0 int, 1 long, 2 float, 3 double; raises for non-numbers (char counts as int)."""
    t = type(v)
    if t is int:
        return 0 if INT_MIN <= v <= INT_MAX else 1
    if t is float:
        return 3
    if t is JLong:
        return 1
    if t is JFloat:
        return 2
    if t is JChar:
        return 0
    if v is None:
        raise npe("Cannot perform a numeric operation on a null value")
    raise cce(f"Cannot apply a numeric operation to [{class_name(v)}]")


def num_value(v: Any) -> int | float:
    return ord(v) if type(v) is JChar else v


def convert(v: Any, target: str, explicit: bool) -> Any:
    """Convert a runtime value to a static type (implicit: assignment; explicit: a cast)."""
    if target in ("def", "Object") or (target.endswith("[]") and isinstance(v, list)):
        return v
    prim = BOXED.get(target, target)
    if prim in PRIMITIVES:
        if v is None:
            if prim != target:  # boxed types accept null
                return None
            raise npe(f"Cannot cast null to a primitive type [{target}]")
        return _to_primitive(v, prim, explicit)
    if v is None:
        return None
    check = _REF_CHECKS.get(target)
    if check is not None and not check(v):
        raise cast_fail(v, _REF_NAMES.get(target, target))
    if target == "String" and type(v) is JChar:
        if not explicit:
            raise cast_fail(v, "java.lang.String")
        return str(v)
    return v


def _to_primitive(v: Any, prim: str, explicit: bool) -> Any:
    t = type(v)
    if prim == "boolean":
        if t is bool:
            return v
        raise cast_fail(v, "boolean")
    if t is bool:
        raise cast_fail(v, prim)
    if t is str:
        if prim == "char" and len(v) == 1:
            return JChar(v)
        if prim == "char" and explicit:
            raise cce("Cannot cast [String] with length greater than one to [char].")
        raise cast_fail(v, prim)
    if not isinstance(v, (int, float)) and t is not JChar:
        raise cast_fail(v, prim)
    kind = numeric_kind(v)
    value = num_value(v)
    if not explicit:
        rank = {0: 3, 1: 4, 2: 5, 3: 6}[kind] if t is not JChar else 2
        if rank > NUMERIC_RANK[prim] or (prim == "char" and t is not JChar):
            raise cast_fail(v, prim)
    return narrow(value, prim)


def narrow(value: int | float, prim: str) -> Any:
    if prim == "double":
        return float(value)
    if prim == "float":
        return f32(float(value))
    if isinstance(value, float):
        if value != value:
            value = 0
        elif math.isinf(value):
            value = LONG_MAX if value > 0 else LONG_MIN
        else:
            value = int(value)
        if prim == "long":
            return as_long(max(LONG_MIN, min(LONG_MAX, value)))
        value = max(INT_MIN, min(INT_MAX, value))
    if prim == "int":
        return wrap32(value)
    if prim == "long":
        return as_long(value)
    if prim == "short":
        return ((value + 2**15) & 0xFFFF) - 2**15
    if prim == "byte":
        return ((value + 2**7) & 0xFF) - 2**7
    if prim == "char":
        return JChar(chr(value & 0xFFFF))
    raise cce(f"Cannot cast to [{prim}]")


def _is_map(v: Any) -> bool:
    return isinstance(v, Mapping)


_REF_CHECKS: dict[str, Callable[[Any], bool]] = {
    "String": lambda v: isinstance(v, str),
    "CharSequence": lambda v: isinstance(v, str),
    "List": lambda v: isinstance(v, list),
    "ArrayList": lambda v: isinstance(v, list),
    "LinkedList": lambda v: isinstance(v, list),
    "Map": _is_map,
    "HashMap": _is_map,
    "LinkedHashMap": _is_map,
    "TreeMap": _is_map,
    "Set": lambda v: isinstance(v, JSet),
    "HashSet": lambda v: isinstance(v, JSet),
    "TreeSet": lambda v: isinstance(v, JSet),
    "Number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "Collection": lambda v: isinstance(v, (list, JSet)),
    "Iterable": lambda v: isinstance(v, (list, JSet)),
    "AbstractCollection": lambda v: isinstance(v, (list, JSet)),
    "AbstractList": lambda v: isinstance(v, list),
    "AbstractSet": lambda v: isinstance(v, JSet),
    "AbstractMap": _is_map,
}
_REF_NAMES = {"String": "java.lang.String", "List": "java.util.List", "Map": "java.util.Map"}


def instance_of(v: Any, target: str) -> bool:
    if v is None:
        return False
    if target in ("def", "Object"):
        return True
    prim = BOXED.get(target, target)
    if prim in PRIMITIVES:
        kinds = {
            "boolean": "java.lang.Boolean",
            "int": "java.lang.Integer",
            "long": "java.lang.Long",
            "float": "java.lang.Float",
            "double": "java.lang.Double",
            "char": "java.lang.Character",
        }
        return class_name(v) == kinds.get(prim, "")
    check = _REF_CHECKS.get(target)
    if check is not None:
        return bool(check(v))
    if target.endswith("[]"):
        return isinstance(v, list)
    name = getattr(v, "java_class", "")
    if isinstance(v, JavaThrowable):
        from .errors import is_subclass

        return is_subclass(v.jtype, target)
    return isinstance(name, str) and name.rsplit(".", 1)[-1] == target

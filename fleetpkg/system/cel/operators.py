"""CEL operators as in cel-go: mixed-number comparisons, strict arithmetic, time subtraction."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from celpy import celtypes
from celpy.evaluation import CELEvalError, base_functions

NUMBER = (celtypes.IntType, celtypes.UintType, celtypes.DoubleType)


def _numeric(left: Any, right: Any) -> bool:
    return (
        isinstance(left, NUMBER)
        and isinstance(right, NUMBER)
        and not isinstance(left, celtypes.BoolType)
        and not isinstance(right, celtypes.BoolType)
        and type(left) is not type(right)
    )


def _compare(op: str, base: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    def compare(left: Any, right: Any) -> Any:
        if _numeric(left, right):
            a, b = float(left), float(right)
            return celtypes.BoolType(
                {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b, "==": a == b, "!=": a != b}[op]
            )
        if op in ("==", "!=") and (left is None or right is None):
            same = left is None and right is None
            return celtypes.BoolType(same if op == "==" else not same)
        return base(left, right)

    return compare


def _arithmetic(op: str) -> Callable[[Any, Any], Any]:
    base = base_functions[op]

    def arithmetic(left: Any, right: Any) -> Any:
        if _numeric(left, right):  # cel-go has no mixed int/uint/double arithmetic
            return CELEvalError(
                f"no such overload: {type(left).__name__} {op[1]} {type(right).__name__}",
                TypeError,
                (),
            )
        return base(left, right)

    return arithmetic


def _sub(left: Any, right: Any) -> Any:
    if isinstance(left, celtypes.TimestampType) and isinstance(right, celtypes.TimestampType):
        return celtypes.DurationType(datetime.__sub__(left, right))
    return _arithmetic("_-_")(left, right)


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "_==_": _compare("==", base_functions["_==_"]),
    "_!=_": _compare("!=", base_functions["_!=_"]),
    "_<_": _compare("<", base_functions["_<_"]),
    "_<=_": _compare("<=", base_functions["_<=_"]),
    "_>_": _compare(">", base_functions["_>_"]),
    "_>=_": _compare(">=", base_functions["_>=_"]),
    "_-_": _sub,
    "_+_": _arithmetic("_+_"),
    "_*_": _arithmetic("_*_"),
    "_/_": _arithmetic("_/_"),
    "_%_": _arithmetic("_%_"),
}

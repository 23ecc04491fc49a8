"""CEL errors: the Python exception, cel-python's error values, and mito's ``try``/``is_error``."""

from __future__ import annotations

from typing import Any

from celpy import celtypes
from celpy.evaluation import CELEvalError

# Functions that receive their arguments unevaluated, errors included.
LAZY = frozenset({"try", "is_error"})


class CelProgramError(Exception):
    """The program does not compile or its evaluation failed."""


def message(err: CELEvalError) -> str:
    """The text of a cel-python error value, with its detail when that adds something."""
    args = err.args
    text = str(args[0]) if args else "evaluation error"
    if len(args) >= 3 and args[2]:
        detail = args[2][0] if isinstance(args[2], tuple) and args[2] else args[2]
        if str(detail) and str(detail) not in text:
            text = f"{text}: {detail}"
    return text


def eval_error(text: str) -> CELEvalError:
    """A cel-python error value carrying ``text``."""
    return CELEvalError(text, ValueError, (text,))


def _try(value: Any, name: Any = None) -> Any:
    if isinstance(value, CELEvalError):
        return celtypes.MapType(
            {celtypes.StringType(str(name or "error")): celtypes.StringType(message(value))}
        )
    return value


def _is_error(value: Any) -> Any:
    return celtypes.BoolType(isinstance(value, CELEvalError))


FUNCTIONS = {
    "try": _try,
    "is_error": _is_error,
}

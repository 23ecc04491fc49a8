"""Compile and run one CEL program: source in, plain Python state in and out."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, cast

from celpy.celparser import CELParseError
from celpy.evaluation import CELEvalError

from ..clock import Clock
from ..gotime import LAYOUTS
from .errors import CelProgramError, message
from .evaluator import ENV
from .http import Transport
from .registry import functions
from .rewrite import rewrite
from .time import now_timestamp
from .values import OPTIONAL, to_cel, to_python


class CelProgram:
    """A compiled program; ``evaluate`` runs it once on a state."""

    def __init__(
        self,
        source: str,
        transport: Transport | None,
        clock: Clock,
        log: Callable[[str], None] | None = None,
    ) -> None:
        self.source = source
        self.clock = clock
        try:
            ast = ENV.compile(rewrite(source))
        except CELParseError as err:
            raise CelProgramError(f"failed to compile program: {err}") from None
        self._runner = ENV.program(ast, functions(transport, clock, log or (lambda _m: None)))

    def evaluate(self, state: Mapping[str, Any], *, state_numbers: bool = False) -> dict[str, Any]:
        context = {
            "state": to_cel(dict(state), json_numbers=state_numbers),
            "now": now_timestamp(self.clock),
            "time_layout": to_cel(LAYOUTS),
            "optional": OPTIONAL,
        }
        try:
            result = self._runner.evaluate(context)
        except CELEvalError as err:
            raise CelProgramError(message(err)) from None
        except RecursionError:
            raise CelProgramError("evaluation exceeded the recursion limit") from None
        value = to_python(result)
        if not isinstance(value, dict):
            raise CelProgramError(f"program returned {type(value).__name__}, not a map")
        return cast(dict[str, Any], value)

"""Retries with bounded exponential backoff for requests to the stack."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

T = TypeVar("T")


class Retryable(Exception):
    """An attempt that may succeed when repeated; ``error`` is what to raise in the end."""

    def __init__(self, error: Exception) -> None:
        super().__init__(str(error))
        self.error = error


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """``attempts`` tries in all, waiting ``base_delay * 2**n`` (at most ``max_delay``) between."""

    attempts: int = 4
    base_delay: float = 0.5
    max_delay: float = 8.0
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False)

    def delays(self) -> list[float]:
        return [min(self.max_delay, self.base_delay * 2**n) for n in range(self.attempts - 1)]

    def run(self, attempt: Callable[[], T]) -> T:
        """Call ``attempt`` until it returns or raises something other than ``Retryable``."""
        delays = self.delays()
        for delay in delays:
            try:
                return attempt()
            except Retryable:
                self.sleep(delay)
        try:
            return attempt()
        except Retryable as last:
            raise last.error from None

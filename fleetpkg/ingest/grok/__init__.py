"""Grok for the ingest engine: ES's pattern banks and expression semantics on ``regex``."""

from __future__ import annotations

from .engine import (
    TRACE_KEY,
    GrokError,
    GrokMatcher,
    GrokTimeout,
    compile_expression,
    compile_grok,
    iter_matches,
    pattern_bank,
)
from .library import ECS_COMPATIBILITY_MODES, builtin_patterns

__all__ = [
    "ECS_COMPATIBILITY_MODES",
    "TRACE_KEY",
    "GrokError",
    "GrokMatcher",
    "GrokTimeout",
    "builtin_patterns",
    "compile_expression",
    "compile_grok",
    "iter_matches",
    "pattern_bank",
]

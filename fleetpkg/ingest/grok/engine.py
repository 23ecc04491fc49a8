"""Grok: expand ``%{SYNTAX:SEMANTIC:type}`` references, compile once, extract typed captures."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import regex

from .convert import CONVERTERS
from .library import builtin_patterns
from .onig import OnigError, compile_onig

_REF = regex.compile(
    r"%\{(?<name>(?<pattern>[A-z0-9]+)(?::(?<subname>[[:alnum:]@\[\]_:.-]+))?)"
    r"(?:=(?<definition>(?:[^{}]+|\.+)+))?\}"
)
_MAX_ITERATIONS = 100_000
TRACE_KEY = "_ingest._grok_match_index"


WATCHDOG_SECONDS = 1.0


class GrokError(ValueError):
    """A grok expression or pattern bank ES would reject; the message is ES's."""


class GrokTimeout(RuntimeError):
    """Matching ran longer than ES's grok watchdog allows."""


@dataclass(frozen=True, slots=True)
class Capture:
    """One named group of the expression (ES's GrokCaptureConfig)."""

    key: str
    groups: tuple[str, ...]
    convert: Callable[[str], Any]

    @property
    def multiple(self) -> bool:
        return len(self.groups) > 1


@dataclass(frozen=True, slots=True)
class GrokMatcher:
    """A compiled grok expression."""

    expression: str
    compiled: Any
    captures_config: tuple[Capture, ...]

    def search(self, text: str, pos: int = 0) -> Any:
        """Search like Joni under ES's watchdog (``ingest.grok.watchdog.max_execution_time``)."""
        try:
            return self.compiled.search(text, pos, timeout=WATCHDOG_SECONDS)
        except TimeoutError:
            raise GrokTimeout(
                f"grok pattern matching was interrupted after [{int(WATCHDOG_SECONDS * 1000)}] ms"
            ) from None

    def captures(self, text: str) -> dict[str, Any] | None:
        """Field → value for a match (``None`` when nothing matches)."""
        m = self.search(text)
        return None if m is None else self.extract(m)

    def extract(self, m: Any) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for cap in self.captures_config:
            for group in cap.groups:
                text = m.group(group)
                if text is None:
                    continue
                value = cap.convert(text)
                if not cap.multiple:
                    result[cap.key] = value
                    continue
                current = result.setdefault(cap.key, [])
                if isinstance(current, list):
                    current.append(value)
        return {k: v[0] if isinstance(v, list) and len(v) == 1 else v for k, v in result.items()}

    @property
    def first_capture_name(self) -> str | None:
        return self.captures_config[0].key if self.captures_config else None


def combine_patterns(patterns: list[str], trace_match: bool) -> str:
    """ES's way of trying several expressions: one alternation, tagged when tracing."""
    if len(patterns) == 1:
        return patterns[0]
    if trace_match:
        return "|".join(f"(?<{TRACE_KEY}.{i}>{p})" for i, p in enumerate(patterns))
    return "|".join(f"(?:{p})" for p in patterns)


def pattern_bank(ecs_compatibility: str, definitions: Mapping[str, str] | None) -> dict[str, str]:
    """Built-in patterns extended with custom definitions, checked like ES's PatternBank."""
    base = builtin_patterns(ecs_compatibility)
    if not definitions:
        return base
    bank = dict(base)
    bank.update(definitions)
    _forbid_cycles(bank, set(definitions))
    return bank


def _references(bank: Mapping[str, str], name: str) -> list[str]:
    pattern = bank[name]
    refs: list[str] = []
    i = pattern.find("%{")
    while i != -1:
        begin = i + 2
        ends = [e for e in (pattern.find("}", begin), pattern.find(":", begin)) if e != -1]
        if not ends:
            raise GrokError(f"pattern [{pattern}] has an invalid syntax")
        other = pattern[begin : min(ends)]
        if other not in refs:
            refs.append(other)
            if other not in bank:
                raise GrokError(f"pattern [{name}] is referencing a non-existent pattern [{other}]")
        i = pattern.find("%{", i + 1)
    return refs


def _forbid_cycles(bank: Mapping[str, str], custom: set[str]) -> None:
    """Built-ins are acyclic, so only paths through a custom definition can loop."""
    reaches: dict[str, bool] = {}

    def reaches_custom(name: str, seen: frozenset[str]) -> bool:
        if name in reaches:
            return reaches[name]
        if name in seen:
            return True
        hit = name in custom
        for ref in _references(bank, name):
            hit = reaches_custom(ref, seen | {name}) or hit
        reaches[name] = hit
        return hit

    for start in bank:
        if reaches_custom(start, frozenset()):
            path = _cycle_from(bank, start, [start])
            if path is not None:
                raise GrokError("circular reference detected: " + "->".join(path))


def _cycle_from(bank: Mapping[str, str], start: str, path: list[str]) -> list[str] | None:
    for ref in _references(bank, path[-1]):
        if ref == start:
            return [*path, ref]
        if ref in path:
            continue
        found = _cycle_from(bank, start, [*path, ref])
        if found is not None:
            return found
    return None


def to_regex(grok: str, bank: Mapping[str, str]) -> str:
    """Replace each ``%{NAME[:field[:type]]}`` with its (named) group, innermost last."""
    done: list[str] = []
    for _ in range(_MAX_ITERATIONS):
        m = _REF.search(grok)
        if m is None:
            return "".join(done) + grok
        name, pattern_name = m.group("name"), m.group("pattern")
        body = bank.get(pattern_name)
        if body is None:
            raise GrokError(f"Unable to find pattern [{pattern_name}] in Grok's pattern dictionary")
        if f"%{{{pattern_name}}}" in body or f"%{{{pattern_name}:" in body:
            raise GrokError(f"circular reference in pattern back [{pattern_name}]")
        part = f"(?<{name}>{body})" if m.group("subname") is not None else f"(?:{body})"
        done.append(grok[: m.start()])
        grok = part + grok[m.end() :]
    raise GrokError("Can not convert grok patterns to regular expression")


def _java_split(text: str) -> list[str]:
    parts = text.split(":")
    while len(parts) > 1 and parts[-1] == "":
        parts.pop()
    return parts


def _captures(names: list[str]) -> tuple[Capture, ...]:
    by_name: dict[str, list[str]] = {}
    for i, name in enumerate(names):
        by_name.setdefault(name, []).append(f"g{i}")
    out = []
    for name, groups in by_name.items():
        parts = _java_split(name)
        key = parts[1] if len(parts) >= 2 else parts[0]
        kind = parts[2] if len(parts) == 3 else "string"
        out.append(Capture(key, tuple(groups), CONVERTERS.get(kind, CONVERTERS["string"])))
    return tuple(out)


def compile_expression(expression: str, bank: Mapping[str, str]) -> GrokMatcher:
    try:
        compiled, names = compile_onig(to_regex(expression, bank))
    except OnigError as err:
        raise GrokError(str(err)) from None
    return GrokMatcher(expression, compiled, _captures(names))


def compile_grok(
    patterns: list[str],
    definitions: Mapping[str, str] | None = None,
    ecs_compatibility: str = "disabled",
    *,
    trace_match: bool = False,
) -> GrokMatcher:
    """Compile grok expressions tried in order (first match wins), as the grok processor does."""
    if not patterns:
        raise GrokError("List of patterns must not be empty")
    bank = pattern_bank(ecs_compatibility, definitions)
    return compile_expression(combine_patterns(list(patterns), trace_match), bank)


def iter_matches(matcher: GrokMatcher, text: str) -> Iterator[tuple[int, int]]:
    """Every match span, searching on after each one (ES redact's repeat loop)."""
    offset = 0
    while offset <= len(text):
        m = matcher.search(text, offset)
        if m is None:
            return
        yield m.start(), m.end()
        offset = offset + 1 if m.end() == offset else m.end()
        if offset == len(text):
            return

"""The grok and redact processors: ES's grok expressions over the bundled pattern banks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..document import IngestDocument
from ..errors import IngestError, illegal_argument, java_type_name
from ..grok import (
    ECS_COMPATIBILITY_MODES,
    TRACE_KEY,
    GrokError,
    GrokMatcher,
    GrokTimeout,
    compile_expression,
    compile_grok,
    iter_matches,
    pattern_bank,
)
from ..values import java_str
from .base import Config, Factory, Processor

REDACT_TRACE_KEY = "_ingest._redact._is_redacted"


def _patterns(cfg: Config) -> list[str]:
    patterns: list[str] = cfg.string_list("patterns")
    if not patterns:
        raise cfg.error("patterns", "List of patterns must not be empty")
    return patterns


def _definitions(cfg: Config) -> dict[str, str] | None:
    raw = cfg.mapping("pattern_definitions", None)
    if raw is None:
        return None
    return {str(k): java_str(v) for k, v in raw.items()}


def _invalid(cfg: Config, patterns: list[str], err: GrokError) -> IngestError:
    listed = "[" + ", ".join(patterns) + "]"
    return cfg.error("patterns", f"Invalid regex pattern found in: {listed}. {err}")


def string_field(doc: IngestDocument, field: str, ignore_missing: bool) -> str | None:
    """``getFieldValue(field, String.class, ignoreMissing)`` with ES's cast message."""
    value = doc.get(field, ignore_missing=ignore_missing)
    if value is None or isinstance(value, str):
        return value
    raise illegal_argument(
        f"field [{field}] of type [{java_type_name(value)}] cannot be cast to [java.lang.String]"
    )


class Grok(Processor):
    type = "grok"

    def __init__(self, cfg: Config) -> None:
        self.field: str = cfg.string("field")
        patterns = _patterns(cfg)
        self.trace_match = cfg.boolean("trace_match", False)
        self.ignore_missing = cfg.boolean("ignore_missing", False)
        definitions = _definitions(cfg)
        ecs = cfg.string("ecs_compatibility", "disabled")
        if ecs not in ECS_COMPATIBILITY_MODES:
            raise cfg.error("ecs_compatibility", f"unsupported mode '{ecs}'")
        self.multiple = len(patterns) > 1
        try:
            self.matcher = compile_grok(patterns, definitions, ecs, trace_match=self.trace_match)
        except GrokError as err:
            raise _invalid(cfg, patterns, err) from None

    def run(self, doc: IngestDocument) -> None:
        value = string_field(doc, self.field, self.ignore_missing)
        if value is None:
            if self.ignore_missing:
                return
            raise illegal_argument(f"field [{self.field}] is null, cannot process it.")
        try:
            matches = self.matcher.captures(value)
        except GrokTimeout as err:
            raise IngestError("runtime_exception", str(err)) from None
        if matches is None:
            raise illegal_argument(f"Provided Grok expressions do not match field value: [{value}]")
        for key, captured in matches.items():
            doc.set(key, captured)  # the trace group lands in ``_ingest._grok_match_index.N``
        if not self.trace_match:
            return
        index = "0"
        if self.multiple:
            traced = doc.get(TRACE_KEY)
            index = next(iter(traced)) if isinstance(traced, dict) and traced else index
        doc.set(TRACE_KEY, index)


@dataclass(slots=True)
class _Replacement:
    start: int
    end: int
    name: str


def _merge(found: list[_Replacement]) -> list[_Replacement]:
    """Overlapping (or touching) regions collapse into one, named after the longest."""
    if len(found) == 1:
        return found
    ordered = sorted(found, key=lambda r: r.start)
    merged: list[_Replacement] = []
    i = 0
    while i < len(ordered):
        group = [ordered[i]]
        end = ordered[i].end
        j = i + 1
        while j < len(ordered) and end >= ordered[j].start:
            group.append(ordered[j])
            end = max(end, ordered[j].end)
            j += 1
        longest = max(group, key=lambda r: r.end - r.start)  # first of equal lengths wins
        merged.append(_Replacement(group[0].start, max(r.end for r in group), longest.name))
        i = j
    return merged


class Redact(Processor):
    type = "redact"

    def __init__(self, cfg: Config) -> None:
        self.field: str = cfg.string("field")
        patterns = _patterns(cfg)
        self.ignore_missing = cfg.boolean("ignore_missing", True)
        self.prefix: str = cfg.string("prefix", "<")
        self.suffix: str = cfg.string("suffix", ">")
        cfg.boolean("skip_if_unlicensed", False)  # the embedded engine is always licensed
        self.trace = cfg.boolean("trace_redact", False)
        definitions = _definitions(cfg)
        try:
            bank = pattern_bank("v1", definitions)
            self.matchers: list[GrokMatcher] = [compile_expression(p, bank) for p in patterns]
        except GrokError as err:
            raise _invalid(cfg, patterns, err) from None

    def run(self, doc: IngestDocument) -> None:
        value = string_field(doc, self.field, True)
        if value is None:
            if self.ignore_missing:
                return
            raise illegal_argument(f"field [{self.field}] is null or missing")
        try:
            redacted = self.redact(value)
        except GrokTimeout as err:
            raise IngestError(
                "timeout_exception",
                "Grok pattern matching timed out",
                caused_by=IngestError("runtime_exception", str(err)),
            ) from None
        doc.set(self.field, redacted)
        if self.trace and doc.get(REDACT_TRACE_KEY, ignore_missing=True) is not True:
            doc.set(REDACT_TRACE_KEY, redacted != value)

    def redact(self, value: str) -> str:
        found: list[_Replacement] = []
        for matcher in self.matchers:
            name = _capture_name(matcher)
            found.extend(_Replacement(s, e, name) for s, e in iter_matches(matcher, value))
        if not found:
            return value
        out: list[str] = []
        pos = 0
        for rep in _merge(found):
            out.append(value[pos : rep.start])
            out.append(self.prefix + rep.name + self.suffix)
            pos = rep.end
        out.append(value[pos:])
        return "".join(out)


def _capture_name(matcher: GrokMatcher) -> Any:
    name = matcher.first_capture_name
    if name is None:
        raise IngestError("index_out_of_bounds_exception", "Index 0 out of bounds for length 0")
    return name


FACTORIES: dict[str, Factory] = {"grok": Grok, "redact": Redact}

"""Report stage, coverage: which processors of each pipeline ran; both outcomes of each ``if``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .backend import CoverageData, ProcessorHits
from .pipelines import PipelineFile, PipelineSet


@dataclass(frozen=True, slots=True)
class ProcessorCoverage:
    """One processor: where it is declared and how the tests exercised it."""

    file: str
    line: int
    pointer: str
    type: str
    tag: str | None
    role: str
    conditional: bool
    executed: int
    cond_true: int
    cond_false: int

    @property
    def covered(self) -> bool:
        return self.executed > 0

    @property
    def branches_covered(self) -> bool:
        return not self.conditional or (self.cond_true > 0 and self.cond_false > 0)

    @property
    def label(self) -> str:
        tag = f" (tag {self.tag})" if self.tag else ""
        return f"{self.type}{tag} at {self.file}:{self.line}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "pointer": self.pointer,
            "type": self.type,
            "tag": self.tag,
            "role": self.role,
            "executed": self.executed,
            "covered": self.covered,
            "if": {"true": self.cond_true, "false": self.cond_false} if self.conditional else None,
        }


@dataclass(frozen=True, slots=True)
class PipelineCoverage:
    """Coverage of one pipeline file; percentages count top-level processors, like ES stats."""

    data_stream: str
    pipeline: str
    file: str
    processors: tuple[ProcessorCoverage, ...]

    @property
    def top_level(self) -> tuple[ProcessorCoverage, ...]:
        return tuple(p for p in self.processors if p.role == "processor")

    @property
    def covered(self) -> int:
        return sum(1 for p in self.top_level if p.covered)

    @property
    def conditions(self) -> int:
        return sum(1 for p in self.top_level if p.conditional)

    @property
    def conditions_covered(self) -> int:
        return sum(1 for p in self.top_level if p.conditional and p.branches_covered)

    @property
    def percent(self) -> float:
        total = len(self.top_level)
        return 100.0 if total == 0 else 100.0 * self.covered / total

    def as_dict(self) -> dict[str, Any]:
        return {
            "data_stream": self.data_stream,
            "pipeline": self.pipeline,
            "file": self.file,
            "processors_total": len(self.top_level),
            "processors_covered": self.covered,
            "conditions_total": self.conditions,
            "conditions_both_ways": self.conditions_covered,
            "percent": round(self.percent, 2),
            "processors": [p.as_dict() for p in self.processors],
        }


@dataclass(frozen=True, slots=True)
class Coverage:
    """Coverage of every tested pipeline of a package."""

    pipelines: tuple[PipelineCoverage, ...]

    @property
    def total(self) -> int:
        return sum(len(p.top_level) for p in self.pipelines)

    @property
    def covered(self) -> int:
        return sum(p.covered for p in self.pipelines)

    @property
    def percent(self) -> float:
        return 100.0 if self.total == 0 else 100.0 * self.covered / self.total

    def uncovered(self) -> tuple[ProcessorCoverage, ...]:
        """Top-level processors that never ran."""
        return tuple(p for pc in self.pipelines for p in pc.top_level if not p.covered)

    def one_sided(self) -> tuple[ProcessorCoverage, ...]:
        """Top-level processors whose ``if`` was never true or never false."""
        return tuple(p for pc in self.pipelines for p in pc.top_level if not p.branches_covered)

    def require(self, percent: float = 100.0, *, both_ways: bool = False) -> None:
        """Raise AssertionError (with the table) below ``percent`` processor coverage.

        ``both_ways`` also requires every top-level ``if`` to have been true and false.
        """
        short = self.percent < percent
        if short or (both_ways and self.one_sided()):
            wanted = f"{percent:.1f}% processor coverage" + (", both ways" if both_ways else "")
            raise AssertionError(f"pipeline coverage below {wanted}:\n{self.table()}")

    def as_dict(self) -> dict[str, Any]:
        return {
            "processors_total": self.total,
            "processors_covered": self.covered,
            "percent": round(self.percent, 2),
            "pipelines": [p.as_dict() for p in self.pipelines],
        }

    def processor_table(self) -> str:
        """One row per processor: where it is, how often it ran, how its ``if`` came out."""
        rows = [("processor", "type", "tag", "role", "ran", "if true", "if false")]
        for pipeline in self.pipelines:
            for p in pipeline.processors:
                true, false = (str(p.cond_true), str(p.cond_false)) if p.conditional else ("", "")
                where = f"{p.file}:{p.line}"
                rows.append((where, p.type, p.tag or "", p.role, str(p.executed), true, false))
        return "\n".join(_rows(rows))

    def table(self) -> str:
        rows = [("data stream", "pipeline", "processors", "covered", "if both ways")]
        for p in self.pipelines:
            rows.append(
                (
                    p.data_stream,
                    p.file,
                    str(len(p.top_level)),
                    f"{p.covered} ({p.percent:.1f}%)",
                    f"{p.conditions_covered}/{p.conditions}",
                )
            )
        lines = _rows(rows)
        lines.append(f"total: {self.covered}/{self.total} processors ({self.percent:.1f}%)")
        lines.extend(f"  not run: {p.label}" for p in self.uncovered())
        for proc in self.one_sided():
            side = "false" if proc.cond_true else "true"
            lines.append(f"  if never {side}: {proc.label}")
        return "\n".join(lines)


def pipeline_coverage(
    data_stream: str, pipelines: PipelineSet, data: CoverageData
) -> tuple[PipelineCoverage, ...]:
    """Join the backend's hit counts with the pipeline files' line numbers.

    Top-level processors the backend never reported (their pipeline did not compile, or the
    backend has no per-processor figures) count as never run.
    """
    out = []
    for file in pipelines.files:
        hits = [h for h in data.processors if h.pipeline == file.id]
        seen = {h.pointer for h in hits}
        hits.extend(h for h in _declared(file) if h.pointer not in seen)
        hits.sort(key=lambda h: (file.source(h.pointer), file.line(h.pointer), str(h.pointer)))
        processors = tuple(
            ProcessorCoverage(
                file.source(h.pointer),
                file.line(h.pointer),
                "/" + "/".join(str(p) for p in h.pointer),
                h.type,
                h.tag,
                "routing" if file.source(h.pointer) != file.path else h.role,
                h.conditional,
                h.executed,
                h.cond_true,
                h.cond_false,
            )
            for h in hits
        )
        out.append(PipelineCoverage(data_stream, file.id, file.path, processors))
    return tuple(out)


def _declared(file: PipelineFile) -> list[ProcessorHits]:
    """Zero-hit entries for the top-level processors of a pipeline definition."""
    out = []
    for index, item in enumerate(file.definition.get("processors") or ()):
        if not isinstance(item, dict) or len(item) != 1:
            continue
        ((kind, body),) = item.items()
        body = body if isinstance(body, dict) else {}
        tag = body.get("tag")
        out.append(
            ProcessorHits(
                file.id,
                ("processors", index),
                str(kind),
                None if tag is None else str(tag),
                "processor",
                body.get("if") is not None,
            )
        )
    return out


def _rows(rows: Sequence[tuple[str, ...]]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return lines

"""Run stage, engine side: the ``Backend`` protocol the runner simulates documents through.

The default backend is the embedded ingest engine (``fleetpkg.ingest``); a backend for a real
cluster only has to implement ``simulate`` (and may return None from ``coverage``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

Pointer = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class SimulateRequest:
    """``POST _ingest/pipeline/<pipeline>/_simulate`` with ``{"docs": docs}`` as body."""

    pipeline: str
    docs: tuple[dict[str, Any], ...]

    def body(self) -> dict[str, Any]:
        return {"docs": list(self.docs)}


class BackendError(Exception):
    """The whole request failed; ``error`` is ES's error object, ``origin`` where (if known)."""

    def __init__(self, error: dict[str, Any], origin: Origin | None = None) -> None:
        super().__init__(str(error.get("reason", error)))
        self.error = error
        self.origin = origin


@dataclass(frozen=True, slots=True)
class Origin:
    """The processor an error comes from: pipeline id and JSON-pointer parts in its definition."""

    pipeline: str
    pointer: Pointer


@dataclass(frozen=True, slots=True)
class ProcessorHits:
    """How often one processor was reached, ran, and how its ``if`` evaluated."""

    pipeline: str
    pointer: Pointer
    type: str
    tag: str | None
    role: str  # "processor" (top level), "on_failure" or "nested"
    conditional: bool
    calls: int = 0
    cond_true: int = 0
    cond_false: int = 0

    @property
    def executed(self) -> int:
        return self.calls - self.cond_false


@dataclass(frozen=True, slots=True)
class CoverageData:
    """Processor hit counts for every processor of every compiled pipeline."""

    processors: tuple[ProcessorHits, ...] = ()

    def merged(self, other: CoverageData) -> CoverageData:
        table: dict[tuple[str, Pointer], ProcessorHits] = {
            (p.pipeline, p.pointer): p for p in self.processors
        }
        for hit in other.processors:
            key = (hit.pipeline, hit.pointer)
            old = table.get(key)
            if old is None:
                table[key] = hit
                continue
            table[key] = ProcessorHits(
                old.pipeline,
                old.pointer,
                old.type,
                old.tag,
                old.role,
                old.conditional,
                old.calls + hit.calls,
                old.cond_true + hit.cond_true,
                old.cond_false + hit.cond_false,
            )
        return CoverageData(tuple(table.values()))


class Backend(Protocol):
    """Something that runs ``_simulate`` requests against a set of named pipelines."""

    def simulate(
        self, request: SimulateRequest, pipelines: Mapping[str, dict[str, Any]]
    ) -> dict[str, Any]:
        """ES's response body ``{"docs": [...]}``; raises BackendError if the request fails.

        Each entry of ``docs`` is ``{"doc": {...}}``, ``{"error": {...}}`` (optionally with
        ``"origin": Origin``) or None for a dropped document. A backend that can tell may add
        ``"gaps": [(reason, Origin), ...]``: engine gaps hit while processing the document, even
        when an ``on_failure`` handler hid them.
        """
        ...

    def coverage(self) -> CoverageData | None:
        """Processor hit counts accumulated so far, or None if the backend cannot tell."""
        ...


BackendFactory = Callable[[], Backend]


@dataclass(frozen=True, slots=True)
class EmbeddedFactory:
    """Creates embedded backends (picklable, so parallel workers can build their own)."""

    geoip_dir: str | None = None

    def __call__(self) -> Backend:
        from .embedded import EmbeddedBackend

        return EmbeddedBackend(geoip_dir=self.geoip_dir)

"""Run stage, default backend: the embedded ingest engine, instrumented for coverage and origins."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from fleetpkg.ingest.document import IngestDocument
from fleetpkg.ingest.errors import IngestError
from fleetpkg.ingest.pipeline import Compiler, Executor, Pipeline
from fleetpkg.ingest.processors.base import DropDocument, Processor

from .backend import BackendError, CoverageData, Origin, Pointer, ProcessorHits, SimulateRequest
from .gaps import unsupported_reason
from .geoip import geoip_dir_path

_ORIGIN = "_fleetpkg_origin"


@dataclass(slots=True)
class _Counter:
    pipeline: str
    pointer: Pointer
    type: str
    tag: str | None
    role: str
    conditional: bool
    calls: int = 0
    cond_true: int = 0
    cond_false: int = 0

    def freeze(self) -> ProcessorHits:
        return ProcessorHits(
            self.pipeline,
            self.pointer,
            self.type,
            self.tag,
            self.role,
            self.conditional,
            self.calls,
            self.cond_true,
            self.cond_false,
        )


class _Watch:
    """Notes engine gaps raised in a processor, also when on_failure or ignore_failure hide them."""

    __slots__ = ("log", "origin")

    def __init__(self, log: list[tuple[str, Origin]], origin: Origin) -> None:
        self.log = log
        self.origin = origin

    def check(self, exc: BaseException) -> None:
        if isinstance(exc, DropDocument):
            return
        if isinstance(exc, IngestError):
            if exc.extra.get("_gap_seen"):
                return
            exc.extra["_gap_seen"] = True
            reason = unsupported_reason(exc.to_es())
        else:
            if getattr(exc, "_fleetpkg_gap_seen", False):
                return
            setattr(exc, "_fleetpkg_gap_seen", True)  # noqa: B010 - any exception type
            reason = f"engine error: {type(exc).__name__}: {exc}"
        if reason is not None:
            known = exc.extra.get(_ORIGIN) if isinstance(exc, IngestError) else None
            self.log.append((reason, known if isinstance(known, Origin) else self.origin))

    def wrap(self, p: Processor) -> None:
        """Shadow ``p.run`` with a version that reports gaps before re-raising."""
        original = p.run

        def run(doc: IngestDocument) -> None:
            try:
                original(doc)
            except BaseException as exc:
                self.check(exc)
                raise

        with contextlib.suppress(AttributeError):  # a processor class with __slots__
            setattr(p, "run", run)  # noqa: B010 - instance attribute shadows the method


class _CountingCondition:
    """Wraps a processor's ``if`` and counts true and false outcomes."""

    __slots__ = ("counter", "inner", "watch")

    def __init__(self, inner: Any, counter: _Counter, watch: _Watch) -> None:
        self.inner = inner
        self.counter = counter
        self.watch = watch

    @property
    def source(self) -> str:
        return str(self.inner.source)

    def test(self, doc: IngestDocument) -> bool:
        try:
            result = bool(self.inner.test(doc))
        except BaseException as exc:
            self.watch.check(exc)
            raise
        if result:
            self.counter.cond_true += 1
        else:
            self.counter.cond_false += 1
        return result


def _child_pointers(definition: Any, processor: Processor, base: Pointer) -> list[Pointer]:
    """Where each of ``processor.children()`` sits inside the processor's own config."""
    body = definition.get(processor.type) if isinstance(definition, dict) else None
    out: list[Pointer] = []
    used: set[Pointer] = set()
    for child in processor.children():
        found: Pointer = base
        for key, value in (body or {}).items() if isinstance(body, dict) else ():
            items = value if isinstance(value, list) else [value]
            for index, item in enumerate(items):
                where: Pointer = (*base, processor.type, key)
                where = (*where, index) if isinstance(value, list) else where
                if isinstance(item, dict) and child.type in item and where not in used:
                    found = where
                    break
            if found != base:
                break
        used.add(found)
        out.append(found)
    return out


@dataclass
class InstrumentedCompiler(Compiler):
    """A compiler that remembers where every compiled processor came from."""

    counters: dict[int, _Counter] = field(default_factory=dict)
    gaps: list[tuple[str, Origin]] = field(default_factory=list)
    failures: dict[str, IngestError] = field(default_factory=dict)

    def named(self, pipeline_id: str) -> Pipeline | None:
        """Like ES, a pipeline that does not compile fails every time (compiled only once here)."""
        failed = self.failures.get(pipeline_id)
        if failed is not None:
            raise _fresh(failed)
        try:
            return super().named(pipeline_id)
        except IngestError as err:
            self.failures[pipeline_id] = _fresh(err)
            raise

    def pipeline(self, pipeline_id: str, definition: Any) -> Pipeline:
        try:
            compiled = super().pipeline(pipeline_id, definition)
        except IngestError as err:
            err.extra.setdefault(_ORIGIN, Origin(pipeline_id, self._locate(definition)))
            raise
        definition = definition if isinstance(definition, dict) else {}
        self._register_all(
            pipeline_id, compiled.processors, definition, ("processors",), "processor"
        )
        self._register_all(
            pipeline_id, compiled.on_failure, definition, ("on_failure",), "on_failure"
        )
        return compiled

    def _locate(self, definition: Any) -> Pointer:
        if not isinstance(definition, dict):
            return ()
        for key in ("processors", "on_failure"):
            defs = definition.get(key)
            for index, item in enumerate(defs if isinstance(defs, list) else ()):
                try:
                    self.processor(item)
                except IngestError:
                    return (key, index)
        return ()

    def _register_all(
        self,
        pipeline_id: str,
        processors: tuple[Processor, ...],
        definition: dict[str, Any],
        base: Pointer,
        role: str,
    ) -> None:
        defs = _dig(definition, base)
        for index, processor in enumerate(processors):
            item = defs[index] if isinstance(defs, list) and index < len(defs) else None
            self._register(pipeline_id, processor, item, (*base, index), role)

    def _register(
        self, pipeline_id: str, p: Processor, definition: Any, where: Pointer, role: str
    ) -> None:
        counter = _Counter(pipeline_id, where, p.type, p.tag, role, p.condition is not None)
        self.counters[id(p)] = counter
        watch = _Watch(self.gaps, Origin(pipeline_id, where))
        watch.wrap(p)
        if p.condition is not None and not isinstance(p.condition, _CountingCondition):
            with contextlib.suppress(AttributeError):
                p.condition = _CountingCondition(p.condition, counter, watch)  # type: ignore[assignment]
        body = definition.get(p.type) if isinstance(definition, dict) else None
        handlers = body.get("on_failure") if isinstance(body, dict) else None
        for index, handler in enumerate(p.on_failure):
            item = handlers[index] if isinstance(handlers, list) and index < len(handlers) else None
            self._register(
                pipeline_id, handler, item, (*where, p.type, "on_failure", index), "on_failure"
            )
        for child, pointer in zip(p.children(), _child_pointers(definition, p, where), strict=True):
            self._register(
                pipeline_id, child, _dig_any(definition, pointer[len(where) :]), pointer, "nested"
            )


def _fresh(err: IngestError) -> IngestError:
    """A copy of a compile error not yet marked as seen by any processor watch."""
    extra = {k: v for k, v in err.extra.items() if k != "_gap_seen"}
    return IngestError(
        err.type, err.reason, metadata=err.metadata, caused_by=err.caused_by, extra=extra
    )


def _dig(value: Any, parts: Pointer) -> Any:
    for part in parts:
        if isinstance(value, dict) and isinstance(part, str):
            value = value.get(part)
        elif isinstance(value, list) and isinstance(part, int) and part < len(value):
            value = value[part]
        else:
            return None
    return value


def _dig_any(value: Any, parts: Pointer) -> Any:
    return _dig(value, parts) if parts else None


class InstrumentedExecutor(Executor):
    """Counts processor calls and tags escaping errors with the processor they come from."""

    compiler: InstrumentedCompiler

    def run_processor(self, p: Processor, doc: IngestDocument) -> None:
        counter = self.compiler.counters.get(id(p))
        if counter is not None:
            counter.calls += 1
        try:
            super().run_processor(p, doc)
        except DropDocument:
            raise
        except IngestError as err:
            if counter is not None:
                err.extra.setdefault(_ORIGIN, Origin(counter.pipeline, counter.pointer))
            raise
        except Exception as exc:
            if counter is not None and not hasattr(exc, _ORIGIN):
                setattr(exc, _ORIGIN, Origin(counter.pipeline, counter.pointer))
            raise


def crash_error(exc: BaseException) -> dict[str, Any]:
    """An engine crash (a Python exception) in the shape of an ES error object."""
    reason = f"{type(exc).__name__}: {exc}"
    return {
        "root_cause": [{"type": "engine_crash", "reason": reason}],
        "type": "engine_crash",
        "reason": reason,
    }


class EmbeddedBackend:
    """Simulates on the embedded engine; one compiler per pipeline set, reused across requests.

    ``geoip_dir``: the GeoIP databases of geoip processors (default: the shipped test ones).
    """

    def __init__(self, geoip_dir: str | os.PathLike[str] | None = None) -> None:
        self.geoip_dir = geoip_dir_path(geoip_dir)
        self._compilers: list[tuple[Mapping[str, Any], InstrumentedCompiler]] = []

    def _compiler(self, pipelines: Mapping[str, dict[str, Any]]) -> InstrumentedCompiler:
        for known, compiler in self._compilers:
            if known is pipelines:
                return compiler
        compiler = InstrumentedCompiler(dict(pipelines), geoip_dir=self.geoip_dir)
        for pipeline_id in pipelines:
            with contextlib.suppress(IngestError):  # reported when a document reaches it
                compiler.named(pipeline_id)
        self._compilers.append((pipelines, compiler))
        return compiler

    def simulate(
        self, request: SimulateRequest, pipelines: Mapping[str, dict[str, Any]]
    ) -> dict[str, Any]:
        compiler = self._compiler(pipelines)
        try:
            entry = compiler.named(request.pipeline)
        except IngestError as err:
            raise BackendError(err.to_es(), err.extra.get(_ORIGIN)) from None
        except Exception as exc:  # an engine crash while compiling
            raise BackendError(crash_error(exc), getattr(exc, _ORIGIN, None)) from None
        if entry is None:
            reason = f"pipeline with id [{request.pipeline}] does not exist"
            raise BackendError({"type": "resource_not_found_exception", "reason": reason})
        executor = InstrumentedExecutor(compiler)
        return {"docs": [self._run(executor, entry, d) for d in request.docs]}

    def _run(
        self, executor: InstrumentedExecutor, entry_pipeline: Pipeline, raw: dict[str, Any]
    ) -> dict[str, Any] | None:
        meta = {
            "_index": raw.get("_index", "_index"),
            "_id": raw.get("_id", "_id"),
            "_version": "-3",
        }
        doc = IngestDocument(raw["_source"], meta)
        doc.executor = executor
        gaps = executor.compiler.gaps
        gaps.clear()
        entry: dict[str, Any] | None
        try:
            executor.run_pipeline(entry_pipeline, doc)
            entry = {"doc": doc.to_es()}
        except DropDocument:
            entry = None
        except IngestError as err:
            entry = {"error": err.to_es(), "origin": err.extra.get(_ORIGIN)}
        except Exception as exc:  # the engine's own bug: report, never crash the run
            entry = {"error": crash_error(exc), "origin": getattr(exc, _ORIGIN, None)}
        if gaps:
            entry = dict(entry or {}, gaps=list(dict.fromkeys(gaps)))
        return entry

    def coverage(self) -> CoverageData:
        data = CoverageData()
        for _, compiler in self._compilers:
            data = data.merged(CoverageData(tuple(c.freeze() for c in compiler.counters.values())))
        return data

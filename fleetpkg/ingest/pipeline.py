"""Pipelines: compile definitions into processor objects once, then run documents through them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .document import IngestDocument
from .errors import IngestError, config_error, illegal_state, java_type_name
from .processors import PROCESSORS
from .processors.base import Config, DropDocument, Processor
from .scripting import compile_condition
from .trace import Trace

SIMULATE_PIPELINE_ID = "_simulate_pipeline"
ON_FAILURE_KEYS = (
    "on_failure_message",
    "on_failure_processor_type",
    "on_failure_processor_tag",
    "on_failure_pipeline",
)


@dataclass(frozen=True, slots=True)
class Pipeline:
    """A compiled pipeline: processors plus the pipeline-level ``on_failure``."""

    id: str
    description: str | None
    processors: tuple[Processor, ...]
    on_failure: tuple[Processor, ...]
    flexible: bool = False


@dataclass
class Compiler:
    """Builds processors from definitions and resolves named pipelines (compiled lazily).

    ``geoip_dir`` is where geoip processors find their ``.mmdb`` databases (None: no databases,
    documents are tagged ``_geoip_database_unavailable_<file>`` as ES does).
    """

    definitions: Mapping[str, Any] = field(default_factory=dict)
    _compiled: dict[str, Pipeline] = field(default_factory=dict)
    geoip_dir: Path | None = None

    def pipeline(self, pipeline_id: str, definition: Any) -> Pipeline:
        if not isinstance(definition, dict):
            raise IngestError("parse_exception", "pipeline definition must be an object")
        data = dict(definition)
        description = data.pop("description", None)
        processors = self.processors(data.pop("processors", None), None, None)
        on_failure_def = data.pop("on_failure", None)
        if on_failure_def is not None and not on_failure_def:
            raise IngestError(
                "parse_exception",
                f"pipeline [{pipeline_id}] cannot have an empty on_failure option defined",
            )
        on_failure = self.processors(on_failure_def, None, None) if on_failure_def else ()
        access = data.pop("field_access_pattern", "classic")
        if access not in ("classic", "flexible"):
            raise IngestError("parse_exception", f"Unsupported field access pattern [{access}]")
        for key in ("version", "_meta", "deprecated", "created_date", "modified_date"):
            data.pop(key, None)
        if data:
            raise IngestError(
                "parse_exception",
                f"pipeline [{pipeline_id}] doesn't support one or more provided configuration "
                f"parameters {list(data)}",
            )
        return Pipeline(pipeline_id, description, processors, on_failure, access == "flexible")

    def named(self, pipeline_id: str) -> Pipeline | None:
        if pipeline_id in self._compiled:
            return self._compiled[pipeline_id]
        definition = self.definitions.get(pipeline_id)
        if definition is None:
            return None
        compiled = self.pipeline(pipeline_id, definition)
        self._compiled[pipeline_id] = compiled
        return compiled

    def processors(
        self, defs: Any, parent_type: str | None, parent_tag: str | None
    ) -> tuple[Processor, ...]:
        if defs is None:
            return ()
        if not isinstance(defs, list):
            raise config_error(
                f"property isn't a list, but of type [{java_type_name(defs)}]",
                processor_type=parent_type,
                tag=parent_tag,
                property_name="processors",
            )
        return tuple(self.processor(d) for d in defs)

    def processor(self, definition: Any) -> Processor:
        if not isinstance(definition, dict) or len(definition) != 1:
            raise IngestError("parse_exception", "processor definition must be a single-key map")
        ((ptype, raw),) = definition.items()
        factory = PROCESSORS.get(ptype)
        if raw is None:
            raw = {}
        if not isinstance(raw, dict):
            if ptype == "script" and isinstance(raw, str):
                raw = {"source": raw}
            else:
                raise config_error(
                    f"property isn't a map, but of type [{java_type_name(raw)}]",
                    processor_type=ptype,
                )
        data = dict(raw)
        tag = data.pop("tag", None)
        tag = None if tag is None else str(tag)
        if factory is None:
            raise config_error(
                f"No processor type exists with name [{ptype}]", processor_type=ptype, tag=tag
            )
        return self._build(ptype, data, tag, factory)

    def _build(self, ptype: str, data: dict[str, Any], tag: str | None, factory: Any) -> Processor:
        description = data.pop("description", None)
        condition_spec = data.pop("if", None)
        cfg = Config(ptype, data, tag, self)
        ignore_failure = cfg.boolean("ignore_failure", False)
        on_failure_def = data.pop("on_failure", None)
        if on_failure_def is not None and not on_failure_def:
            raise cfg.error("on_failure", "processors list cannot be empty")
        on_failure = self.processors(on_failure_def, ptype, tag) if on_failure_def else ()
        condition = compile_condition(condition_spec) if condition_spec is not None else None
        processor: Processor = factory(cfg)
        cfg.finish()
        processor.tag = tag
        processor.description = description
        processor.condition = condition
        processor.ignore_failure = ignore_failure
        processor.on_failure = on_failure
        return processor


# ------------------------------------------------------------------ execution


class Executor:
    """Runs documents through compiled pipelines, recording verbose results when asked."""

    def __init__(self, compiler: Compiler, trace: Trace | None = None) -> None:
        self.compiler = compiler
        self.trace = trace

    def run_pipeline(self, pipeline: Pipeline, doc: IngestDocument) -> None:
        """Run one pipeline (as the top level or via a ``pipeline`` processor)."""
        if pipeline.id in doc.pipeline_stack:
            raise illegal_state(f"Cycle detected for pipeline: {pipeline.id}")
        previous = doc.ingest.get("pipeline")
        previous_flexible = doc.flexible
        doc.ingest["pipeline"] = pipeline.id
        doc.flexible = pipeline.flexible
        doc.pipeline_stack.append(pipeline.id)
        try:
            try:
                self.run_processors(pipeline.processors, doc)
            except IngestError as err:
                if not pipeline.on_failure:
                    raise
                self._on_failure(pipeline.on_failure, err, doc)
        finally:
            doc.pipeline_stack.pop()
            doc.flexible = previous_flexible
            doc.terminated = False
            if previous is None:
                doc.ingest.pop("pipeline", None)
            else:
                doc.ingest["pipeline"] = previous

    def run_processors(self, processors: tuple[Processor, ...], doc: IngestDocument) -> None:
        for processor in processors:
            if doc.terminated or doc.rerouted:
                return
            self.run_processor(processor, doc)

    def run_processor(self, p: Processor, doc: IngestDocument) -> None:
        trace = self.trace
        try:
            if p.condition is not None and not p.condition.test(doc):
                if trace is not None:
                    trace.skipped(p, doc)
                return
            p.run(doc)
        except DropDocument:
            # A drop inside a called pipeline has its own entry; the pipeline processor none.
            if trace is not None and p.type != "pipeline":
                trace.dropped(p, doc)
            raise
        except IngestError as err:
            err = _with_origin(err, p, doc)
            if p.ignore_failure:
                # An error from inside a called pipeline is recorded where it happened only.
                if trace is not None and not _already_traced(err):
                    trace.ignored(p, doc, err)
                return
            if trace is not None and not _already_traced(err):
                trace.error(p, doc, err)
                err.extra["_traced"] = True
            if not p.on_failure:
                raise
            self._on_failure(p.on_failure, err, doc)
            return
        if trace is not None and p.type != "pipeline":
            trace.success(p, doc)

    def _on_failure(
        self, handlers: tuple[Processor, ...], err: IngestError, doc: IngestDocument
    ) -> None:
        saved = {k: doc.ingest[k] for k in ON_FAILURE_KEYS if k in doc.ingest}
        doc.ingest["on_failure_message"] = _root_message(err)
        doc.ingest["on_failure_processor_type"] = err.extra.get("_processor_type")
        doc.ingest["on_failure_processor_tag"] = err.extra.get("_processor_tag")
        doc.ingest["on_failure_pipeline"] = err.extra.get("_pipeline")
        try:
            self.run_processors(handlers, doc)
        finally:
            for key in ON_FAILURE_KEYS:
                doc.ingest.pop(key, None)
            doc.ingest.update(saved)


def _with_origin(err: IngestError, p: Processor, doc: IngestDocument) -> IngestError:
    """Remember which processor and pipeline failed first (ES's exception headers)."""
    if "_processor_type" not in err.extra:
        err.extra["_processor_type"] = p.type
        err.extra["_processor_tag"] = p.tag
        err.extra["_pipeline"] = doc.pipeline_stack[-1] if doc.pipeline_stack else None
    return err


def _already_traced(err: IngestError) -> bool:
    return bool(err.extra.get("_traced"))


def _root_message(err: IngestError) -> str:
    inner = err
    while inner.caused_by is not None:
        inner = inner.caused_by
    return inner.reason or ""

"""Processors of the flow family: drop, fail, foreach, pipeline, terminate, reroute."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..document import IngestDocument
from ..errors import IngestError, illegal_argument, illegal_state, java_type_name
from ..mustache import Template, compile_template
from .base import Config, DropDocument, Factory, Processor, render_field

if TYPE_CHECKING:
    from ..pipeline import Executor, Pipeline


class Drop(Processor):
    type = "drop"

    def __init__(self, cfg: Config) -> None:
        pass

    def run(self, doc: IngestDocument) -> None:
        raise DropDocument


class Fail(Processor):
    type = "fail"

    def __init__(self, cfg: Config) -> None:
        self.message = cfg.template("message")

    def run(self, doc: IngestDocument) -> None:
        raise IngestError("fail_processor_exception", render_field(self.message, doc))


class Terminate(Processor):
    type = "terminate"

    def __init__(self, cfg: Config) -> None:
        pass

    def run(self, doc: IngestDocument) -> None:
        doc.terminated = True


def _executor(doc: IngestDocument) -> Executor:
    executor: Executor | None = doc.executor
    if executor is None:
        raise illegal_state("document is not being executed by a pipeline")
    return executor


def _untraced(executor: Executor) -> Executor:
    """ES decorates only a pipeline's own processors for verbose simulate: a foreach runs its
    processor (and any pipeline that one calls) without entries of their own."""
    if executor.trace is None:
        return executor
    from ..pipeline import Executor as PlainExecutor

    return PlainExecutor(executor.compiler)


class Foreach(Processor):
    type = "foreach"

    def __init__(self, cfg: Config) -> None:
        self.field = cfg.template("field")
        self.ignore_missing = cfg.boolean("ignore_missing", False)
        definition = cfg.mapping("processor")
        if len(definition) != 1:
            raise cfg.error("processor", "Must specify exactly one processor type")
        self.processor = cfg.compiler.processor(definition)

    def children(self) -> tuple[Processor, ...]:
        return (self.processor,)

    def run(self, doc: IngestDocument) -> None:
        field = render_field(self.field, doc)
        values = doc.get(field, ignore_missing=self.ignore_missing)
        if values is None:
            if self.ignore_missing:
                return
            raise illegal_argument(f"field [{field}] is null, cannot loop over its elements.")
        saved: dict[str, Any] = {k: doc.ingest[k] for k in ("_value", "_key") if k in doc.ingest}
        outer = doc.executor
        doc.executor = _untraced(_executor(doc))
        try:
            if isinstance(values, list):
                doc.set(field, self._each_list(values, doc))
            elif isinstance(values, dict):
                doc.set(field, self._each_map(values, doc))
            else:
                raise illegal_argument(
                    f"field [{field}] of type [{java_type_name(values)}] cannot be cast to a "
                    "list or map"
                )
        finally:
            doc.executor = outer
            doc.ingest.pop("_value", None)
            doc.ingest.pop("_key", None)
            doc.ingest.update(saved)

    def _each_list(self, values: list[Any], doc: IngestDocument) -> list[Any]:
        executor = _executor(doc)
        out: list[Any] = []
        for value in values:
            doc.ingest["_value"] = value
            executor.run_processor(self.processor, doc)
            out.append(doc.ingest.get("_value"))
        return out

    def _each_map(self, values: dict[str, Any], doc: IngestDocument) -> dict[str, Any]:
        executor = _executor(doc)
        out: dict[str, Any] = {}
        for key, value in values.items():
            doc.ingest["_key"] = key
            doc.ingest["_value"] = value
            executor.run_processor(self.processor, doc)
            out[str(doc.ingest.get("_key"))] = doc.ingest.get("_value")
        return out


class PipelineProcessor(Processor):
    type = "pipeline"

    def __init__(self, cfg: Config) -> None:
        self.name = cfg.template("name")
        self.ignore_missing_pipeline = cfg.boolean("ignore_missing_pipeline", False)

    def run(self, doc: IngestDocument) -> None:
        executor = _executor(doc)
        name = render_field(self.name, doc)
        pipeline = executor.compiler.named(name)
        if pipeline is None:
            self._missing(executor, name, doc)
            return
        if name in doc.pipeline_stack:
            raise illegal_state(f"Cycle detected for pipeline: {name}")
        if executor.trace is not None:
            _check_cycles(executor, pipeline, doc)
            executor.trace.pipeline_entry(self, doc)
        executor.run_pipeline(pipeline, doc)

    def _missing(self, executor: Executor, name: str, doc: IngestDocument) -> None:
        """No such pipeline: ES's error, recorded as verbose simulate records it.

        ES's TrackingResultProcessor reports an ``IllegalArgumentException`` (not the
        ``IllegalStateException`` of a normal run) in its own entry: ``error_ignored`` with the
        document under ``ignore_missing_pipeline``, else ``error`` (even under ignore_failure).
        """
        reason = f"Pipeline processor configured for non-existent pipeline [{name}]"
        trace = executor.trace
        if trace is None:
            if self.ignore_missing_pipeline:
                return
            raise illegal_state(reason)
        err = illegal_argument(reason)
        if self.ignore_missing_pipeline:
            trace.ignored(self, doc, err)
            return
        trace.error(self, doc, err)
        err.extra["_traced"] = True
        raise err


def _check_cycles(executor: Executor, pipeline: Pipeline, doc: IngestDocument) -> None:
    """Verbose simulate first runs a called pipeline on a copy to detect cycles, as ES does."""
    from ..pipeline import Executor as PlainExecutor

    probe = doc.snapshot()
    probe.pipeline_stack = list(doc.pipeline_stack)
    probe.executor = PlainExecutor(executor.compiler)
    try:
        probe.executor.run_pipeline(pipeline, probe)
    except IngestError as err:
        if err.type == "illegal_state_exception" and (err.reason or "").startswith(
            "Cycle detected"
        ):
            raise IngestError(err.type, err.reason) from None
    except DropDocument:
        pass


_DISALLOWED = re.compile(r"[\\/*?\"<>| ,#:\-]")
_FIELD_REF = re.compile(r"^\{\{\{?\s*([^{}\s]+)\s*\}?\}\}$")


def _sanitize(value: str, *, namespace: bool) -> str:
    cleaned = _DISALLOWED.sub("_", value.lower())
    return cleaned[:100]


class Reroute(Processor):
    type = "reroute"

    def __init__(self, cfg: Config) -> None:
        self.destination = cfg.template("destination", None)
        self.dataset = self._values(cfg, "dataset")
        self.namespace = self._values(cfg, "namespace")
        if self.destination is not None and (self.dataset or self.namespace):
            raise cfg.error("destination", "can only be set if dataset and namespace are not set")

    @staticmethod
    def _values(cfg: Config, key: str) -> tuple[Template, ...]:
        raw = cfg.string_or_list(key, None)
        return tuple(compile_template(v) for v in raw or ())

    def run(self, doc: IngestDocument) -> None:
        if self.destination is not None:
            doc.meta["_index"] = render_field(self.destination, doc)
            doc.rerouted = True
            return
        index = str(doc.meta.get("_index", ""))
        parts = index.split("-")
        if len(parts) < 3:
            raise illegal_argument(
                f"invalid data stream name: [{index}]; must follow naming scheme "
                "<type>-<dataset>-<namespace>"
            )
        ds_type, current_ds, current_ns = parts[0], "-".join(parts[1:-1]), parts[-1]
        dataset = self._pick(self.dataset, doc, "data_stream.dataset", current_ds, False)
        namespace = self._pick(self.namespace, doc, "data_stream.namespace", current_ns, True)
        doc.meta["_index"] = f"{ds_type}-{dataset}-{namespace}"
        _set_field(doc, "data_stream.type", ds_type)
        _set_field(doc, "data_stream.dataset", dataset)
        _set_field(doc, "data_stream.namespace", namespace)
        if "event.dataset" in doc.source or doc.has("event.dataset"):
            _set_field(doc, "event.dataset", dataset)
        doc.rerouted = True

    @staticmethod
    def _pick(
        options: tuple[Template, ...],
        doc: IngestDocument,
        default_field: str,
        fallback: str,
        namespace: bool,
    ) -> str:
        candidates = options or (compile_template("{{" + default_field + "}}"),)
        for template in candidates:
            ref = _FIELD_REF.match(template.source)
            if ref is not None:
                value = _get_field(doc, ref.group(1))
                if isinstance(value, str) and value:
                    return _sanitize(value, namespace=namespace)
                continue
            rendered = template.render(doc.render_context())
            if rendered:
                return _sanitize(rendered, namespace=namespace)
        return fallback


def _get_field(doc: IngestDocument, path: str) -> Any:
    """A field's value, a literal dotted key (``"data_stream.dataset": …``) first (ES ≥ 8.8)."""
    literal = doc.source.get(path) if "." in path else None
    if isinstance(literal, str):
        return literal
    return doc.get(path, ignore_missing=True)


def _set_field(doc: IngestDocument, path: str, value: Any) -> None:
    """Update a literal dotted key in place when the document has one, else the nested field."""
    if "." in path and path in doc.source:
        doc.source[path] = value
    else:
        doc.set(path, value)


class Remediate(Processor):
    """Restores a failure-store document (``document.source`` etc.) to its original shape."""

    type = "remediate"

    def __init__(self, cfg: Config) -> None:
        pass

    def run(self, doc: IngestDocument) -> None:
        doc.get("document")
        source = doc.get("document.source")
        if not isinstance(source, dict):
            raise illegal_argument(
                f"field [document.source] of type [{java_type_name(source)}] cannot be cast to "
                "[java.util.Map]"
            )
        for meta_key, key in (("_index", "index"), ("_id", "id"), ("_routing", "routing")):
            value = doc.get(f"document.{key}", ignore_missing=True)
            if value is not None:
                doc.meta[meta_key] = value
        doc.source.clear()
        doc.source.update(source)


FACTORIES: dict[str, Factory] = {
    "remediate": Remediate,
    "drop": Drop,
    "fail": Fail,
    "terminate": Terminate,
    "foreach": Foreach,
    "pipeline": PipelineProcessor,
    "reroute": Reroute,
}

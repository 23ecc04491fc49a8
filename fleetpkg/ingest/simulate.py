"""``POST _ingest/pipeline/_simulate``: request body in, ES response body out."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .document import METADATA_KEYS, IngestDocument
from .errors import IngestError, java_type_name
from .pipeline import SIMULATE_PIPELINE_ID, Compiler, Executor, Pipeline
from .processors.base import DropDocument
from .trace import Trace

# Metadata a simulate doc may carry (``_dynamic_templates`` only comes from bulk requests).
_DOC_META = tuple(sorted(METADATA_KEYS - {"_dynamic_templates"}))


def _missing(prop: str) -> IngestError:
    return IngestError(
        "parse_exception",
        f"[{prop}] required property is missing",
        metadata={"property_name": prop},
    )


def parse_docs(request: Mapping[str, Any]) -> list[IngestDocument]:
    """``SimulatePipelineRequest.parseDocs``: ``docs`` read with ConfigurationUtils' wording."""
    docs = request.get("docs")
    if docs is None:
        raise _missing("docs")
    if not isinstance(docs, list):
        raise _wrong_type("docs", docs, "a list")
    if not docs:
        raise IngestError(
            "illegal_argument_exception", "must specify at least one document in [docs]"
        )
    return [_parse_doc(d) for d in docs]


def _wrong_type(prop: str, value: Any, what: str) -> IngestError:
    return IngestError(
        "parse_exception",
        f"[{prop}] property isn't {what}, but of type [{java_type_name(value)}]",
        metadata={"property_name": prop},
    )


def _parse_doc(entry: Any) -> IngestDocument:
    if not isinstance(entry, dict):
        raise IngestError(
            "illegal_argument_exception", "malformed [docs] section, should include an inner object"
        )
    source = entry.get("_source")
    if source is None:
        raise _missing("_source")
    if not isinstance(source, dict):
        raise _wrong_type("_source", source, "a map")
    meta: dict[str, Any] = {"_index": "_index", "_id": "_id", "_version": "-3"}
    for key in _DOC_META:
        if key in entry and entry[key] is not None:
            meta[key] = entry[key]
    return IngestDocument(source, meta)


def compile_request(
    request: Mapping[str, Any],
    pipelines: Mapping[str, Any] | None,
    geoip_dir: str | os.PathLike[str] | None = None,
) -> tuple[Compiler, Pipeline]:
    if not isinstance(request, Mapping):
        raise IngestError("parse_exception", "request body is required")
    definition = request.get("pipeline")
    if definition is None:
        raise _missing("pipeline")
    if not isinstance(definition, dict):
        raise _wrong_type("pipeline", definition, "a map")
    compiler = Compiler(dict(pipelines or {}), geoip_dir=_directory(geoip_dir))
    return compiler, compiler.pipeline(SIMULATE_PIPELINE_ID, definition)


def _directory(value: str | os.PathLike[str] | None) -> Path | None:
    return None if value is None else Path(value)


def run_document(
    executor: Executor, pipeline: Pipeline, doc: IngestDocument
) -> dict[str, Any] | None:
    """Run one document; the ES result entry (``doc`` or ``error``), None when dropped."""
    doc.executor = executor
    try:
        executor.run_pipeline(pipeline, doc)
    except DropDocument:
        return None
    except IngestError as err:
        return {"error": err.to_es()}
    return {"doc": doc.to_es()}


def simulate(
    request: dict[str, Any],
    *,
    pipelines: dict[str, dict[str, Any]] | None = None,
    verbose: bool = False,
    geoip_dir: str | os.PathLike[str] | None = None,
) -> dict[str, Any]:
    """Run ``request`` (the body of ``_ingest/pipeline/_simulate``) and return ES's response.

    ``geoip_dir``: the directory of the ``.mmdb`` files geoip processors read (ES's names,
    ``GeoLite2-City.mmdb``…, or MaxMind's ``-Test`` names); None: no GeoIP databases.
    """
    compiler, pipeline = compile_request(request, pipelines, geoip_dir)
    docs = parse_docs(request)
    if not verbose:
        executor = Executor(compiler)
        return {"docs": [run_document(executor, pipeline, doc) for doc in docs]}
    results: list[dict[str, Any] | None] = []
    for doc in docs:
        trace = Trace()
        run_document(Executor(compiler, trace), pipeline, doc)
        results.append({"processor_results": trace.results})
    return {"docs": results}

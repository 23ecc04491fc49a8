"""Run stage: every pipeline test case of a package, data streams in parallel."""

from __future__ import annotations

import ipaddress
import os
import pickle
import time
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from fleetpkg.packagedir import DataStream, Package, PackageError, load_package, version_tuple

from .backend import (
    Backend,
    BackendError,
    BackendFactory,
    EmbeddedFactory,
    Origin,
    SimulateRequest,
)
from .cases import TestCase, load_case, read_events, read_expected
from .compare import DIFF_REASON, check_dynamic, equal, strip_dynamic, unified_diff
from .coverage import Coverage, PipelineCoverage, pipeline_coverage
from .fieldcheck import Options as ValidateOptions
from .fieldcheck import Validator, go_value
from .fielddefs import FieldSet, load_fields
from .gaps import describe, unsupported_reason
from .geoip import allowed_networks, missing_databases
from .jsonfmt import escape_html, format_json
from .pipelines import PipelineSet, load_pipelines
from .results import (
    ERROR,
    FAIL,
    PASS,
    SKIP,
    UNSUPPORTED,
    CaseResult,
    DataStreamResult,
    PackageResult,
    RunOptions,
)


@dataclass(frozen=True, slots=True)
class _Context:
    package: Package
    stream: DataStream
    pipelines: PipelineSet
    definitions: dict[str, dict[str, Any]]
    fields: FieldSet
    backend: Backend
    options: RunOptions
    networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = field(default=())

    def where(self, origin: Any) -> str:
        if not isinstance(origin, Origin):
            return ""
        file = self.pipelines.by_id(origin.pipeline)
        if file is None:
            return f" at pipeline {origin.pipeline}"
        return f" at {file.source(origin.pointer)}:{file.line(origin.pointer)}"


def run_case(ctx: _Context, case: TestCase) -> CaseResult:
    started = time.perf_counter()
    result = _run_case(ctx, case)
    return replace(result, seconds=time.perf_counter() - started)


def _result(ctx: _Context, case: TestCase, status: str, **kw: Any) -> CaseResult:
    rel = ctx.package.rel(case.path)
    return CaseResult(ctx.stream.name, case.name, rel, status, **kw)


def _run_case(ctx: _Context, case: TestCase) -> CaseResult:
    if case.config.skip is not None:
        return _result(ctx, case, SKIP, skip=case.config.skip)
    events = read_events(case)
    request_docs = tuple({"_index": ctx.stream.index, "_source": e} for e in events)
    try:
        response = ctx.backend.simulate(
            SimulateRequest(ctx.pipelines.entry, request_docs), ctx.definitions
        )
    except BackendError as err:
        gap = unsupported_reason(err.error)
        status = UNSUPPORTED if gap else FAIL
        text = f"unsupported: {gap}" if gap else f"pipeline error: {describe(err.error)}"
        return _result(
            ctx, case, status, events=len(events), details=(text + ctx.where(err.origin),)
        )
    actual, gaps, errors = _collect(ctx, case, response.get("docs") or [])
    if gaps:
        return _result(ctx, case, UNSUPPORTED, events=len(events), details=tuple(gaps))
    return _verify(ctx, case, actual, len(events), errors)


def _collect(
    ctx: _Context, case: TestCase, docs: list[Any]
) -> tuple[list[Any], list[str], list[str]]:
    actual: list[Any] = []
    gaps: list[str] = []
    errors: list[str] = []
    for index, entry in enumerate(docs):
        if entry is None:
            actual.append(None)
            continue
        for reason, origin in entry.get("gaps") or ():
            gaps.append(f"unsupported: {reason}{ctx.where(origin)}")
        if "error" in entry:
            error = entry["error"]
            gap = unsupported_reason(error)
            where = ctx.where(entry.get("origin"))
            if gap:
                gaps.append(f"unsupported: {gap}{where}")
            elif not entry.get("gaps"):
                # elastic-package keeps only ``doc._source``: a failed document becomes null.
                errors.append(
                    f"{case.name}[{index}]: pipeline error (recorded as null, as elastic-package "
                    f"does): {describe(error)}{where}"
                )
            actual.append(None)
            continue
        actual.append((entry.get("doc") or {}).get("_source"))
    return actual, sorted(set(gaps)), errors


def _verify(
    ctx: _Context, case: TestCase, actual: list[Any], events: int, errors: list[str]
) -> CaseResult:
    generated = False
    if ctx.options.generate:
        html = escape_html(ctx.package.format_version)
        case.expected_path.write_text(format_json({"expected": actual}, html=html), "utf-8")
        generated = True
    expected = read_expected(case)
    details: list[str] = []
    diff = ""
    dynamic = case.config.dynamic_fields
    if expected is None:
        details.append(f"{case.expected_path.name} not found (run with --generate to create it)")
    else:
        want, got = strip_dynamic(expected, dynamic), strip_dynamic(actual, dynamic)
        if not equal(want, got):
            details.append(DIFF_REASON)
            diff = unified_diff(want, got)
    present = [d for d in actual if d is not None]
    details.extend(f"{case.name}: {p}" for p in check_dynamic(present, dynamic))
    details.extend(_validate(ctx, case, actual))
    missing = missing_databases(actual, ctx.options.geoip_dir)
    if details:  # the document errors and missing GeoIP databases explain the failure
        return _result(
            ctx,
            case,
            FAIL,
            events=events,
            details=(*errors, *missing, *details),
            diff=diff,
            generated=generated,
        )
    warnings = (*errors, *missing)
    return _result(ctx, case, PASS, events=events, warnings=warnings, generated=generated)


def _validate(ctx: _Context, case: TestCase, actual: list[Any]) -> list[str]:
    options = ValidateOptions(
        datasets=ctx.pipelines.reroute_datasets or (ctx.stream.dataset,),
        numeric_keyword_fields=frozenset(case.config.numeric_keyword_fields),
        string_number_fields=frozenset(case.config.string_number_fields),
        allowed_networks=ctx.networks,
        spec_2=version_tuple(ctx.package.format_version) >= (2, 0, 0),
    )
    validator = Validator(ctx.fields, options)
    out: list[str] = []
    for index, doc in enumerate(actual):
        if not isinstance(doc, dict):
            continue
        message = pipeline_error(doc)
        if message is not None:
            out.append(f"{case.name}[{index}]: unexpected pipeline error: {message}")
            continue
        out.extend(
            f"{case.name}[{p.event}]: {p.message}"
            + (f" (declared at {p.declared})" if p.declared else "")
            for p in validator.validate(index, doc)
        )
    return out


def pipeline_error(doc: dict[str, Any]) -> str | None:
    """``error.message`` of an output document: elastic-package's pipeline tests fail on it."""
    error = doc.get("error")
    message = error.get("message") if isinstance(error, dict) else None
    if message is None:
        return None
    if isinstance(message, list):
        return "[" + " ".join(go_value(m) for m in message) + "]"
    return go_value(message)


def run_data_stream(
    package: Package, stream: DataStream, options: RunOptions, factory: BackendFactory
) -> DataStreamResult:
    """All cases of one data stream with one backend (so coverage adds up)."""
    cases = [p for p in stream.case_files() if options.selects(p.name)]
    try:
        pipelines = load_pipelines(package, stream)
        fields = load_fields(package, stream)
    except PackageError as err:
        failed = CaseResult(
            stream.name,
            "(data stream)",
            package.rel(stream.root),
            ERROR,
            details=(_msg(package, err),),
        )
        return DataStreamResult(stream.name, (failed,))
    backend = factory()
    ctx = _Context(
        package,
        stream,
        pipelines,
        pipelines.definitions(),
        fields,
        backend,
        options,
        allowed_networks(options.geoip_dir),
    )
    results = []
    for path in cases:
        try:
            results.append(run_case(ctx, load_case(path)))
        except PackageError as err:
            results.append(
                CaseResult(
                    stream.name, path.name, package.rel(path), ERROR, details=(_msg(package, err),)
                )
            )
    coverage: tuple[PipelineCoverage, ...] = ()
    data = backend.coverage()
    if options.coverage and data is not None:
        coverage = pipeline_coverage(stream.name, pipelines, data)
    return DataStreamResult(stream.name, tuple(results), coverage, fields.warnings)


def _msg(package: Package, err: PackageError) -> str:
    """The error with file paths shown relative to the package root."""
    return str(err).replace(str(package.root) + os.sep, "")


def _picklable(factory: BackendFactory) -> bool:
    """Process workers need a picklable backend factory; others run in threads."""
    try:
        pickle.dumps(factory)
    except (pickle.PicklingError, AttributeError, TypeError):
        return False
    return True


def _selected(package: Package, names: tuple[str, ...]) -> tuple[DataStream, ...]:
    if not names:
        return tuple(ds for ds in package.data_streams if ds.case_files())
    known = {ds.name: ds for ds in package.data_streams}
    missing = [n for n in names if n not in known]
    if missing:
        raise PackageError(f"unknown data stream(s): {', '.join(missing)}")
    return tuple(known[n] for n in names)


def run_package(
    root: Path, options: RunOptions | None = None, factory: BackendFactory | None = None
) -> PackageResult:
    """Run the pipeline tests of the package at ``root``."""
    options = options or RunOptions()
    factory = factory or EmbeddedFactory(options.geoip_dir)
    package = load_package(root)
    if package.skip is not None:
        return PackageResult(package.name, (), None, package.skip)
    streams = _selected(package, options.data_streams)
    if options.jobs > 1 and len(streams) > 1:
        workers = min(options.jobs, len(streams))
        pool: Executor = (
            ProcessPoolExecutor(workers) if _picklable(factory) else ThreadPoolExecutor(workers)
        )
        with pool:
            futures = [pool.submit(run_data_stream, package, s, options, factory) for s in streams]
            results = tuple(f.result() for f in futures)
    else:
        results = tuple(run_data_stream(package, s, options, factory) for s in streams)
    untested = _untested(package, options)
    if options.fail_on_missing:
        results += tuple(_missing(package, ds) for ds in untested)
    coverage = None
    if options.coverage:
        coverage = Coverage(tuple(p for r in results for p in r.coverage))
    return PackageResult(package.name, results, coverage, None, tuple(d.name for d in untested))


def _untested(package: Package, options: RunOptions) -> tuple[DataStream, ...]:
    """Selected data streams that have ingest pipelines but no pipeline test cases."""
    return tuple(
        ds
        for ds in package.data_streams
        if (not options.data_streams or ds.name in options.data_streams)
        and not ds.case_files()
        and ds.pipeline_dir.is_dir()
        and any(ds.pipeline_dir.iterdir())
    )


def _missing(package: Package, stream: DataStream) -> DataStreamResult:
    message = f"no pipeline test cases in {package.rel(stream.test_dir)}"
    case = CaseResult(stream.name, "(no test cases)", package.rel(stream.test_dir), ERROR)
    return DataStreamResult(stream.name, (replace(case, details=(message,)),))


def coverage_of(root: Path, data_streams: tuple[str, ...] = ()) -> Coverage:
    """Processor coverage of a package's pipeline tests (for tests that require 100 %)."""
    result = run_package(root, RunOptions(data_streams=data_streams, coverage=True))
    assert result.coverage is not None
    return result.coverage


__all__ = [
    "ERROR",
    "FAIL",
    "PASS",
    "SKIP",
    "UNSUPPORTED",
    "CaseResult",
    "DataStreamResult",
    "PackageResult",
    "RunOptions",
    "coverage_of",
    "pipeline_error",
    "run_data_stream",
    "run_package",
]

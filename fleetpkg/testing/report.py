"""Report stage: pipeline test results as a human table, JSON, or xUnit XML."""

from __future__ import annotations

import json
from typing import Any
from xml.etree import ElementTree as ET

from .results import ERROR, FAIL, PASS, SKIP, UNSUPPORTED, CaseResult, PackageResult

STATUSES = (PASS, FAIL, UNSUPPORTED, ERROR, SKIP)


def _table(rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return lines


def summary(result: PackageResult) -> str:
    counts = ", ".join(f"{result.count(s)} {s}" for s in STATUSES if result.count(s))
    verdict = "OK" if result.ok else "FAILED"
    return f"{verdict}: {len(result.cases)} test case(s): {counts or 'none'}"


def human(result: PackageResult) -> str:
    """Per data stream table, failure details (with diffs), coverage, summary."""
    if result.skip is not None:
        skip = result.skip
        return f"package {result.package}: pipeline tests skipped: {skip.reason} {skip.link}\n"
    lines = [f"--- pipeline tests for package {result.package} ---"]
    rows: list[tuple[str, ...]] = [("data stream", "test case", "events", "status", "time")]
    for ds in result.data_streams:
        for case in ds.cases:
            status = case.status + (" (generated)" if case.generated else "")
            rows.append(
                (ds.name, case.name, str(case.events), status, f"{case.seconds * 1000:.0f}ms")
            )
    if len(rows) > 1:
        lines.extend(_table(rows))
    if len(result.data_streams) > 1:
        lines.append("")
        lines.extend(_stream_table(result))
    for ds in result.data_streams:
        lines.extend(f"warning: {ds.name}: {w}" for w in ds.warnings)
    if result.untested:
        names = ", ".join(result.untested)
        lines.append(f"data streams with ingest pipelines but no pipeline tests: {names}")
    details = [c for c in result.cases if c.details or c.skip or c.warnings]
    if details:
        lines.append("")
        lines.append("details:")
    for case in details:
        lines.extend(_case_details(case))
    if result.coverage is not None:
        lines.append("")
        lines.append("coverage:")
        lines.append(result.coverage.processor_table())
        lines.append("")
        lines.append(result.coverage.table())
    lines.append("")
    lines.append(summary(result))
    return "\n".join(lines) + "\n"


def _stream_table(result: PackageResult) -> list[str]:
    """One row per data stream: how many cases ended in each status."""
    rows: list[tuple[str, ...]] = [("data stream", "cases", *STATUSES, "time")]
    for ds in result.data_streams:
        seconds = sum(c.seconds for c in ds.cases)
        counts = tuple(str(ds.count(s)) for s in STATUSES)
        rows.append((ds.name, str(len(ds.cases)), *counts, f"{seconds * 1000:.0f}ms"))
    return _table(rows)


def _case_details(case: CaseResult) -> list[str]:
    head = f"{case.data_stream}/{case.name}: {case.status}"
    if case.skip is not None:
        return [f"{head}: {case.skip.reason} {case.skip.link}".rstrip()]
    out = [head]
    out.extend(f"  {d}" for d in case.details)
    out.extend(f"  warning: {w}" for w in case.warnings)
    if case.diff:
        out.extend("    " + line for line in case.diff.rstrip("\n").split("\n"))
    return out


def as_json(result: PackageResult) -> dict[str, Any]:
    return {
        "package": result.package,
        "ok": result.ok,
        "skipped": None
        if result.skip is None
        else {"reason": result.skip.reason, "link": result.skip.link},
        "summary": {s: result.count(s) for s in STATUSES},
        "untested_data_streams": list(result.untested),
        "data_streams": [
            {
                "name": ds.name,
                "warnings": list(ds.warnings),
                "cases": [_case_json(c) for c in ds.cases],
            }
            for ds in result.data_streams
        ],
        "coverage": None if result.coverage is None else result.coverage.as_dict(),
    }


def _case_json(case: CaseResult) -> dict[str, Any]:
    return {
        "name": case.name,
        "path": case.path,
        "status": case.status,
        "events": case.events,
        "details": list(case.details),
        "warnings": list(case.warnings),
        "diff": case.diff or None,
        "seconds": round(case.seconds, 6),
        "generated": case.generated,
        "skip": None if case.skip is None else {"reason": case.skip.reason, "link": case.skip.link},
    }


def json_text(result: PackageResult) -> str:
    return json.dumps(as_json(result), indent=2) + "\n"


def xunit(result: PackageResult) -> str:
    """JUnit/xUnit XML: one testsuite ``pipeline``, one testcase per case file."""
    suites = ET.Element("testsuites")
    cases = result.cases
    suite = ET.SubElement(
        suites,
        "testsuite",
        name="pipeline",
        tests=str(len(cases)),
        failures=str(result.count(FAIL)),
        errors=str(result.count(ERROR) + result.count(UNSUPPORTED)),
        skipped=str(result.count(SKIP)),
        time=f"{sum(c.seconds for c in cases):.3f}",
    )
    for case in cases:
        element = ET.SubElement(
            suite,
            "testcase",
            name=f"pipeline test: {case.name}",
            classname=f"{result.package}.{case.data_stream}",
            time=f"{case.seconds:.3f}",
        )
        text = "\n".join(case.details) + ("\n" + case.diff if case.diff else "")
        if case.status == FAIL:
            ET.SubElement(
                element, "failure", message=case.details[0] if case.details else "failed"
            ).text = text
        elif case.status in (ERROR, UNSUPPORTED):
            ET.SubElement(
                element,
                "error",
                message=f"{case.status}: {case.details[0] if case.details else ''}",
                type=case.status,
            ).text = text
        if case.warnings:
            ET.SubElement(element, "system-out").text = "\n".join(case.warnings)
        if case.status == SKIP and case.skip is not None:
            ET.SubElement(
                element, "skipped", message=f"{case.skip.reason} {case.skip.link}".strip()
            )
    ET.indent(suites)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
    )


def render(result: PackageResult, fmt: str) -> str:
    if fmt == "json":
        return json_text(result)
    if fmt == "xunit":
        return xunit(result)
    return human(result)

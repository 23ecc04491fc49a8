"""Report stage, coverage files: Cobertura and SonarQube generic coverage XML, as CI tools read.

Like elastic-package, each top-level processor is a "method" whose first line carries its hits.
"""

from __future__ import annotations

import time
from xml.etree import ElementTree as ET

from .coverage import Coverage, PipelineCoverage

COBERTURA_DOCTYPE = (
    '<!DOCTYPE coverage SYSTEM "http://cobertura.sourceforge.net/xml/coverage-04.dtd">'
)


def _rate(covered: int, total: int) -> str:
    return f"{(covered / total) if total else 1.0:.4f}"


def _class(parent: ET.Element, pipeline: PipelineCoverage) -> None:
    procs = pipeline.top_level
    element = ET.SubElement(
        parent,
        "class",
        {
            "name": pipeline.pipeline,
            "filename": pipeline.file,
            "complexity": "0",
            "line-rate": _rate(pipeline.covered, len(procs)),
            "branch-rate": "0",
        },
    )
    methods = ET.SubElement(element, "methods")
    lines = ET.SubElement(element, "lines")
    for proc in procs:
        hits = str(proc.executed)
        method = ET.SubElement(
            methods,
            "method",
            {
                "name": proc.type + (f":{proc.tag}" if proc.tag else ""),
                "signature": "",
                "complexity": "0",
                "line-rate": "1.0000" if proc.covered else "0.0000",
                "branch-rate": "0",
            },
        )
        ET.SubElement(ET.SubElement(method, "lines"), "line", number=str(proc.line), hits=hits)
        ET.SubElement(lines, "line", number=str(proc.line), hits=hits)


def cobertura(coverage: Coverage, package: str, source: str) -> str:
    """A Cobertura report: one package per data stream, one class per pipeline file."""
    root = ET.Element(
        "coverage",
        {
            "version": "fleetpkg",
            "timestamp": str(int(time.time() * 1000)),
            "complexity": "0",
            "line-rate": _rate(coverage.covered, coverage.total),
            "branch-rate": "0",
            "lines-covered": str(coverage.covered),
            "lines-valid": str(coverage.total),
            "branches-covered": "0",
            "branches-valid": "0",
        },
    )
    ET.SubElement(ET.SubElement(root, "sources"), "source").text = source
    packages = ET.SubElement(root, "packages")
    streams: dict[str, list[PipelineCoverage]] = {}
    for pipeline in coverage.pipelines:
        streams.setdefault(pipeline.data_stream, []).append(pipeline)
    for name, pipelines in streams.items():
        covered = sum(p.covered for p in pipelines)
        total = sum(len(p.top_level) for p in pipelines)
        element = ET.SubElement(
            packages,
            "package",
            {
                "name": f"{package}.{name}",
                "complexity": "0",
                "line-rate": _rate(covered, total),
                "branch-rate": "0",
            },
        )
        classes = ET.SubElement(element, "classes")
        for pipeline in pipelines:
            _class(classes, pipeline)
    ET.indent(root)
    header = '<?xml version="1.0" encoding="UTF-8"?>\n' + COBERTURA_DOCTYPE + "\n"
    return header + ET.tostring(root, encoding="unicode") + "\n"


def generic(coverage: Coverage) -> str:
    """SonarQube generic coverage: ``<file path><lineToCover lineNumber covered/>``."""
    root = ET.Element("coverage", version="1")
    for pipeline in coverage.pipelines:
        element = ET.SubElement(root, "file", path=pipeline.file)
        for proc in pipeline.top_level:
            covered = "true" if proc.covered else "false"
            ET.SubElement(element, "lineToCover", lineNumber=str(proc.line), covered=covered)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"

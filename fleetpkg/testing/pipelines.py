"""Load stage: a data stream's ingest pipeline files, ``IngestPipeline`` references resolved."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fleetpkg.packagedir import DataStream, Package, PackageError
from fleetpkg.packagedir.yamlv3 import Loaded, YamlError, as_sent, parse_yaml

_REFERENCE = re.compile(r"\{\{\s*IngestPipeline\b[^}]*\}\}")
_QUOTED = re.compile(r'"([^"]*)"')
_SUFFIXES = (".yml", ".yaml", ".json")


@dataclass(frozen=True, slots=True)
class PipelineFile:
    """One pipeline file: the id it is installed under and its definition with line marks."""

    id: str
    path: str  # relative to the package root
    definition: dict[str, Any]
    marks: Loaded
    routing: Routing | None = None  # reroute processors appended from routing_rules.yml

    def line(self, pointer_parts: tuple[str | int, ...]) -> int:
        if self.routing is not None:
            injected = self.routing.injected(pointer_parts)
            if injected is not None:
                return injected
        return self.marks.line(*pointer_parts)

    def source(self, pointer_parts: tuple[str | int, ...]) -> str:
        """The file a processor comes from (``routing_rules.yml`` for injected reroutes)."""
        if self.routing is not None and self.routing.injected(pointer_parts) is not None:
            return self.routing.path
        return self.path


@dataclass(frozen=True, slots=True)
class Routing:
    """``routing_rules.yml`` turned into reroute processors at the end of the entry pipeline."""

    path: str
    first: int  # index of the first injected processor
    lines: tuple[int, ...]  # line of each rule in routing_rules.yml
    datasets: tuple[str, ...]  # target datasets (may contain {{field}} references)

    def injected(self, pointer_parts: tuple[str | int, ...]) -> int | None:
        if len(pointer_parts) < 2 or pointer_parts[0] != "processors":
            return None
        index = pointer_parts[1]
        if isinstance(index, int) and index >= self.first:
            return self.lines[index - self.first]
        return None


@dataclass(frozen=True, slots=True)
class PipelineSet:
    """All pipelines of a data stream; ``entry`` is the one documents are sent to."""

    entry: str
    files: tuple[PipelineFile, ...]

    def definitions(self) -> dict[str, dict[str, Any]]:
        return {f.id: f.definition for f in self.files}

    def by_id(self, pipeline_id: str) -> PipelineFile | None:
        return next((f for f in self.files if f.id == pipeline_id), None)

    @property
    def reroute_datasets(self) -> tuple[str, ...]:
        """``dataset`` of every top-level reroute processor (routing rules included)."""
        out: list[str] = []
        for file in self.files:
            for processor in file.definition.get("processors") or ():
                body = processor.get("reroute") if isinstance(processor, dict) else None
                if isinstance(body, dict):
                    out.extend(_as_list(body.get("dataset")))
        return tuple(out)


def pipeline_name(path: Path) -> str:
    """The name a file is referenced by: its basename without extension(s)."""
    name = path.name.removesuffix(".link")
    for suffix in _SUFFIXES:
        name = name.removesuffix(suffix)
    return name


def _resolve_references(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        quoted = _QUOTED.search(match.group(0))
        return quoted.group(1) if quoted else match.group(0)

    return _REFERENCE.sub(replace, text)


def _source(path: Path) -> tuple[Path, str]:
    """The file that holds the pipeline (a ``.link`` names it) and its text."""
    try:
        if path.name.endswith(".link"):
            target = path.read_text(encoding="utf-8").split()
            if not target:
                raise PackageError(f"{path}: empty link file")
            path = (path.parent / target[0]).resolve()
        return path, path.read_text(encoding="utf-8")
    except OSError as err:
        raise PackageError(f"{path}: cannot read pipeline: {err.strerror}") from None


def _parse(path: Path, text: str, rel: str) -> tuple[dict[str, Any], Loaded]:
    try:
        if path.suffix == ".json":
            value = json.loads(text)
            try:
                marks = parse_yaml(text)
            except YamlError:
                marks = Loaded(value)
        else:
            marks = parse_yaml(text)
            value = as_sent(marks.value)
    except json.JSONDecodeError as err:
        raise PackageError(f"{rel}:{err.lineno}: invalid JSON: {err.msg}") from None
    except YamlError as err:
        raise PackageError(f"{rel}:{err.line}: {err.message}") from None
    if not isinstance(value, dict):
        raise PackageError(f"{rel}: a pipeline definition must be a map")
    return value, marks


def load_pipelines(package: Package, stream: DataStream) -> PipelineSet:
    """Every ``*.yml|*.json`` (or ``.link`` to one) in ``elasticsearch/ingest_pipeline``."""
    folder = stream.pipeline_dir
    files: list[PipelineFile] = []
    candidates = sorted(folder.iterdir()) if folder.is_dir() else []
    for path in candidates:
        base = path.name.removesuffix(".link")
        if not path.is_file() or not base.endswith(_SUFFIXES):
            continue
        real, text = _source(path)
        rel = package.rel(path)
        definition, marks = _parse(real, _resolve_references(text), rel)
        files.append(PipelineFile(pipeline_name(path), rel, definition, marks))
    files = _with_routing(package, stream, files)
    if not files:
        raise PackageError(f"{package.rel(folder)}: no ingest pipelines found")
    if not any(f.id == stream.entry_pipeline for f in files):
        raise PackageError(
            f"{package.rel(folder)}: entry pipeline {stream.entry_pipeline!r} not found"
        )
    return PipelineSet(stream.entry_pipeline, tuple(files))


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _with_routing(
    package: Package, stream: DataStream, files: list[PipelineFile]
) -> list[PipelineFile]:
    """Append one reroute processor per routing rule to ``default`` (as elastic-package does)."""
    path = stream.root / "routing_rules.yml"
    if not path.is_file():
        return files
    rel = package.rel(path)
    try:
        loaded = parse_yaml(path.read_text(encoding="utf-8"))
    except (OSError, YamlError) as err:
        raise PackageError(f"{rel}: {err}") from None
    processors: list[dict[str, Any]] = []
    lines: list[int] = []
    datasets: list[str] = []
    for i, group in enumerate(loaded.value if isinstance(loaded.value, list) else []):
        rules = group.get("rules") if isinstance(group, dict) else None
        for j, rule in enumerate(rules if isinstance(rules, list) else []):
            if not isinstance(rule, dict):
                continue
            body: dict[str, Any] = {"tag": str(group.get("source_dataset", ""))}
            if rule.get("if") is not None:
                body["if"] = rule["if"]
            body["dataset"] = _as_list(rule.get("target_dataset"))
            body["namespace"] = _as_list(rule.get("namespace"))
            processors.append({"reroute": body})
            lines.append(loaded.line(i, "rules", j))
            datasets.extend(body["dataset"])
    out = []
    for file in files:
        if file.id == "default" and processors:
            definition = dict(file.definition)
            existing = list(definition.get("processors") or [])
            definition["processors"] = existing + processors
            routing = Routing(rel, len(existing), tuple(lines), tuple(datasets))
            file = PipelineFile(file.id, file.path, definition, file.marks, routing)
        out.append(file)
    return out

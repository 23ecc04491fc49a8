"""Load stage: a data stream's ingest pipeline files, ``IngestPipeline`` references resolved."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .package import DataStream, Package, PackageError
from .yamlv3 import Loaded, YamlError, parse_yaml

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

    def line(self, pointer_parts: tuple[str | int, ...]) -> int:
        return self.marks.line(*pointer_parts)


@dataclass(frozen=True, slots=True)
class PipelineSet:
    """All pipelines of a data stream; ``entry`` is the one documents are sent to."""

    entry: str
    files: tuple[PipelineFile, ...]

    def definitions(self) -> dict[str, dict[str, Any]]:
        return {f.id: f.definition for f in self.files}

    def by_id(self, pipeline_id: str) -> PipelineFile | None:
        return next((f for f in self.files if f.id == pipeline_id), None)


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
            value = marks.value
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
    if not files:
        raise PackageError(f"{package.rel(folder)}: no ingest pipelines found")
    if not any(f.id == stream.entry_pipeline for f in files):
        raise PackageError(
            f"{package.rel(folder)}: entry pipeline {stream.entry_pipeline!r} not found"
        )
    return PipelineSet(stream.entry_pipeline, tuple(files))

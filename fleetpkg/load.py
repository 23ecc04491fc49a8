"""Load stage: a package source directory → Package model (syntax and schema checked)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from fleetpkg import compilecheck, constraints, schemas
from fleetpkg.errors import FleetpkgError, LoadError, Location, Problem
from fleetpkg.model import (
    Change,
    ChangelogEntry,
    DataStream,
    Field,
    Icon,
    Input,
    Manifest,
    Owner,
    Package,
    PipelineSource,
    PolicyTemplate,
    Processor,
    Stream,
    Var,
)
from fleetpkg.yamlloader import Document, load

T = TypeVar("T")
FIELD_EXTRAS = ("value", "ignore_above", "object_type", "expected_values")
DOCS = ("README.md",)
VAR_SCHEMAS = ("manifest.schema.json", "data_stream.schema.json")  # files that declare vars


class _Loader:
    """Reads files of one source directory, collecting problems instead of stopping."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []

    def document(self, rel: str, schema: str) -> Document | None:
        try:
            doc = load(self.root, rel)
        except FleetpkgError as err:
            self.problems.extend(err.problems)
            return None
        found = schemas.check(doc, schema)
        if not found and schema in VAR_SCHEMAS:
            found = constraints.definition_problems(doc)
        self.problems.extend(found)
        return None if found else doc

    def build(self, rel: str, schema: str, make: Callable[[Document], T]) -> T | None:
        if not (self.root / rel).is_file():
            self.problems.append(Problem(Location(rel), "file is missing"))
            return None
        doc = self.document(rel, schema)
        return make(doc) if doc is not None else None


def _vars(doc: Document, items: list[dict[str, Any]], *at: str | int) -> tuple[Var, ...]:
    return tuple(
        Var(
            name=v["name"],
            type=v["type"],
            title=v["title"],
            location=doc.at(*at, i),
            description=v.get("description"),
            required=v.get("required"),
            show_user=v.get("show_user"),
            multi=v.get("multi"),
            secret=v.get("secret"),
            default=v.get("default"),
            options=tuple((o["value"], o["text"]) for o in v.get("options", ())),
            min_duration=v.get("min_duration"),
            max_duration=v.get("max_duration"),
            constraints=constraints.make(v.get("constraints"), doc.at(*at, i, "constraints")),
        )
        for i, v in enumerate(items)
    )


def _inputs(doc: Document, items: list[dict[str, Any]], *at: str | int) -> tuple[Input, ...]:
    return tuple(
        Input(
            type=i["type"],
            title=i["title"],
            description=i["description"],
            location=doc.at(*at, n),
            input_group=i.get("input_group"),
            vars=_vars(doc, i.get("vars", []), *at, n, "vars"),
        )
        for n, i in enumerate(items)
    )


def _policy_templates(doc: Document) -> tuple[PolicyTemplate, ...]:
    out = []
    for n, pt in enumerate(doc.value.get("policy_templates", [])):
        streams = pt.get("data_streams")
        out.append(
            PolicyTemplate(
                name=pt["name"],
                title=pt["title"],
                description=pt["description"],
                inputs=_inputs(doc, pt["inputs"], "policy_templates", n, "inputs"),
                location=doc.at("policy_templates", n),
                data_streams=tuple(streams) if streams is not None else None,
                multiple=pt.get("multiple"),
            )
        )
    return tuple(out)


def make_manifest(doc: Document) -> Manifest:
    v = doc.value
    conditions = v.get("conditions", {})
    icons = tuple(
        Icon(i["src"], i["title"], doc.at("icons", n), i.get("size"), i.get("dark_mode"))
        for n, i in enumerate(v.get("icons", []))
    )
    return Manifest(
        name=v["name"],
        title=v["title"],
        version=v["version"],
        description=v["description"],
        owner=Owner(v["owner"]["github"], v["owner"]["type"]),
        location=doc.at(),
        license=v.get("license"),
        categories=tuple(v.get("categories", [])),
        kibana_version=conditions.get("kibana"),
        subscription=conditions.get("subscription"),
        icons=icons,
        vars=_vars(doc, v.get("vars", []), "vars"),
        policy_templates=_policy_templates(doc),
    )


def make_changelog(doc: Document) -> tuple[ChangelogEntry, ...]:
    return tuple(
        ChangelogEntry(
            version=e["version"],
            changes=tuple(Change(c["description"], c["type"], c["link"]) for c in e["changes"]),
            location=doc.at(n, "version"),
        )
        for n, e in enumerate(doc.value)
    )


def make_fields(doc: Document) -> tuple[Field, ...]:
    return tuple(
        Field(
            name=f["name"],
            location=doc.at(n, "name"),
            type=f.get("type"),
            description=f.get("description"),
            external=f.get("external"),
            unit=f.get("unit"),
            metric_type=f.get("metric_type"),
            example=f.get("example"),
            source=f.get("source"),
            convert=f.get("convert"),
            date_formats=tuple(f.get("date_formats", ())),
            date_output_format=f.get("date_output_format"),
            ecs=f.get("ecs"),
            extra=tuple((k, f[k]) for k in FIELD_EXTRAS if k in f),
        )
        for n, f in enumerate(doc.value)
    )


def _processors(doc: Document, section: str) -> tuple[Processor, ...]:
    out = []
    for n, item in enumerate(doc.value.get(section, [])):
        ((ptype, config),) = item.items()
        out.append(Processor(ptype, config, doc.at(section, n, ptype)))
    return tuple(out)


def make_pipeline(doc: Document | None, default_target: str, rel: str) -> PipelineSource:
    if doc is None:
        return PipelineSource(raw_target=default_target, location=Location(rel))
    v = doc.value or {}
    return PipelineSource(
        raw_target=v.get("raw_target", default_target),
        location=doc.at(),
        description=v.get("description"),
        format=v.get("format", "json"),
        raw_fields=tuple(v.get("raw_fields", ())),
        event_kind=v.get("event_kind", "event"),
        before=_processors(doc, "before"),
        after=_processors(doc, "after"),
        sample_case=(v.get("sample_event") or {}).get("case"),
        sample_index=(v.get("sample_event") or {}).get("event", 1),
    )


def _streams(doc: Document) -> tuple[Stream, ...]:
    return tuple(
        Stream(
            input=s["input"],
            title=s["title"],
            description=s["description"],
            template_path=s["template_path"],
            location=doc.at("streams", n),
            enabled=s.get("enabled"),
            vars=_vars(doc, s.get("vars", []), "streams", n, "vars"),
            required_vars=tuple(
                (group, tuple(str(item["name"]) for item in items))
                for group, items in (s.get("required_vars") or {}).items()
            ),
        )
        for n, s in enumerate(doc.value["streams"])
    )


def _json(loader: _Loader, rel: str) -> Any:
    try:
        return json.loads((loader.root / rel).read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        where = Location(rel, err.lineno, err.colno)
        loader.problems.append(Problem(where, f"invalid JSON: {err.msg}"))
    except (OSError, UnicodeDecodeError) as err:
        loader.problems.append(Problem(Location(rel), f"cannot read file: {err}"))
    return None


def _text(loader: _Loader, rel: str) -> str | None:
    try:
        return (loader.root / rel).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        loader.problems.append(Problem(Location(rel), f"cannot read file: {err}"))
        return None


def _texts(loader: _Loader, folder: str, names: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """(name, text) of the files in folder (only those in names, if given)."""
    out = []
    for path in _files(loader.root, folder):
        if names and path.name not in names:
            continue
        text = _text(loader, f"{folder}/{path.name}")
        if text is not None:
            out.append((path.name, text))
    return out


def _data_stream(loader: _Loader, name: str, package: str) -> DataStream | None:
    base = f"data_stream/{name}"
    manifest = loader.build(f"{base}/manifest.yml", "data_stream.schema.json", lambda d: d)
    fields = loader.build(f"{base}/fields.yml", "fields.schema.json", make_fields)
    pipeline_rel = f"{base}/pipeline.yml"
    pipeline_doc = None
    if (loader.root / pipeline_rel).is_file():
        pipeline_doc = loader.document(pipeline_rel, "pipeline.schema.json")
        if pipeline_doc is None:
            return None
        loader.problems.extend(compilecheck.source_problems(pipeline_doc))
    sample_rel = f"{base}/sample_event.json"
    sample = _json(loader, sample_rel) if (loader.root / sample_rel).is_file() else None
    if manifest is None or fields is None:
        return None
    m = manifest.value
    return DataStream(
        name=name,
        title=m["title"],
        type=m["type"],
        streams=_streams(manifest),
        fields=fields,
        pipeline=make_pipeline(pipeline_doc, f"{package}.{name}", pipeline_rel),
        location=manifest.at(),
        release=m.get("release"),
        sample_event=sample,
        templates=tuple(_texts(loader, f"{base}/agent/stream")),
        dev_files=_dev_files(loader.root / base / "_dev"),
    )


def _dev_files(folder: Path) -> tuple[tuple[str, bytes], ...]:
    """Every file under a data stream's _dev/ (tests), by path relative to _dev/."""
    if not folder.is_dir():
        return ()
    found = sorted(p for p in folder.rglob("*") if p.is_file())
    return tuple((p.relative_to(folder).as_posix(), p.read_bytes()) for p in found)


def _files(root: Path, folder: str) -> list[Path]:
    base = root / folder
    return sorted(p for p in base.iterdir() if p.is_file()) if base.is_dir() else []


def load_var_sources(root: Path, data_stream: str) -> tuple[Manifest, tuple[Stream, ...]]:
    """Only the package manifest and one data stream's streams (vars, constraints included)."""
    loader = _Loader(root)
    manifest = loader.build("manifest.yml", "manifest.schema.json", make_manifest)
    rel = f"data_stream/{data_stream}/manifest.yml"
    streams = loader.build(rel, "data_stream.schema.json", _streams)
    if loader.problems:
        raise FleetpkgError(loader.problems)
    assert manifest is not None
    assert streams is not None
    return manifest, streams


def load_package(root: Path) -> Package:
    """Load and schema-check every source file under root; raise with all problems."""
    loader = _Loader(root)
    manifest = loader.build("manifest.yml", "manifest.schema.json", make_manifest)
    changelog = loader.build("changelog.yml", "changelog.schema.json", make_changelog)
    package_name = manifest.name if manifest else "package"
    streams = []
    ds_root = root / "data_stream"
    names = sorted(p.name for p in ds_root.iterdir() if p.is_dir()) if ds_root.is_dir() else []
    for name in names:
        ds = _data_stream(loader, name, package_name)
        if ds is not None:
            streams.append(ds)
    docs = _texts(loader, "docs", DOCS)
    if not (root / "docs" / "README.md").is_file():
        loader.problems.append(Problem(Location("docs/README.md"), "file is missing"))
    images = [(p.name, p.read_bytes()) for p in _files(root, "img")]
    if loader.problems:
        raise LoadError(loader.problems, tuple(streams))
    assert manifest is not None
    assert changelog is not None
    return Package(root, manifest, changelog, tuple(streams), tuple(docs), tuple(images))

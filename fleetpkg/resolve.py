"""Resolve stage: cross-file rules and ECS resolution; returns the package with fields resolved."""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Iterable, Iterator

from fleetpkg import compilecheck, templatecheck
from fleetpkg.derive import (
    ALWAYS_READABLE,
    IMPLIED_ECS,
    all_tags,
    build_pipeline,
    field_processors,
    reads,
    skeleton,
    writes,
)
from fleetpkg.ecs import Ecs, load_ecs
from fleetpkg.errors import Location, Problem, raise_if
from fleetpkg.fields import BASE
from fleetpkg.model import DataStream, Field, Package, Var

DS_NAME = re.compile(r"^([a-z0-9]{2}|[a-z0-9][a-z0-9_]+[a-z0-9])$")
SECRET_NAME = re.compile(r"access_key|api_key|passphrase|password|secret|token")
MARKER = re.compile(r"\{\{\s*(fields|event)\s+\"([^\"]*)\"\s*\}\}")
DURATION = re.compile(r"^(?:[0-9]+(?:ms|s|m|h))+$")
DURATION_PART = re.compile(r"([0-9]+)(ms|s|m|h)")
DURATION_MS = {"ms": 1, "s": 1000, "m": 60_000, "h": 3_600_000}
OPEN_TYPES = ("object", "flattened", "nested", "group")  # a value may have any keys below
ECS_OVERRIDABLE = {("keyword", "constant_keyword"), ("constant_keyword", "keyword")}


def semver_key(version: str) -> tuple[int, int, int, int, str]:
    """Sort key for x.y.z[-pre]: a pre-release sorts before its release."""
    core, _, pre = version.partition("+")[0].partition("-")
    major, minor, patch = (int(p) for p in core.split("."))
    return (major, minor, patch, 0 if pre else 1, pre)


def _changelog(pkg: Package) -> Iterator[Problem]:
    entries = pkg.changelog
    first = entries[0]
    if first.version != pkg.manifest.version:
        yield Problem(
            first.location,
            f"newest changelog version {first.version} does not match manifest version "
            f"{pkg.manifest.version}",
        )
    for newer, older in itertools.pairwise(entries):
        if semver_key(older.version) >= semver_key(newer.version):
            msg = (
                f"changelog versions must strictly decrease: {older.version} after {newer.version}"
            )
            yield Problem(older.location, msg)


def duration_ms(text: object) -> int | None:
    """Milliseconds of a Fleet duration (`90s`, `1m30s`, `2h`; units ms, s, m, h), else None."""
    if not isinstance(text, str) or not DURATION.match(text):
        return None
    return sum(int(n) * DURATION_MS[unit] for n, unit in DURATION_PART.findall(text))


def _durations(var: Var) -> Iterator[Problem]:
    bounds = {"min_duration": var.min_duration, "max_duration": var.max_duration}
    if var.type != "duration":
        for key, value in bounds.items():
            if value is not None:
                yield Problem(var.location, f"var {var.name!r}: {key} needs type 'duration'")
        return
    values = [(k, v) for k, v in [("min_duration", var.min_duration)] if v is not None]
    if var.default is not None:
        values.append(("default", var.default))
    if var.max_duration is not None:
        values.append(("max_duration", var.max_duration))
    for key, value in values:
        if duration_ms(value) is None:
            yield Problem(var.location, f"var {var.name!r}: {key} {value!r} is not a duration")
    for (k1, v1), (k2, v2) in itertools.pairwise(values):
        a, b = duration_ms(v1), duration_ms(v2)
        if a is not None and b is not None and a > b:
            yield Problem(var.location, f"var {var.name!r}: {k1} {v1} exceeds {k2} {v2}")


def _vars(items: Iterable[Var]) -> Iterator[Problem]:
    seen: dict[str, Var] = {}
    for var in items:
        if var.name in seen:
            first = seen[var.name].location.line
            yield Problem(
                var.location, f"duplicate var {var.name!r} (first declared at line {first})"
            )
        seen.setdefault(var.name, var)
        looks_secret = var.type == "password" or (
            SECRET_NAME.search(var.name) and not var.name.endswith(("_file", "_url"))
        )
        if looks_secret and var.secret is None:
            yield Problem(var.location, f"var {var.name!r} must set 'secret' explicitly")
        if var.secret and var.default is not None:
            yield Problem(var.location, f"secret var {var.name!r} must not have a default")
        if (var.type == "select") != bool(var.options):
            need = "needs" if var.type == "select" else "must not have"
            yield Problem(var.location, f"var {var.name!r} of type {var.type!r} {need} options")
        yield from _durations(var)


def _manifest(pkg: Package) -> Iterator[Problem]:
    m = pkg.manifest
    images = {name for name, _ in pkg.images}
    for icon in m.icons:
        if icon.src.removeprefix("img/") not in images:
            yield Problem(icon.location, f"icon {icon.src!r} does not exist")
    yield from _vars(m.vars)
    names = {ds.name for ds in pkg.data_streams}
    for pt in m.policy_templates:
        for ds in pt.data_streams or ():
            if ds not in names:
                yield Problem(
                    pt.location, f"policy template {pt.name!r}: unknown data stream {ds!r}"
                )
        for inp in pt.inputs:
            yield from _vars(inp.vars)


def _streams(pkg: Package, ds: DataStream) -> Iterator[Problem]:
    inputs = {i.type for pt in pkg.manifest.policy_templates for i in pt.inputs}
    templates = {name for name, _ in ds.templates}
    for stream in ds.streams:
        if stream.input not in inputs:
            yield Problem(
                stream.location, f"input {stream.input!r} is not an input of any policy template"
            )
        if stream.template_path not in templates:
            where = f"data_stream/{ds.name}/agent/stream/"
            yield Problem(
                stream.location, f"template {stream.template_path!r} not found in {where}"
            )
        yield from _vars(stream.vars)
        declared = {v.name: v for v in stream.vars}
        for group, names in stream.required_vars:
            for name in names:
                var = declared.get(name)
                if var is None:
                    message = f"required_vars {group!r}: {name!r} is not a var of the stream"
                    yield Problem(stream.location, message)
                elif var.required:
                    message = f"required_vars {group!r}: var {name!r} must not be required: true"
                    yield Problem(var.location, message)
    if not DS_NAME.match(ds.name):
        yield Problem(ds.location, f"invalid data stream name {ds.name!r}")


def _programs(ds: DataStream) -> Iterator[Problem]:
    """The CEL program of each template a `cel` stream uses must parse."""
    cel = {s.template_path for s in ds.streams if s.input == "cel"}
    for name, text in ds.templates:
        if name in cel:
            path = f"data_stream/{ds.name}/agent/stream/{name}"
            yield from templatecheck.program_problems(path, text)


def _resolve(field: Field, ecs: Ecs) -> tuple[Field, list[Problem]]:
    problems = []
    if field.ecs is not None and ecs.lookup(field.ecs) is None:
        problems.append(
            Problem(field.location, f"unknown ECS field {field.ecs!r} (ECS {ecs.version})")
        )
    if field.external != "ecs":
        return field, problems
    spec = ecs.lookup(field.name)
    if spec is None:
        problems.append(
            Problem(field.location, f"unknown ECS field {field.name!r} (ECS {ecs.version})")
        )
        return field, problems
    if field.type and field.type != spec.type and (spec.type, field.type) not in ECS_OVERRIDABLE:
        msg = f"ECS field {field.name!r} has type {spec.type!r}; do not declare {field.type!r}"
        problems.append(Problem(field.location, msg))
    resolved = dataclasses.replace(
        field,
        type=field.type or spec.type,
        description=field.description or spec.description,
        example=field.example if field.example is not None else spec.get("example"),
    )
    return resolved, problems


def _field_rules(field: Field) -> Iterator[Problem]:
    loc = field.location
    if (field.unit or field.metric_type) and not field.is_numeric:
        yield Problem(loc, f"unit and metric_type need a numeric type, not {field.type!r}")
    if field.date_formats and field.type != "date":
        yield Problem(loc, f"date_formats needs type 'date', not {field.type!r}")
    if field.date_output_format and field.type != "date":
        yield Problem(loc, f"date_output_format needs type 'date', not {field.type!r}")
    if field.type == "object" and "object_type" not in dict(field.extra):
        yield Problem(loc, "a field of type 'object' needs 'object_type'")


def _fields(ds: DataStream, ecs: Ecs) -> tuple[tuple[Field, ...], list[Problem]]:
    problems: list[Problem] = []
    resolved: list[Field] = []
    seen: dict[str, Field] = {}
    sources: dict[str, Field] = {}
    for field in ds.fields:
        if field.name in seen:
            first = seen[field.name].location.line
            msg = f"duplicate field {field.name!r} (first declared at line {first})"
            problems.append(Problem(field.location, msg))
            continue
        seen[field.name] = field
        if field.source is not None and field.source in sources:
            other = sources[field.source].name
            problems.append(
                Problem(field.location, f"raw key {field.source!r} is already mapped to {other!r}")
            )
        sources.setdefault(field.source or "", field)
        field, found = _resolve(field, ecs)
        problems += found
        problems += _field_rules(field) if not found else []
        resolved.append(field)
    problems += _nesting(resolved)
    return tuple(resolved), problems


def _nesting(fields: list[Field]) -> Iterator[Problem]:
    leaves = {f.name: f for f in fields}
    for field in fields:
        parts = field.name.split(".")
        for end in range(1, len(parts)):
            parent = leaves.get(".".join(parts[:end]))
            if parent is not None:
                msg = f"field {field.name!r} is below field {parent.name!r} (a leaf)"
                yield Problem(field.location, msg)


def _declared(ds: DataStream, fields: tuple[Field, ...]) -> tuple[set[str], set[str]]:
    """Names a hand-written processor may read: exact names, and prefixes of them."""
    target = ds.pipeline.raw_target
    raw = {f.source for f in fields if f.source} | set(ds.pipeline.raw_fields)
    names = {f.name for f in fields} | {f.ecs for f in fields if f.ecs}
    names |= {f"{target}.{r}" for r in raw} | set(ALWAYS_READABLE) | {target}
    prefixes = {n.rsplit(".", i)[0] for n in names for i in range(1, n.count(".") + 1)}
    return names, prefixes


def _writable(ds: DataStream) -> tuple[set[str], set[str], set[str]]:
    """Names a hand-written processor may write: exact names, prefixes of them (an object
    holding them), and names below which anything goes (object and flattened fields, the raw
    record when it is a scratch target, fields a processor removes again)."""
    target = ds.pipeline.raw_target
    raw = {f.source for f in ds.fields if f.source} | set(ds.pipeline.raw_fields)
    declared = {f.name for f in ds.fields}
    names = declared | {f.ecs for f in ds.fields if f.ecs} | set(IMPLIED_ECS)
    names |= {name for name, *_ in BASE} | {f"{target}.{r}" for r in raw} | {target}
    prefixes = {n.rsplit(".", i)[0] for n in names for i in range(1, n.count(".") + 1)}
    open_ = {f.name for f in ds.fields if f.type in OPEN_TYPES}
    if not any(n.startswith(f"{target}.") for n in declared):
        open_.add(target)
    for proc in ds.pipeline.before + ds.pipeline.after:
        if proc.type == "remove":
            open_.update(n for n in _strings(proc.config.get("field")))
    return names, prefixes, open_


def _strings(value: object) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [v for v in items if isinstance(v, str)]


def _pipeline(ds: DataStream, ecs: Ecs, declared: tuple[Field, ...]) -> Iterator[Problem]:
    """Hand-written processors: reads and writes of undeclared fields, duplicate tags."""
    names, prefixes = _declared(ds, declared)
    writable, parents, open_ = _writable(ds)
    generated_tags = _generated_tags(ds, ecs)
    seen: dict[str, Location] = {}
    for proc in ds.pipeline.before + ds.pipeline.after:
        for name in reads(proc.type, proc.config):
            below = any(name.startswith(n + ".") for n in names)
            if name not in names and name not in prefixes and not below:
                yield Problem(
                    proc.location, f"{proc.type} processor reads undeclared field {name!r}"
                )
        for name in dict.fromkeys(writes(proc.type, proc.config)):
            below = name in open_ or any(name.startswith(n + ".") for n in open_)
            if name not in writable and name not in parents and not below:
                message = f"{proc.type} processor writes undeclared field {name!r}"
                yield Problem(proc.location, message)
        tag = proc.tag
        if tag in seen or tag in generated_tags:
            yield Problem(proc.location, f"duplicate processor tag {tag!r}")
        seen.setdefault(tag, proc.location)


def _derived(ds: DataStream, ecs: Ecs) -> Iterator[Problem]:
    """Compile errors of the derived processors: at the field they come from."""
    made = [(f.location, f"field {f.name!r}: ", field_processors(ds, f, ecs)) for f in ds.fields]
    made.append((ds.pipeline.location, "", skeleton(ds, ecs)))
    for where, prefix, processors in made:
        for item in processors:
            ((ptype, config),) = item.items()
            for found in compilecheck.processor_problems(ptype, config, (), compilecheck.at(where)):
                yield Problem(where, f"{prefix}derived {found.message}")


def _generated_tags(ds: DataStream, ecs: Ecs) -> set[str]:
    bare = dataclasses.replace(ds, pipeline=dataclasses.replace(ds.pipeline, before=(), after=()))
    doc = build_pipeline(bare, ecs)
    return set(all_tags(doc["processors"])) | set(all_tags(doc["on_failure"]))


def _docs(pkg: Package) -> Iterator[Problem]:
    for name, text in pkg.docs:
        for match in MARKER.finditer(text):
            kind, ds_name = match.groups()
            line = text.count("\n", 0, match.start()) + 1
            col = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
            loc = Location(f"docs/{name}", line, col)
            ds = pkg.data_stream(ds_name)
            if ds is None:
                yield Problem(loc, f"{kind} marker names unknown data stream {ds_name!r}")
            elif kind == "event" and ds.sample_event is None and ds.pipeline.sample_case is None:
                yield Problem(loc, f"data stream {ds_name!r} has no sample_event.json")


def data_stream_problems(ds: DataStream, ecs: Ecs | None = None) -> list[Problem]:
    """The field and pipeline rules of one data stream, usable when other files failed to load."""
    ecs = ecs or load_ecs()
    fields, problems = _fields(ds, ecs)
    problems += _sample(ds)
    resolved = dataclasses.replace(ds, fields=fields)
    problems += _pipeline(resolved, ecs, ds.fields)
    return problems + list(_derived(resolved, ecs)) + list(_programs(ds))


def _sample(ds: DataStream) -> list[Problem]:
    """A generated sample event needs its test case; it replaces a hand-written one."""
    case = ds.pipeline.sample_case
    if case is None:
        return []
    where = ds.pipeline.location
    if ds.sample_event is not None:
        message = "sample_event in pipeline.yml generates sample_event.json; remove the source file"
        return [Problem(where, message)]
    if f"test/pipeline/{case}" not in dict(ds.dev_files):
        return [Problem(where, f"sample_event case _dev/test/pipeline/{case} does not exist")]
    return []


def validate(pkg: Package, ecs: Ecs | None = None) -> Package:
    """Check cross-file rules; return the package with ECS fields resolved, or raise."""
    ecs = ecs or load_ecs()
    problems = [*_changelog(pkg), *_manifest(pkg), *_docs(pkg)]
    streams = []
    for ds in pkg.data_streams:
        problems += _streams(pkg, ds)
        problems += _programs(ds)
        fields, found = _fields(ds, ecs)
        problems += found + _sample(ds)
        resolved = dataclasses.replace(ds, fields=fields)
        problems += _pipeline(resolved, ecs, ds.fields)
        problems += _derived(resolved, ecs)
        streams.append(resolved)
    raise_if(problems)
    return dataclasses.replace(pkg, data_streams=tuple(streams))

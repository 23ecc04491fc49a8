"""Load stage: a data stream's field definitions (with ``path:line``), ECS externals resolved."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from fleetpkg.ecs import Ecs, EcsField, load_ecs
from fleetpkg.packagedir import DataStream, Package, PackageError, read_yaml, version_tuple
from fleetpkg.packagedir.yamlv3 import Loaded, YamlError, parse_yaml

# Overrides elastic-package keeps when a local entry changes an ECS field's type.
_TYPE_OVERRIDES = {
    ("keyword", "constant_keyword"),
    ("constant_keyword", "keyword"),
    ("object", "group"),
    ("object", "nested"),
}
_CONTAINERS = frozenset({"group", "object", "nested"})


@dataclass(frozen=True, slots=True)
class FieldDef:
    """One declared field, flattened to its full dotted name."""

    name: str
    type: str
    where: str  # "data_stream/x/fields/ecs.yml:12" or "ECS 9.4.0"
    value: Any = None
    pattern: str | None = None
    allowed_values: tuple[str, ...] = ()
    expected_values: tuple[Any, ...] = ()
    normalize: tuple[str, ...] = ()
    object_type: str | None = None
    enabled: bool = True
    dynamic: bool = False  # a child of an ``object`` with ``object_type`` (may be an object)
    event_types: tuple[tuple[str, tuple[str, ...]], ...] = ()  # allowed value → event.type

    def expected_event_types(self, value: str) -> tuple[str, ...]:
        return next((types for name, types in self.event_types if name == value), ())

    @property
    def is_container(self) -> bool:
        return self.type in _CONTAINERS


@dataclass(frozen=True, slots=True)
class FieldSet:
    """Every definition of a data stream, plus the optional whole-ECS fallback."""

    fields: dict[str, FieldDef]
    wildcards: tuple[tuple[re.Pattern[str], FieldDef], ...] = ()
    ecs: Ecs | None = None  # set when undeclared ECS fields are accepted
    warnings: tuple[str, ...] = ()
    multi_fields: frozenset[str] = field(default_factory=frozenset)

    def lookup(self, name: str) -> FieldDef | None:
        found = self.fields.get(name)
        if found is not None:
            return found
        for pattern, definition in self.wildcards:
            if pattern.fullmatch(name):
                return definition
        parts = name.split(".")
        for end in range(len(parts) - 1, 0, -1):
            owner = self.fields.get(".".join(parts[:end]))
            if owner is not None and owner.type == "object" and owner.object_type:
                return FieldDef(name, owner.object_type, owner.where, dynamic=True)
        if self.ecs is not None:
            return ecs_field(self.ecs, name)
        return None


def ecs_field(ecs: Ecs, name: str) -> FieldDef | None:
    spec = ecs.lookup(name)
    if spec is None:
        return None
    return FieldDef(
        name,
        spec.type,
        f"ECS {ecs.version}",
        pattern=spec.get("pattern"),
        allowed_values=_names(spec.get("allowed_values")),
        event_types=_event_types(spec.get("allowed_values")),
        expected_values=tuple(spec.get("expected_values") or ()),
        normalize=tuple(spec.get("normalize") or ()),
        object_type=spec.get("object_type"),
    )


def _event_types(values: Any) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """ECS categorization: the ``expected_event_types`` of each allowed value (when given)."""
    out = []
    for value in values if isinstance(values, list) else ():
        if isinstance(value, dict) and isinstance(value.get("expected_event_types"), list):
            out.append((str(value.get("name")), tuple(map(str, value["expected_event_types"]))))
    return tuple(out)


def _names(values: Any) -> tuple[str, ...]:
    if not isinstance(values, list):
        return ()
    return tuple(str(v["name"]) if isinstance(v, dict) else str(v) for v in values)


@dataclass(frozen=True, slots=True)
class EcsPolicy:
    """How ``external: ecs`` is resolved for this package (from ``_dev/build/build.yml``)."""

    ecs: Ecs
    import_all: bool
    warning: str | None


def ecs_policy(package: Package) -> EcsPolicy:
    ecs = load_ecs()
    path = package.root / "_dev" / "build" / "build.yml"
    build = read_yaml(path) if path.is_file() else None
    dep = ((build or {}).get("dependencies") or {}).get("ecs") if isinstance(build, dict) else None
    dep = dep if isinstance(dep, dict) else {}
    reference = str(dep.get("reference") or "")
    import_all = dep.get("import_mappings") is True or _kibana_has_ecs_mappings(
        package.kibana_version
    )
    if reference.startswith("file://"):
        local = Path(reference.removeprefix("file://"))
        return EcsPolicy(load_ecs_nested(package.root / local, reference), import_all, None)
    warning = None
    wanted = reference.removeprefix("git@").removeprefix("v")
    if reference and not _same_version(wanted, ecs.version):
        warning = (
            f"_dev/build/build.yml pins ECS {reference!r}; fleetpkg ships ECS {ecs.version} only, "
            f"so external: ecs fields are resolved from ECS {ecs.version}"
        )
    return EcsPolicy(ecs, import_all, warning)


def load_ecs_nested(path: Path, label: str) -> Ecs:
    """An ECS release from a local ``ecs_nested.yml`` (build.yml ``reference: file://…``)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except (OSError, yaml.YAMLError) as err:
        raise PackageError(f"{path}: cannot read ECS schema: {err}") from None
    fields: dict[str, EcsField] = {}
    for fieldset in (data or {}).values():
        for flat, spec in ((fieldset or {}).get("fields") or {}).items():
            attrs = {k: v for k, v in spec.items() if k not in ("type", "description")}
            fields[flat] = EcsField(
                flat, str(spec.get("type")), str(spec.get("description", "")), attrs
            )
    return Ecs(label, fields)


def _same_version(wanted: str, have: str) -> bool:
    parts = wanted.split(".")
    return bool(wanted) and have.split(".")[: len(parts)] == parts


def _kibana_has_ecs_mappings(constraint: str) -> bool:
    """True when every alternative of the Kibana constraint starts at 8.13.0 or later."""
    alternatives = [a.strip() for a in constraint.split("||") if a.strip()]
    if not alternatives:
        return False
    for alternative in alternatives:
        match = re.search(r"\d+(\.\d+)*", alternative)
        if match is None or version_tuple(match.group(0)) < (8, 13, 0):
            return False
    return True


class _Collector:
    def __init__(self, package: Package, policy: EcsPolicy) -> None:
        self.package = package
        self.policy = policy
        self.fields: dict[str, FieldDef] = {}
        self.multi: set[str] = set()
        self.problems: list[str] = []
        self.notes: list[str] = []

    def load_file(self, path: Path) -> None:
        rel = self.package.rel(path)
        try:
            loaded = parse_yaml(path.read_text(encoding="utf-8"))
        except (OSError, YamlError) as err:
            raise PackageError(f"{rel}: {err}") from None
        if loaded.value is None:
            return
        if not isinstance(loaded.value, list):
            raise PackageError(f"{rel}: a fields file must be a list")
        self._entries(loaded.value, "", rel, loaded, ())

    def _entries(
        self, entries: list[Any], prefix: str, rel: str, loaded: Loaded, at: tuple[str | int, ...]
    ) -> None:
        for index, entry in enumerate(entries):
            if isinstance(entry, dict) and entry.get("name") is not None:
                self._entry(entry, prefix, rel, loaded, (*at, index))

    def _entry(
        self,
        entry: dict[str, Any],
        prefix: str,
        rel: str,
        loaded: Loaded,
        at: tuple[str | int, ...],
    ) -> None:
        name = prefix + str(entry["name"])
        where = f"{rel}:{loaded.line(*at)}"
        children = entry.get("fields")
        local_type = str(entry.get("type") or ("group" if children else ""))
        definition = self._definition(entry, name, local_type, where)
        if definition is None:
            return
        if name not in self.fields:
            self.fields[name] = definition
        for multi in entry.get("multi_fields") or ():
            if isinstance(multi, dict) and multi.get("name"):
                self.multi.add(f"{name}.{multi['name']}")
        if isinstance(children, list):
            self._entries(children, name + ".", rel, loaded, (*at, "fields"))

    def _definition(
        self, entry: dict[str, Any], name: str, local_type: str, where: str
    ) -> FieldDef | None:
        base = FieldDef(name, local_type, where)
        if entry.get("external") == "ecs":
            found = ecs_field(self.policy.ecs, name)
            if found is None and self.policy.warning is not None:
                # The package pins another ECS release: keep the field, without a type to check.
                self.notes.append(f"{where}: {name} is not in ECS {self.policy.ecs.version}")
                found = FieldDef(name, local_type, where)
            if found is None:
                self.problems.append(
                    f"{where}: field definition not found in schema (name: {name})"
                )
                return None
            keep = local_type if (found.type, local_type) in _TYPE_OVERRIDES else found.type
            base = replace(found, type=keep, where=where)
        elif entry.get("external"):
            self.problems.append(f"{where}: unsupported external {entry['external']!r} for {name}")
            return None
        return FieldDef(
            name,
            base.type,
            where,
            value=entry.get("value", base.value),
            pattern=entry.get("pattern", base.pattern),
            allowed_values=_names(entry["allowed_values"])
            if "allowed_values" in entry
            else base.allowed_values,
            event_types=_event_types(entry["allowed_values"])
            if "allowed_values" in entry
            else base.event_types,
            expected_values=tuple(entry.get("expected_values") or base.expected_values),
            normalize=tuple(entry.get("normalize") or base.normalize),
            object_type=entry.get("object_type", base.object_type),
            enabled=entry.get("enabled") is not False,
        )


def _field_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yml", ".yaml") and p.is_file())


def load_fields(package: Package, stream: DataStream) -> FieldSet:
    """Data stream ``fields/*.yml`` then package-level ``fields/*.yml``; problems raise."""
    policy = ecs_policy(package)
    collector = _Collector(package, policy)
    for path in _field_files(stream.root / "fields") + _field_files(package.root / "fields"):
        collector.load_file(path)
    if collector.problems:
        raise PackageError("; ".join(collector.problems))
    wildcards = tuple(
        (re.compile(re.escape(name).replace(r"\*", r"[^.]+")), definition)
        for name, definition in collector.fields.items()
        if "*" in name
    )
    return FieldSet(
        collector.fields,
        wildcards,
        policy.ecs if policy.import_all else None,
        ((policy.warning,) if policy.warning else ()) + tuple(collector.notes),
        frozenset(collector.multi),
    )

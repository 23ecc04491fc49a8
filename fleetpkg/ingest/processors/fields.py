"""Processors of the fields family: set, append, remove, rename, convert, dot_expander."""

from __future__ import annotations

from typing import Any

from ..document import IngestDocument, deep_copy
from ..errors import IngestError, illegal_argument, java_type_name
from ..fieldpath import FieldPath
from ..mustache import Template, compile_template
from .base import Config, Factory, Processor, read_field, render_field, write_field
from .convert import CONVERTERS


class ValueSource:
    """A processor ``value``: strings are templates, lists and maps are rendered deeply."""

    __slots__ = ("_render", "is_static")

    def __init__(self, value: Any) -> None:
        self.is_static = not _has_template(value)
        self._render = _compile_value(value)

    def get(self, doc: IngestDocument) -> Any:
        return self._render(doc.render_context() if not self.is_static else {})


def _has_template(value: Any) -> bool:
    if isinstance(value, str):
        return "{{" in value
    if isinstance(value, list):
        return any(_has_template(v) for v in value)
    if isinstance(value, dict):
        return any(_has_template(k) or _has_template(v) for k, v in value.items())
    return False


def _compile_value(value: Any) -> Any:
    if isinstance(value, str):
        template = compile_template(value)
        return template.render
    if isinstance(value, list):
        items = [_compile_value(v) for v in value]
        return lambda model: [f(model) for f in items]
    if isinstance(value, dict):
        pairs = [(compile_template(str(k)).render, _compile_value(v)) for k, v in value.items()]
        return lambda model: {k(model): f(model) for k, f in pairs}
    return lambda model: deep_copy(value)


def _value_or_copy_from(cfg: Config) -> tuple[ValueSource | None, Template | None]:
    copy_from = cfg.template("copy_from", None)
    if copy_from is not None:
        if cfg.has("value"):
            raise cfg.error(
                "copy_from", "cannot set both `copy_from` and `value` in the same processor"
            )
        return None, copy_from
    return ValueSource(cfg.take("value")), None


class Set(Processor):
    type = "set"

    def __init__(self, cfg: Config) -> None:
        self.field = cfg.template("field")
        self.value, self.copy_from = _value_or_copy_from(cfg)
        self.override = cfg.boolean("override", True)
        self.ignore_empty_value = cfg.boolean("ignore_empty_value", False)
        cfg.string("media_type", "application/json")
        self._path = FieldPath.of(self.field)
        self._copy_path = FieldPath.of(self.copy_from)

    def run(self, doc: IngestDocument) -> None:
        if not self.override:
            field = render_field(self.field, doc)
            if doc.has(field) and doc.get(field) is not None:
                return
        if self.copy_from is not None:
            value = deep_copy(
                read_field(doc, self.copy_from, self._copy_path, self.ignore_empty_value)
            )
        else:
            assert self.value is not None
            value = self.value.get(doc)
        if self.ignore_empty_value and (value is None or value == ""):
            return
        write_field(doc, self.field, self._path, value)


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == []


class Append(Processor):
    type = "append"

    def __init__(self, cfg: Config) -> None:
        self.field = cfg.template("field")
        self.value, self.copy_from = _value_or_copy_from(cfg)
        self.allow_duplicates = cfg.boolean("allow_duplicates", True)
        self.ignore_empty_values = cfg.boolean("ignore_empty_values", False)
        cfg.string("media_type", "application/json")
        self._path = FieldPath.of(self.field)
        self._copy_path = FieldPath.of(self.copy_from)

    def run(self, doc: IngestDocument) -> None:
        if self.copy_from is not None:
            value = deep_copy(
                read_field(doc, self.copy_from, self._copy_path, self.ignore_empty_values)
            )
        else:
            assert self.value is not None
            value = self.value.get(doc)
        if self.ignore_empty_values:
            if isinstance(value, list):
                value = [v for v in value if not _is_empty(v)]
                if not value:
                    return
            elif _is_empty(value):
                return
        if self._path is not None:
            self._path.append(doc, value, allow_duplicates=self.allow_duplicates)
        else:
            field = render_field(self.field, doc)
            doc.append(field, value, allow_duplicates=self.allow_duplicates)


class Remove(Processor):
    type = "remove"

    def __init__(self, cfg: Config) -> None:
        fields = cfg.take("field", None)
        keep = cfg.take("keep", None)
        if fields is None and keep is None:
            raise cfg.error(None, "[keep] or [field] must be specified")
        if fields is not None and keep is not None:
            raise cfg.error(
                None, "Too many fields specified. Please specify either [field] or [keep]"
            )
        self.fields = tuple(compile_template(str(f)) for f in _as_list(fields))
        self.keep = tuple(compile_template(str(f)) for f in _as_list(keep))
        self.ignore_missing = cfg.boolean("ignore_missing", False)
        self._paths = tuple(FieldPath.of(t) for t in self.fields)

    def run(self, doc: IngestDocument) -> None:
        if self.keep:
            self._keep_only(doc)
            return
        for template, path in zip(self.fields, self._paths, strict=True):
            if path is not None:
                if not self.ignore_missing or path.has(doc):
                    path.remove(doc)
                continue
            field = render_field(template, doc)
            if self.ignore_missing and not doc.has(field):
                continue
            doc.remove(field)

    def _keep_only(self, doc: IngestDocument) -> None:
        keep = [render_field(t, doc) for t in self.keep]
        for key in list(doc.source):
            if not any(k == key or k.startswith(key + ".") for k in keep):
                del doc.source[key]


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


class Rename(Processor):
    type = "rename"

    def __init__(self, cfg: Config) -> None:
        self.field = cfg.template("field")
        self.target = cfg.template("target_field")
        self.ignore_missing = cfg.boolean("ignore_missing", False)
        self.override = cfg.boolean("override", False)
        self._path = FieldPath.of(self.field)
        self._target_path = FieldPath.of(self.target)
        # Removing the source deletes key `source.leaf` from one map; when no step on the
        # target's way uses that key (even through shared maps), it cannot change that way,
        # so the way is walked once, before the removal.
        self._one_walk = bool(
            self._path and self._target_path and self._path.leaf not in self._target_path.parents
        )

    def run(self, doc: IngestDocument) -> None:
        source, target = self._path, self._target_path
        if source is None or target is None:
            self._run_general(doc)
            return
        parent = source.parent(doc)
        if parent is None or source.leaf not in parent:
            self._run_general(doc)  # missing, flexible access or lists: ES's checks and errors
            return
        target_parent = target.parent(doc) if self._one_walk else None
        if target_parent is not None:
            if not self.override and target.leaf in target_parent:
                raise illegal_argument(f"field [{target.path}] already exists")
            target_parent[target.leaf] = parent.pop(source.leaf)
            return
        if not self.override and target.has(doc):
            raise illegal_argument(f"field [{target.path}] already exists")
        value = parent.pop(source.leaf)  # get + remove in one step: every step is a map
        try:
            target.set(doc, value)
        except IngestError:
            source.set(doc, value)  # roll back so the document is unchanged
            raise

    def _run_general(self, doc: IngestDocument) -> None:
        field = render_field(self.field, doc)
        if not field or not doc.has(field, fail_out_of_range=True):
            if self.ignore_missing:
                return
            raise illegal_argument(f"field [{field}] doesn't exist")
        target = render_field(self.target, doc)
        if doc.has(target) and not self.override:
            raise illegal_argument(f"field [{target}] already exists")
        value = doc.get(field)
        doc.remove(field)
        try:
            doc.set(target, value)
        except IngestError:
            doc.set(field, value)  # roll back so the document is unchanged
            raise


class Convert(Processor):
    type = "convert"

    def __init__(self, cfg: Config) -> None:
        self.field = cfg.template("field")
        self.target = cfg.template("target_field", None)
        type_name = cfg.string("type")
        converter = CONVERTERS.get(type_name.lower())
        if converter is None:
            raise cfg.error("type", f"type [{type_name}] not supported, cannot convert field.")
        self.type_name = type_name.lower()
        self.converter = converter
        self.ignore_missing = cfg.boolean("ignore_missing", False)
        self._path = FieldPath.of(self.field)
        self._target_path = FieldPath.of(self.target) if self.target is not None else self._path

    def run(self, doc: IngestDocument) -> None:
        value = read_field(doc, self.field, self._path, self.ignore_missing)
        if value is None:
            if self.ignore_missing:
                return
            field = render_field(self.field, doc)
            raise illegal_argument(
                f"Field [{field}] is null, cannot be converted to type [{self.type_name}]"
            )
        if isinstance(value, list):
            converted: Any = [self.converter(v) for v in value]
        else:
            converted = self.converter(value)
        target = self.target if self.target is not None else self.field
        write_field(doc, target, self._target_path, converted)


class DotExpander(Processor):
    type = "dot_expander"

    def __init__(self, cfg: Config) -> None:
        self.field = cfg.string("field")
        self.path = cfg.string("path", None)
        self.override = cfg.boolean("override", False)
        if self.field != "*" and (
            "." not in self.field
            or self.field.startswith(".")
            or self.field.endswith(".")
            or ".." in self.field
        ):
            raise cfg.error("field", "field does not contain a dot and is not a wildcard")

    def run(self, doc: IngestDocument) -> None:
        container: Any = doc.source if self.path is None else doc.get(self.path)
        if not isinstance(container, dict):
            raise illegal_argument(
                f"Cannot expand fields in [{java_type_name(container)}], expected a map"
            )
        keys = [k for k in container if "." in k] if self.field == "*" else [self.field]
        for key in keys:
            if key not in container:
                continue
            value = container.pop(key)
            self._put(container, key.split("."), value, key)

    def _put(self, container: dict[str, Any], parts: list[str], value: Any, key: str) -> None:
        ctx = container
        for i, part in enumerate(parts[:-1]):
            nxt = ctx.get(part)
            if nxt is None:
                nxt = {}
                ctx[part] = nxt
            elif not isinstance(nxt, dict):
                container[key] = value
                partial = ".".join(parts[: i + 1])
                raise illegal_argument(
                    f"cannot expand [{key}], because [{partial}] is not an object field, "
                    "but a value field"
                )
            ctx = nxt
        leaf = parts[-1]
        if leaf in ctx and not self.override:
            existing = ctx[leaf]
            merged = existing if isinstance(existing, list) else [existing]
            merged.extend(value if isinstance(value, list) else [value])
            ctx[leaf] = merged
        else:
            ctx[leaf] = value


FACTORIES: dict[str, Factory] = {
    "set": Set,
    "append": Append,
    "remove": Remove,
    "rename": Rename,
    "convert": Convert,
    "dot_expander": DotExpander,
}
